//! What an admin does to staff accounts, as one typed change checked here: the web and the
//! command line parse their input into an `AccountChange`; only an admin may apply one.

use crate::model::{Account, Login, Role};

use super::{Accounts, Error};

/// One change to the staff accounts.
#[derive(Debug, Clone)]
pub enum AccountChange {
    Add {
        login: String,
        role: Role,
        password: String,
    },
    Disable(Login),
    Enable(Login),
    /// A new password: the account's sessions are closed and its API tokens revoked.
    ResetPassword {
        login: Login,
        password: String,
    },
}

impl AccountChange {
    /// The change a form's `action` names, with its fields; `None` for an unknown action.
    /// An unreadable login is `NotFound` when applied (no such account).
    pub fn from_form(action: &str, login: &str, role: Role, password: &str) -> Option<Self> {
        let parsed = || Login::parse(login);
        Some(match action {
            "add" => AccountChange::Add {
                login: login.to_owned(),
                role,
                password: password.to_owned(),
            },
            "disable" => AccountChange::Disable(parsed()?),
            "enable" => AccountChange::Enable(parsed()?),
            "reset" => AccountChange::ResetPassword {
                login: parsed()?,
                password: password.to_owned(),
            },
            _ => return None,
        })
    }
}

impl Accounts {
    /// Applies `change` for `by`, who must be an admin.
    pub fn apply(&self, by: &Account, change: AccountChange) -> Result<(), Error> {
        if by.role != Role::Admin {
            return Err(Error::Forbidden(
                "Seul un administrateur gère les comptes.".to_owned(),
            ));
        }
        match change {
            AccountChange::Add {
                login,
                role,
                password,
            } => self.add(&login, role, &password).map(|_| ()),
            AccountChange::Disable(login) => self.set_disabled(&login, true),
            AccountChange::Enable(login) => self.set_disabled(&login, false),
            AccountChange::ResetPassword { login, password } => {
                self.reset_password(&login, &password)
            }
        }
    }
}
