//! Catalog schema migrations, applied in order and recorded in SQLite's `user_version`.

use rusqlite::Connection;

/// Each entry moves the schema from version `index` to `index + 1`. Never edit a released entry:
/// add a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    levels      TEXT NOT NULL DEFAULT '[]',  -- JSON array of level names
    class       TEXT,
    subject     TEXT,
    author      TEXT,
    source      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    pages       INTEGER,
    created     INTEGER NOT NULL,            -- unix seconds
    updated     INTEGER NOT NULL,
    due         TEXT,                        -- YYYY-MM-DD
    visibility  TEXT NOT NULL,
    text_status TEXT NOT NULL,
    text_reason TEXT
);
CREATE INDEX documents_by_created ON documents(created DESC);
CREATE TABLE document_texts (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text        TEXT NOT NULL
);
"#,
    r#"
ALTER TABLE documents ADD COLUMN owner TEXT;                         -- staff login who added it
ALTER TABLE documents ADD COLUMN downloads INTEGER NOT NULL DEFAULT 0;
CREATE TABLE accounts (
    login         TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,                                     -- argon2id PHC string
    role          TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,                                     -- SHA-256 of the cookie value
    login      TEXT NOT NULL REFERENCES accounts(login) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    expires    INTEGER NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    login      TEXT NOT NULL REFERENCES accounts(login) ON DELETE CASCADE,
    created    INTEGER NOT NULL
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    r#"
CREATE TABLE print_requests (
    id      INTEGER PRIMARY KEY,
    ticket  INTEGER NOT NULL,                                        -- called out at the desk
    ids     TEXT NOT NULL,                                           -- document ids, 'a.b.c'
    pages   INTEGER NOT NULL,                                        -- estimated when asked
    status  TEXT NOT NULL,                                           -- waiting|printing|done|cancelled
    created INTEGER NOT NULL,                                        -- unix seconds
    updated INTEGER NOT NULL
);
-- Two open requests never share a ticket number.
CREATE UNIQUE INDEX print_requests_open_ticket ON print_requests(ticket)
    WHERE status IN ('waiting', 'printing');
CREATE INDEX print_requests_by_created ON print_requests(created);
"#,
    r#"
-- The text's first distinct folded words, for the offline search of USB bundles and zips
-- (NULL for texts stored before: made from the text when needed).
ALTER TABLE document_texts ADD COLUMN offline_words TEXT;
"#,
    r#"
-- Selections behind the short addresses printed on packs (`/s/K7M2`): kept for good, since
-- the paper is. One code per list of ids, so a pack printed twice gives the same address.
CREATE TABLE selections (
    code    TEXT PRIMARY KEY,                                        -- upper case, 4-5 chars
    ids     TEXT NOT NULL UNIQUE,                                    -- document ids, 'a.b.c'
    created INTEGER NOT NULL                                         -- unix seconds
);
"#,
    r#"
-- API tokens get a short public id (to list and revoke one: the first 8 hex digits of the
-- secret's hash, which says nothing of the secret), an optional label and when last used.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN label TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used INTEGER;                 -- unix seconds, to the minute
UPDATE api_tokens SET id = substr(token_hash, 1, 8);
CREATE UNIQUE INDEX api_tokens_by_id ON api_tokens(id);
CREATE INDEX api_tokens_by_login ON api_tokens(login);
"#,
    r#"
-- The cahier de texte: what classes have to do for a day. Classes and documents are lists in
-- one column each ('2nde B|Tle', 'a.b.c'): a week holds a few dozen entries, read whole.
CREATE TABLE homework (
    id          INTEGER PRIMARY KEY,
    classes     TEXT NOT NULL,                                   -- short names joined by '|'
    due         TEXT NOT NULL,                                   -- YYYY-MM-DD
    subject     TEXT,
    instruction TEXT NOT NULL,
    documents   TEXT NOT NULL DEFAULT '',                        -- document ids, 'a.b.c'
    owner       TEXT NOT NULL,                                   -- staff login
    created     INTEGER NOT NULL,                                -- unix seconds
    updated     INTEGER NOT NULL
);
CREATE INDEX homework_by_due ON homework(due);
"#,
    r#"
-- Documents a kiosk copied from a hub (`cartable sync`): which hub, and the publisher's id. A
-- row here is what makes a document synced: a sync never touches one without (a local upload).
CREATE TABLE hub_documents (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    hub         TEXT NOT NULL,                                       -- s3://bucket/prefix
    hub_id      TEXT NOT NULL,                                       -- the publisher's id
    UNIQUE (hub, hub_id)
);
"#,
    r#"
-- A count of the changes to what lists and menus show, moved by triggers so that every writer
-- moves it: the server keeps menus and counts (`catalog::memo`) until it moves. A download
-- (the `downloads` column alone) changes no list or menu.
CREATE TABLE document_changes (count INTEGER NOT NULL);
INSERT INTO document_changes VALUES (0);
CREATE TRIGGER document_added AFTER INSERT ON documents
    BEGIN UPDATE document_changes SET count = count + 1; END;
CREATE TRIGGER document_removed AFTER DELETE ON documents
    BEGIN UPDATE document_changes SET count = count + 1; END;
CREATE TRIGGER document_listed_otherwise
    AFTER UPDATE OF levels, class, subject, visibility, owner, created ON documents
    BEGIN UPDATE document_changes SET count = count + 1; END;
"#,
];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to date; returns the version found before, for the caller's checks.
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<i64> {
    let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", version as i64 + 1)?;
        transaction.commit()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_made_before_ids_existed_get_theirs_from_their_hash() {
        let mut connection = Connection::open_in_memory().unwrap();
        let before_ids = MIGRATIONS
            .iter()
            .position(|m| m.contains("api_tokens ADD COLUMN id"))
            .unwrap();
        for migration in &MIGRATIONS[..before_ids] {
            connection.execute_batch(migration).unwrap();
        }
        connection
            .pragma_update(None, "user_version", before_ids as i64)
            .unwrap();
        connection
            .execute_batch(
                "INSERT INTO accounts (login, password_hash, role, created) VALUES ('m.dupont', 'x', 'teacher', 0);
                 INSERT INTO api_tokens (token_hash, login, created) VALUES ('0123456789abcdef', 'm.dupont', 0);",
            )
            .unwrap();
        assert_eq!(migrate(&mut connection).unwrap(), before_ids as i64);
        let (id, last_used): (String, Option<i64>) = connection
            .query_row("SELECT id, last_used FROM api_tokens", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!((id.as_str(), last_used), ("01234567", None));
    }
}
