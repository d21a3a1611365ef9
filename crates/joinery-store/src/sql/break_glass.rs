//! Break-glass grants: given with a reason for one category of one case, in force until they
//! expire, listed for governance with each case's reference, and reviewed once each.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Connection, OptionalExtension, params};
use joinery_domain::{AgencyCode, CaseId, Category, Text, Timestamp, Username};
use joinery_ports::{
    AuditEvent, BreakGlassGrant, GrantReview, LoggedGrant, ReviewOutcome, StoreError,
};

use super::people::timestamp;
use super::rows;
use crate::error::{Error, corrupt};

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
         WHERE ?1 = FALSE OR v.grant_id IS NULL ORDER BY g.id DESC LIMIT 500",
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
