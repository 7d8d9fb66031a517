//! Running `cartable backup` and `cartable restore` on the real binary, and reading a backup.

use std::path::Path;

use super::run::{cartable, Run};

/// `cartable --data DATA backup --to TO`, which must succeed.
pub fn backup(data: &Path, to: &Path) -> Run {
    let run = cartable(data, &["backup", "--to", to.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// `cartable --data DATA restore FROM`, as it went.
pub fn restore(from: &Path, data: &Path) -> Run {
    cartable(data, &["restore", from.to_str().unwrap()])
}

/// The SHA-256 of `bytes`, as files are named.
pub fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// Files a backup folder holds.
pub fn blob_count(backup: &Path) -> usize {
    super::files_under(&backup.join("files")).len()
}
