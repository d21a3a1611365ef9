//! CSV for legacy systems: the documented layout is the one the code reads, every example row
//! in it loads, and a bad row is refused naming its row and column.

use std::path::{Path, PathBuf};

use joinery_ports::CaseStore;

use crate::support::TestServer;

/// Loads one CSV file as `agency` would, with the server's standing data.
async fn load_csv(server: &TestServer, agency: &str, file: PathBuf) -> joinery::load::Summary {
    let sender = server.sender(agency).await;
    joinery::load::load_csv_files(server.app(), &sender, &[file])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn docs_csv_md_is_the_layout_joinery_reads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/csv.md");
    let written =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        written == joinery_ingest::documented_csv_layout(),
        "docs/csv.md is out of date: run `cargo run -- csv-layout > docs/csv.md`"
    );
}

/// The CSV blocks of docs/csv.md: (type, the block's text).
fn documented_blocks() -> Vec<(String, String)> {
    let layout = joinery_ingest::documented_csv_layout();
    layout
        .split("\n## `")
        .skip(1)
        .filter_map(|section| {
            let (kind, rest) = section.split_once('`')?;
            let block = rest.split("```csv\n").nth(1)?.split("```").next()?;
            Some((kind.to_owned(), block.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn every_documented_row_loads_and_a_bad_row_names_its_row_and_column() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let blocks = documented_blocks();
    assert_eq!(blocks.len(), joinery_app::MESSAGE_EXAMPLES.len());
    for (kind, block) in &blocks {
        let agency = block
            .lines()
            .nth(1)
            .and_then(|row| row.split(',').nth(1))
            .unwrap_or_default();
        let file = dir.path().join(format!("{kind}.csv"));
        std::fs::write(&file, block).unwrap_or_else(|e| panic!("{e}"));
        let summary = load_csv(&server, agency, file).await;
        assert_eq!(
            (summary.accepted, summary.rejected),
            (1, 0),
            "{kind}: {:?}",
            summary.report()
        );
    }

    let bad = "message_id,agency,system,occurred_at,case.urn,type,payload.offences.0.sequence,payload.offences.0.code,payload.offences.0.wording\n\
               CSV-1,MERPOL,Legacy,2026-03-01T10:00:00Z,05AA5555526,charge,1,TH68001,Stole a phone\n\
               CSV-2,MERPOL,Legacy,2026-03-01T11:00:00Z,05AA5555526,charge,1,NOT A CODE,Stole a bike\n\
               CSV-3,MERPOL,Legacy,2026-03-01T12:00:00Z,05AA5555526,charge,one,TH68001,Stole a car\n";
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, bad).unwrap_or_else(|e| panic!("{e}"));
    let summary = load_csv(&server, "MERPOL", file).await;
    let report = summary.report();
    assert_eq!((summary.accepted, summary.rejected), (1, 2), "{report:?}");
    let line = |field: &str| {
        report
            .iter()
            .find(|line| line.contains(field))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        line("payload.offences[0].code").contains("bad.csv row 3"),
        "{report:?}"
    );
    assert!(
        line("payload.offences[0].sequence").contains("bad.csv row 4"),
        "{report:?}"
    );

    if !server.has_reference() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs the standing data"
        );
        return;
    }
    let unknown = "message_id,agency,system,occurred_at,case.urn,type,payload.offences.0.sequence,payload.offences.0.code,payload.offences.0.wording\n\
                   CSV-9,MERPOL,Legacy,2026-03-02T10:00:00Z,05AA6666626,charge,1,ZZ99001,Took a boat\n";
    let file = dir.path().join("unknown.csv");
    std::fs::write(&file, unknown).unwrap_or_else(|e| panic!("{e}"));
    let summary = load_csv(&server, "MERPOL", file).await;
    assert_eq!(
        summary.accepted, 1,
        "an unknown code is no reason to refuse"
    );
    let listed = server
        .store
        .exceptions(joinery_domain::AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        listed
            .iter()
            .any(|e| e.source_id == "CSV-9" && e.problem.code == "offence-code-unknown"),
        "{listed:?}"
    );
}
