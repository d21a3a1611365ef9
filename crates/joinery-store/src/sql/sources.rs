//! Reading the data-quality problems of the messages an agency sent.

use crate::db::{Connection, Engine, OptionalExtension, params};
use joinery_domain::{AgencyCode, CaseId, ExceptionId, MessageFormat, QualityProblem, Timestamp};

use joinery_ports::{
    ExceptionRecord, RejectedField, RejectionRecord, Resolution, ResolutionRecord,
};

use super::rows;
use crate::error::{Error, corrupt};

fn format_of(text: &str) -> Result<MessageFormat, Error> {
    MessageFormat::parse(text).ok_or_else(|| corrupt(format!("`{text}` is not a message format")))
}

/// The most problems (or refusals) listed at once.
const LISTED: i64 = joinery_ports::LISTED_AT_MOST as i64;

/// A problem's row: when raised, its message's id and format, the problem, its case, its id.
type ProblemRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

fn problem_of(row: ProblemRow) -> Result<ExceptionRecord, Error> {
    let (raised_at, source_id, format, code, field, value, explanation, case, id) = row;
    Ok(ExceptionRecord {
        id: ExceptionId::parse(&id).map_err(corrupt)?,
        source_id,
        format: format_of(&format)?,
        case_id: case
            .map(|id| CaseId::parse(&id).map_err(corrupt))
            .transpose()?,
        problem: QualityProblem {
            code,
            field,
            value,
            explanation,
        },
        raised_at: Timestamp::parse(&raised_at).map_err(corrupt)?,
    })
}

pub(super) fn exceptions(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<ExceptionRecord>, Error> {
    // A source's case is that of its first event: its events' ids start with the source id. A
    // canonical message's case is its own. The newest are chosen first, and only their cases
    // looked up.
    let rows: Vec<ProblemRow> = rows(
        connection,
        "SELECT raised, source_id, format, code, field, value, explanation, \
           CASE WHEN kind = 'source' THEN \
             (SELECT c.id FROM messages m JOIN cases c ON c.case_no = m.case_no \
              WHERE m.agency = ?1 AND m.message_id >= source_id || ':' \
                AND m.message_id < source_id || ';' LIMIT 1) \
           ELSE \
             (SELECT c.id FROM messages m JOIN cases c ON c.case_no = m.case_no \
              WHERE m.agency = ?1 AND m.message_id = source_id) END, \
           kind || '-' || no \
         FROM ( \
           SELECT e.raised_at AS raised, s.source_id, s.format, e.code, e.field, e.value, \
             e.explanation, 'source' AS kind, e.id AS no \
           FROM exceptions e JOIN sources s ON s.source_no = e.source_no \
           WHERE e.agency = ?1 AND e.resolved_at IS NULL \
           UNION ALL \
           SELECT x.raised_at, x.message_id, 'canonical', x.code, x.field, x.value, \
             x.explanation, 'message', x.id \
           FROM message_exceptions x WHERE x.agency = ?1 AND x.resolved_at IS NULL \
           ORDER BY 1 DESC, 9 DESC LIMIT ?2) AS listed",
        params![agency.as_str(), LISTED],
    )?;
    rows.into_iter().map(problem_of).collect()
}

/// The open problems of what `agency` sent on one case, found from the case's own messages:
/// costs what the case holds, not what the agency has sent.
pub(super) fn case_exceptions(
    connection: &Connection,
    agency: &AgencyCode,
    case: CaseId,
) -> Result<Vec<ExceptionRecord>, Error> {
    // A translated event's id is its source's id, a colon, and its place in the source.
    let (source_of, translated) = match connection.engine() {
        Engine::Sqlite => (
            "substr(message_id, 1, instr(message_id, ':') - 1)",
            "instr(message_id, ':') > 0",
        ),
        Engine::Postgres => (
            "split_part(message_id, ':', 1)",
            "strpos(message_id, ':') > 0",
        ),
    };
    let rows: Vec<ProblemRow> = rows(
        connection,
        &format!(
            "WITH target AS (SELECT case_no FROM cases WHERE id = ?2), \
           sent AS (SELECT m.message_id FROM messages m \
             WHERE m.case_no = (SELECT case_no FROM target) AND m.agency = ?1) \
         SELECT e.raised_at, s.source_id, s.format, e.code, e.field, e.value, e.explanation, \
           ?2, 'source-' || e.id \
         FROM (SELECT DISTINCT {source_of} AS source_id \
               FROM sent WHERE {translated}) t \
         JOIN sources s ON s.agency = ?1 AND s.source_id = t.source_id \
         JOIN exceptions e ON e.source_no = s.source_no AND e.resolved_at IS NULL \
         UNION ALL \
         SELECT x.raised_at, x.message_id, 'canonical', x.code, x.field, x.value, x.explanation, \
           ?2, 'message-' || x.id \
         FROM sent JOIN message_exceptions x \
           ON x.agency = ?1 AND x.message_id = sent.message_id AND x.resolved_at IS NULL \
         ORDER BY 1 DESC, 9 DESC"
        ),
        params![agency.as_str(), case.to_string()],
    )?;
    rows.into_iter().map(problem_of).collect()
}

pub(super) fn record_rejections(
    connection: &Connection,
    agency: &AgencyCode,
    format: MessageFormat,
    rejections: &[Vec<RejectedField>],
) -> Result<(), Error> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO rejections (agency, format, received_at, reasons) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let now = Timestamp::now().sortable();
    for reasons in rejections {
        let reasons = serde_json::to_string(reasons).map_err(corrupt)?;
        insert.execute(params![agency.as_str(), format.as_str(), now, reasons])?;
    }
    Ok(())
}

pub(super) fn rejections(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<RejectionRecord>, Error> {
    let rows: Vec<(i64, String, String, String)> = rows(
        connection,
        "SELECT id, format, received_at, reasons FROM rejections WHERE agency = ?1 \
         ORDER BY id DESC LIMIT ?2",
        params![agency.as_str(), LISTED],
    )?;
    rows.into_iter()
        .map(|(id, format, received_at, reasons)| {
            Ok(RejectionRecord {
                id,
                format: format_of(&format)?,
                received_at: Timestamp::parse(&received_at).map_err(corrupt)?,
                reasons: serde_json::from_str(&reasons).map_err(corrupt)?,
            })
        })
        .collect()
}

/// Marks a problem resolved, moving what it counts in management information from open to
/// resolved; false if the agency has no such open problem.
pub(super) fn resolve_exception(
    connection: &Connection,
    agency: &AgencyCode,
    id: ExceptionId,
    resolution: &Resolution,
) -> Result<bool, Error> {
    let (table, number) = match id {
        ExceptionId::Source(number) => ("exceptions", number),
        ExceptionId::Message(number) => ("message_exceptions", number),
    };
    let open: Option<(String, String, String)> = connection
        .query_row(
            &format!(
                "SELECT code, raised_at, field FROM {table} \
                 WHERE id = ?1 AND agency = ?2 AND resolved_at IS NULL"
            ),
            params![number, agency.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((code, raised, field)) = open else {
        return Ok(false);
    };
    let resolved = Timestamp::now().sortable();
    connection
        .prepare_cached(
            "INSERT INTO exception_resolutions \
             (agency, resolved_at, exception, code, field, resolved_by, note) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            agency.as_str(),
            resolved,
            id.to_string(),
            code,
            field,
            resolution.by,
            resolution.note.as_ref().map_or("", |note| note.as_str())
        ])?;
    connection.execute(
        &format!("UPDATE {table} SET resolved_at = ?3 WHERE id = ?1 AND agency = ?2"),
        params![number, agency.as_str(), resolved],
    )?;
    let mut lookups = super::caseloads::Lookups::default();
    let mut facts = |resolved: Option<&str>| {
        super::measures::exception_facts(connection, &mut lookups, agency, &code, &raised, resolved)
    };
    let (before, after) = (facts(None)?, facts(Some(&resolved))?);
    let mut moved = super::measures::Moved::default();
    moved.case(&before, &after);
    moved.write(connection)?;
    Ok(true)
}

/// An agency's latest resolutions (100), newest first.
pub(super) fn resolutions(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<ResolutionRecord>, Error> {
    let mut query = connection.prepare_cached(
        "SELECT exception, code, field, resolved_by, resolved_at, note FROM exception_resolutions \
         WHERE agency = ?1 ORDER BY resolved_at DESC LIMIT 100",
    )?;
    let rows: Vec<[String; 6]> = query
        .query_map(params![agency.as_str()], |row| {
            Ok([
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ])
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|[exception, code, field, resolved_by, at, note]| {
            Ok(ResolutionRecord {
                exception,
                code,
                field,
                resolved_by,
                resolved_at: Timestamp::parse(&at).map_err(corrupt)?,
                note: (!note.is_empty()).then_some(note),
            })
        })
        .collect()
}
