//! The hostile-input suite: the attack campaign against the demo, replayed. Each test is an
//! attack as an outsider or an agency's system would make it, and asserts it now fails: no
//! agency joins a case or asserts a fact that is not its own (`team`, `assertions`).
//!
//! Run it alone with `cargo test -p joinery --test it hostile::`.

mod assertions;
mod team;
