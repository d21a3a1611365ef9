//! Ingest: from untrusted bytes to validated submissions.
//!
//! An agency's system sends text; this crate parses it, validates every identifier through the
//! domain's parsing constructors, and either yields a [`Submission`] (the message, typed, and its
//! text kept whole) or a [`Rejection`] naming the field at fault and the problem.
//!
//! It is not: storage, transport, or authorization. It does not decide whether a message is a
//! duplicate (only the store knows), and it never logs message content.

mod codes;
mod common_platform;
mod court_words;
mod csv_rows;
mod document;
mod envelope;
mod examples;
mod problem;
mod spi;
mod translation;
pub mod xml;

pub use codes::{classify_offences, noting_unknown_codes, unknown_codes};
pub use common_platform::translate_common_platform;
pub use csv_rows::{CsvRow, csv_layout, parse_csv};
pub use document::{DocumentError, split_document};
pub use envelope::{parse_message, read_json};
pub use examples::{MESSAGE_EXAMPLES, documented_csv_layout, example_of};
pub use joinery_domain::Submission;
pub use problem::{FieldProblem, Rejection, RejectionKind, Segment};
pub use spi::translate_spi_results;
pub use translation::{DataQualityProblem, SourceFormat, Translation, Unmodelled};
