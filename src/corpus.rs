//! Reads a corpus folder into [`Document`]s: the original text of each file,
//! where its body starts, and the metadata from its optional YAML front matter.
//!
//! Boundary: this module knows files, UTF-8 and front matter, nothing about
//! sentences or indexes. It never fails because of one bad file: such a file is
//! reported as a [`Skipped`] entry with the reason, and the rest still load.
//! The only error is a corpus folder that cannot be listed at all.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file extensions read as documents.
pub const EXTENSIONS: &[&str] = &["md", "txt"];

/// Metadata of one document, from front matter or from its first line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    /// The language figures are read in ("en", "es"): from front matter, else
    /// detected from the body; absent when neither says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// One corpus file, with its bytes exactly as stored on disk.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the corpus folder, with `/` separators.
    pub path: String,
    /// The whole file, unchanged: byte offsets everywhere refer to this text.
    pub text: String,
    /// Byte offset where the body starts (after the front matter, if any).
    pub body_start: usize,
    pub meta: Meta,
    /// What was wrong with the file but did not stop it from loading (a
    /// front-matter field of the wrong type), each naming the problem.
    pub warnings: Vec<String>,
}

/// A file that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}: {}", self.path, self.reason)
    }
}

/// A corpus file found on disk, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the corpus folder, with `/` separators.
    pub path: String,
    pub full: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: u128,
}

/// The corpus folder could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(
        "corpus folder {0} does not exist: create it and put .md or .txt documents in it, or pass --corpus DIR"
    )]
    Missing(PathBuf),
    #[error(
        "corpus path {0} is not a folder: pass --corpus DIR with a folder of .md or .txt documents"
    )]
    NotAFolder(PathBuf),
    #[error("cannot list corpus folder {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Lists the document files under `root`, recursively, sorted by path.
/// Hidden files and folders (starting with `.`) are ignored; subfolders that
/// cannot be listed are reported as skipped.
///
/// Symbolic links are followed, but every folder is read at most once and
/// every file listed at most once (by canonical path): the real folders are
/// walked first, so a file keeps its own path rather than a link's, and a
/// link to a folder or file already read is reported as skipped (a link to
/// a folder that contains it is a loop).
pub fn list(root: &Path) -> Result<(Vec<Entry>, Vec<Skipped>), CorpusError> {
    match fs::metadata(root) {
        Err(_) => return Err(CorpusError::Missing(root.to_path_buf())),
        Ok(m) if !m.is_dir() => return Err(CorpusError::NotAFolder(root.to_path_buf())),
        Ok(_) => {}
    }
    let unreadable = |source| CorpusError::Unreadable {
        path: root.to_path_buf(),
        source,
    };
    let canonical = fs::canonicalize(root).map_err(unreadable)?;
    let mut walk = Walk::default();
    walk.folders.insert(canonical.clone());
    walk.folder(root, &canonical, "").map_err(unreadable)?;
    // Links last, so that what they lead to is known by its own path first.
    while !walk.links.is_empty() {
        for (full, rel) in std::mem::take(&mut walk.links) {
            walk.link(&full, rel);
        }
    }
    let Walk {
        mut entries,
        skipped,
        ..
    } = walk;
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((entries, skipped))
}

/// What a corpus walk has found so far.
#[derive(Default)]
struct Walk {
    entries: Vec<Entry>,
    skipped: Vec<Skipped>,
    /// Canonical paths of the folders read and of the files listed.
    folders: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
    /// Symbolic links met, to follow once the real folders are walked.
    links: Vec<(PathBuf, String)>,
}

impl Walk {
    /// Lists the folder `dir` (whose canonical path is `canonical`); links
    /// in it are put aside for later.
    fn folder(&mut self, dir: &Path, canonical: &Path, prefix: &str) -> std::io::Result<()> {
        let mut items = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        items.sort_by_key(|item| item.file_name());
        for item in items {
            let name = item.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let full = item.path();
            match item.file_type() {
                Ok(t) if t.is_symlink() => self.links.push((full, rel)),
                Ok(t) if t.is_dir() => {
                    let canonical = canonical.join(&name);
                    if self.folders.insert(canonical.clone()) {
                        self.subfolder(&full, canonical, rel);
                    } else {
                        self.skip(
                            rel,
                            "folder already read through a link: not read twice".into(),
                        );
                    }
                }
                Ok(_) => self.file(full, canonical.join(&name), rel),
                Err(e) => self.skip(rel, format!("cannot read: {e}")),
            }
        }
        Ok(())
    }

    fn subfolder(&mut self, full: &Path, canonical: PathBuf, rel: String) {
        if let Err(e) = self.folder(full, &canonical, &format!("{rel}/")) {
            self.skip(rel, format!("cannot list folder: {e}"));
        }
    }

    /// Follows a symbolic link, unless it leads where the walk has been.
    fn link(&mut self, full: &Path, rel: String) {
        let target = match fs::canonicalize(full) {
            Ok(t) => t,
            Err(e) => return self.skip(rel, format!("broken link: {e}")),
        };
        if target.is_dir() {
            if self.folders.insert(target.clone()) {
                self.subfolder(full, target, rel);
            } else if full
                .parent()
                .and_then(|p| fs::canonicalize(p).ok())
                .is_some_and(|p| p.starts_with(&target))
            {
                tracing::warn!(link = %rel, "link loop: the link leads to a folder that contains it; not followed");
                self.skip(
                    rel,
                    "link to a folder that contains it (a loop): not followed".into(),
                );
            } else {
                self.skip(rel, "link to a folder already read: not followed".into());
            }
        } else {
            self.file(full.to_path_buf(), target, rel);
        }
    }

    /// Lists a document file, once per canonical path.
    fn file(&mut self, full: PathBuf, canonical: PathBuf, rel: String) {
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if !has_document_extension(name) {
            return;
        }
        let meta = match fs::metadata(&full) {
            Ok(m) => m,
            Err(e) => return self.skip(rel, format!("cannot read: {e}")),
        };
        if !self.files.insert(canonical) {
            return self.skip(rel, "link to a file already read: not read twice".into());
        }
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        self.entries.push(Entry {
            path: rel,
            full,
            size: meta.len(),
            mtime_ns,
        });
    }

    fn skip(&mut self, path: String, reason: String) {
        self.skipped.push(Skipped { path, reason });
    }
}

fn has_document_extension(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Reads one listed file into a [`Document`], or says why it cannot be used.
pub fn read(entry: &Entry) -> Result<Document, Skipped> {
    let skip = |reason: String| Skipped {
        path: entry.path.clone(),
        reason,
    };
    let bytes = fs::read(&entry.full).map_err(|e| skip(format!("cannot read: {e}")))?;
    parse(&entry.path, bytes).map_err(skip)
}

/// Turns the bytes of a file into a [`Document`]; the error is the reason to skip it.
pub fn parse(path: &str, bytes: Vec<u8>) -> Result<Document, String> {
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}); convert it to UTF-8",
            e.utf8_error().valid_up_to()
        )
    })?;
    let (front, body_start) = split_front_matter(&text);
    let (mut meta, warnings) = match front {
        Some(yaml) => parse_front_matter(yaml).map_err(|e| format!("bad front matter: {e}"))?,
        None => (Meta::default(), Vec::new()),
    };
    let body = &text[body_start..];
    if body.trim().is_empty() {
        return Err("empty document".into());
    }
    if meta.title.trim().is_empty() {
        meta.title = first_line_title(body).unwrap_or_else(|| path.to_string());
    }
    meta.lang = match meta.lang.take() {
        Some(code) => match crate::figures::Lang::from_code(&code) {
            Some(lang) => Some(lang.code().to_string()),
            None => {
                tracing::warn!(
                    file = path,
                    lang = code,
                    "front matter lang is not one verbatim reads figures in (en, es); detecting it"
                );
                detect_lang(body)
            }
        },
        None => detect_lang(body),
    };
    Ok(Document {
        path: path.to_string(),
        text,
        body_start,
        meta,
        warnings,
    })
}

/// Finds a front matter block (`---` lines at the very start, after a byte
/// order mark if any) and returns its YAML text and the byte offset where
/// the body begins (after the byte order mark when there is no block).
fn split_front_matter(text: &str) -> (Option<&str>, usize) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("---\n")
        .or_else(|| rest.strip_prefix("---\r\n"))
    else {
        return (None, start);
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (Some(&text[yaml_start..offset]), offset + line.len());
        }
        offset += line.len();
    }
    (None, start)
}

/// The metadata in a front matter block, and a warning for each field of
/// the wrong type (it is ignored). A number or a yes/no is read as text
/// (`title: 1984`, `date: 2025`), except for a link, which never is one.
fn parse_front_matter(yaml: &str) -> Result<(Meta, Vec<String>), String> {
    use serde_yaml_ng::Value;
    if yaml.trim().is_empty() {
        return Ok((Meta::default(), Vec::new()));
    }
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
    let mut warnings = Vec::new();
    let mut field = |key: &str| -> Option<String> {
        let v = value.get(key)?;
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) if key != "url" => n.to_string(),
            Value::Bool(b) if key != "url" => b.to_string(),
            Value::Null => return None,
            _ => {
                warnings.push(format!(
                    "front matter field `{key}` is not text ({}): ignored",
                    yaml_kind(v)
                ));
                return None;
            }
        };
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    let meta = Meta {
        title: field("title").unwrap_or_default(),
        publisher: field("publisher"),
        author: field("author"),
        url: field("url"),
        date: field("date"),
        lang: field("lang"),
    };
    Ok((meta, warnings))
}

fn yaml_kind(v: &serde_yaml_ng::Value) -> &'static str {
    use serde_yaml_ng::Value;
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a yes/no",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The language of a document's body, from its first few kilobytes.
fn detect_lang(body: &str) -> Option<String> {
    /// Enough text for a trigram profile; detection stays cheap on big files.
    const SAMPLE_BYTES: usize = 1024;
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    crate::figures::Lang::detect(&body[..end]).map(|l| l.code().to_string())
}

/// The first line of text, without a byte order mark or Markdown heading
/// marks: lines of markup alone are passed over, a heading's over- or
/// underline ("=====") and reStructuredText's explicit markup (".. _label:",
/// ".. SPDX-License-Identifier: …").
fn first_line_title(body: &str) -> Option<String> {
    body.lines()
        .map(|l| {
            l.trim_start_matches('\u{feff}')
                .trim()
                .trim_start_matches('#')
                .trim()
        })
        .find(|l| l.chars().any(char::is_alphanumeric) && !l.starts_with(".. "))
        .map(|l| l.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, String> {
        parse("t.md", text.as_bytes().to_vec())
    }

    #[test]
    fn front_matter_is_parsed_and_body_offset_is_exact() {
        let text = "---\ntitle: \"A T\"\npublisher: P\ndate: 2025-11-29\n---\nBody line.\n";
        let d = doc(text).unwrap();
        assert_eq!(d.meta.title, "A T");
        assert_eq!(d.meta.publisher.as_deref(), Some("P"));
        assert_eq!(d.meta.date.as_deref(), Some("2025-11-29"));
        assert_eq!(&d.text[d.body_start..], "Body line.\n");
    }

    #[test]
    fn title_falls_back_to_first_line() {
        let d = doc("\n# Heading here\nText.").unwrap();
        assert_eq!(d.meta.title, "Heading here");
        assert_eq!(d.body_start, 0);
        let d = doc("---\npublisher: X\n---\nFirst line\nMore.").unwrap();
        assert_eq!(d.meta.title, "First line");
        // reStructuredText: a label, an overline, the title, its underline.
        let d =
            doc(".. _codingstyle:\n\n=========\nLinux kernel coding style\n=========\n").unwrap();
        assert_eq!(d.meta.title, "Linux kernel coding style");
    }

    #[test]
    fn crlf_front_matter() {
        let d = doc("---\r\ntitle: T\r\n---\r\nBody.\r\n").unwrap();
        assert_eq!(d.meta.title, "T");
        assert_eq!(&d.text[d.body_start..], "Body.\r\n");
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let d = doc("---\ntitle: T\nno end").unwrap();
        assert_eq!(d.body_start, 0);
    }

    #[test]
    fn a_front_matter_field_of_the_wrong_type_is_ignored_with_a_warning() {
        // Issue 10: these loaded without a word.
        let d = doc("---\ntitle: [1, 2]\nurl: 42\npublisher: {a: b}\ndate: 2025\n---\nBody.\n")
            .unwrap();
        assert_eq!(
            d.meta.title, "Body.",
            "the title falls back to the first line"
        );
        assert_eq!(d.meta.url, None);
        assert_eq!(d.meta.publisher, None);
        assert_eq!(d.meta.date.as_deref(), Some("2025"));
        assert_eq!(d.warnings.len(), 3, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("`title`") && d.warnings[0].contains("a list"));
        assert!(d.warnings[1].contains("`publisher`"));
        assert!(d.warnings[2].contains("`url`") && d.warnings[2].contains("a number"));
        assert!(
            doc("---\ntitle: 1984\n---\nBody.")
                .unwrap()
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_title() {
        // Issue 10: the BOM stayed in titles.
        let d = doc("\u{feff}# Heading\nText.").unwrap();
        assert_eq!(d.meta.title, "Heading");
        assert_eq!(d.body_start, 3, "the body starts after the mark");
        let d = doc("\u{feff}---\ntitle: T\n---\nText.").unwrap();
        assert_eq!(d.meta.title, "T");
        assert_eq!(&d.text[d.body_start..], "Text.");
    }

    #[test]
    fn bad_files_are_rejected_with_reasons() {
        assert!(
            parse("b", vec![0x66, 0x00, 0x67])
                .unwrap_err()
                .contains("binary")
        );
        assert!(
            parse("u", vec![0x66, 0xff, 0xfe])
                .unwrap_err()
                .contains("UTF-8")
        );
        assert!(doc("   \n\n").unwrap_err().contains("empty"));
        assert!(doc("---\ntitle: T\n---\n\n").unwrap_err().contains("empty"));
        assert!(
            doc("---\ntitle: [unclosed\n---\nBody.")
                .unwrap_err()
                .contains("front matter")
        );
    }
}
