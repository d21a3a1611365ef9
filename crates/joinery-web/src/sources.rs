//! Keeping a translated message: the source whole, its problems, and its canonical events, in
//! one store transaction. Shared by the API and the `joinery ingest` command.

use std::collections::BTreeSet;

use joinery_domain::{AgencyCode, CaseId, QualityProblem, Submission};
use joinery_ingest::{Translation, Unmodelled};
use joinery_store::{AppendOutcome, EventStore, SourceMessage, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// What became of a translated message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceAnswer {
    /// `accepted`, or `duplicate` when the same message was kept before.
    pub status: &'static str,
    /// The id its events' message ids start with.
    pub source_id: String,
    pub events: usize,
    pub case_ids: Vec<CaseId>,
    /// The data-quality problems found, recorded for the sending agency to resolve.
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<QualityProblem>,
    /// The values the message holds that Joinery does not model yet, kept with it.
    #[schema(value_type = Vec<Object>)]
    pub unmodelled: Vec<Unmodelled>,
    /// Events refused because they contradict what is stored (same id, different content).
    pub conflicts: Vec<String>,
}

/// Stores `translation` of `raw`, as sent by `agency`.
pub async fn store_translation(
    store: &dyn EventStore,
    agency: &AgencyCode,
    raw: &str,
    translation: Translation,
) -> Result<SourceAnswer, StoreError> {
    let format = translation.format.as_str();
    let source_id = translation
        .events
        .first()
        .and_then(|event| event.message_id.as_str().split(':').next())
        .unwrap_or_default()
        .to_owned();
    let events: Vec<Submission> = translation
        .events
        .into_iter()
        .map(|event| Submission::translated(event, format))
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let count = events.len();
    let source = SourceMessage {
        agency: agency.clone(),
        format,
        source_id: source_id.clone(),
        body: raw.to_owned(),
        unmodelled: serde_json::to_value(&translation.unmodelled)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        problems: translation
            .problems
            .into_iter()
            .map(QualityProblem::from)
            .collect(),
    };
    let mut problems = source.problems.clone();
    let outcomes = store.append_source(source, events).await?;
    let mut case_ids = BTreeSet::new();
    let mut conflicts = Vec::new();
    let mut accepted = 0;
    for outcome in outcomes {
        match outcome {
            AppendOutcome::Accepted {
                case_id,
                problems: found,
            } => {
                accepted += 1;
                case_ids.insert(case_id);
                problems.extend(found);
            }
            AppendOutcome::Duplicate { case_id } => {
                case_ids.insert(case_id);
            }
            AppendOutcome::Conflict { problem } => conflicts.push(problem),
        }
    }
    Ok(SourceAnswer {
        status: if accepted == 0 && conflicts.is_empty() {
            "duplicate"
        } else {
            "accepted"
        },
        source_id,
        events: count,
        case_ids: case_ids.into_iter().collect(),
        problems,
        unmodelled: translation.unmodelled,
        conflicts,
    })
}
