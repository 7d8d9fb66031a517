//! The hub's bucket through `object_store`'s S3 client, behind blocking calls (the adapters are
//! synchronous; a small runtime of its own drives the requests). Credentials and the endpoint
//! come from the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_REGION`, `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`), never from the command line.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::{Address, Error};

/// The catalog's object name under the prefix.
const CATALOG: &str = "catalog.signed";

pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    address: Address,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bucket({})", self.address)
    }
}

/// The hub's catalog, as a conditional request found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Catalog {
    /// Nothing published at this address.
    Absent,
    /// The same as the ETag given.
    Unchanged,
    Sealed {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
}

/// What fetching one object did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes received now.
    pub bytes: u64,
    /// Bytes kept from an interrupted earlier attempt.
    pub resumed: u64,
}

/// Holds downloads to a rate (`--max-rate`): a school link is shared with the classes.
#[derive(Debug)]
pub struct Pace {
    bytes_per_second: Option<u64>,
    started: Instant,
    bytes: u64,
}

impl Pace {
    pub fn new(bytes_per_second: Option<u64>) -> Pace {
        Pace {
            bytes_per_second: bytes_per_second.filter(|&rate| rate > 0),
            started: Instant::now(),
            bytes: 0,
        }
    }

    /// How long to wait after `bytes` more so the average stays under the rate.
    fn after(&mut self, bytes: u64) -> Duration {
        self.bytes += bytes;
        let Some(rate) = self.bytes_per_second else {
            return Duration::ZERO;
        };
        let due = Duration::from_secs_f64(self.bytes as f64 / rate as f64);
        due.saturating_sub(self.started.elapsed())
    }
}

impl Bucket {
    /// The bucket of `address`, configured from the `AWS_*` environment.
    pub fn open(address: &Address) -> Result<Bucket, Error> {
        // rustls without a bundled provider (no aws-lc in a static musl build): ring's. Another
        // call having installed it first is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let setup = |message: String| Error::Setup {
            address: address.to_string(),
            message,
        };
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(&address.bucket)
            .build()
            .map_err(|e| setup(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| setup(e.to_string()))?;
        Ok(Bucket {
            store: Arc::new(store),
            address: address.clone(),
            runtime,
        })
    }

    pub fn address(&self) -> &Address {
        &self.address
    }

    fn path(&self, name: &str) -> ObjectPath {
        if self.address.prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{}/{name}", self.address.prefix))
        }
    }

    fn failed(&self, source: object_store::Error) -> Error {
        Error::Store {
            address: self.address.to_string(),
            source,
        }
    }

    /// The hashes of the files already on the hub.
    pub fn objects(&self) -> Result<HashSet<String>, Error> {
        let prefix = self.path("objects");
        let listed: Vec<_> = self
            .runtime
            .block_on(self.store.list(Some(&prefix)).try_collect())
            .map_err(|e| self.failed(e))?;
        Ok(listed
            .into_iter()
            .filter_map(|meta| meta.location.filename().map(str::to_owned))
            .collect())
    }

    /// Uploads a stored file as `objects/SHA256`, streamed (large files go in parts).
    pub fn put_file(&self, sha256: &str, file: &Path) -> Result<(), Error> {
        let location = self.path(&format!("objects/{sha256}"));
        self.runtime.block_on(async {
            let mut source = tokio::fs::File::open(file)
                .await
                .map_err(|e| Error::io(file, e))?;
            let mut writer =
                object_store::buffered::BufWriter::new(Arc::clone(&self.store), location);
            let copied = tokio::io::copy(&mut source, &mut writer).await;
            match copied {
                Ok(_) => writer.shutdown().await.map_err(|e| Error::io(file, e)),
                Err(error) => {
                    let _ = writer.abort().await;
                    Err(Error::io(file, error))
                }
            }
        })
    }

    /// Writes `bytes` as the object `name` under the prefix, in one request.
    pub fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let location = self.path(name);
        self.runtime
            .block_on(self.store.put(&location, PutPayload::from(bytes)))
            .map(|_| ())
            .map_err(|e| self.failed(e))
    }

    /// Replaces the signed catalog (one PUT: readers see the old one or the new one).
    pub fn put_catalog(&self, sealed: Vec<u8>) -> Result<(), Error> {
        self.put(CATALOG, sealed)
    }

    /// The signed catalog, or `None` when nothing was published here yet.
    pub fn catalog(&self) -> Result<Option<Vec<u8>>, Error> {
        match self.catalog_unless(None)? {
            Catalog::Sealed { bytes, .. } => Ok(Some(bytes)),
            Catalog::Absent | Catalog::Unchanged => Ok(None),
        }
    }

    /// The signed catalog, unless its ETag is still `seen` (a conditional request: 300 kiosks
    /// asking every hour cost the hub a few hundred bytes each when nothing changed).
    pub fn catalog_unless(&self, seen: Option<&str>) -> Result<Catalog, Error> {
        let location = self.path(CATALOG);
        let options = GetOptions {
            if_none_match: seen.map(str::to_owned),
            ..GetOptions::default()
        };
        let result = self.runtime.block_on(async {
            let got = self.store.get_opts(&location, options).await?;
            let etag = got.meta.e_tag.clone();
            Ok::<_, object_store::Error>((got.bytes().await?, etag))
        });
        match result {
            Ok((bytes, etag)) => Ok(Catalog::Sealed {
                bytes: bytes.to_vec(),
                etag,
            }),
            Err(object_store::Error::NotFound { .. }) => Ok(Catalog::Absent),
            Err(object_store::Error::NotModified { .. }) => Ok(Catalog::Unchanged),
            Err(error) => Err(self.failed(error)),
        }
    }

    /// Fetches `objects/SHA256` into `folder/SHA256`, verified: the bytes go to
    /// `folder/SHA256.part` as they arrive, so an interrupted download resumes where it stopped
    /// (a ranged request); the whole file is then hashed, and renamed only if it is the content
    /// its name says. A file that is not is deleted and reported as tampered.
    pub fn download(
        &self,
        sha256: &str,
        bytes: u64,
        folder: &Path,
        pace: &mut Pace,
    ) -> Result<Downloaded, Error> {
        let done = folder.join(sha256);
        if done.is_file() {
            return Ok(Downloaded::default());
        }
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        let part = folder.join(format!("{sha256}.part"));
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&part)
            .map_err(|e| Error::io(&part, e))?;
        let resumed = file.metadata().map_err(|e| Error::io(&part, e))?.len();
        let mut received = 0u64;
        if resumed < bytes {
            let location = self.path(&format!("objects/{sha256}"));
            let options = GetOptions {
                range: (resumed > 0).then_some(GetRange::Offset(resumed)),
                ..GetOptions::default()
            };
            self.runtime
                .block_on(async {
                    let got = self.store.get_opts(&location, options).await?;
                    let mut stream = got.into_stream();
                    while let Some(chunk) = stream.try_next().await? {
                        // More than announced is not the published file: stop reading it.
                        let room = (bytes - resumed).saturating_sub(received);
                        let keep = &chunk[..chunk.len().min(room as usize + 1)];
                        file.write_all(keep)
                            .map_err(|e| object_store::Error::Generic {
                                store: "local",
                                source: Box::new(e),
                            })?;
                        received += keep.len() as u64;
                        if received > bytes - resumed {
                            break;
                        }
                        tokio::time::sleep(pace.after(keep.len() as u64)).await;
                    }
                    Ok(())
                })
                .map_err(|e| self.failed(e))?;
        }
        file.sync_all().map_err(|e| Error::io(&part, e))?;
        drop(file);
        let found = hash_file(&part)?;
        if found != sha256 {
            let _ = std::fs::remove_file(&part);
            return Err(Error::Tampered {
                sha256: sha256.to_owned(),
                expected: bytes,
                found,
            });
        }
        std::fs::rename(&part, &done).map_err(|e| Error::io(&done, e))?;
        Ok(Downloaded {
            bytes: received,
            resumed,
        })
    }
}

fn hash_file(path: &Path) -> Result<String, Error> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_holds_the_average_rate() {
        let mut pace = Pace::new(Some(1_000_000));
        let wait = pace.after(2_000_000);
        assert!(wait > Duration::from_millis(1900), "{wait:?}");
        assert_eq!(Pace::new(None).after(u64::MAX / 2), Duration::ZERO);
    }
}
