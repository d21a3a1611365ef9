//! Bulk loading from files with the same validation and idempotency as the API.

use crate::support::TestServer;

#[tokio::test]
async fn json_lines_load_once_then_count_as_duplicates() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("police.jsonl");
    let lines: Vec<String> = ["arrest.json", "bail.json", "charge.json"]
        .iter()
        .map(|name| {
            let text = crate::support::fixtures::example("messages", name);
            serde_json::from_str::<serde_json::Value>(&text)
                .expect("json")
                .to_string()
        })
        .chain((1..=4).map(|n| format!(r#"{{"message_id":"BAD-{n}","agency":"MERPOL"}}"#)))
        .collect();
    std::fs::write(&file, lines.join("\n")).expect("write");
    let police = server.sender("MERPOL").await;
    let first =
        joinery::load::load_files(server.app(), &police, std::slice::from_ref(&file), false)
            .await
            .expect("load");
    assert_eq!((first.accepted, first.duplicate, first.rejected), (3, 0, 4));
    // Four messages refused for one reason are one line, with the first few places.
    let report = first.report();
    assert!(
        report.len() == 1
            && report[0].starts_with("4 × rejected: system")
            && report[0].contains("#4, ")
            && !report[0].contains("#7"),
        "{report:?}"
    );
    let second = joinery::load::load_files(server.app(), &police, &[file], false)
        .await
        .expect("load");
    assert_eq!(
        (second.accepted, second.duplicate, second.rejected),
        (0, 3, 4)
    );
}
