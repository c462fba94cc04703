//! Who may do what: the per-member question rate limit, and moderator rights
//! (Manage Messages, Pin Messages, Administrator, or a configured role).
//!
//! Discord split pinning into its own permission, Pin Messages (bit 51), which
//! serenity 0.12.5 drops when it parses permissions. So when a member's parsed
//! permissions do not already make them a moderator, their raw permission bits
//! are computed here from the guild's roles and the channel's overwrites, read
//! as raw JSON (Discord's documented algorithm).
//!
//! Boundary: decisions only; no messages are sent from here.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const ADMINISTRATOR: u64 = 1 << 3;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const EMBED_LINKS: u64 = 1 << 14;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const PIN_MESSAGES: u64 = 1 << 51;

/// Any of these bits makes a member a moderator.
pub const MODERATOR_BITS: u64 = ADMINISTRATOR | MANAGE_MESSAGES | PIN_MESSAGES;

/// The permissions the bot asks for in its invite link.
pub const BOT_PERMISSIONS: u64 = VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | READ_MESSAGE_HISTORY
    | PIN_MESSAGES
    | MANAGE_MESSAGES;

/// A sliding one-minute window of questions per member.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: usize,
    window: Duration,
    asked: HashMap<u64, VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute: per_minute.max(1) as usize,
            window: Duration::from_secs(60),
            asked: HashMap::new(),
        }
    }

    /// Records a question from `user` at `now`, or says how long to wait.
    pub fn check(&mut self, user: u64, now: Instant) -> Result<(), Duration> {
        let times = self.asked.entry(user).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.per_minute {
            let oldest = *times.front().expect("window is full");
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        // Forget members who have gone quiet, so the map cannot grow without bound.
        if self.asked.len() > 10_000 {
            let window = self.window;
            self.asked.retain(|_, t| {
                t.back()
                    .is_some_and(|last| now.duration_since(*last) < window)
            });
        }
        Ok(())
    }
}

fn bits(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap_or(0),
        Value::Number(n) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

fn id(v: &Value) -> u64 {
    bits(v)
}

/// A member's permissions in a channel, from raw JSON: the guild (for its
/// owner), its roles, the channel (for its overwrites), and the member's
/// user id and role ids.
pub fn member_permissions(
    guild: &Value,
    roles: &Value,
    channel: &Value,
    user: u64,
    member_roles: &[u64],
) -> u64 {
    let guild_id = id(&guild["id"]);
    if id(&guild["owner_id"]) == user && user != 0 {
        return u64::MAX;
    }
    let roles = roles.as_array().cloned().unwrap_or_default();
    let role_bits = |role: u64| {
        roles
            .iter()
            .find(|r| id(&r["id"]) == role)
            .map_or(0, |r| bits(&r["permissions"]))
    };
    let mut perms = role_bits(guild_id);
    for r in member_roles {
        perms |= role_bits(*r);
    }
    if perms & ADMINISTRATOR != 0 {
        return u64::MAX;
    }
    let overwrites = channel["permission_overwrites"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let apply = |perms: u64, o: &Value| (perms & !bits(&o["deny"])) | bits(&o["allow"]);
    if let Some(o) = overwrites.iter().find(|o| id(&o["id"]) == guild_id) {
        perms = apply(perms, o);
    }
    let (mut allow, mut deny) = (0, 0);
    for o in overwrites
        .iter()
        .filter(|o| o["type"] == 0 && member_roles.contains(&id(&o["id"])))
    {
        allow |= bits(&o["allow"]);
        deny |= bits(&o["deny"]);
    }
    perms = (perms & !deny) | allow;
    if let Some(o) = overwrites
        .iter()
        .find(|o| o["type"] == 1 && id(&o["id"]) == user)
    {
        perms = apply(perms, o);
    }
    perms
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_rate_limit_is_a_sliding_minute() {
        let mut limit = RateLimiter::new(2);
        let t0 = Instant::now();
        assert!(limit.check(1, t0).is_ok());
        assert!(limit.check(1, t0 + Duration::from_secs(10)).is_ok());
        let wait = limit.check(1, t0 + Duration::from_secs(20)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(40));
        assert!(
            limit.check(2, t0 + Duration::from_secs(20)).is_ok(),
            "per member"
        );
        assert!(limit.check(1, t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn raw_permissions_keep_pin_messages() {
        let guild = json!({ "id": "1", "owner_id": "99" });
        let pin = (1u64 << 51).to_string();
        let roles = json!([
            { "id": "1", "permissions": "1024" },
            { "id": "5", "permissions": pin },
            { "id": "6", "permissions": "8" },
        ]);
        let channel = json!({ "permission_overwrites": [] });
        assert_eq!(
            member_permissions(&guild, &roles, &channel, 7, &[]) & MODERATOR_BITS,
            0
        );
        assert_ne!(
            member_permissions(&guild, &roles, &channel, 7, &[5]) & PIN_MESSAGES,
            0
        );
        assert_eq!(
            member_permissions(&guild, &roles, &channel, 7, &[6]),
            u64::MAX
        );
        assert_eq!(
            member_permissions(&guild, &roles, &channel, 99, &[]),
            u64::MAX
        );
    }

    #[test]
    fn channel_overwrites_apply_in_order() {
        let guild = json!({ "id": "1", "owner_id": "99" });
        let roles =
            json!([{ "id": "1", "permissions": "0" }, { "id": "5", "permissions": "8192" }]);
        let deny_role = json!({ "permission_overwrites": [
            { "id": "5", "type": 0, "allow": "0", "deny": "8192" },
        ]});
        assert_eq!(
            member_permissions(&guild, &roles, &deny_role, 7, &[5]) & MANAGE_MESSAGES,
            0
        );
        let allow_member = json!({ "permission_overwrites": [
            { "id": "5", "type": 0, "allow": "0", "deny": "8192" },
            { "id": "7", "type": 1, "allow": "8192", "deny": "0" },
        ]});
        assert_ne!(
            member_permissions(&guild, &roles, &allow_member, 7, &[5]) & MANAGE_MESSAGES,
            0
        );
    }

    #[test]
    fn the_invite_asks_for_pin_messages() {
        assert_eq!(BOT_PERMISSIONS, 2_251_799_813_778_432);
        assert_ne!(BOT_PERMISSIONS & PIN_MESSAGES, 0);
    }
}
