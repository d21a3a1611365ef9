//! Fuzzing every parser of untrusted input with proptest, a target per parser, for a bounded
//! number of cases in every test run (so in CI): random bytes, and real messages from
//! `../shared/fixtures/` and `examples/` cut, spliced and corrupted. Each parser must answer —
//! a translation, a submission, rows or a rejection — and never panic. The targets: the XML
//! tree, SPI Results, Common Platform, one canonical message, a document of them (JSON, JSON
//! array, JSON lines), CSV rows, and a JSON request body. (Run longer with
//! `PROPTEST_CASES=100000 cargo test -p joinery-ingest --test fuzz`.)

use std::path::Path;

use joinery_domain::AgencyCode;
use joinery_ingest::{
    SourceFormat, documented_csv_layout, example_of, parse_csv, parse_message, read_json,
    split_document, xml,
};
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

/// The CSV blocks of the documented layout, as a legacy system would send them.
fn csv_seeds() -> Vec<String> {
    documented_csv_layout()
        .split("```csv\n")
        .skip(1)
        .filter_map(|block| block.split("```").next().map(str::to_owned))
        .collect()
}

/// Each parser, by name, with what it is fed: every target answers or refuses, never panics.
fn parser(name: &str) -> fn(&str) {
    match name {
        "xml" => |text| drop(xml::parse(text)),
        "spi-results" => |text| {
            drop(SourceFormat::SpiResults.translate(&sender(), text, &StandingData::default()))
        },
        "common-platform" => |text| {
            drop(SourceFormat::CommonPlatform.translate(&sender(), text, &StandingData::default()))
        },
        "canonical" => |text| drop(parse_message(&sender(), text)),
        "document" => |text| drop(split_document(text, true)),
        "csv" => |text| drop(parse_csv(&sender(), text, &example_of)),
        "json-body" => |text| drop(read_json::<serde_json::Value>(text)),
        other => panic!("no parser `{other}`"),
    }
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

/// Random bytes, and corrupted real messages (`seeds`), to the parser named `name`.
fn fuzz(name: &str, bytes: &[u8], seed: usize, changes: &[Mutation], seeds: &[String]) {
    let parse = parser(name);
    parse(&String::from_utf8_lossy(bytes));
    let mut text = seeds[seed % seeds.len()].clone();
    for change in changes {
        text = apply(&text, change);
    }
    parse(&text);
}

/// A proptest target per parser.
macro_rules! targets {
    ($($test:ident => $name:literal from $seeds:expr),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(96))]
            $(
                #[test]
                fn $test(
                    bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                    seed in 0..16usize,
                    changes in proptest::collection::vec(mutation(), 1..6),
                ) {
                    fuzz($name, &bytes, seed, &changes, &$seeds);
                }
            )*
        }
    };
}

targets! {
    the_xml_tree_never_panics => "xml" from seeds(),
    spi_results_never_panic => "spi-results" from seeds(),
    common_platform_never_panics => "common-platform" from seeds(),
    a_canonical_message_never_panics => "canonical" from seeds(),
    a_document_of_messages_never_panics => "document" from seeds(),
    csv_rows_never_panic => "csv" from csv_seeds(),
    a_json_request_body_never_panics => "json-body" from seeds(),
}
