//! People, sessions, break-glass grants and the audit entries about a case, in SQL. Writes run
//! on the writer's connection inside a transaction that also records their audit entries.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{
    AgencyCode, AgencyKind, CaseId, Category, Role, SystemName, Text, Timestamp, Username,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use joinery_ports::{
    Admission, Agency, AuditAction, AuditEntry, AuditEvent, Backoff, BreakGlassGrant, GrantReview,
    KeyHash, LoggedGrant, NewUser, PasswordDigest, ReviewOutcome, SessionRecord, StoreError,
    UserRecord,
};

use super::rows;
use crate::error::{Error, corrupt};

/// A case's audit entries, in order: who has seen it.
pub(super) const CASE_AUDIT: &str =
    "SELECT seq, at, actor, action, subject, detail FROM audit_log WHERE subject = ?1 ORDER BY seq";

fn timestamp(text: &str) -> Result<Timestamp, Error> {
    Timestamp::parse(text).map_err(corrupt)
}

const USER_COLUMNS: &str = "u.username, u.role, u.password_hash, u.must_change, \
    u.failed_sign_ins, u.locked_until, a.code, a.kind, a.name";

type UserRow = (
    String,
    String,
    String,
    bool,
    u32,
    Option<String>,
    String,
    String,
    String,
);

fn user_row(row: &Row<'_>) -> rusqlite::Result<UserRow> {
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
        failed_sign_ins: failed,
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
    let admitted = connection.execute(
        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, \
         locked_until = (SELECT value FROM json_each(?3) \
             WHERE key = MIN(failed_sign_ins, json_array_length(?3) - 1)) \
         WHERE username = ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
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
        "SELECT {USER_COLUMNS}, s.last_seen_at, s.ended_at IS NOT NULL FROM sessions s \
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
        "UPDATE users SET password_hash = ?2, must_change = 0 WHERE username = ?1",
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

fn case_no(connection: &Connection, case: CaseId) -> Result<i64, Error> {
    connection
        .prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
        .query_row(params![case.to_string()], |row| row.get(0))
        .optional()?
        .ok_or_else(|| StoreError::UnknownCase(case).into())
}

pub(super) fn grant_break_glass(
    connection: &Connection,
    grant: &BreakGlassGrant,
) -> Result<(), Error> {
    let case_no = case_no(connection, grant.case_id)?;
    connection.execute(
        "INSERT INTO break_glass (username, case_no, category, reason, granted_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            grant.username.as_str(),
            case_no,
            grant.category.as_str(),
            grant.reason.as_str(),
            grant.granted_at.sortable(),
            grant.expires_at.sortable()
        ],
    )?;
    Ok(())
}

pub(super) fn break_glass_in_force(
    connection: &Connection,
    username: &Username,
    case: CaseId,
    now: Timestamp,
) -> Result<BTreeSet<Category>, Error> {
    let mut query = connection.prepare_cached(
        "SELECT g.category FROM break_glass g JOIN cases c ON c.case_no = g.case_no \
         WHERE g.username = ?1 AND c.id = ?2 AND g.expires_at > ?3",
    )?;
    let categories = query
        .query_map(
            params![username.as_str(), case.to_string(), now.sortable()],
            |row| row.get::<_, String>(0),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    categories
        .iter()
        .map(|category| Category::parse(category).map_err(corrupt))
        .collect()
}

pub(super) fn break_glass_in_force_anywhere(
    connection: &Connection,
    username: &Username,
    now: Timestamp,
) -> Result<BTreeMap<CaseId, BTreeSet<Category>>, Error> {
    let rows: Vec<(String, String)> = rows(
        connection,
        "SELECT c.id, g.category FROM break_glass g JOIN cases c ON c.case_no = g.case_no \
         WHERE g.username = ?1 AND g.expires_at > ?2",
        params![username.as_str(), now.sortable()],
    )?;
    let mut grants: BTreeMap<CaseId, BTreeSet<Category>> = BTreeMap::new();
    for (case, category) in rows {
        grants
            .entry(CaseId::parse(&case).map_err(corrupt)?)
            .or_default()
            .insert(Category::parse(&category).map_err(corrupt)?);
    }
    Ok(grants)
}

/// The latest 500 grants, newest first, with each case's reference and review.
pub(super) fn break_glass_log(
    connection: &Connection,
    to_review: bool,
) -> Result<Vec<LoggedGrant>, Error> {
    type Row = (
        i64,
        (String, String, String, String, String, String, String),
        Option<String>,
        (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ),
    );
    let mut query = connection.prepare_cached(
        "SELECT g.id, g.username, u.agency, c.id, g.category, g.reason, g.granted_at, g.expires_at, \
         (SELECT value FROM case_refs r WHERE r.case_no = g.case_no \
          ORDER BY CASE kind WHEN 'urn' THEN 0 ELSE 1 END, value LIMIT 1), \
         v.reviewed_by, v.reviewed_at, v.outcome, v.note \
         FROM break_glass g JOIN cases c ON c.case_no = g.case_no \
         JOIN users u ON u.username = g.username \
         LEFT JOIN break_glass_reviews v ON v.grant_id = g.id \
         WHERE ?1 = 0 OR v.grant_id IS NULL ORDER BY g.id DESC LIMIT 500",
    )?;
    let rows: Vec<Row> = query
        .query_map(params![to_review], |row| {
            Ok((
                row.get(0)?,
                (
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ),
                row.get(8)?,
                (row.get(9)?, row.get(10)?, row.get(11)?, row.get(12)?),
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(
            |(
                id,
                (username, agency, case, category, reason, granted, expires),
                reference,
                review,
            )| {
                let review = match review {
                    (Some(by), Some(at), Some(outcome), Some(note)) => Some(GrantReview {
                        reviewed_by: Username::parse(&by).map_err(corrupt)?,
                        reviewed_at: timestamp(&at)?,
                        outcome: ReviewOutcome::parse(&outcome).ok_or_else(|| corrupt(&outcome))?,
                        note: Text::parse(&note).map_err(corrupt)?,
                    }),
                    _ => None,
                };
                Ok(LoggedGrant {
                    id,
                    grant: BreakGlassGrant {
                        username: Username::parse(&username).map_err(corrupt)?,
                        agency: AgencyCode::parse(&agency).map_err(corrupt)?,
                        case_id: CaseId::parse(&case).map_err(corrupt)?,
                        category: Category::parse(&category).map_err(corrupt)?,
                        reason: Text::parse(&reason).map_err(corrupt)?,
                        granted_at: timestamp(&granted)?,
                        expires_at: timestamp(&expires)?,
                    },
                    reference,
                    review,
                })
            },
        )
        .collect()
}

/// Records a review of grant `id` with its audit entry, unless there is no such grant or it is
/// reviewed already.
pub(super) fn review_break_glass(
    connection: &mut Connection,
    id: i64,
    review: &GrantReview,
    audit: AuditEvent,
) -> Result<bool, Error> {
    let mut appender = super::append::Appender::begin(connection)?;
    let written = appender
        .connection()
        .prepare_cached(
            "INSERT INTO break_glass_reviews (grant_id, reviewed_by, reviewed_at, outcome, note) \
             SELECT id, ?2, ?3, ?4, ?5 FROM break_glass WHERE id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM break_glass_reviews WHERE grant_id = ?1)",
        )?
        .execute(params![
            id,
            review.reviewed_by.as_str(),
            review.reviewed_at.sortable(),
            review.outcome.as_str(),
            review.note.as_str()
        ])?;
    if written == 0 {
        return Ok(false);
    }
    appender.record(&[audit])?;
    appender.commit(None)?;
    Ok(true)
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
