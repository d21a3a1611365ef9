//! Joinery's domain: the vocabulary every other crate speaks.
//!
//! This crate holds the validated identifiers of the criminal justice system (URN, ASN, PNC ID,
//! CRO number, CJS codes), the agencies, the canonical messages agencies send, and the case
//! projection that folds a case's events into its current state and journey stage.
//!
//! It is not: storage (it knows no SQL), transport (it knows no HTTP), or policy. Every function
//! here is pure, so the projection can be property-tested and replayed anywhere.

pub mod agency;
pub mod assertions;
pub mod ids;
pub mod journey;
pub mod matrix;
pub mod measures;
pub mod message;
pub mod projection;
pub mod reader;
pub mod search;
pub mod sharing;
pub mod submission;
pub mod text;
pub mod timestamp;

pub use agency::{AgencyCode, AgencyKind};
pub use ids::{
    ActionId, Asn, CaseId, CourtCaseId, CroNumber, ExceptionId, HearingId, IdError, MessageId,
    OffenceCode, OuCode, PncId, ResultCode, Sequence, SystemName, UnplacedId, Urn,
};
pub use journey::{CloseReason, Stage};
pub use message::{CanonicalMessage, CaseRef, MessageKind, Payload};
pub use projection::{CaseState, OrderKey};
pub use reader::{Access, Decision, Reader, ReaderId};
pub use sharing::{CaseFacts, Category, ItemFacts, NoteFacts, Role, Username};
pub use submission::{MessageFormat, QualityProblem, Submission};
pub use text::{Name, Text};
pub use timestamp::Timestamp;
