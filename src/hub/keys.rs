//! The publisher's ed25519 key pair. The secret key stays in one file (mode 0600) on the
//! publisher's machine; the public key, 64 hexadecimal digits, is what kiosks pin.

use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::Error;

/// The publisher's secret key.
pub struct SecretKey(SigningKey);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret itself, even in a log.
        write!(f, "SecretKey({})", self.public())
    }
}

/// A publisher's public key, as kiosks pin it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl SecretKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<SecretKey, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Key(e.to_string()))?;
        Ok(SecretKey(SigningKey::from_bytes(&bytes)))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    pub fn sign(&self, message: &[u8]) -> String {
        hex(&self.0.sign(message).to_bytes())
    }

    /// Writes the key to a new file readable by its owner only; an existing file is never
    /// overwritten (it may be the only copy of a key kiosks pinned).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        let text = format!(
            "# clé secrète d'éditeur cartable (publique : {})\n{}\n",
            self.public(),
            hex(&self.0.to_bytes())
        );
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(path, e))
    }

    pub fn load(path: &Path) -> Result<SecretKey, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with('#'))
            .unwrap_or_default();
        let bytes = unhex::<32>(line).ok_or_else(|| {
            Error::Key(format!("{} ne contient pas de clé secrète", path.display()))
        })?;
        Ok(SecretKey(SigningKey::from_bytes(&bytes)))
    }
}

impl PublicKey {
    pub fn parse(text: &str) -> Result<PublicKey, Error> {
        let bytes = unhex::<32>(text.trim()).ok_or_else(|| {
            Error::Key(format!(
                "« {text} » n'est pas une clé publique (64 chiffres hexadécimaux)"
            ))
        })?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| Error::Key(format!("« {text} » n'est pas une clé publique ed25519")))
    }

    /// Whether `signature` (hexadecimal) is this key's over `message`. Strict verification:
    /// no malleable or small-order signatures.
    pub fn verifies(&self, message: &[u8], signature: &str) -> bool {
        let Some(bytes) = unhex::<64>(signature) else {
            return false;
        };
        self.0
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex(self.0.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; N];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_with_its_key_only_and_for_its_message_only() {
        let (a, b) = (
            SecretKey::generate().unwrap(),
            SecretKey::generate().unwrap(),
        );
        let signature = a.sign(b"catalogue");
        assert!(a.public().verifies(b"catalogue", &signature));
        assert!(!b.public().verifies(b"catalogue", &signature));
        assert!(!a.public().verifies(b"catalogue!", &signature));
        assert!(!a.public().verifies(b"catalogue", "zz"));
    }

    #[test]
    fn keys_round_trip_through_their_file_and_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub/publisher.key");
        let key = SecretKey::generate().unwrap();
        key.save(&path).unwrap();
        assert!(
            key.save(&path).is_err(),
            "an existing key is never overwritten"
        );
        let loaded = SecretKey::load(&path).unwrap();
        assert_eq!(loaded.public(), key.public());
        assert_eq!(
            PublicKey::parse(&key.public().to_string()).unwrap(),
            key.public()
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(PublicKey::parse("abc").is_err());
    }
}
