//! A message ready for the store: validated, with the text its sender sent kept whole.

use sha2::{Digest, Sha256};

use crate::CanonicalMessage;

/// A validated message and its text as sent. The fingerprint of the text tells a resend of the
/// same message from a different message under the same id.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    message: CanonicalMessage,
    body: String,
    body_sha256: [u8; 32],
}

impl Submission {
    pub fn new(message: CanonicalMessage, body: String) -> Self {
        let body_sha256 = Sha256::digest(body.as_bytes()).into();
        Self {
            message,
            body,
            body_sha256,
        }
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
