//! The fake gateway at `/ws`: plain-text JSON frames (never zlib). Sends
//! Hello on connect; answers Identify with READY, Resume with a replay of
//! missed dispatches and RESUMED, heartbeats with ACKs; closes with
//! Discord's codes when the bot sends something Discord would refuse.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::Uri;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::mpsc;

use super::{Session, Shared, WsOut, payloads};

/// `GET /ws?v=10`: upgrade to a gateway connection.
pub(crate) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    let query = uri.query().unwrap_or("");
    let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.contains(&"v=10") {
        shared
            .lock()
            .violation(format!("gateway connection without v=10: {uri}"));
    }
    if params
        .iter()
        .any(|p| p.starts_with("encoding=") && *p != "encoding=json")
    {
        shared.lock().violation(format!(
            "gateway connection asks for a non-JSON encoding: {uri}"
        ));
    }
    if params.iter().any(|p| p.starts_with("compress=")) {
        shared.lock().violation(format!(
            "gateway connection asks for transport compression, which the fake does not speak: {uri}"
        ));
    }
    ws.on_upgrade(move |socket| connection(shared, socket))
}

/// What to do after a frame.
enum Next {
    Continue,
    Stop,
}

async fn connection(shared: Arc<Shared>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<WsOut>();
    let conn_id = {
        let mut st = shared.lock();
        st.next_conn += 1;
        st.next_conn
    };
    tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            match out {
                WsOut::Text(text) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                WsOut::Close(code, reason) => {
                    let frame = CloseFrame {
                        code,
                        reason: reason.into(),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
            }
        }
    });
    let _ = tx.send(WsOut::Text(payloads::hello().to_string()));

    let mut shutdown = shared.shutdown.clone();
    let mut identified = false;
    loop {
        let frame = tokio::select! {
            _ = shutdown.changed() => break,
            frame = stream.next() => frame,
        };
        let text = match frame {
            Some(Ok(Message::Text(text))) => text.to_string(),
            Some(Ok(Message::Binary(_))) => {
                close(
                    &shared,
                    &tx,
                    4002,
                    "binary frame: the fake only speaks JSON text",
                );
                break;
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
            Some(Ok(_)) => continue,
        };
        match handle(&shared, conn_id, &tx, &mut identified, &text) {
            Next::Continue => {}
            Next::Stop => break,
        }
    }

    let mut st = shared.lock();
    if let Some(session) = st.session.as_mut()
        && session.conn.as_ref().is_some_and(|(id, _)| *id == conn_id)
    {
        session.conn = None;
    }
}

fn close(shared: &Shared, tx: &mpsc::UnboundedSender<WsOut>, code: u16, why: &str) {
    shared
        .lock()
        .violation(format!("gateway closed with {code}: {why}"));
    let _ = tx.send(WsOut::Close(code, why.chars().take(120).collect()));
}

fn handle(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<WsOut>,
    identified: &mut bool,
    text: &str,
) -> Next {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        close(shared, tx, 4002, "payload is not JSON");
        return Next::Stop;
    };
    let d = &payload["d"];
    match payload["op"].as_u64() {
        Some(1) => {
            let _ = tx.send(WsOut::Text(payloads::heartbeat_ack().to_string()));
            Next::Continue
        }
        Some(2) => identify(shared, conn_id, tx, identified, d),
        Some(6) => resume(shared, conn_id, tx, identified, d),
        Some(3 | 4 | 8 | 31) => {
            if *identified {
                Next::Continue
            } else {
                close(shared, tx, 4003, "payload sent before identifying");
                Next::Stop
            }
        }
        other => {
            close(shared, tx, 4001, &format!("unknown opcode {other:?}"));
            Next::Stop
        }
    }
}

fn identify(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<WsOut>,
    identified: &mut bool,
    d: &Value,
) -> Next {
    if *identified {
        close(shared, tx, 4005, "identified twice on one connection");
        return Next::Stop;
    }
    let token = d["token"].as_str().unwrap_or("");
    if !token.starts_with("Bot ") {
        close(
            shared,
            tx,
            4004,
            "Identify token does not start with \"Bot \"",
        );
        return Next::Stop;
    }
    let Some(intents) = d["intents"].as_u64() else {
        close(shared, tx, 4013, "Identify without integer intents");
        return Next::Stop;
    };
    let shard = d["shard"].as_array().and_then(|s| {
        let id = s.first()?.as_u64()?;
        let total = s.get(1)?.as_u64()?;
        Some([id, total])
    });
    if let Some([id, total]) = shard
        && (total != 1 || id != 0)
    {
        close(
            shared,
            tx,
            4010,
            "invalid shard: the fake has exactly one shard",
        );
        return Next::Stop;
    }

    let mut st = shared.lock();
    st.identify_count += 1;
    st.intents = Some(intents);
    let session_id = st.random_hex(2);
    st.session = Some(Session {
        id: session_id.clone(),
        seq: 0,
        log: Vec::new(),
        resumable: true,
        conn: Some((conn_id, tx.clone())),
    });
    *identified = true;
    st.dispatch("READY", payloads::ready(&session_id, &shared.ws_url, shard));
    st.ready = true;
    if let Some(code) = shared.options.close_with {
        let _ = tx.send(WsOut::Close(
            code,
            format!("closed by the fake (Options.close_with = {code})"),
        ));
        return Next::Stop;
    }
    Next::Continue
}

fn resume(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<WsOut>,
    identified: &mut bool,
    d: &Value,
) -> Next {
    let mut st = shared.lock();
    st.resume_count += 1;
    let token = d["token"].as_str().unwrap_or("");
    if !token.starts_with("Bot ") {
        drop(st);
        close(
            shared,
            tx,
            4004,
            "Resume token does not start with \"Bot \"",
        );
        return Next::Stop;
    }
    let wanted = d["session_id"].as_str().unwrap_or("");
    let seq = d["seq"].as_u64().unwrap_or(0);
    let Some(session) = st
        .session
        .as_mut()
        .filter(|s| s.id == wanted && s.resumable)
    else {
        // Discord answers op 9 false: the bot must identify anew.
        let _ = tx.send(WsOut::Text(payloads::invalid_session(false).to_string()));
        return Next::Continue;
    };
    session.conn = Some((conn_id, tx.clone()));
    for (s, frame) in &session.log {
        if *s > seq {
            let _ = tx.send(WsOut::Text(frame.clone()));
        }
    }
    *identified = true;
    st.dispatch("RESUMED", payloads::resumed());
    st.ready = true;
    Next::Continue
}
