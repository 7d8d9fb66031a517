//! Staff accounts: passwords (argon2id), sessions with their CSRF token, API tokens, throttling
//! of failed logins, and the school settings. Families never have an account. Failures say the
//! same thing for an unknown login and a wrong password, and take the same time.

use std::sync::Arc;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::model::{Account, ApiToken, Login, Role};
use crate::store::Store;

use super::hashing::Priority;
use super::throttle::{Attempt, Throttle, THROTTLED};
use super::Error;

/// The one message for every failed login: it must not tell which part was wrong.
pub const LOGIN_FAILED: &str = "Identifiant ou mot de passe incorrect.";
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_LABEL_CHARS: usize = 60;
/// How stale a token's "last used" may get before a request writes it again.
const LAST_USED_EVERY_SECONDS: i64 = 60;

/// A logged-in staff member, as a request sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub account: Account,
    /// The session's CSRF token, to embed in forms and compare on posts.
    pub csrf: String,
}

/// A login attempt counted by the throttle; dropped without [`Accounts::finish_log_in`]
/// succeeding, it stays counted as a failure, unless [`LoginAttempt::withdrawn`].
#[derive(Debug)]
pub struct LoginAttempt(Attempt);

impl LoginAttempt {
    /// The attempt was never made (the server was busy): it does not count.
    pub fn withdrawn(self) {
        self.0.withdrawn();
    }
}

/// A successful login: the account, its new session, and the cookie that marks this browser as
/// a device the account logged in from.
#[derive(Debug)]
pub struct LoggedIn {
    pub account: Account,
    pub session: NewSession,
    pub device: String,
}

/// A new session: the cookie value to hand out (never stored) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

/// A new API token: its public id and the secret, which is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: String,
    pub token: String,
}

/// Accounts and sessions over the store; holds the in-memory throttle.
#[derive(Debug)]
pub struct Accounts {
    store: Arc<Store>,
    session_seconds: i64,
    throttle: Arc<Throttle>,
    /// A hash to verify against when the login is unknown, so both failures cost the same time.
    decoy_hash: String,
}

impl Accounts {
    pub fn new(store: Arc<Store>, session_seconds: i64) -> Accounts {
        let decoy_hash = hash_password("un mot de passe que personne n'a")
            .expect("hashing a constant password works");
        Accounts {
            store,
            session_seconds,
            throttle: Throttle::new(),
            decoy_hash,
        }
    }

    pub fn add(&self, login: &str, role: Role, password: &str) -> Result<Account, Error> {
        let login = Login::parse(login).ok_or_else(|| {
            Error::InvalidInput(
                "identifiant invalide : 2 à 32 caractères parmi a-z, 0-9, « . », « _ », « - »"
                    .to_owned(),
            )
        })?;
        check_password(password)?;
        let account = Account {
            login,
            role,
            disabled: false,
        };
        let hash = hash_password(password)?;
        match self.store.catalog().insert_account(&account, &hash, now()) {
            Err(crate::store::Error::Duplicate { .. }) => Err(Error::Conflict(format!(
                "le compte « {} » existe déjà",
                account.login
            ))),
            other => other.map(|()| account).map_err(Error::from),
        }
    }

    /// Counts a login attempt before its password is checked (see the `throttle` module), or refuses
    /// it; says whether the account exists, so the hashing pool can serve real accounts first.
    pub fn begin_log_in(
        &self,
        login: &str,
        client: &str,
        device: Option<&str>,
    ) -> Result<(LoginAttempt, Priority), Error> {
        let attempt = self
            .throttle
            .attempt(login, client, device)
            .ok_or_else(|| Error::Forbidden(THROTTLED.to_owned()))?;
        let exists = match Login::parse(login) {
            Some(login) => self.store.catalog().account(&login)?.is_some(),
            None => false,
        };
        let priority = if exists {
            Priority::Known
        } else {
            Priority::Unknown
        };
        Ok((LoginAttempt(attempt), priority))
    }

    /// Checks the password of a counted attempt (the slow part: one argon2 hash); on success
    /// opens a session. Failures say the same thing for an unknown login and a wrong password.
    pub fn finish_log_in(
        &self,
        attempt: LoginAttempt,
        login: &str,
        password: &str,
    ) -> Result<LoggedIn, Error> {
        let found = Login::parse(login)
            .map(|l| self.store.catalog().account(&l))
            .transpose()?
            .flatten();
        let verified = match &found {
            Some((account, hash)) => verify_password(password, hash) && !account.disabled,
            None => {
                verify_password(password, &self.decoy_hash);
                false
            }
        };
        let Some((account, _)) = found.filter(|_| verified) else {
            return Err(Error::Unauthorized(LOGIN_FAILED.to_owned()));
        };
        attempt.0.succeeded();
        let session = NewSession {
            cookie: random_token(),
            csrf: random_token(),
        };
        let catalog = self.store.catalog();
        catalog.delete_expired_sessions(now())?;
        catalog.insert_session(
            &digest(&session.cookie),
            &account.login,
            &session.csrf,
            now() + self.session_seconds,
        )?;
        let device = self.throttle.device_token(account.login.as_str());
        Ok(LoggedIn {
            account,
            session,
            device,
        })
    }

    /// Whether a session cookie or an API token belongs to a live staff account (read only:
    /// admission control asks this of every request that carries one).
    pub fn is_staff(&self, session: Option<&str>, bearer: Option<&str>) -> Result<bool, Error> {
        let catalog = self.store.catalog();
        if let Some(cookie) = session {
            if catalog.session(&digest(cookie), now())?.is_some() {
                return Ok(true);
            }
        }
        if let Some(token) = bearer {
            if let Some((account, _, _)) = catalog.api_token_account(&digest(token))? {
                return Ok(!account.disabled);
            }
        }
        Ok(false)
    }

    /// The staff member behind a session cookie, if the session is live; slides its expiry.
    pub fn session(&self, cookie: &str) -> Result<Option<Staff>, Error> {
        let hash = digest(cookie);
        let catalog = self.store.catalog();
        let found = catalog.session(&hash, now())?;
        if found.is_some() {
            catalog.touch_session(&hash, now() + self.session_seconds)?;
        }
        Ok(found.map(|(account, csrf)| Staff { account, csrf }))
    }

    pub fn log_out(&self, cookie: &str) -> Result<(), Error> {
        Ok(self.store.catalog().delete_session(&digest(cookie))?)
    }

    /// A new API token for scripts, with an optional label ("emploi du temps"): its public id
    /// and the secret, shown once; only the secret's hash is kept.
    pub fn new_api_token(&self, login: &str, label: Option<&str>) -> Result<NewToken, Error> {
        let login = Login::parse(login).ok_or(Error::NotFound)?;
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        if label
            .is_some_and(|l| l.chars().count() > MAX_LABEL_CHARS || l.contains(char::is_control))
        {
            return Err(Error::InvalidInput(format!(
                "le nom du jeton doit tenir sur une ligne de {MAX_LABEL_CHARS} caractères au plus"
            )));
        }
        let catalog = self.store.catalog();
        let (account, _) = catalog.account(&login)?.ok_or(Error::NotFound)?;
        if account.disabled {
            return Err(Error::Forbidden("ce compte est désactivé".to_owned()));
        }
        let token = random_token();
        let id = catalog.insert_api_token(&digest(&token), &login, label, now())?;
        Ok(NewToken { id, token })
    }

    /// The live account behind an API token. Notes when the token was used, at most once a
    /// minute: a script polling the API costs one catalog write a minute, not one a request.
    pub fn api_token(&self, token: &str) -> Result<Option<Account>, Error> {
        let catalog = self.store.catalog();
        let Some((account, id, last_used)) = catalog.api_token_account(&digest(token))? else {
            return Ok(None);
        };
        let now = now();
        if last_used.is_none_or(|used| now - used >= LAST_USED_EVERY_SECONDS) {
            catalog.touch_api_token(&id, now)?;
        }
        Ok(Some(account))
    }

    /// The API tokens of one account (not found if there is no such account), or of all.
    pub fn tokens(&self, login: Option<&Login>) -> Result<Vec<ApiToken>, Error> {
        let catalog = self.store.catalog();
        if let Some(login) = login {
            catalog.account(login)?.ok_or(Error::NotFound)?;
        }
        Ok(catalog.api_tokens(login)?)
    }

    /// Revokes one token; with an `owner`, only if it is theirs (else not found, so a teacher
    /// learns nothing of others' tokens).
    pub fn revoke_token(&self, id: &str, owner: Option<&Login>) -> Result<(), Error> {
        if self.store.catalog().delete_api_token(id.trim(), owner)? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Sets a new password: every session of the account is closed and its API tokens revoked.
    pub fn reset_password(&self, login: &Login, password: &str) -> Result<(), Error> {
        check_password(password)?;
        let hash = hash_password(password)?;
        if self.store.catalog().set_password(login, &hash)? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    pub fn set_disabled(&self, login: &Login, disabled: bool) -> Result<(), Error> {
        if self.store.catalog().set_disabled(login, disabled)? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    pub fn list(&self) -> Result<Vec<Account>, Error> {
        Ok(self.store.catalog().accounts()?)
    }

    pub fn has_admin(&self) -> Result<bool, Error> {
        Ok(self.store.catalog().has_admin()?)
    }
}

fn check_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::InvalidInput(format!(
            "le mot de passe doit faire au moins {MIN_PASSWORD_CHARS} caractères"
        )));
    }
    Ok(())
}

/// argon2id with 12 MiB and 3 passes (an OWASP-recommended pair): as strong as the crate's
/// default 19 MiB x 2, with a third less memory per hash on a 512 MB Pi. Hashes made with other
/// parameters still verify: their parameters are in the hash.
fn hasher() -> Argon2<'static> {
    let params = argon2::Params::new(12 * 1024, 3, 1, None).expect("valid argon2 parameters");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

pub(super) fn hash_password(password: &str) -> Result<String, Error> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(e.to_string().into()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    argon2::PasswordHash::new(hash)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// 256 random bits, hex-encoded: session cookies, CSRF and API tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
