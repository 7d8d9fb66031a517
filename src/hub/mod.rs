//! The hub: an S3-compatible object store (Garage, MinIO, a host's S3) that a publisher fills
//! with documents and kiosks copy from. It holds content-addressed files under `objects/` and one
//! signed catalog, `catalog.signed`, written last in one PUT so a kiosk never reads a catalog
//! naming files that are not there yet. Only this module talks to the object store and signs.

mod bucket;
mod keys;
mod snapshot;

pub use bucket::{Bucket, Catalog, Downloaded, Pace};
pub use keys::{PublicKey, SecretKey};
pub use snapshot::{Entry, Snapshot};

/// What went wrong with the hub, said for the person running the command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("adresse de hub invalide « {0} » (attendu : s3://SEAU/PRÉFIXE)")]
    Address(String),
    #[error("hub {address} : {source}")]
    Store {
        address: String,
        source: object_store::Error,
    },
    #[error("hub {address} : {message}")]
    Setup { address: String, message: String },
    #[error("{path} : {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("clé invalide : {0}")]
    Key(String),
    #[error("signature du catalogue invalide : il n'a pas été signé par la clé épinglée {pinned}")]
    BadSignature { pinned: String },
    #[error("catalogue du hub illisible : {0}")]
    Unreadable(String),
    #[error(
        "objet altéré sur le hub : {sha256} (attendu {expected} octets de ce contenu, reçu un contenu d'empreinte {found})"
    )]
    Tampered {
        sha256: String,
        expected: u64,
        found: String,
    },
}

impl Error {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// `s3://BUCKET/PREFIX`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub bucket: String,
    /// Without leading or trailing slashes; may be empty.
    pub prefix: String,
}

impl Address {
    pub fn parse(text: &str) -> Result<Address, Error> {
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| Error::Address(text.to_owned()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        let bucket_ok = !bucket.is_empty()
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        let prefix_ok = prefix
            .split('/')
            .all(|part| prefix.is_empty() || (!part.is_empty() && part != "." && part != ".."));
        if !bucket_ok || !prefix_ok {
            return Err(Error::Address(text.to_owned()));
        }
        Ok(Address {
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.prefix.is_empty() {
            write!(f, "s3://{}", self.bucket)
        } else {
            write!(f, "s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_with_or_without_a_prefix() {
        let address = Address::parse("s3://academie-hub/cned/2026/").unwrap();
        assert_eq!(address.bucket, "academie-hub");
        assert_eq!(address.prefix, "cned/2026");
        assert_eq!(address.to_string(), "s3://academie-hub/cned/2026");
        assert_eq!(Address::parse("s3://hub").unwrap().prefix, "");
    }

    #[test]
    fn addresses_that_are_not_s3_or_climb_out_are_refused() {
        for text in [
            "http://hub/x",
            "s3://",
            "s3://Hub/x",
            "s3://hub/../x",
            "s3://hub/a//b",
        ] {
            assert!(Address::parse(text).is_err(), "{text}");
        }
    }
}
