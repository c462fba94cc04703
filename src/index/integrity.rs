//! Integrity of a built index: a checksum of every file in the index folder
//! (tantivy's segment files and `meta.json`, the sentence vectors), taken
//! when the index is written and checked when it is opened, and the index's
//! own record stored with a checksum of itself.
//!
//! tantivy trusts its files: some damaged bytes make it panic or return
//! wrong text rather than fail. Checking every byte on open (xxh3 runs at
//! memory speed, a few milliseconds for a large corpus's index) means a
//! damaged index is known before tantivy reads it. Boundary: bytes and
//! checksums only; the caller decides what damage leads to (a rebuild).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use xxhash_rust::xxh3::Xxh3;

use super::{IndexMeta, META_FILE};

/// Why an index cannot be trusted.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Damage(pub String);

/// The checksum of every file of the index in `dir`, by file name: all
/// regular files except the record itself, temporary files and tantivy's
/// lock files (which only ever hold nothing).
pub fn sums(dir: &Path) -> std::io::Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let lock = name.starts_with(".tantivy-") && name.ends_with(".lock");
        if name == META_FILE || name.contains(".tmp") || lock || !entry.file_type()?.is_file() {
            continue;
        }
        out.insert(name, file_sum(&entry.path())?);
    }
    Ok(out)
}

/// Checks that every file recorded in `expected` is in `dir` with the same
/// bytes. Files not in the record are no concern of the index.
pub fn verify(dir: &Path, expected: &BTreeMap<String, u64>) -> Result<(), Damage> {
    if expected.is_empty() {
        return Err(Damage("the record lists no index files".into()));
    }
    for (name, &sum) in expected {
        match file_sum(&dir.join(name)) {
            Ok(found) if found == sum => {}
            Ok(_) => return Err(Damage(format!("{name} has changed since it was written"))),
            Err(e) => return Err(Damage(format!("{name}: {e}"))),
        }
    }
    Ok(())
}

fn file_sum(path: &Path) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Xxh3::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buf[..n]);
    }
}

/// The record as stored: `{"xxh3": "<checksum of meta>", "meta": {…}}`,
/// where the checksum covers the exact bytes of the `meta` value.
#[derive(Deserialize)]
struct Envelope<'a> {
    xxh3: String,
    #[serde(borrow)]
    meta: &'a RawValue,
}

/// The bytes to store for `meta`.
pub fn seal(meta: &IndexMeta) -> serde_json::Result<Vec<u8>> {
    let body = serde_json::to_string(meta)?;
    let sum = xxhash_rust::xxh3::xxh3_64(body.as_bytes());
    Ok(format!("{{\"xxh3\":\"{sum:016x}\",\"meta\":{body}}}").into_bytes())
}

/// The record from stored bytes, when they are whole.
pub fn open_seal(bytes: &[u8]) -> Result<IndexMeta, Damage> {
    let envelope: Envelope =
        serde_json::from_slice(bytes).map_err(|e| Damage(format!("{META_FILE}: {e}")))?;
    let body = envelope.meta.get();
    let sum = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes()));
    if sum != envelope.xxh3 {
        return Err(Damage(format!(
            "{META_FILE} has changed since it was written"
        )));
    }
    serde_json::from_str(body).map_err(|e| Damage(format!("{META_FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> IndexMeta {
        IndexMeta {
            format: super::super::FORMAT,
            fingerprint: Vec::new(),
            docs: Vec::new(),
            skipped: Vec::new(),
            sentences: 3,
            vectors: 3,
            files: [("a.store".to_string(), 7)].into(),
        }
    }

    #[test]
    fn a_sealed_record_opens_and_any_changed_byte_is_damage() {
        let bytes = seal(&meta()).unwrap();
        assert_eq!(open_seal(&bytes).unwrap().sentences, 3);
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x01;
            assert!(open_seal(&damaged).is_err(), "flip at {i} not seen");
        }
        assert!(open_seal(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn verify_names_the_changed_or_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.store"), b"abc").unwrap();
        std::fs::write(dir.path().join(".tantivy-writer.lock"), b"").unwrap();
        std::fs::write(dir.path().join(META_FILE), b"{}").unwrap();
        let expected = sums(dir.path()).unwrap();
        assert_eq!(expected.keys().collect::<Vec<_>>(), ["a.store"]);
        verify(dir.path(), &expected).unwrap();
        std::fs::write(dir.path().join("a.store"), b"abd").unwrap();
        let e = verify(dir.path(), &expected).unwrap_err();
        assert!(e.0.contains("a.store"), "{e}");
        std::fs::remove_file(dir.path().join("a.store")).unwrap();
        assert!(verify(dir.path(), &expected).is_err());
        assert!(verify(dir.path(), &BTreeMap::new()).is_err());
    }
}
