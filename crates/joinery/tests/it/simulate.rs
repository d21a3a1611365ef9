//! The agency simulators play new cases against a real server: every message is accepted, and
//! the court's results arrive as SPI Results XML and land on the right cases.

use std::collections::HashMap;

use joinery_domain::AgencyCode;

use crate::support::{TestServer, standing_data};

#[tokio::test]
async fn the_simulated_agencies_play_new_cases_that_joinery_accepts() {
    let server = TestServer::start().await;
    let Some(standing) = standing_data() else {
        return;
    };
    let keys: HashMap<AgencyCode, String> = joinery::model_office::agencies()
        .into_iter()
        .map(|agency| {
            let key = server.key(agency.code.as_str()).to_owned();
            (agency.code, key)
        })
        .collect();
    let sent = joinery::simulate::run(&server.base, &keys, 2_000, 12, 10_000.0, Some(&standing))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sent.refused.is_empty(), "{:?}", sent.refused);
    assert!(sent.canonical > 50, "{sent:?}");
    assert!(
        sent.spi_results > 0,
        "no court result was sent as SPI XML: {sent:?}"
    );
    let sources = server
        .db
        .number("SELECT COUNT(*) FROM sources WHERE format = 'spi-results'");
    let spi_events = server
        .db
        .number("SELECT COUNT(*) FROM messages WHERE format = 'spi-results'");
    assert_eq!(sources, i64::try_from(sent.spi_results).unwrap_or_default());
    assert!(
        spi_events > sources,
        "each SPI result became several events"
    );
    let exceptions = server
        .db
        .number("SELECT COUNT(*) FROM exceptions WHERE code NOT IN ('court-unknown')");
    assert_eq!(exceptions, 0, "the model office's own results are clean");
}
