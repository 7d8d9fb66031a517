//! `cartable user ...`: staff accounts from the shell. Passwords come from a hidden prompt, or
//! the first line of stdin when it is not a terminal; never from flags or the environment.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};

use crate::model::{Login, Role};
use crate::service::Core;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account; the password is asked for (or read from stdin).
    Add {
        login: String,
        #[arg(long, value_parser = ["admin", "teacher"], default_value = "teacher")]
        role: String,
    },
    /// Print a new API token for scripts (on stdout).
    Token { login: String },
    /// Set a new password (asked for, or read from stdin); closes the account's sessions.
    Password { login: String },
    /// Disable an account: its sessions and tokens stop working.
    Disable { login: String },
    /// Enable a disabled account again.
    Enable { login: String },
    /// List the accounts.
    List,
}

pub fn run(core: &Core, command: Command) -> anyhow::Result<i32> {
    let accounts = core.accounts();
    match command {
        Command::Add { login, role } => {
            let role = Role::from_name(&role).context("unknown role")?;
            let password = read_password(&login)?;
            let account = accounts.add(&login, role, &password)?;
            eprintln!(
                "Compte « {} » créé ({}).",
                account.login,
                account.role.label()
            );
        }
        Command::Token { login } => {
            let token = accounts.new_api_token(&login)?;
            println!("{token}");
            eprintln!("Jeton créé pour « {login} » : utilisez « Authorization: Bearer <jeton> ».");
        }
        Command::Password { login } => {
            let parsed = Login::parse(&login).context("invalid login")?;
            let password = read_password(&login)?;
            accounts.reset_password(&parsed, &password)?;
            eprintln!("Mot de passe de « {login} » changé.");
        }
        Command::Disable { login } => {
            accounts.set_disabled(&Login::parse(&login).context("invalid login")?, true)?;
            eprintln!("Compte « {login} » désactivé.");
        }
        Command::Enable { login } => {
            accounts.set_disabled(&Login::parse(&login).context("invalid login")?, false)?;
            eprintln!("Compte « {login} » réactivé.");
        }
        Command::List => {
            for account in accounts.list()? {
                let state = if account.disabled {
                    " (désactivé)"
                } else {
                    ""
                };
                println!("{}\t{}{state}", account.login, account.role.name());
            }
        }
    }
    Ok(0)
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
