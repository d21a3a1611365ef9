//! People, their sessions and access, and the audit entries about a case, in SQL (break-glass
//! grants are in `break_glass.rs`). Writes run on the writer's connection inside a transaction
//! that also records their audit entries.

use crate::db::{Connection, Engine, OptionalExtension, Row, params};
use joinery_domain::{AgencyCode, AgencyKind, CaseId, Role, SystemName, Timestamp, Username};

use joinery_ports::{
    AccessChange, Admission, Agency, AuditAction, AuditEntry, Backoff, KeyHash, NewUser,
    PasswordDigest, Person, SessionRecord, StoreError, UserRecord,
};

use super::rows;
use crate::error::{Error, corrupt};

/// A case's audit entries, in order: who has seen it.
pub(super) const CASE_AUDIT: &str =
    "SELECT seq, at, actor, action, subject, detail FROM audit_log WHERE subject = ?1 ORDER BY seq";

pub(super) fn timestamp(text: &str) -> Result<Timestamp, Error> {
    Timestamp::parse(text).map_err(corrupt)
}

const USER_COLUMNS: &str = "u.username, u.role, u.password_hash, u.must_change, \
    u.failed_sign_ins, u.locked_until, a.code, a.kind, a.name";

type UserRow = (
    String,
    String,
    String,
    bool,
    i64,
    Option<String>,
    String,
    String,
    String,
);

fn user_row(row: &Row<'_>) -> Result<UserRow, Error> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn user_of(row: UserRow) -> Result<UserRecord, Error> {
    let (username, role, hash, must_change, failed, locked_until, code, kind, name) = row;
    Ok(UserRecord {
        username: Username::parse(&username).map_err(corrupt)?,
        agency: Agency {
            code: AgencyCode::parse(&code).map_err(corrupt)?,
            kind: AgencyKind::parse(&kind).map_err(corrupt)?,
            name: SystemName::parse(&name).map_err(corrupt)?,
        },
        role: Role::parse(&role).map_err(corrupt)?,
        password: PasswordDigest::from_phc(hash),
        must_change_password: must_change,
        failed_sign_ins: u32::try_from(failed).map_err(corrupt)?,
        locked_until: locked_until.as_deref().map(timestamp).transpose()?,
    })
}

pub(super) fn add_user(connection: &Connection, user: &NewUser) -> Result<(), Error> {
    let agency_kind: Option<String> = connection
        .query_row(
            "SELECT kind FROM agencies WHERE code = ?1",
            params![user.agency.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    let Some(kind) = agency_kind else {
        return Err(StoreError::UnknownAgency(user.agency.clone()).into());
    };
    let kind = AgencyKind::parse(&kind).map_err(corrupt)?;
    if let Some(expected) = user.role.agency_kind()
        && expected != kind
    {
        return Err(StoreError::RoleNotInAgency {
            role: user.role,
            agency: user.agency.clone(),
        }
        .into());
    }
    let inserted = connection.execute(
        "INSERT INTO users (username, agency, role, password_hash, must_change, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (username) DO NOTHING",
        params![
            user.username.as_str(),
            user.agency.as_str(),
            user.role.as_str(),
            user.password.as_phc(),
            user.must_change_password,
            Timestamp::now().to_string()
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::UserExists(user.username.clone()).into());
    }
    Ok(())
}

pub(super) fn user(
    connection: &Connection,
    username: &Username,
) -> Result<Option<UserRecord>, Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN agencies a ON a.code = u.agency WHERE u.username = ?1"
    );
    let row = connection
        .prepare_cached(&sql)?
        .query_row(params![username.as_str()], user_row)
        .optional()?;
    row.map(user_of).transpose()
}

/// Admits a sign-in attempt in one statement: unless the account is held, its failure count
/// goes up and it is held until the back-off's time for that count.
pub(super) fn admit_sign_in(
    connection: &Connection,
    username: &Username,
    backoff: &Backoff,
) -> Result<Admission, Error> {
    let holds: Vec<String> = backoff.holds.iter().map(|at| at.sortable()).collect();
    let holds = serde_json::to_string(&holds).map_err(corrupt)?;
    // The hold after this failure is the backoff's entry for it (its last, past the end).
    let hold = match connection.engine() {
        Engine::Sqlite => {
            "(SELECT value FROM json_each(?3) \
             WHERE key = MIN(failed_sign_ins, json_array_length(?3) - 1))"
        }
        Engine::Postgres => {
            "(CAST(CAST(?3 AS TEXT) AS jsonb) ->> CAST(LEAST(failed_sign_ins, \
             jsonb_array_length(CAST(CAST(?3 AS TEXT) AS jsonb)) - 1) AS integer))"
        }
    };
    let admitted = connection.execute(
        &format!(
            "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until = {hold} \
             WHERE username = ?1 AND (locked_until IS NULL OR locked_until <= ?2) \
             AND deactivated_at IS NULL"
        ),
        params![username.as_str(), backoff.now.sortable(), holds],
    )?;
    if admitted == 1 {
        return match user(connection, username)? {
            Some(user) => Ok(Admission::Admitted(Box::new(user))),
            None => Ok(Admission::NoSuchUser),
        };
    }
    let known: Option<i64> = connection
        .prepare_cached("SELECT 1 FROM users WHERE username = ?1")?
        .query_row(params![username.as_str()], |row| row.get(0))
        .optional()?;
    Ok(if known.is_some() {
        Admission::Held
    } else {
        Admission::NoSuchUser
    })
}

pub(super) fn sign_in_succeeded(
    connection: &Connection,
    username: &Username,
    session: KeyHash,
) -> Result<(), Error> {
    let now = Timestamp::now().to_string();
    connection.execute(
        "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE username = ?1",
        params![username.as_str()],
    )?;
    connection.execute(
        "INSERT INTO sessions (token_hash, username, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        params![session.as_bytes().as_slice(), username.as_str(), now],
    )?;
    Ok(())
}

pub(super) fn session(
    connection: &Connection,
    token: KeyHash,
) -> Result<Option<SessionRecord>, Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.last_seen_at, \
         s.ended_at IS NOT NULL OR u.deactivated_at IS NOT NULL FROM sessions s \
         JOIN users u ON u.username = s.username JOIN agencies a ON a.code = u.agency \
         WHERE s.token_hash = ?1"
    );
    let row = connection
        .prepare_cached(&sql)?
        .query_row(params![token.as_bytes().as_slice()], |row| {
            Ok((
                user_row(row)?,
                row.get::<_, String>(9)?,
                row.get::<_, bool>(10)?,
            ))
        })
        .optional()?;
    row.map(|(user, last_seen_at, ended)| {
        Ok(SessionRecord {
            user: user_of(user)?,
            last_seen_at: timestamp(&last_seen_at)?,
            ended,
        })
    })
    .transpose()
}

pub(super) fn touch_session(connection: &Connection, token: KeyHash) -> Result<(), Error> {
    connection.execute(
        "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL",
        params![token.as_bytes().as_slice(), Timestamp::now().to_string()],
    )?;
    Ok(())
}

pub(super) fn end_session(connection: &Connection, token: KeyHash) -> Result<(), Error> {
    connection.execute(
        "UPDATE sessions SET ended_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL",
        params![token.as_bytes().as_slice(), Timestamp::now().to_string()],
    )?;
    Ok(())
}

pub(super) fn set_password(
    connection: &Connection,
    username: &Username,
    password: &PasswordDigest,
    keep: KeyHash,
) -> Result<(), Error> {
    connection.execute(
        "UPDATE users SET password_hash = ?2, must_change = FALSE WHERE username = ?1",
        params![username.as_str(), password.as_phc()],
    )?;
    // Whoever else held a session of theirs (a stolen cookie, another browser) is signed out.
    connection.execute(
        "UPDATE sessions SET ended_at = ?3 \
         WHERE username = ?1 AND token_hash != ?2 AND ended_at IS NULL",
        params![
            username.as_str(),
            keep.as_bytes().as_slice(),
            Timestamp::now().to_string()
        ],
    )?;
    Ok(())
}

/// The people of an agency, by user name, with how they stand.
pub(super) fn people_of(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<Person>, Error> {
    let mut query = connection.prepare_cached(
        "SELECT username, role, failed_sign_ins, locked_until, deactivated_at FROM users \
         WHERE agency = ?1 ORDER BY username",
    )?;
    /// User name, role, failures, locked until, deactivated at.
    type PersonRow = (String, String, i64, Option<String>, Option<String>);
    let rows: Vec<PersonRow> = query
        .query_map(params![agency.as_str()], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(username, role, failed, locked, deactivated)| {
            Ok(Person {
                username: Username::parse(&username).map_err(corrupt)?,
                role: Role::parse(&role).map_err(corrupt)?,
                failed_sign_ins: u32::try_from(failed).map_err(corrupt)?,
                locked_until: locked.as_deref().map(timestamp).transpose()?,
                deactivated_at: deactivated.as_deref().map(timestamp).transpose()?,
            })
        })
        .collect()
}

/// Changes a person's access, if they are of `agency` and the change changes something; their
/// sessions end when they are deactivated.
pub(super) fn change_access(
    connection: &Connection,
    username: &Username,
    agency: &AgencyCode,
    change: AccessChange,
) -> Result<bool, Error> {
    let who = params![username.as_str(), agency.as_str()];
    let changed = match change {
        AccessChange::Unlock => connection.execute(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE username = ?1 \
             AND agency = ?2 AND (failed_sign_ins > 0 OR locked_until IS NOT NULL)",
            who,
        )?,
        AccessChange::Deactivate => connection.execute(
            "UPDATE users SET deactivated_at = ?3 WHERE username = ?1 AND agency = ?2 \
             AND deactivated_at IS NULL",
            params![
                username.as_str(),
                agency.as_str(),
                Timestamp::now().sortable()
            ],
        )?,
        AccessChange::Reactivate => connection.execute(
            "UPDATE users SET deactivated_at = NULL, failed_sign_ins = 0, locked_until = NULL \
             WHERE username = ?1 AND agency = ?2 AND deactivated_at IS NOT NULL",
            who,
        )?,
    };
    if changed == 1 && change == AccessChange::Deactivate {
        connection.execute(
            "UPDATE sessions SET ended_at = ?2 WHERE username = ?1 AND ended_at IS NULL",
            params![username.as_str(), Timestamp::now().to_string()],
        )?;
    }
    Ok(changed == 1)
}

pub(super) fn case_audit(connection: &Connection, case: CaseId) -> Result<Vec<AuditEntry>, Error> {
    let rows: Vec<(i64, String, String, String, Option<String>, String)> =
        rows(connection, CASE_AUDIT, params![case.to_string()])?;
    rows.into_iter()
        .map(|(seq, at, actor, action, subject, detail)| {
            Ok(AuditEntry {
                seq,
                at,
                actor,
                action: AuditAction::parse(&action)
                    .ok_or_else(|| corrupt(format!("`{action}` is not an audit action")))?,
                subject,
                detail: serde_json::from_str(&detail).map_err(corrupt)?,
            })
        })
        .collect()
}
