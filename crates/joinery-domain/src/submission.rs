//! A message ready for the store: validated, with the text its sender sent kept whole and the
//! data-quality problems found in it on the way in, which are stored with it or not at all.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::CanonicalMessage;

/// The format a message arrived in: Joinery's canonical JSON (also the CSV rows, which are
/// read into it), or an agency's own format translated into canonical events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MessageFormat {
    Canonical,
    /// Libra "SPI Results" XML in a CJSE `DeliverRequest` envelope.
    SpiResults,
    /// HMCTS Common Platform hearing JSON.
    CommonPlatform,
}

impl MessageFormat {
    pub const ALL: [Self; 3] = [Self::Canonical, Self::SpiResults, Self::CommonPlatform];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Canonical => "canonical",
            Self::SpiResults => "spi-results",
            Self::CommonPlatform => "common-platform",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == input)
    }
}

impl std::fmt::Display for MessageFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// The message is malformed, mistyped, or holds an invalid value.
    Invalid,
    /// The message claims to come from an agency other than the sender's.
    WrongAgency,
    /// The sender's kind of agency may not assert this type of fact (see `assertions`).
    NotEntitled,
}

/// A problem with a value in an accepted message, for a person at the sending agency to
/// resolve: the message is kept, and the problem recorded on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct QualityProblem {
    /// A stable code, e.g. `unknown-offence-code`.
    pub code: String,
    /// Where in the message.
    pub field: String,
    /// The value as sent.
    pub value: String,
    /// What is wrong, in plain English.
    pub explanation: String,
}

/// A validated message and its text as sent. The fingerprint of the text tells a resend of the
/// same message from a different message under the same id.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    message: CanonicalMessage,
    body: String,
    body_sha256: [u8; 32],
    format: MessageFormat,
    problems: Vec<QualityProblem>,
}

impl Submission {
    /// A canonical message as its sender sent it.
    pub fn new(message: CanonicalMessage, body: String) -> Self {
        let body_sha256 = Sha256::digest(body.as_bytes()).into();
        Self {
            message,
            body,
            body_sha256,
            format: MessageFormat::Canonical,
            problems: Vec::new(),
        }
    }

    /// The same message with the data-quality problems found in it, to be stored with it.
    #[must_use]
    pub fn with_problems(self, problems: Vec<QualityProblem>) -> Self {
        Self { problems, ..self }
    }

    /// The submission with its message changed by `change`: what Joinery adds to a message as
    /// it comes in (the offences' types). The body stays as the sender sent it.
    pub fn with_message(mut self, change: impl FnOnce(&mut CanonicalMessage)) -> Self {
        change(&mut self.message);
        self
    }

    pub fn problems(&self) -> &[QualityProblem] {
        &self.problems
    }

    /// An event translated from a message in another format (`format`, e.g. SPI Results),
    /// kept as its canonical JSON; the source message is kept whole beside it.
    pub fn translated(
        message: CanonicalMessage,
        format: MessageFormat,
    ) -> Result<Self, serde_json::Error> {
        let body = serde_json::to_string(&message)?;
        Ok(Self {
            format,
            ..Self::new(message, body)
        })
    }

    /// The format the event arrived in.
    pub fn format(&self) -> MessageFormat {
        self.format
    }

    pub fn message(&self) -> &CanonicalMessage {
        &self.message
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    pub fn body_sha256(&self) -> &[u8; 32] {
        &self.body_sha256
    }
}
