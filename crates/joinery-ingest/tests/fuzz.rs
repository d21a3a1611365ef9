//! Fuzzing every parser of untrusted input with proptest, for a bounded number of cases: random
//! bytes, and real messages from `../shared/fixtures/` and `examples/` cut, spliced and
//! corrupted. Each parser must answer — a translation, a submission or a rejection — and never
//! panic. (Run longer with `PROPTEST_CASES=100000 cargo test -p joinery-ingest --test fuzz`.)

use std::path::Path;

use joinery_domain::AgencyCode;
use joinery_ingest::{SourceFormat, parse_message, split_document, xml};
use joinery_reference::StandingData;
use proptest::prelude::*;

fn sender() -> AgencyCode {
    AgencyCode::parse("LVCJC").unwrap_or_else(|e| panic!("{e}"))
}

/// Real messages of each kind the parsers read: the project's own examples, always; and some of
/// the MoJ's fixtures (`$JOINERY_FIXTURES` or `../shared/fixtures`) where this machine has them,
/// which under CI it must.
fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let mut seeds: Vec<String> = [
        "spi-results/sentence.xml",
        "spi-results/first-appearance-adjourned.xml",
        "common-platform/first-hearing.json",
        "messages/charge.json",
        "messages/sentence.json",
    ]
    .iter()
    .map(|path| read(&root.join("examples").join(path)))
    .collect();
    let shared = std::env::var_os("JOINERY_FIXTURES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/fixtures"));
    if shared.is_dir() {
        seeds.extend(
            [
                "spi-results/006-judgement-final-result__input-message.xml",
                "spi-results/032-offences-taken-into-consideration__input-message.xml",
                "common-platform/hearing.json",
                "common-platform/hearing-multiple-cases.json",
            ]
            .iter()
            .map(|path| read(&shared.join(path))),
        );
    } else if std::env::var_os("CI").is_some() {
        panic!(
            "the shared fixtures are not at {}: under CI they must be",
            shared.display()
        );
    } else {
        eprintln!(
            "fuzzing the project's examples only: no shared fixtures at {}",
            shared.display()
        );
    }
    seeds
}

/// Feeds `text` to every parser; none may panic.
fn every_parser(text: &str) {
    let standing = StandingData::default();
    let _ = xml::parse(text);
    let _ = SourceFormat::SpiResults.translate(&sender(), text, &standing);
    let _ = SourceFormat::CommonPlatform.translate(&sender(), text, &standing);
    let _ = parse_message(&sender(), text);
    let _ = split_document(text, true);
}

/// A change to a message: cut a range, insert text, or repeat a range.
#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize, usize),
    Insert(usize, String),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..200usize).prop_map(|(at, len)| Mutation::Cut(at, len)),
        (
            any::<usize>(),
            "[<>/\"&;:{}\\[\\],a-zA-Z0-9 \\x00-\\x1f\u{80}-\u{10ffff}]{0,40}"
        )
            .prop_map(|(at, text)| Mutation::Insert(at, text)),
        (any::<usize>(), 0..400usize).prop_map(|(at, len)| Mutation::Repeat(at, len)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, change: &Mutation) -> String {
    match change {
        Mutation::Cut(at, len) => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Mutation::Insert(at, insert) => {
            let at = boundary(text, *at);
            format!("{}{insert}{}", &text[..at], &text[at..])
        }
        Mutation::Repeat(at, len) => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*len).min(text.len())).max(start);
            format!("{}{}", &text[..end], &text[start..])
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        every_parser(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn no_parser_panics_on_a_corrupted_real_message(
        seed in 0..6usize,
        changes in proptest::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for change in &changes {
            text = apply(&text, change);
        }
        every_parser(&text);
    }
}
