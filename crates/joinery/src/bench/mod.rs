//! `joinery bench`: measurements that print figures, each against a baseline measured in the
//! same run.

mod case_view;
mod caseload;
mod ingest;
mod live;
mod national;
mod not_found;
mod sign_in;

pub use case_view::{CaseViewFigures, case_view};
pub use caseload::{CaseloadFigures, caseload};
pub use ingest::{IngestFigures, ingest, sample_messages};
pub use live::{LiveFigures, Load, live};
pub use national::{PageFigures, Percentiles, national};
pub use not_found::{NotFoundFigures, not_found};
pub use sign_in::{SignInFigures, sign_in_flood};
