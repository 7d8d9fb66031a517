//! The published catalog: the entries of the published documents, signed by the publisher.
//! On the hub it is one object, an envelope holding the catalog's JSON text and its signature
//! over exactly that text, so what is verified is what is read.

use serde::{Deserialize, Serialize};

use super::{Error, PublicKey, SecretKey};

/// The published documents at one moment. `serial` only grows from one publication to the
/// next: a kiosk refuses an older catalog replayed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub serial: u64,
    /// When it was published, RFC 3339.
    pub published: String,
    pub documents: Vec<Entry>,
}

/// One published document: its file (by content) and what the publisher said about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The publisher's document id, kept on kiosks when free so links agree everywhere.
    pub id: String,
    pub sha256: String,
    pub bytes: u64,
    pub file_name: String,
    pub title: String,
    pub levels: Vec<String>,
    pub class: Option<String>,
    pub subject: Option<String>,
    pub author: Option<String>,
    pub source: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub visibility: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    /// The signer's public key, for the message when it is not the pinned one.
    key: String,
    signature: String,
    /// The snapshot's JSON text, signed as these bytes.
    catalog: String,
}

impl Snapshot {
    /// The envelope to upload: the catalog's text and its signature.
    pub fn seal(&self, key: &SecretKey) -> Vec<u8> {
        let catalog = serde_json::to_string(self).expect("a snapshot serializes");
        let envelope = Envelope {
            key: key.public().to_string(),
            signature: key.sign(catalog.as_bytes()),
            catalog,
        };
        serde_json::to_vec(&envelope).expect("an envelope serializes")
    }

    /// Reads an envelope, verifying its signature against `pinned` before reading anything in
    /// the catalog, and checking that every entry's hash can name a file.
    pub fn open(bytes: &[u8], pinned: &PublicKey) -> Result<Snapshot, Error> {
        let envelope: Envelope =
            serde_json::from_slice(bytes).map_err(|e| Error::Unreadable(e.to_string()))?;
        if !pinned.verifies(envelope.catalog.as_bytes(), &envelope.signature) {
            return Err(Error::BadSignature {
                pinned: pinned.to_string(),
            });
        }
        let snapshot: Snapshot = serde_json::from_str(&envelope.catalog)
            .map_err(|e| Error::Unreadable(e.to_string()))?;
        if let Some(bad) = snapshot.documents.iter().find(|e| !is_sha256(&e.sha256)) {
            return Err(Error::Unreadable(format!(
                "empreinte invalide « {} »",
                bad.sha256
            )));
        }
        Ok(snapshot)
    }
}

/// 64 lowercase hexadecimal digits: the only names the hub's objects and local files get.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        Snapshot {
            serial: 7,
            published: "2026-12-01T12:00:00Z".into(),
            documents: vec![Entry {
                id: "abcdefgh".into(),
                sha256: "a".repeat(64),
                bytes: 12,
                file_name: "Cours.pdf".into(),
                title: "Cours".into(),
                levels: vec!["2nde".into()],
                class: None,
                subject: Some("Mathématiques".into()),
                author: None,
                source: "cned".into(),
                due: None,
                visibility: "public".into(),
            }],
        }
    }

    #[test]
    fn a_sealed_snapshot_opens_with_its_key_only() {
        let (key, other) = (
            SecretKey::generate().unwrap(),
            SecretKey::generate().unwrap(),
        );
        let sealed = snapshot().seal(&key);
        assert_eq!(Snapshot::open(&sealed, &key.public()).unwrap(), snapshot());
        assert!(matches!(
            Snapshot::open(&sealed, &other.public()),
            Err(Error::BadSignature { .. })
        ));
    }

    #[test]
    fn a_catalog_changed_after_signing_is_refused() {
        let key = SecretKey::generate().unwrap();
        let sealed = String::from_utf8(snapshot().seal(&key)).unwrap();
        let changed = sealed.replace("Cours.pdf", "Virus.exe");
        assert!(matches!(
            Snapshot::open(changed.as_bytes(), &key.public()),
            Err(Error::BadSignature { .. })
        ));
    }

    #[test]
    fn a_signed_entry_whose_hash_could_climb_out_of_a_folder_is_refused() {
        let key = SecretKey::generate().unwrap();
        let mut bad = snapshot();
        bad.documents[0].sha256 = "../../etc/passwd".into();
        assert!(matches!(
            Snapshot::open(&bad.seal(&key), &key.public()),
            Err(Error::Unreadable(_))
        ));
    }
}
