//! Safe replacement of an index folder when several processes share it:
//! one lock file beside the folder, so that one process builds or updates
//! while the others wait and then reuse its work; clean-up of the building
//! folders that killed builds leave behind; and a check that `--index` names
//! a folder, so that a user's file is never moved aside.
//!
//! Boundary: file-system locking and naming only; what is built is
//! `build`'s business. Readers take no lock: an index is always swapped in
//! whole by renames, and a reader that sees a half-swapped or changing
//! folder fails its checks and comes back here to wait.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Held while a process builds, updates or replaces the index; released on drop.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
}

/// The folder the index folder sits in.
pub fn parent(index_dir: &Path) -> PathBuf {
    match index_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The index folder's own name, used to name its lock and building folders.
pub fn name(index_dir: &Path) -> String {
    index_dir
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned())
}

/// Fails with one clear line when `index_dir` exists and is not a folder.
pub fn check_target(index_dir: &Path) -> anyhow::Result<()> {
    match std::fs::metadata(index_dir) {
        Ok(m) if !m.is_dir() => anyhow::bail!(
            "index path {} is not a folder: pass --index DIR with a folder (new or used only by verbatim)",
            index_dir.display()
        ),
        _ => Ok(()),
    }
}

/// Waits until this process may build the index at `index_dir`.
pub fn acquire(index_dir: &Path) -> anyhow::Result<BuildLock> {
    let parent = parent(index_dir);
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("creating index folder {}", parent.display()))?;
    let path = parent.join(format!(".{}.lock", name(index_dir)));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the index lock {}", path.display()))?;
    file.lock()
        .with_context(|| format!("locking {}", path.display()))?;
    Ok(BuildLock { _file: file })
}

/// The lock, when no other process holds it now.
pub fn try_acquire(index_dir: &Path) -> Option<BuildLock> {
    let path = parent(index_dir).join(format!(".{}.lock", name(index_dir)));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .ok()?;
    file.try_lock().ok()?;
    Some(BuildLock { _file: file })
}

/// Where this process builds a fresh index before swapping it in.
pub fn building_dir(index_dir: &Path) -> PathBuf {
    parent(index_dir).join(format!(
        ".{}.building-{}",
        name(index_dir),
        std::process::id()
    ))
}

/// Where the replaced index is moved before it is deleted.
pub fn old_dir(index_dir: &Path) -> PathBuf {
    parent(index_dir).join(format!(".{}.old-{}", name(index_dir), std::process::id()))
}

/// Removes the building and replaced folders that earlier processes left
/// behind (a build that was killed). Only called with the lock held: no
/// other process is building then, so every such folder is abandoned.
pub fn remove_stale(index_dir: &Path, _held: &BuildLock) {
    let parent = parent(index_dir);
    let building = format!(".{}.building-", name(index_dir));
    let old = format!(".{}.old-", name(index_dir));
    let Ok(items) = std::fs::read_dir(&parent) else {
        return;
    };
    for item in items.flatten() {
        let file_name = item.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&building) || file_name.starts_with(&old) {
            match std::fs::remove_dir_all(item.path()) {
                Ok(()) => {
                    tracing::info!(folder = %item.path().display(), "removed a folder left by an interrupted build")
                }
                Err(e) => {
                    tracing::warn!(folder = %item.path().display(), error = %e, "cannot remove a folder left by an interrupted build")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_not_an_index_folder() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "mine").unwrap();
        let e = check_target(&notes).unwrap_err().to_string();
        assert!(e.contains("not a folder"), "{e}");
        check_target(dir.path()).unwrap();
        check_target(&dir.path().join("new")).unwrap();
    }

    #[test]
    fn stale_building_folders_go_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        for d in [
            ".index.building-999999",
            ".index.old-5",
            ".other.building-1",
            "index",
        ] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        let held = acquire(&index).unwrap();
        remove_stale(&index, &held);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".index.lock", ".other.building-1", "index"]);
    }
}
