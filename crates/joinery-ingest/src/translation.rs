//! What a message in an agency's own format becomes: canonical events, the data-quality
//! problems found on the way, and what the message holds that Joinery does not model yet (kept
//! with the raw message, and listed so that nothing is silently lost).

use joinery_domain::{
    AgencyCode, CanonicalMessage, CaseRef, MessageId, Payload, SystemName, Timestamp,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
    ) -> Result<Translation, crate::Rejection> {
        match self {
            Self::SpiResults => crate::translate_spi_results(sender, text, reference),
            Self::CommonPlatform => crate::translate_common_platform(sender, text, reference),
        }
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
}

/// Gathers a translation's events and problems. Event ids are the source's content digest and a
/// key that orders the events of one instant: the same message always gives the same events.
pub(crate) struct Builder {
    format: SourceFormat,
    sender: AgencyCode,
    system: SystemName,
    base_id: String,
    pub(crate) events: Vec<CanonicalMessage>,
    pub(crate) problems: Vec<DataQualityProblem>,
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
        }
    }

    pub(crate) fn problem(
        &mut self,
        code: &'static str,
        field: &str,
        value: &str,
        explanation: String,
    ) {
        self.problems.push(DataQualityProblem {
            code,
            field: field.to_owned(),
            value: value.to_owned(),
            explanation,
        });
    }

    pub(crate) fn emit(&mut self, key: &str, case: &CaseRef, at: Timestamp, payload: Payload) {
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

    pub(crate) fn finish(
        self,
        source_identifier: Option<String>,
        unmodelled: Vec<Unmodelled>,
    ) -> Translation {
        Translation {
            format: self.format,
            source_identifier,
            events: self.events,
            problems: self.problems,
            unmodelled,
        }
    }
}
