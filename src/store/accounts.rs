//! Staff accounts, their sessions and API tokens, and the school settings, in the catalog.
//! Secrets are stored only as hashes: a copied database opens no session.

use rusqlite::{params, OptionalExtension};

use crate::model::{Account, ApiToken, Login, Role};

use super::{Catalog, Error};

impl Catalog {
    pub fn insert_account(
        &mut self,
        account: &Account,
        password_hash: &str,
        now: i64,
    ) -> Result<(), Error> {
        let inserted = self.connection().execute(
            "INSERT INTO accounts (login, password_hash, role, disabled, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![account.login.as_str(), password_hash, account.role.name(), account.disabled, now],
        );
        match inserted {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(Error::Duplicate {
                    existing: account.login.to_string(),
                })
            }
            other => other.map(|_| ()).map_err(Error::from),
        }
    }

    /// The account and its password hash.
    pub fn account(&self, login: &Login) -> Result<Option<(Account, String)>, Error> {
        self.connection()
            .prepare_cached(
                "SELECT login, role, disabled, password_hash FROM accounts WHERE login = ?1",
            )?
            .query_row([login.as_str()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, bool>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .optional()?
            .map(|(login, role, disabled, hash)| Ok((read_account(&login, &role, disabled)?, hash)))
            .transpose()
    }

    pub fn accounts(&self) -> Result<Vec<Account>, Error> {
        let mut statement = self
            .connection()
            .prepare_cached("SELECT login, role, disabled FROM accounts ORDER BY login")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })?;
        let mut accounts = Vec::new();
        for row in rows {
            let (login, role, disabled) = row?;
            accounts.push(read_account(&login, &role, disabled)?);
        }
        Ok(accounts)
    }

    /// Whether at least one enabled admin exists (else the setup link is offered).
    pub fn has_admin(&self) -> Result<bool, Error> {
        Ok(self.connection().query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin' AND disabled = 0)",
            [],
            |row| row.get(0),
        )?)
    }

    pub fn set_password(&mut self, login: &Login, password_hash: &str) -> Result<bool, Error> {
        let transaction = self.connection_mut().transaction()?;
        let changed = transaction.execute(
            "UPDATE accounts SET password_hash = ?2 WHERE login = ?1",
            params![login.as_str(), password_hash],
        )?;
        // A new password closes every open session of that account and revokes its API tokens:
        // a reset is what is done when a password or a token may have leaked.
        transaction.execute("DELETE FROM sessions WHERE login = ?1", [login.as_str()])?;
        transaction.execute("DELETE FROM api_tokens WHERE login = ?1", [login.as_str()])?;
        transaction.commit()?;
        Ok(changed > 0)
    }

    pub fn set_disabled(&mut self, login: &Login, disabled: bool) -> Result<bool, Error> {
        let transaction = self.connection_mut().transaction()?;
        let changed = transaction.execute(
            "UPDATE accounts SET disabled = ?2 WHERE login = ?1",
            params![login.as_str(), disabled],
        )?;
        if disabled {
            transaction.execute("DELETE FROM sessions WHERE login = ?1", [login.as_str()])?;
            transaction.execute("DELETE FROM api_tokens WHERE login = ?1", [login.as_str()])?;
        }
        transaction.commit()?;
        Ok(changed > 0)
    }

    pub fn insert_session(
        &self,
        token_hash: &str,
        login: &Login,
        csrf: &str,
        expires: i64,
    ) -> Result<(), Error> {
        self.connection().execute(
            "INSERT INTO sessions (token_hash, login, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, login.as_str(), csrf, expires],
        )?;
        Ok(())
    }

    /// The live session's account and CSRF token; expired sessions and disabled accounts give none.
    pub fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Account, String)>, Error> {
        self.connection()
            .prepare_cached(
                "SELECT a.login, a.role, a.disabled, s.csrf FROM sessions s JOIN accounts a ON a.login = s.login \
                 WHERE s.token_hash = ?1 AND s.expires > ?2 AND a.disabled = 0",
            )?
            .query_row(params![token_hash, now], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, bool>(2)?, row.get::<_, String>(3)?))
            })
            .optional()?
            .map(|(login, role, disabled, csrf)| Ok((read_account(&login, &role, disabled)?, csrf)))
            .transpose()
    }

    /// Slides a session's expiry forward (activity keeps a session open).
    pub fn touch_session(&self, token_hash: &str, expires: i64) -> Result<(), Error> {
        self.connection()
            .prepare_cached("UPDATE sessions SET expires = ?2 WHERE token_hash = ?1")?
            .execute(params![token_hash, expires])?;
        Ok(())
    }

    pub fn delete_session(&self, token_hash: &str) -> Result<(), Error> {
        self.connection()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    pub fn delete_expired_sessions(&self, now: i64) -> Result<usize, Error> {
        Ok(self
            .connection()
            .execute("DELETE FROM sessions WHERE expires <= ?1", [now])?)
    }

    pub fn insert_api_token(
        &self,
        token_hash: &str,
        login: &Login,
        label: Option<&str>,
        now: i64,
    ) -> Result<String, Error> {
        let id = token_id(token_hash);
        self.connection().execute(
            "INSERT INTO api_tokens (token_hash, id, login, label, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, id, login.as_str(), label, now],
        )?;
        Ok(id)
    }

    /// The live account behind a token, with the token's id and when it was last used.
    pub fn api_token_account(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Account, String, Option<i64>)>, Error> {
        self.connection()
            .prepare_cached(
                "SELECT a.login, a.role, a.disabled, t.id, t.last_used FROM api_tokens t \
                 JOIN accounts a ON a.login = t.login WHERE t.token_hash = ?1 AND a.disabled = 0",
            )?
            .query_row([token_hash], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, bool>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                ))
            })
            .optional()?
            .map(|(login, role, disabled, id, last_used)| {
                Ok((read_account(&login, &role, disabled)?, id, last_used))
            })
            .transpose()
    }

    pub fn touch_api_token(&self, id: &str, now: i64) -> Result<(), Error> {
        self.connection()
            .prepare_cached("UPDATE api_tokens SET last_used = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
        Ok(())
    }

    /// The tokens of one account, or of every account; by account, oldest first.
    pub fn api_tokens(&self, login: Option<&Login>) -> Result<Vec<ApiToken>, Error> {
        let mut statement = self.connection().prepare_cached(
            "SELECT id, login, label, created, last_used FROM api_tokens \
             WHERE ?1 IS NULL OR login = ?1 ORDER BY login, created, id",
        )?;
        let rows = statement.query_map([login.map(Login::as_str)], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })?;
        let mut tokens = Vec::new();
        for row in rows {
            let (id, login, label, created, last_used) = row?;
            tokens.push(ApiToken {
                login: Login::parse(&login)
                    .ok_or_else(|| Error::Corrupt(format!("login {login} of token {id}")))?,
                id,
                label,
                created,
                last_used,
            });
        }
        Ok(tokens)
    }

    /// Deletes one token, only if it belongs to `owner` when one is given; says whether it did.
    pub fn delete_api_token(&self, id: &str, owner: Option<&Login>) -> Result<bool, Error> {
        let deleted = self.connection().execute(
            "DELETE FROM api_tokens WHERE id = ?1 AND (?2 IS NULL OR login = ?2)",
            params![id, owner.map(Login::as_str)],
        )?;
        Ok(deleted > 0)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self
            .connection()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), Error> {
        self.connection().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

fn read_account(login: &str, role: &str, disabled: bool) -> Result<Account, Error> {
    Ok(Account {
        login: Login::parse(login).ok_or_else(|| Error::Corrupt(format!("login {login}")))?,
        role: Role::from_name(role).ok_or_else(|| Error::Corrupt(format!("role of {login}")))?,
        disabled,
    })
}

/// A token's public id: the first 8 hex digits of its secret's hash, as the migration that
/// introduced ids gave the tokens made before.
fn token_id(token_hash: &str) -> String {
    token_hash.chars().take(8).collect()
}
