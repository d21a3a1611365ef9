//! Messages in an agency's own format, kept whole beside the canonical events translated from
//! them, and the data-quality problems found in them.

use joinery_domain::{AgencyCode, CaseId, QualityProblem, Timestamp};
use serde::Serialize;

/// A source message to keep, with what its translation found.
#[derive(Debug, Clone)]
pub struct SourceMessage {
    pub agency: AgencyCode,
    /// The format's name, e.g. `spi-results`.
    pub format: &'static str,
    /// The id its events' message ids start with (`SPI-<digest>`).
    pub source_id: String,
    /// The message as sent.
    pub body: String,
    /// What the message holds that Joinery does not model yet, as JSON.
    pub unmodelled: serde_json::Value,
    pub problems: Vec<QualityProblem>,
}

/// A data-quality problem as listed for an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionRecord {
    /// `source-N` or `message-N`: what to resolve it by.
    pub id: String,
    /// The source message's id (its events' ids start with it), or the canonical message's id.
    pub source_id: String,
    pub format: String,
    /// The case its message's events were placed on, if any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<CaseId>,
    #[serde(flatten)]
    pub problem: QualityProblem,
    pub raised_at: Timestamp,
}

/// A message refused at the door, as listed for its agency: why, never what it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectionRecord {
    pub id: i64,
    pub format: String,
    pub received_at: Timestamp,
    pub reasons: Vec<RejectedField>,
}

/// One reason: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RejectedField {
    pub field: String,
    pub problem: String,
}
