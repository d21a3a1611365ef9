//! The hostile-input suite: the attack campaign against the demo, replayed. Each test is an
//! attack as an outsider or an agency's system would make it, and asserts it now fails: no
//! agency joins a case or asserts a fact that is not its own (`team`, `assertions`), and
//! signing in cannot be raced, flooded or outlived by a stolen session (`sign_in`), and no
//! webhook reaches inside or holds up another agency's (`webhooks`); no message multiplies
//! past its bounds (`limits`); a refusal keeps why, never what (`refusals`); and no text shows
//! as something else (`text`); and every error is answered in the caller's own terms
//! (`errors`); and no order or timing tells what the reader may not see (`order`).
//!
//! Run it alone with `cargo test -p joinery --test it hostile::`.

mod assertions;
mod errors;
mod limits;
mod order;
mod refusals;
mod sign_in;
mod team;
mod text;
mod webhooks;
