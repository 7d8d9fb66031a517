//! Staff accounts: logins, roles. Families have no account.

use serde::{Deserialize, Serialize};

/// A staff login: 2 to 32 characters among lowercase letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    pub fn parse(text: &str) -> Option<Login> {
        let login = text.trim().to_lowercase();
        let valid = (2..=32).contains(&login.len())
            && login
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        valid.then_some(Login(login))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a staff member may do: a teacher manages their own documents, an admin everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Teacher,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Teacher => "teacher",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "admin" => Some(Role::Admin),
            "teacher" => Some(Role::Teacher),
            _ => None,
        }
    }

    /// In French, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "administrateur",
            Role::Teacher => "enseignant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub login: Login,
    pub role: Role,
    pub disabled: bool,
}

/// An API token as lists show it; the secret itself is never kept, only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Short and public: what `cartable user revoke-token` and the revoke button name.
    pub id: String,
    pub login: Login,
    pub label: Option<String>,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds, to the minute at best (see `service::accounts`); None if never used.
    pub last_used: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(Login::parse(" M.Dupont ").unwrap().as_str(), "m.dupont");
        assert_eq!(Login::parse("a"), None);
        assert_eq!(Login::parse("jean dupont"), None);
        assert_eq!(Login::parse("élève"), None);
        assert_eq!(Role::from_name(Role::Teacher.name()), Some(Role::Teacher));
    }
}
