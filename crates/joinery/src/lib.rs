//! The `joinery` binary's library half: what its commands do, kept out of `main.rs` so that the
//! integration tests can drive the same code.

pub mod bench;
pub mod credentials;
pub mod load;
pub mod model_office;
pub mod national;
pub mod reference;
pub mod server;
pub mod simulate;
pub mod webhooks;
