//! What a message in an agency's own format becomes: canonical events, the data-quality
//! problems found on the way, and what the message holds that Joinery does not model yet (kept
//! with the raw message, and listed so that nothing is silently lost).

use joinery_domain::{
    AgencyCode, CanonicalMessage, CaseRef, MessageId, Payload, SystemName, Timestamp,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem::{FieldProblem, Rejection};

/// The formats Joinery reads besides its own canonical JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// Libra "SPI Results" XML in a CJSE `DeliverRequest` envelope.
    SpiResults,
    /// HMCTS Common Platform hearing JSON (`{"hearing": {...}}`).
    CommonPlatform,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SpiResults => "spi-results",
            Self::CommonPlatform => "common-platform",
        }
    }

    pub const ALL: [Self; 2] = [Self::SpiResults, Self::CommonPlatform];

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == input)
    }

    /// The format as the store records it.
    pub fn message_format(self) -> joinery_domain::MessageFormat {
        match self {
            Self::SpiResults => joinery_domain::MessageFormat::SpiResults,
            Self::CommonPlatform => joinery_domain::MessageFormat::CommonPlatform,
        }
    }

    /// Translates `text`, sent by `sender`, from this format.
    pub fn translate(
        self,
        sender: &AgencyCode,
        text: &str,
        reference: &joinery_reference::StandingData,
    ) -> Result<Translation, Rejection> {
        self.translate_placed(sender, text, reference, None)
    }

    /// Translates `text` as [`Self::translate`] does, its cases that name no usable reference
    /// placed on `placement` (where a person has placed the message).
    pub fn translate_placed(
        self,
        sender: &AgencyCode,
        text: &str,
        reference: &joinery_reference::StandingData,
        placement: Option<&CaseRef>,
    ) -> Result<Translation, Rejection> {
        match self {
            Self::SpiResults => crate::spi::translate(sender, text, reference, placement),
            Self::CommonPlatform => {
                crate::common_platform::translate(sender, text, reference, placement)
            }
        }
        .map_err(|rejection| rejection.without_what_was_sent(text))
    }

    /// The prefix of the ids of the events translated from a message in this format.
    fn id_prefix(self) -> &'static str {
        match self {
            Self::SpiResults => "SPI",
            Self::CommonPlatform => "CP",
        }
    }
}

/// A problem with a value in an accepted message, for a person to resolve: the message is kept,
/// and the problem is recorded on it and on its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataQualityProblem {
    /// A stable code, e.g. `asn-check-letter`.
    pub code: &'static str,
    /// Where in the message, as a path of element names.
    pub field: String,
    /// The value as sent.
    pub value: String,
    /// What is wrong, in plain English.
    pub explanation: String,
}

impl From<DataQualityProblem> for joinery_domain::QualityProblem {
    fn from(problem: DataQualityProblem) -> Self {
        Self {
            code: problem.code.to_owned(),
            field: problem.field,
            value: problem.value,
            explanation: problem.explanation,
        }
    }
}

/// A value the message carries that Joinery does not model yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmodelled {
    pub field: String,
    pub value: String,
}

/// A source message translated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Translation {
    pub format: SourceFormat,
    /// The sending system's own identifier for the message, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_identifier: Option<String>,
    pub events: Vec<CanonicalMessage>,
    pub problems: Vec<DataQualityProblem>,
    pub unmodelled: Vec<Unmodelled>,
    /// A case in it names no case Joinery could find it by (no usable URN or ASN): the message
    /// is to be kept whole, unplaced, and its events stored only once a person places it.
    pub unplaced: bool,
}

/// The most events one message may translate into: a court's results for every defendant and
/// offence of a busy list run to a few hundred.
pub const MAX_EVENTS: usize = 1_000;

/// The most data-quality problems one message may carry: real messages carry a handful; more
/// is a message built to multiply rows (each problem is stored, and listed to the agency).
pub const MAX_PROBLEMS: usize = 100;

/// The most values one message may carry that Joinery does not model.
pub const MAX_UNMODELLED: usize = 2_000;

/// Gathers a translation's events and problems. Event ids are the source's content digest and a
/// key that orders the events of one instant: the same message always gives the same events.
pub(crate) struct Builder {
    format: SourceFormat,
    sender: AgencyCode,
    system: SystemName,
    base_id: String,
    pub(crate) events: Vec<CanonicalMessage>,
    pub(crate) problems: Vec<DataQualityProblem>,
    /// Events and problems offered past their bounds: counted, not kept.
    events_over: usize,
    problems_over: usize,
    /// The case a person placed the message on, for its cases that name none.
    placement: Option<CaseRef>,
    unplaced: bool,
}

impl Builder {
    pub(crate) fn new(
        format: SourceFormat,
        sender: &AgencyCode,
        system: SystemName,
        text: &str,
    ) -> Self {
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        Self {
            format,
            sender: sender.clone(),
            system,
            base_id: format!("{}-{}", format.id_prefix(), &digest[..24]),
            events: Vec::new(),
            problems: Vec::new(),
            events_over: 0,
            problems_over: 0,
            placement: None,
            unplaced: false,
        }
    }

    /// The same, for a message a person has placed on `case`.
    pub(crate) fn placed(mut self, case: Option<&CaseRef>) -> Self {
        self.placement = case.cloned();
        self
    }

    /// The reference of a case that names no usable one: where the message was placed, or
    /// (with a problem saying so, at `field`) none, the message then unplaced.
    pub(crate) fn unnamed_case(&mut self, field: &str, what_is_missing: &str) -> Option<CaseRef> {
        if let Some(case) = &self.placement {
            return Some(case.clone());
        }
        self.unplaced = true;
        self.problem(
            "case-unplaced",
            field,
            "",
            format!(
                "the case has no usable reference ({what_is_missing}): the message is kept whole, \
                 unplaced, for the sending agency's administrator to place on its case"
            ),
        );
        None
    }

    pub(crate) fn problem(
        &mut self,
        code: &'static str,
        field: &str,
        value: &str,
        explanation: String,
    ) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.problems_over += 1;
            return;
        }
        self.problems.push(DataQualityProblem {
            code,
            field: field.to_owned(),
            value: value.to_owned(),
            explanation,
        });
    }

    /// `value` (at `field`) parsed by `parse`; or, failing, `None` and a problem `code` saying
    /// why, the message kept.
    pub(crate) fn checked<T, E: std::fmt::Display>(
        &mut self,
        code: &'static str,
        field: &str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let value = value?;
        match parse(value) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.problem(code, field, value, error.to_string());
                None
            }
        }
    }

    /// An SPI remand status code (`U`, `B`, `C`, ..., as Common Platform's custody statuses
    /// too) as bail: looked up in the standing data, a code it does not know a problem; `None`
    /// too for a status that is not bail or custody (`A`, not applicable).
    pub(crate) fn bail_status(
        &mut self,
        reference: &joinery_reference::StandingData,
        field: &str,
        code: &str,
    ) -> Option<joinery_domain::message::Bail> {
        use joinery_domain::journey::BailStatus;
        let Some(status) = reference.remand_status(code) else {
            self.problem(
                "bail-status-unknown",
                field,
                code,
                format!("the bail status `{code}` is not in the standing data's remand statuses"),
            );
            return None;
        };
        let status = match status.cjs_code.as_str() {
            "UB" => BailStatus::UnconditionalBail,
            "CB" => BailStatus::ConditionalBail,
            "PB" | "PR" | "LA" | "SA" => BailStatus::RemandedInCustody,
            _ => return None,
        };
        Some(joinery_domain::message::Bail {
            status,
            conditions: Vec::new(),
            until: None,
        })
    }

    pub(crate) fn emit(&mut self, key: &str, case: &CaseRef, at: Timestamp, payload: Payload) {
        if self.events.len() >= MAX_EVENTS {
            self.events_over += 1;
            return;
        }
        let id = format!("{}:{key}", self.base_id);
        if let Ok(message_id) = MessageId::parse(&id) {
            self.events.push(CanonicalMessage {
                message_id,
                agency: self.sender.clone(),
                system: self.system.clone(),
                occurred_at: at,
                case: case.clone(),
                payload,
            });
        }
    }

    /// The translation; or, when the message multiplies past a bound, its refusal saying
    /// which and how far.
    pub(crate) fn finish(
        self,
        source_identifier: Option<String>,
        unmodelled: Vec<Unmodelled>,
    ) -> Result<Translation, Rejection> {
        let over = [
            ("events", self.events.len() + self.events_over, MAX_EVENTS),
            (
                "data-quality problems",
                self.problems.len() + self.problems_over,
                MAX_PROBLEMS,
            ),
            (
                "values Joinery does not model",
                unmodelled.len(),
                MAX_UNMODELLED,
            ),
        ]
        .into_iter()
        .find(|(_, count, max)| count > max);
        if let Some((what, count, max)) = over {
            return Err(Rejection::invalid(FieldProblem::new(
                &[],
                format!(
                    "the message gives {count} {what}, more than the {max} one message may carry"
                ),
            )));
        }
        Ok(Translation {
            format: self.format,
            source_identifier,
            events: self.events,
            problems: self.problems,
            unmodelled,
            unplaced: self.unplaced,
        })
    }
}
