//! `cartable user ...`: staff accounts from the shell. Passwords come from a hidden prompt, or
//! the first line of stdin when it is not a terminal; never from flags or the environment. While
//! the server runs, it makes the change: the password goes over its owner-only socket.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};

use crate::control::{AccountChange, Reply, Request};
use crate::model::{iso_date, ApiToken, Login, Role};
use crate::service::Core;

use super::remote;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add {
        login: String,
        #[arg(long, value_parser = ["admin", "teacher"], default_value = "teacher")]
        role: String,
    },
    Token {
        login: String,
        #[arg(long)]
        label: Option<String>,
    },
    Tokens {
        login: Option<String>,
    },
    RevokeToken {
        id: String,
    },
    Password {
        login: String,
    },
    Disable {
        login: String,
    },
    Enable {
        login: String,
    },
    List,
}

pub fn run(core: &Core, command: Command) -> anyhow::Result<i32> {
    let change = match command {
        Command::Add { login, role } => {
            Role::from_name(&role).context("unknown role")?;
            let password = read_password(&login)?;
            AccountChange::Add {
                login,
                role,
                password,
            }
        }
        Command::Token { login, label } => AccountChange::Token { login, label },
        Command::RevokeToken { id } => AccountChange::RevokeToken { id },
        Command::Tokens { login } => {
            let login = login
                .map(|text| Login::parse(&text).context("invalid login"))
                .transpose()?;
            print_tokens(&core.accounts().tokens(login.as_ref())?);
            return Ok(0);
        }
        Command::Password { login } => {
            Login::parse(&login).context("invalid login")?;
            let password = read_password(&login)?;
            AccountChange::Password { login, password }
        }
        Command::Disable { login } => AccountChange::Disabled {
            login,
            disabled: true,
        },
        Command::Enable { login } => AccountChange::Disabled {
            login,
            disabled: false,
        },
        Command::List => {
            // Reading needs no server's help, even while one runs.
            for account in core.accounts().list()? {
                let state = if account.disabled {
                    " (désactivé)"
                } else {
                    ""
                };
                println!("{}\t{}{state}", account.login, account.role.name());
            }
            return Ok(0);
        }
    };
    let reply = remote::run(core, &Request::Account(change.clone()), &|_| {})?;
    match (change, reply) {
        (AccountChange::Add { .. }, Reply::AccountAdded { login, role }) => {
            let role = Role::from_name(&role).map_or(role.clone(), |r| r.label().to_owned());
            eprintln!("Compte « {login} » créé ({role}).");
        }
        (AccountChange::Token { login, .. }, Reply::Token { token, id }) => {
            println!("{token}");
            eprintln!(
                "Jeton {id} créé pour « {login} » : utilisez « Authorization: Bearer <jeton> »."
            );
        }
        (AccountChange::RevokeToken { id }, Reply::Done) => {
            eprintln!("Jeton {id} révoqué.");
        }
        (AccountChange::Password { login, .. }, Reply::Done) => {
            eprintln!("Mot de passe de « {login} » changé.");
        }
        (AccountChange::Disabled { login, disabled }, Reply::Done) => {
            if disabled {
                eprintln!("Compte « {login} » désactivé.");
            } else {
                eprintln!("Compte « {login} » réactivé.");
            }
        }
        (_, other) => return Err(remote::unexpected(other)),
    }
    Ok(0)
}

/// One line a token: id, login, created, last used, label (tab-separated, for scripts too).
fn print_tokens(tokens: &[ApiToken]) {
    if tokens.is_empty() {
        eprintln!("Aucun jeton d'API.");
    }
    let day = |seconds: i64| {
        time::OffsetDateTime::from_unix_timestamp(seconds)
            .map(|t| format!("{} {:02}:{:02}", iso_date(t.date()), t.hour(), t.minute()))
            .unwrap_or_default()
    };
    for token in tokens {
        let used = token.last_used.map_or("jamais utilisé".to_owned(), day);
        println!(
            "{}\t{}\tcréé {}\t{used}\t{}",
            token.id,
            token.login,
            day(token.created),
            token.label.as_deref().unwrap_or("")
        );
    }
}

/// Asks twice on a terminal (hidden input); reads one line otherwise.
fn read_password(login: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Mot de passe pour « {login} » : "))?;
        let second = rpassword::prompt_password("Encore une fois : ")?;
        if first != second {
            bail!("les deux mots de passe ne sont pas identiques");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        std::io::stderr().flush().ok();
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
