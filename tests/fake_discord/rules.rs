//! The limits Discord enforces on what a bot sends, as pure functions over
//! request bodies: message bodies (content, embeds, components, allowed
//! mentions) and command registration bodies. The REST layer turns the
//! findings into Discord's error answers and the fake's violation list.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

/// One entry of a 50035 "Invalid Form Body" error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormProblem {
    /// Dot-separated path into the request body, e.g. `embeds.0.title`.
    pub path: String,
    /// Discord's error code string, e.g. `BASE_TYPE_MAX_LENGTH`.
    pub code: &'static str,
    pub message: String,
}

impl FormProblem {
    fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

/// What [`check_message`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageCheck {
    /// Form errors: Discord answers 400 code 50035.
    pub form: Vec<FormProblem>,
    /// A create body with nothing to show: Discord answers 400 code 50006.
    pub empty: bool,
    /// `allowed_mentions` is missing or would ping someone. Discord accepts
    /// the message (and pings); the fake records a violation.
    pub mentions: Option<String>,
}

impl MessageCheck {
    /// Whether Discord would reject the body.
    pub fn rejected(&self) -> bool {
        !self.form.is_empty() || self.empty
    }
}

pub const MAX_CONTENT: usize = 2000;
pub const MAX_EMBEDS: usize = 10;
pub const MAX_EMBED_TITLE: usize = 256;
pub const MAX_EMBED_DESCRIPTION: usize = 4096;
pub const MAX_EMBED_FIELDS: usize = 25;
pub const MAX_FIELD_NAME: usize = 256;
pub const MAX_FIELD_VALUE: usize = 1024;
pub const MAX_FOOTER: usize = 2048;
pub const MAX_AUTHOR: usize = 256;
pub const MAX_EMBEDS_TOTAL: usize = 6000;
pub const MAX_ACTION_ROWS: usize = 5;
pub const MAX_ROW_COMPONENTS: usize = 5;
pub const MAX_CUSTOM_ID: usize = 100;
pub const MAX_BUTTON_LABEL: usize = 80;

fn chars(value: Option<&Value>) -> usize {
    value
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count())
}

fn too_long(path: String, max: usize) -> FormProblem {
    FormProblem::new(
        path,
        "BASE_TYPE_MAX_LENGTH",
        format!("Must be {max} or fewer in length."),
    )
}

fn bad_length(path: String, min: usize, max: usize) -> FormProblem {
    FormProblem::new(
        path,
        "BASE_TYPE_BAD_LENGTH",
        format!("Must be between {min} and {max} in length."),
    )
}

fn required(path: String) -> FormProblem {
    FormProblem::new(path, "BASE_TYPE_REQUIRED", "This field is required")
}

fn non_empty_array(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// Check a message create or edit body (also the `data` of interaction
/// callbacks of type 4 and 7). `attachments` is the number of uploaded
/// files that came with a multipart body.
pub fn check_message(body: &Value, creating: bool, attachments: usize) -> MessageCheck {
    let mut check = MessageCheck {
        mentions: check_allowed_mentions(body),
        ..Default::default()
    };
    let form = &mut check.form;

    if let Some(am) = body.get("allowed_mentions").filter(|v| !v.is_null()) {
        match am.get("parse") {
            None | Some(Value::Array(_)) => {}
            Some(_) => form.push(FormProblem::new(
                "allowed_mentions.parse",
                "BASE_TYPE_ARRAY",
                "Must be an array.",
            )),
        }
    }

    if chars(body.get("content")) > MAX_CONTENT {
        form.push(too_long("content".into(), MAX_CONTENT));
    }

    if let Some(embeds) = body.get("embeds").and_then(Value::as_array) {
        if embeds.len() > MAX_EMBEDS {
            form.push(too_long("embeds".into(), MAX_EMBEDS));
        }
        let mut total = 0;
        for (i, embed) in embeds.iter().enumerate() {
            total += check_embed(embed, &format!("embeds.{i}"), form);
        }
        if total > MAX_EMBEDS_TOTAL {
            form.push(FormProblem::new(
                "embeds",
                "MAX_EMBED_SIZE_EXCEEDED",
                format!("Embed size exceeds maximum size of {MAX_EMBEDS_TOTAL}"),
            ));
        }
    }

    let flags = body.get("flags").and_then(Value::as_u64).unwrap_or(0);
    if let Some(components) = body.get("components").and_then(Value::as_array) {
        check_components(components, flags & (1 << 15) != 0, form);
    }

    if creating {
        let has_content = chars(body.get("content")) > 0;
        let has_something = has_content
            || non_empty_array(body.get("embeds"))
            || non_empty_array(body.get("components"))
            || non_empty_array(body.get("sticker_ids"))
            || body.get("poll").is_some_and(|p| !p.is_null())
            || attachments > 0;
        check.empty = !has_something;
    }
    check
}

/// `None` when `allowed_mentions.parse` is an empty array and no user or
/// role is allowed; otherwise what is wrong, for the violation list.
pub fn check_allowed_mentions(body: &Value) -> Option<String> {
    let Some(am) = body.get("allowed_mentions").filter(|v| !v.is_null()) else {
        return Some(
            "no allowed_mentions: Discord then parses every user, role and @everyone mention \
             in the content and pings them"
                .into(),
        );
    };
    match am.get("parse") {
        Some(Value::Array(parse)) if parse.is_empty() => {}
        Some(Value::Array(parse)) => {
            return Some(format!(
                "allowed_mentions.parse is {}, must be []",
                Value::from(parse.clone())
            ));
        }
        None => return Some("allowed_mentions has no `parse`; it must be []".into()),
        Some(other) => return Some(format!("allowed_mentions.parse is {other}, must be []")),
    }
    for key in ["users", "roles"] {
        if non_empty_array(am.get(key)) {
            return Some(format!(
                "allowed_mentions.{key} is {}, would ping them",
                am[key]
            ));
        }
    }
    if am.get("replied_user").and_then(Value::as_bool) == Some(true) {
        return Some(
            "allowed_mentions.replied_user is true, would ping the replied-to user".into(),
        );
    }
    None
}

/// Check one embed; returns its size toward the 6000 total.
fn check_embed(embed: &Value, path: &str, form: &mut Vec<FormProblem>) -> usize {
    let mut total = 0;
    let title = chars(embed.get("title"));
    if title > MAX_EMBED_TITLE {
        form.push(too_long(format!("{path}.title"), MAX_EMBED_TITLE));
    }
    let description = chars(embed.get("description"));
    if description > MAX_EMBED_DESCRIPTION {
        form.push(too_long(
            format!("{path}.description"),
            MAX_EMBED_DESCRIPTION,
        ));
    }
    total += title + description;
    if let Some(fields) = embed.get("fields").and_then(Value::as_array) {
        if fields.len() > MAX_EMBED_FIELDS {
            form.push(too_long(format!("{path}.fields"), MAX_EMBED_FIELDS));
        }
        for (j, field) in fields.iter().enumerate() {
            let name = chars(field.get("name"));
            let value = chars(field.get("value"));
            if field.get("name").and_then(Value::as_str).is_none() || name == 0 {
                form.push(required(format!("{path}.fields.{j}.name")));
            } else if name > MAX_FIELD_NAME {
                form.push(too_long(format!("{path}.fields.{j}.name"), MAX_FIELD_NAME));
            }
            if field.get("value").and_then(Value::as_str).is_none() || value == 0 {
                form.push(required(format!("{path}.fields.{j}.value")));
            } else if value > MAX_FIELD_VALUE {
                form.push(too_long(
                    format!("{path}.fields.{j}.value"),
                    MAX_FIELD_VALUE,
                ));
            }
            total += name + value;
        }
    }
    if let Some(footer) = embed.get("footer").filter(|f| f.is_object()) {
        let text = chars(footer.get("text"));
        if text > MAX_FOOTER {
            form.push(too_long(format!("{path}.footer.text"), MAX_FOOTER));
        }
        total += text;
    }
    if let Some(author) = embed.get("author").filter(|a| a.is_object()) {
        let name = chars(author.get("name"));
        if name > MAX_AUTHOR {
            form.push(too_long(format!("{path}.author.name"), MAX_AUTHOR));
        }
        total += name;
    }
    total
}

fn check_custom_id(
    component: &Value,
    path: &str,
    seen: &mut HashSet<String>,
    form: &mut Vec<FormProblem>,
) {
    match component.get("custom_id").and_then(Value::as_str) {
        None => form.push(required(format!("{path}.custom_id"))),
        Some(id) => {
            let len = id.chars().count();
            if !(1..=MAX_CUSTOM_ID).contains(&len) {
                form.push(bad_length(format!("{path}.custom_id"), 1, MAX_CUSTOM_ID));
            }
            if !seen.insert(id.to_string()) {
                form.push(FormProblem::new(
                    format!("{path}.custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                ));
            }
        }
    }
}

fn check_button(
    button: &Value,
    path: &str,
    seen: &mut HashSet<String>,
    form: &mut Vec<FormProblem>,
) {
    let style = button.get("style").and_then(Value::as_u64).unwrap_or(0);
    match style {
        1..=4 => check_custom_id(button, path, seen, form),
        5 => {
            if button.get("url").and_then(Value::as_str).is_none() {
                form.push(required(format!("{path}.url")));
            }
        }
        6 => {}
        _ => form.push(FormProblem::new(
            format!("{path}.style"),
            "BASE_TYPE_CHOICES",
            "Value must be one of {1, 2, 3, 4, 5, 6}.",
        )),
    }
    let label = chars(button.get("label"));
    if label > MAX_BUTTON_LABEL {
        form.push(too_long(format!("{path}.label"), MAX_BUTTON_LABEL));
    }
    let has_emoji = button.get("emoji").is_some_and(|e| !e.is_null());
    if style != 6 && label == 0 && !has_emoji {
        form.push(FormProblem::new(
            format!("{path}.label"),
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A button must have a label or an emoji",
        ));
    }
}

fn check_components(components: &[Value], v2: bool, form: &mut Vec<FormProblem>) {
    let mut seen = HashSet::new();
    if v2 {
        // Components V2 layouts: only check custom ids wherever they appear.
        fn walk(
            value: &Value,
            path: &str,
            seen: &mut HashSet<String>,
            form: &mut Vec<FormProblem>,
        ) {
            if let Some(list) = value.get("components").and_then(Value::as_array) {
                for (i, child) in list.iter().enumerate() {
                    walk(child, &format!("{path}.components.{i}"), seen, form);
                }
            }
            if value.get("custom_id").is_some() {
                check_custom_id(value, path, seen, form);
            }
        }
        for (i, component) in components.iter().enumerate() {
            walk(component, &format!("components.{i}"), &mut seen, form);
        }
        return;
    }
    if components.len() > MAX_ACTION_ROWS {
        form.push(too_long("components".into(), MAX_ACTION_ROWS));
    }
    for (i, row) in components.iter().enumerate() {
        let path = format!("components.{i}");
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            form.push(FormProblem::new(
                format!("{path}.type"),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (1,).",
            ));
            continue;
        }
        let children = row
            .get("components")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if children.is_empty() {
            form.push(FormProblem::new(
                format!("{path}.components"),
                "BASE_TYPE_MIN_LENGTH",
                "Must be 1 or more in length.",
            ));
        }
        if children.len() > MAX_ROW_COMPONENTS {
            form.push(too_long(format!("{path}.components"), MAX_ROW_COMPONENTS));
        }
        for (j, child) in children.iter().enumerate() {
            let child_path = format!("{path}.components.{j}");
            match child.get("type").and_then(Value::as_u64) {
                Some(2) => check_button(child, &child_path, &mut seen, form),
                Some(3 | 5..=8) => {
                    check_custom_id(child, &child_path, &mut seen, form);
                    if children.len() > 1 {
                        form.push(FormProblem::new(
                            format!("{path}.components"),
                            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                            "The specified component exceeds the maximum width",
                        ));
                    }
                }
                _ => form.push(FormProblem::new(
                    format!("{child_path}.type"),
                    "UNION_TYPE_CHOICES",
                    "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).",
                )),
            }
        }
    }
}

fn valid_command_name(name: &str) -> bool {
    let len = name.chars().count();
    (1..=32).contains(&len)
        && name
            .chars()
            .all(|c| (c.is_alphanumeric() || matches!(c, '-' | '_' | '\'')) && !c.is_uppercase())
}

fn check_command_options(options: &[Value], path: &str, form: &mut Vec<FormProblem>) -> usize {
    let mut size = 0;
    if options.len() > 25 {
        form.push(too_long(path.to_string(), 25));
    }
    let mut seen_optional = false;
    let mut names = HashSet::new();
    for (i, option) in options.iter().enumerate() {
        let opath = format!("{path}.{i}");
        let name = option.get("name").and_then(Value::as_str).unwrap_or("");
        if !valid_command_name(name) {
            form.push(FormProblem::new(
                format!("{opath}.name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Command name is invalid: {name:?}"),
            ));
        }
        if !names.insert(name.to_string()) {
            form.push(FormProblem::new(
                format!("{opath}.name"),
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                "Option names must be unique",
            ));
        }
        let description = chars(option.get("description"));
        if !(1..=100).contains(&description) {
            form.push(bad_length(format!("{opath}.description"), 1, 100));
        }
        size += name.chars().count() + description;
        let kind = option.get("type").and_then(Value::as_u64).unwrap_or(0);
        if !(1..=11).contains(&kind) {
            form.push(FormProblem::new(
                format!("{opath}.type"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
            ));
        }
        let is_required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if kind >= 3 {
            if is_required && seen_optional {
                form.push(FormProblem::new(
                    format!("{opath}.required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                ));
            }
            if !is_required {
                seen_optional = true;
            }
        }
        if let Some(choices) = option.get("choices").and_then(Value::as_array) {
            if choices.len() > 25 {
                form.push(too_long(format!("{opath}.choices"), 25));
            }
            for (c, choice) in choices.iter().enumerate() {
                let cname = chars(choice.get("name"));
                if !(1..=100).contains(&cname) {
                    form.push(bad_length(format!("{opath}.choices.{c}.name"), 1, 100));
                }
                size += cname + chars(choice.get("value"));
            }
        }
        for key in ["min_length", "max_length"] {
            if let Some(n) = option.get(key).and_then(Value::as_u64)
                && n > 6000
            {
                form.push(FormProblem::new(
                    format!("{opath}.{key}"),
                    "NUMBER_TYPE_MAX",
                    "int value should be less than or equal to 6000.",
                ));
            }
        }
        if let Some(sub) = option.get("options").and_then(Value::as_array) {
            size += check_command_options(sub, &format!("{opath}.options"), form);
        }
    }
    size
}

/// Check a bulk-overwrite body (`PUT .../commands`): an array of commands.
pub fn check_commands(body: &Value) -> Vec<FormProblem> {
    let mut form = Vec::new();
    let Some(commands) = body.as_array() else {
        form.push(FormProblem::new(
            "_root",
            "BASE_TYPE_ARRAY",
            "Must be an array.",
        ));
        return form;
    };
    let chat_input = commands
        .iter()
        .filter(|c| c.get("type").and_then(Value::as_u64).unwrap_or(1) == 1)
        .count();
    if chat_input > 100 {
        form.push(too_long("_root".into(), 100));
    }
    let mut names = HashSet::new();
    for (i, command) in commands.iter().enumerate() {
        let kind = command.get("type").and_then(Value::as_u64).unwrap_or(1);
        let name = command.get("name").and_then(Value::as_str).unwrap_or("");
        if kind == 1 && !valid_command_name(name) {
            form.push(FormProblem::new(
                format!("{i}.name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Command name is invalid: {name:?}"),
            ));
        } else if !(1..=32).contains(&name.chars().count()) {
            form.push(bad_length(format!("{i}.name"), 1, 32));
        }
        if !names.insert((kind, name.to_string())) {
            form.push(FormProblem::new(
                format!("{i}.name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                format!("Application command names must be unique: {name:?}"),
            ));
        }
        let description = chars(command.get("description"));
        if kind == 1 && !(1..=100).contains(&description) {
            form.push(bad_length(format!("{i}.description"), 1, 100));
        }
        if kind != 1 && description > 0 {
            form.push(FormProblem::new(
                format!("{i}.description"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 0 or fewer in length.",
            ));
        }
        let mut size = name.chars().count() + description;
        if let Some(options) = command.get("options").and_then(Value::as_array) {
            size += check_command_options(options, &format!("{i}.options"), &mut form);
        }
        if size > 4000 {
            form.push(FormProblem::new(
                format!("{i}"),
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (4000)",
            ));
        }
    }
    form
}

/// Discord's nested `errors` tree for a list of problems; `prefix` is put in
/// front of every path (e.g. `data` for interaction callbacks).
pub fn errors_tree(prefix: &str, problems: &[FormProblem]) -> Value {
    let mut root = Map::new();
    for problem in problems {
        let full = if prefix.is_empty() {
            problem.path.clone()
        } else {
            format!("{prefix}.{}", problem.path)
        };
        let mut node = &mut root;
        for key in full.split('.') {
            let entry = node.entry(key.to_string()).or_insert_with(|| json!({}));
            node = entry.as_object_mut().expect("error tree nodes are objects");
        }
        let list = node.entry("_errors").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(json!({ "code": problem.code, "message": problem.message }));
        }
    }
    Value::Object(root)
}

/// One line per problem, for violation messages.
pub fn describe(problems: &[FormProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {} ({})", p.path, p.message, p.code))
        .collect::<Vec<_>>()
        .join("; ")
}
