//! Reads a corpus folder into [`Document`]s: the original text of each file,
//! where its body starts, and the metadata from its optional YAML front matter.
//!
//! Boundary: this module knows files, UTF-8 and front matter, nothing about
//! sentences or indexes. It never fails because of one bad file: such a file is
//! reported as a [`Skipped`] entry with the reason, and the rest still load.
//! The only error is a corpus folder that cannot be listed at all.

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
pub fn list(root: &Path) -> Result<(Vec<Entry>, Vec<Skipped>), CorpusError> {
    match fs::metadata(root) {
        Err(_) => return Err(CorpusError::Missing(root.to_path_buf())),
        Ok(m) if !m.is_dir() => return Err(CorpusError::NotAFolder(root.to_path_buf())),
        Ok(_) => {}
    }
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    if let Err(source) = walk(root, "", &mut entries, &mut skipped) {
        return Err(CorpusError::Unreadable {
            path: root.to_path_buf(),
            source,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((entries, skipped))
}

fn walk(
    dir: &Path,
    prefix: &str,
    entries: &mut Vec<Entry>,
    skipped: &mut Vec<Skipped>,
) -> std::io::Result<()> {
    for item in fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let full = item.path();
        let meta = match fs::metadata(&full) {
            Ok(m) => m,
            Err(e) => {
                skipped.push(Skipped {
                    path: rel,
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            if let Err(e) = walk(&full, &format!("{rel}/"), entries, skipped) {
                skipped.push(Skipped {
                    path: rel,
                    reason: format!("cannot list folder: {e}"),
                });
            }
        } else if has_document_extension(&name) {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            entries.push(Entry {
                path: rel,
                full,
                size: meta.len(),
                mtime_ns,
            });
        }
    }
    Ok(())
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
    let mut meta = match front {
        Some(yaml) => parse_front_matter(yaml).map_err(|e| format!("bad front matter: {e}"))?,
        None => Meta::default(),
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
    })
}

/// Finds a front matter block (`---` lines at the very start) and returns its
/// YAML text and the byte offset where the body begins.
fn split_front_matter(text: &str) -> (Option<&str>, usize) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("---\n")
        .or_else(|| rest.strip_prefix("---\r\n"))
    else {
        return (None, 0);
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (Some(&text[yaml_start..offset]), offset + line.len());
        }
        offset += line.len();
    }
    (None, 0)
}

fn parse_front_matter(yaml: &str) -> Result<Meta, String> {
    if yaml.trim().is_empty() {
        return Ok(Meta::default());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
    let field = |key: &str| -> Option<String> {
        let v = value.get(key)?;
        let s = match v {
            serde_yaml_ng::Value::String(s) => s.clone(),
            serde_yaml_ng::Value::Number(n) => n.to_string(),
            serde_yaml_ng::Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    Ok(Meta {
        title: field("title").unwrap_or_default(),
        publisher: field("publisher"),
        author: field("author"),
        url: field("url"),
        date: field("date"),
        lang: field("lang"),
    })
}

/// The language of a document's body, from its first few kilobytes.
fn detect_lang(body: &str) -> Option<String> {
    /// Enough text for a trigram profile; detection stays cheap on big files.
    const SAMPLE_BYTES: usize = 2 * 1024;
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    crate::figures::Lang::detect(&body[..end]).map(|l| l.code().to_string())
}

/// The first non-empty line, without Markdown heading marks.
fn first_line_title(body: &str) -> Option<String> {
    body.lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
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
