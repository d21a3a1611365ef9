//! Messages that name no case Joinery could find, kept whole until their agency's
//! administrator places them, and where each was placed.

use crate::db::{Connection, OptionalExtension, params};
use joinery_domain::{AgencyCode, CaseId, MessageFormat, QualityProblem, Timestamp, UnplacedId};
use joinery_ports::{Placed, UnplacedMessage, UnplacedRecord};
use sha2::{Digest, Sha256};

use super::rows;
use crate::error::{Error, corrupt};

/// The most unplaced messages listed at once (the latest).
const LISTED: i64 = joinery_ports::LISTED_AT_MOST as i64;

/// Keeps `message`, or finds it kept before: its id, and whether it is new.
pub(super) fn keep(
    connection: &Connection,
    message: &UnplacedMessage,
) -> Result<(UnplacedId, bool), Error> {
    let digest: [u8; 32] = Sha256::digest(message.body.as_bytes()).into();
    let problems = serde_json::to_string(&message.problems)
        .map_err(|e| corrupt(format!("problems do not serialize: {e}")))?;
    let inserted = connection
        .prepare_cached(
            "INSERT INTO unplaced (agency, format, received_at, body_sha256, body, problems) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (agency, body_sha256) DO NOTHING",
        )?
        .execute(params![
            message.agency.as_str(),
            message.format.as_str(),
            Timestamp::now().sortable(),
            digest.as_slice(),
            message.body,
            problems,
        ])?;
    let number: i64 = connection.query_row(
        "SELECT unplaced_no FROM unplaced WHERE agency = ?1 AND body_sha256 = ?2",
        params![message.agency.as_str(), digest.as_slice()],
        |row| row.get(0),
    )?;
    Ok((UnplacedId::new(number), inserted == 1))
}

/// An unplaced message's row: number, format, received, problems, and its placement.
type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "u.unplaced_no, u.format, u.received_at, u.problems, \
     p.case_id, p.placed_by, p.placed_at";

fn record_of(row: Row) -> Result<UnplacedRecord, Error> {
    let (number, format, received_at, problems, case_id, by, at) = row;
    let problems: Vec<QualityProblem> =
        serde_json::from_str(&problems).map_err(|e| corrupt(format!("problems: {e}")))?;
    let placed = match (case_id, by, at) {
        (Some(case_id), Some(by), Some(at)) => Some(Placed {
            case_id: CaseId::parse(&case_id).map_err(corrupt)?,
            by,
            at: Timestamp::parse(&at).map_err(corrupt)?,
        }),
        _ => None,
    };
    Ok(UnplacedRecord {
        id: UnplacedId::new(number),
        format: MessageFormat::parse(&format)
            .ok_or_else(|| corrupt(format!("`{format}` is not a message format")))?,
        received_at: Timestamp::parse(&received_at).map_err(corrupt)?,
        problems,
        placed,
    })
}

/// The agency's messages not yet placed, newest first.
pub(super) fn open(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<UnplacedRecord>, Error> {
    let found: Vec<Row> = rows(
        connection,
        &format!(
            "SELECT {COLUMNS} FROM unplaced u \
             LEFT JOIN unplaced_placements p ON p.unplaced_no = u.unplaced_no \
             WHERE u.agency = ?1 AND p.unplaced_no IS NULL \
             ORDER BY u.unplaced_no DESC LIMIT ?2"
        ),
        params![agency.as_str(), LISTED],
    )?;
    found.into_iter().map(record_of).collect()
}

/// One of the agency's unplaced messages, with its text.
pub(super) fn one(
    connection: &Connection,
    agency: &AgencyCode,
    id: UnplacedId,
) -> Result<Option<(UnplacedRecord, String)>, Error> {
    let found: Option<(Row, String)> = connection
        .query_row(
            &format!(
                "SELECT {COLUMNS}, u.body FROM unplaced u \
                 LEFT JOIN unplaced_placements p ON p.unplaced_no = u.unplaced_no \
                 WHERE u.agency = ?1 AND u.unplaced_no = ?2"
            ),
            params![agency.as_str(), id.number()],
            |row| {
                Ok((
                    (
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                    ),
                    row.get(7)?,
                ))
            },
        )
        .optional()?;
    found
        .map(|(row, body)| Ok((record_of(row)?, body)))
        .transpose()
}

/// Records the placement; false if the message is not the agency's or was placed already.
pub(super) fn place(
    connection: &Connection,
    agency: &AgencyCode,
    id: UnplacedId,
    placed: &Placed,
) -> Result<bool, Error> {
    let inserted = connection
        .prepare_cached(
            "INSERT INTO unplaced_placements (unplaced_no, case_id, placed_by, placed_at) \
             SELECT unplaced_no, ?3, ?4, ?5 FROM unplaced WHERE unplaced_no = ?1 AND agency = ?2 \
             ON CONFLICT (unplaced_no) DO NOTHING",
        )?
        .execute(params![
            id.number(),
            agency.as_str(),
            placed.case_id.to_string(),
            placed.by,
            placed.at.sortable(),
        ])?;
    Ok(inserted == 1)
}
