//! Discord JSON bodies for the bot's messages and interaction callbacks, built
//! from [`Reply`]s. Every body that creates or edits a message carries
//! `allowed_mentions` with nothing allowed, so no text can ever ping.
//!
//! Boundary: shapes JSON only; what a message says is decided in
//! `render::discord`.

use serde_json::{Value, json};

use crate::render::discord::Reply;

/// Interaction callback types (Discord API v10).
pub const CALLBACK_MESSAGE: u8 = 4;
pub const CALLBACK_DEFER: u8 = 5;
pub const CALLBACK_DEFER_UPDATE: u8 = 6;
pub const CALLBACK_UPDATE: u8 = 7;

/// Message flag: only the person who used the command sees it.
pub const EPHEMERAL: u64 = 64;

/// Discord draws the embed's side bar in this colour.
const COLOUR: u32 = 0x4f6d7a;

/// No pings of any kind, not even the author of a replied-to message.
pub fn no_mentions() -> Value {
    json!({ "parse": [], "replied_user": false })
}

pub fn embed(reply: &Reply) -> Value {
    let mut e = json!({
        "title": reply.title,
        "description": reply.description,
        "color": COLOUR,
    });
    if !reply.fields.is_empty() {
        e["fields"] = reply
            .fields
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value, "inline": false }))
            .collect();
    }
    if !reply.footer.is_empty() {
        e["footer"] = json!({ "text": reply.footer });
    }
    e
}

/// Buttons in action rows of at most five.
pub fn components(reply: &Reply) -> Value {
    reply
        .buttons
        .chunks(5)
        .take(5)
        .map(|row| {
            json!({
                "type": 1,
                "components": row.iter().map(|b| json!({
                    "type": 2,
                    "style": 2,
                    "label": b.label,
                    "custom_id": b.custom_id,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// A message body (follow-up, channel message, edit).
pub fn body(reply: &Reply, ephemeral: bool) -> Value {
    let mut b = json!({
        "embeds": [embed(reply)],
        "components": components(reply),
        "allowed_mentions": no_mentions(),
    });
    if ephemeral {
        b["flags"] = json!(EPHEMERAL);
    }
    b
}

/// A callback that answers at once with a message.
pub fn respond(reply: &Reply, ephemeral: bool) -> Value {
    json!({ "type": CALLBACK_MESSAGE, "data": body(reply, ephemeral) })
}

/// A callback that shows "thinking…" until the first follow-up.
pub fn defer(ephemeral: bool) -> Value {
    let flags = if ephemeral { EPHEMERAL } else { 0 };
    json!({ "type": CALLBACK_DEFER, "data": { "flags": flags } })
}

/// A callback that acknowledges a button without a new message.
pub fn defer_update() -> Value {
    json!({ "type": CALLBACK_DEFER_UPDATE })
}

/// A callback that replaces the message a button is on.
pub fn update(reply: &Reply) -> Value {
    json!({ "type": CALLBACK_UPDATE, "data": body(reply, false) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::discord::{Button, notice};

    #[test]
    fn every_message_body_forbids_mentions() {
        let mut r = notice("t", "@everyone");
        r.buttons = (0..7)
            .map(|i| Button {
                custom_id: format!("b{i}"),
                label: "x".into(),
            })
            .collect();
        for b in [
            body(&r, false),
            respond(&r, true)["data"].clone(),
            update(&r)["data"].clone(),
        ] {
            assert_eq!(b["allowed_mentions"]["parse"], json!([]));
            assert_eq!(b["allowed_mentions"]["replied_user"], json!(false));
        }
        let rows = components(&r);
        assert_eq!(rows.as_array().unwrap().len(), 2);
        assert_eq!(rows[0]["components"].as_array().unwrap().len(), 5);
        assert_eq!(respond(&r, true)["data"]["flags"], json!(64));
    }
}
