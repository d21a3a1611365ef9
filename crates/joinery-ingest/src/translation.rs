//! What a message in an agency's own format becomes: canonical events, the data-quality
//! problems found on the way, and what the message holds that Joinery does not model yet (kept
//! with the raw message, and listed so that nothing is silently lost).

use joinery_domain::CanonicalMessage;
use serde::Serialize;

/// The formats Joinery reads besides its own canonical JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// Libra "SPI Results" XML in a CJSE `DeliverRequest` envelope.
    SpiResults,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SpiResults => "spi-results",
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
