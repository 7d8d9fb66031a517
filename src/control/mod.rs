//! Shell commands beside `cartable serve`. The server owns the data folder (one writer: the index
//! writer, `tmp/`), so a command run while it serves hands its work to it over `DATA/control.sock`
//! (owner only). The protocol is line-delimited JSON: one [`Request`] line, then [`Reply`] lines,
//! progress first, exactly one final answer last. [`execute`] is what both sides run: the CLI calls
//! it directly when it owns the folder, the server when a request arrives, so the output and the
//! exit code of a command do not depend on where it ran.

mod server;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{
    DocumentId, Level, Login, Metadata, Role, Source, Subject, TextStatus, Visibility,
};
use crate::service::{CheckReport, Core, Error, ImportOutcome, ImportReport, Synced};

pub use server::{listen, Control};

/// The socket's name in the data folder.
pub const SOCKET: &str = "control.sock";

/// Where the server of `data_dir` listens.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// What a command asks for. Import paths are absolute: the server reads them itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Request {
    Import {
        paths: Vec<PathBuf>,
        #[serde(default)]
        options: ImportOptions,
    },
    Reindex,
    Check {
        repair: bool,
    },
    Account(AccountChange),
    /// `cartable remove ID...`: the same removal as the web's.
    Remove {
        ids: Vec<String>,
    },
    /// What the server is doing; only a running server answers it.
    Status,
    /// `cartable sync`'s second half: apply a hub's catalog, verified again, whose files the
    /// command downloaded into the data folder (see `service::Core::apply_hub`).
    ApplyHub {
        hub: String,
        envelope: PathBuf,
        key: Option<String>,
    },
}

/// `cartable import`'s options, as typed: both sides turn them into metadata the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    pub levels: Vec<String>,
    pub subject: Option<String>,
    pub class: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub visibility: Option<String>,
}

impl ImportOptions {
    /// The metadata every imported document gets; what is not given is inferred per file.
    pub fn metadata(&self) -> Metadata {
        Metadata {
            levels: self.levels.iter().filter_map(|l| Level::parse(l)).collect(),
            subject: self.subject.as_deref().and_then(Subject::parse),
            class: self.class.clone(),
            author: self.author.clone(),
            source: self.source.as_deref().and_then(Source::from_name),
            visibility: self.visibility.as_deref().and_then(Visibility::from_name),
            ..Metadata::default()
        }
    }
}

/// `cartable user ...` changes. The password travels in the request, never in argv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AccountChange {
    Add {
        login: String,
        role: String,
        password: String,
    },
    Token {
        login: String,
        #[serde(default)]
        label: Option<String>,
    },
    /// Revokes one API token, by its public id.
    RevokeToken {
        id: String,
    },
    Password {
        login: String,
        password: String,
    },
    Disabled {
        login: String,
        disabled: bool,
    },
}

/// One line the server sends back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// An import's progress: files done out of the total, the one just done.
    Progress {
        done: usize,
        total: usize,
        current: String,
    },
    Imported(ImportSummary),
    Reindexed {
        documents: usize,
    },
    Checked(CheckReport),
    AccountAdded {
        login: String,
        role: String,
    },
    Token {
        token: String,
        #[serde(default)]
        id: String,
    },
    Done,
    /// What `Remove` did: the documents removed (id, title), and the ids no document has.
    Removed {
        removed: Vec<(String, String)>,
        unknown: Vec<String>,
    },
    Status(Status),
    Synced(Synced),
    /// The command failed; `message` is what the direct command would have printed.
    Failed {
        message: String,
    },
}

/// What an import tells the person: counts and, by source path, what was refused or has no text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub added: usize,
    pub duplicates: usize,
    pub refused: Vec<(String, String)>,
    pub without_text: Vec<(String, String)>,
}

impl From<&ImportReport> for ImportSummary {
    fn from(report: &ImportReport) -> ImportSummary {
        let without_text = report
            .outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                ImportOutcome::Added { source, document }
                    if document.text_status != TextStatus::Ok =>
                {
                    let reason = document.text_reason.as_deref().unwrap_or("pas de texte");
                    Some((source.clone(), reason.to_owned()))
                }
                _ => None,
            })
            .collect();
        ImportSummary {
            added: report.added().count(),
            duplicates: report.duplicates(),
            refused: report
                .refused()
                .map(|(source, reason)| (source.to_owned(), reason.to_owned()))
                .collect(),
            without_text,
        }
    }
}

/// What the running server is doing (`cartable status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub version: String,
    pub uptime_seconds: u64,
    pub documents: usize,
    /// HTTP requests being answered right now (phones and browsers connected).
    pub requests_in_flight: i64,
    /// Long jobs of the web (uploads, zips, USB copies) running now.
    pub web_jobs: usize,
    /// Commands from the shell running now.
    pub commands: Vec<RunningCommand>,
    /// Where phones reach the server (`http://192.168.1.10:8080/`): what a pack exported from
    /// the shell prints on its cover. None when it listens on this machine only.
    #[serde(default)]
    pub site: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningCommand {
    pub command: String,
    pub seconds: u64,
    /// "12/40" for an import.
    pub progress: Option<String>,
}

/// Where [`execute`] runs: some repairs must spare the web's work in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beside {
    /// The command owns the data folder: nothing else is using it.
    Nothing,
    /// Inside the server, beside its web requests.
    Web,
}

/// Runs `request` on `core` (blocking), reporting import progress to `progress`.
pub fn execute(
    core: &Core,
    request: &Request,
    beside: Beside,
    progress: &(dyn Fn(Reply) + Sync),
) -> Result<Reply, Error> {
    match request {
        Request::Import { paths, options } => {
            // The server's working folder is not the person's: a relative path would name
            // another file than they meant.
            if beside == Beside::Web && paths.iter().any(|path| path.is_relative()) {
                return Err(Error::InvalidInput(
                    "le serveur n'accepte que des chemins absolus".to_owned(),
                ));
            }
            let report = core.import(paths, &options.metadata(), &|outcome, done, total| {
                progress(Reply::Progress {
                    done,
                    total,
                    current: outcome.source().to_owned(),
                })
            })?;
            Ok(Reply::Imported(ImportSummary::from(&report)))
        }
        Request::Reindex => Ok(Reply::Reindexed {
            documents: core.reindex()?,
        }),
        Request::Check { repair } => Ok(Reply::Checked(match beside {
            Beside::Nothing => core.check(*repair)?,
            Beside::Web => core.check_while_serving(*repair)?,
        })),
        Request::Account(change) => change_account(core, change),
        Request::Remove { ids } => remove(core, ids),
        Request::ApplyHub { hub, envelope, key } => Ok(Reply::Synced(core.apply_hub(
            hub,
            envelope,
            key.as_deref(),
        )?)),
        Request::Status => Err(Error::InvalidInput(
            "seul un serveur en marche dit ce qu'il fait".to_owned(),
        )),
    }
}

/// Removes each document named, as the web's delete does; an id no document has is reported,
/// not an error, so the others are still removed.
fn remove(core: &Core, ids: &[String]) -> Result<Reply, Error> {
    let (mut removed, mut unknown) = (Vec::new(), Vec::new());
    for text in ids {
        let Some(id) = DocumentId::parse(text.trim()) else {
            unknown.push(text.clone());
            continue;
        };
        match core.remove(&id) {
            Ok(document) => removed.push((document.id.to_string(), document.title)),
            Err(Error::NotFound) => unknown.push(text.clone()),
            Err(error) => return Err(error),
        }
    }
    Ok(Reply::Removed { removed, unknown })
}

fn change_account(core: &Core, change: &AccountChange) -> Result<Reply, Error> {
    let accounts = core.accounts();
    let login = |text: &str| {
        Login::parse(text)
            .ok_or_else(|| Error::InvalidInput(format!("identifiant invalide : {text}")))
    };
    match change {
        AccountChange::Add {
            login,
            role,
            password,
        } => {
            let role = Role::from_name(role)
                .ok_or_else(|| Error::InvalidInput(format!("rôle inconnu : {role}")))?;
            let account = accounts.add(login, role, password)?;
            Ok(Reply::AccountAdded {
                login: account.login.to_string(),
                role: account.role.name().to_owned(),
            })
        }
        AccountChange::Token { login, label } => {
            let new = accounts.new_api_token(login, label.as_deref())?;
            Ok(Reply::Token {
                token: new.token,
                id: new.id,
            })
        }
        AccountChange::RevokeToken { id } => {
            accounts.revoke_token(id, None)?;
            Ok(Reply::Done)
        }
        AccountChange::Password {
            login: text,
            password,
        } => {
            accounts.reset_password(&login(text)?, password)?;
            Ok(Reply::Done)
        }
        AccountChange::Disabled {
            login: text,
            disabled,
        } => {
            accounts.set_disabled(&login(text)?, *disabled)?;
            Ok(Reply::Done)
        }
    }
}

/// An error with its causes, as the direct command prints it (`{:#}`).
pub fn describe(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_are_one_json_line_each() {
        let request = Request::Account(AccountChange::Add {
            login: "m.dupont".into(),
            role: "teacher".into(),
            password: "deux\nlignes".into(),
        });
        let line = serde_json::to_string(&request).unwrap();
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(serde_json::from_str::<Request>(&line).unwrap(), request);
        let reply = Reply::Progress {
            done: 1,
            total: 2,
            current: "/media/clé/Cours.pdf".into(),
        };
        let line = serde_json::to_string(&reply).unwrap();
        assert!(line.starts_with("{\"reply\":\"progress\""), "{line}");
        assert_eq!(serde_json::from_str::<Reply>(&line).unwrap(), reply);
    }

    #[test]
    fn import_options_become_the_same_metadata_on_both_sides() {
        let options = ImportOptions {
            levels: vec!["seconde".into()],
            subject: Some("maths".into()),
            visibility: Some("staff".into()),
            ..ImportOptions::default()
        };
        let metadata = options.metadata();
        let levels: Vec<&str> = metadata.levels.iter().map(Level::as_str).collect();
        assert_eq!(levels, ["2nde"]);
        assert_eq!(metadata.subject.unwrap().as_str(), "Mathématiques");
        assert_eq!(metadata.visibility, Some(Visibility::Staff));
    }
}
