//! The hostile-input suite: the attack campaign against the demo, replayed. Each test is an
//! attack as an outsider or an agency's system would make it, and asserts it now fails: no
//! agency joins a case or asserts a fact that is not its own (`team`, `assertions`), and
//! signing in cannot be raced, flooded or outlived by a stolen session (`sign_in`), and no
//! webhook reaches inside or holds up another agency's (`webhooks`).
//!
//! Run it alone with `cargo test -p joinery --test it hostile::`.

mod assertions;
mod sign_in;
mod team;
mod webhooks;
