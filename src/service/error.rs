//! The one error the service speaks: what went wrong in terms a person (or the web layer mapping
//! it to a status code) can act on. Adapter details stay in the log.

use crate::{extract, index, store};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("document introuvable")]
    NotFound,
    /// Who you are is unknown or wrong (not logged in, failed login, bad token).
    #[error("{0}")]
    Unauthorized(String),
    /// Who you are is known, and not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("le fichier dépasse la taille maximale ({} Mo)", limit / (1024 * 1024))]
    TooLarge { limit: u64 },
    #[error("{0}")]
    UnsupportedType(String),
    #[error("{0}")]
    Conflict(String),
    /// Too much is being done at once; the same request later will work.
    #[error("{0}")]
    Busy(String),
    /// The data folder's disk is full, or an upload would take the reserve kept for the rest.
    #[error("{0}")]
    NoRoom(super::NoRoom),
    #[error("erreur interne du serveur")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// An I/O error of the service's own (a temp file, a cache): a full disk is said so, the
    /// rest is internal.
    pub(super) fn io(error: std::io::Error) -> Error {
        if store::is_full(&error) {
            Error::NoRoom(super::NoRoom::Full)
        } else {
            Error::Internal(Box::new(error))
        }
    }
}

impl From<store::Error> for Error {
    fn from(error: store::Error) -> Error {
        match error {
            store::Error::TooLarge { limit } => Error::TooLarge { limit },
            store::Error::NoRoom { free, reserve } => {
                Error::NoRoom(super::NoRoom::Reserve { free, reserve })
            }
            full if full.is_disk_full() => Error::NoRoom(super::NoRoom::Full),
            store::Error::Duplicate { existing } => {
                Error::Conflict(format!("ce fichier existe déjà (document {existing})"))
            }
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<index::Error> for Error {
    fn from(error: index::Error) -> Error {
        match error {
            index::Error::InvalidQuery(message) => Error::InvalidInput(message),
            full if full.is_disk_full() => Error::NoRoom(super::NoRoom::Full),
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<extract::Error> for Error {
    fn from(error: extract::Error) -> Error {
        match error {
            extract::Error::Empty | extract::Error::Unrecognised => {
                Error::UnsupportedType(error.to_string())
            }
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Error {
        Error::Internal(Box::new(error))
    }
}
