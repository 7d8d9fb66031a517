//! Content-addressed files: `files/ab/abcdef…` named by their SHA-256, written once, never
//! modified. New content is streamed to `tmp/` while hashing, flushed, then renamed into place,
//! so a file under `files/` is always complete.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Error;

#[derive(Debug)]
pub struct Blobs {
    files: PathBuf,
    tmp: PathBuf,
}

/// A file received in `tmp/`, hashed and flushed, not yet part of the store. Dropping it removes
/// the temporary file.
#[derive(Debug)]
pub struct StagedFile {
    temp: tempfile::TempPath,
    pub sha256: String,
    pub bytes: u64,
}

impl StagedFile {
    pub fn path(&self) -> &Path {
        &self.temp
    }
}

impl Blobs {
    pub fn open(files: &Path, tmp: &Path) -> Result<Blobs, Error> {
        std::fs::create_dir_all(files).map_err(|e| Error::io(files, e))?;
        std::fs::create_dir_all(tmp).map_err(|e| Error::io(tmp, e))?;
        Ok(Blobs {
            files: files.to_owned(),
            tmp: tmp.to_owned(),
        })
    }

    /// The temp folder, on the same file system as the files so renames are atomic.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Streams `reader` into a temporary file while hashing it. Refuses more than `max_bytes`,
    /// and stops (nothing kept) when the disk's free space falls under `reserve`: checked
    /// before the first byte and every few megabytes, so an upload may eat at most
    /// `ROOM_CHECK_BYTES` into the reserve.
    pub fn stage(
        &self,
        reader: impl Read,
        max_bytes: u64,
        reserve: u64,
    ) -> Result<StagedFile, Error> {
        self.room(reserve)?;
        let temp = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(&self.tmp)
            .map_err(|e| Error::io(&self.tmp, e))?;
        let (file, temp) = temp.into_parts();
        let path = temp.to_path_buf();
        let mut writer = BufWriter::with_capacity(256 * 1024, file);
        let mut hasher = Sha256::new();
        let mut limited = reader.take(max_bytes + 1);
        let mut buffer = vec![0u8; 256 * 1024];
        let mut bytes = 0u64;
        loop {
            let read = match limited.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(&path, e)),
            };
            bytes += read as u64;
            if bytes > max_bytes {
                return Err(Error::TooLarge { limit: max_bytes });
            }
            if bytes / ROOM_CHECK_BYTES != (bytes - read as u64) / ROOM_CHECK_BYTES {
                self.room(reserve)?;
            }
            hasher.update(&buffer[..read]);
            writer
                .write_all(&buffer[..read])
                .map_err(|e| Error::io(&path, e))?;
        }
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        Ok(StagedFile {
            temp,
            sha256: hex(&hasher.finalize()),
            bytes,
        })
    }

    /// Refuses when the temp folder's disk has less than `reserve` bytes free.
    fn room(&self, reserve: u64) -> Result<(), Error> {
        if reserve == 0 {
            return Ok(());
        }
        let free = super::free_bytes(&self.tmp)?;
        if free < reserve {
            return Err(Error::NoRoom { free, reserve });
        }
        Ok(())
    }

    /// Moves a staged file into the store under its hash. If that content is already stored the
    /// staged copy is simply dropped: files are immutable, so the existing one is identical.
    pub fn keep(&self, staged: StagedFile) -> Result<PathBuf, Error> {
        let target = self.path(&staged.sha256);
        if target.exists() {
            return Ok(target);
        }
        let folder = target.parent().expect("blob paths have a folder");
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        staged
            .temp
            .persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        // The rename is durable only once the folder that holds the new name is flushed.
        File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(folder, e))?;
        Ok(target)
    }

    /// Where the file with this hash is (or would be).
    pub fn path(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("00");
        self.files.join(prefix).join(sha256)
    }

    pub fn remove(&self, sha256: &str) -> Result<(), Error> {
        let path = self.path(sha256);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// How long ago the file with this hash was stored (`None` if unknown or absent).
    pub fn age(&self, sha256: &str) -> Option<std::time::Duration> {
        let modified = std::fs::metadata(self.path(sha256)).ok()?.modified().ok()?;
        modified.elapsed().ok()
    }

    /// Hashes of every stored file, for `check`.
    pub fn list(&self) -> Result<Vec<String>, Error> {
        let mut hashes = Vec::new();
        for prefix in std::fs::read_dir(&self.files).map_err(|e| Error::io(&self.files, e))? {
            let prefix = prefix.map_err(|e| Error::io(&self.files, e))?.path();
            if !prefix.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&prefix).map_err(|e| Error::io(&prefix, e))? {
                let entry = entry.map_err(|e| Error::io(&prefix, e))?;
                if let Some(name) = entry.file_name().to_str() {
                    hashes.push(name.to_owned());
                }
            }
        }
        Ok(hashes)
    }

    /// Hashes a stored file again, to verify it was not altered on disk.
    pub fn rehash(&self, sha256: &str) -> Result<String, Error> {
        let path = self.path(sha256);
        let mut file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&path, e))?;
        Ok(hex(&hasher.finalize()))
    }

    /// Bytes of the stored file with this hash (0 if absent).
    pub fn size(&self, sha256: &str) -> u64 {
        std::fs::metadata(self.path(sha256)).map_or(0, |m| m.len())
    }

    /// Leftovers of interrupted uploads in `tmp/`, removed at start-up. Returns how many were
    /// removed and their bytes.
    pub fn clear_tmp(&self) -> Result<(usize, u64), Error> {
        let (mut removed, mut bytes) = (0, 0);
        for entry in std::fs::read_dir(&self.tmp).map_err(|e| Error::io(&self.tmp, e))? {
            let path = entry.map_err(|e| Error::io(&self.tmp, e))?.path();
            let size = std::fs::symlink_metadata(&path).map_or(0, |m| m.len());
            let result = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            if result.is_ok() {
                removed += 1;
                bytes += size;
            }
        }
        Ok((removed, bytes))
    }
}

/// How often a file being received checks the disk's free space against the reserve.
const ROOM_CHECK_BYTES: u64 = 4 * 1024 * 1024;

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_are_hashed_and_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(&dir.path().join("files"), &dir.path().join("tmp")).unwrap();
        let staged = blobs.stage(&b"abc"[..], 100, 0).unwrap();
        assert_eq!(
            staged.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(staged.bytes, 3);
        let kept = blobs.keep(staged).unwrap();
        assert_eq!(std::fs::read(&kept).unwrap(), b"abc");
        let again = blobs
            .keep(blobs.stage(&b"abc"[..], 100, 0).unwrap())
            .unwrap();
        assert_eq!(kept, again);
        assert_eq!(blobs.list().unwrap().len(), 1);
        assert_eq!(
            std::fs::read_dir(blobs.tmp_dir()).unwrap().count(),
            0,
            "temp copies are removed"
        );
    }

    #[test]
    fn too_large_input_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(&dir.path().join("files"), &dir.path().join("tmp")).unwrap();
        let error = blobs.stage(&[0u8; 101][..], 100, 0).unwrap_err();
        assert!(matches!(error, Error::TooLarge { limit: 100 }));
        assert_eq!(std::fs::read_dir(blobs.tmp_dir()).unwrap().count(), 0);
        assert!(blobs.list().unwrap().is_empty());
    }

    #[test]
    fn a_reserve_larger_than_the_free_space_refuses_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(&dir.path().join("files"), &dir.path().join("tmp")).unwrap();
        let error = blobs.stage(&b"abc"[..], 100, u64::MAX).unwrap_err();
        assert!(
            matches!(
                error,
                Error::NoRoom {
                    reserve: u64::MAX,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(std::fs::read_dir(blobs.tmp_dir()).unwrap().count(), 0);
    }
}
