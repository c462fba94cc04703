//! The corpus fingerprint: every document file's path, size and content hash.
//!
//! The index stores the fingerprint it was built from; when the corpus on disk
//! no longer matches, the index is rebuilt. To keep start-up fast, a file whose
//! size and modification time are unchanged keeps its stored hash (as git does);
//! any other file is read and hashed again.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::corpus::Entry;

/// One corpus file as it was when fingerprinted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePrint {
    pub path: String,
    pub size: u64,
    pub mtime_ns: u64,
    /// xxh3 of the file's bytes; 0 when the file could not be read.
    pub hash: u64,
}

/// Hashes file contents.
pub fn hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// Fingerprints `entries`, reusing hashes from `previous` for files whose size
/// and modification time did not change.
pub fn current(entries: &[Entry], previous: &[FilePrint]) -> Vec<FilePrint> {
    entries
        .iter()
        .map(|e| {
            let mtime_ns = u64::try_from(e.mtime_ns).unwrap_or(u64::MAX);
            let known = previous
                .binary_search_by(|p| p.path.as_str().cmp(&e.path))
                .ok()
                .map(|i| &previous[i])
                .filter(|p| p.size == e.size && p.mtime_ns == mtime_ns && mtime_ns != 0);
            let hash = match known {
                Some(p) => p.hash,
                None => std::fs::read(&e.full).map_or(0, |b| hash(&b)),
            };
            FilePrint {
                path: e.path.clone(),
                size: e.size,
                mtime_ns,
                hash,
            }
        })
        .collect()
}

/// True when two fingerprints describe the same contents (times are ignored).
pub fn same_contents(a: &[FilePrint], b: &[FilePrint]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.path == y.path && x.size == y.size && x.hash == y.hash)
}

/// A short identifier of the whole corpus state, for records such as pins.
pub fn id(prints: &[FilePrint]) -> String {
    let mut buf = Vec::new();
    for p in prints {
        buf.extend_from_slice(p.path.as_bytes());
        buf.push(0);
        buf.extend_from_slice(&p.size.to_le_bytes());
        buf.extend_from_slice(&p.hash.to_le_bytes());
    }
    format!("{:016x}", xxh3_64(&buf))
}
