//! `joinery simulate`: the model office's agency systems played against a running Joinery.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use joinery_domain::AgencyCode;

use super::say;

#[derive(clap::Args)]
pub(crate) struct SimulateArgs {
    /// The Joinery to send to.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    addr: String,
    /// The demo's credentials file, with each agency's API key.
    #[arg(long, default_value = "joinery-demo/demo-credentials.json")]
    credentials: PathBuf,
    /// How many new cases to play out.
    #[arg(long, default_value_t = 50)]
    cases: u32,
    /// Messages a second.
    #[arg(long, default_value_t = 5.0)]
    rate: f64,
    /// The number of the first new case (cases from the demo run 1 to 300).
    #[arg(long, default_value_t = 1_000)]
    first: u32,
    #[arg(long, env = "JOINERY_REFERENCE")]
    reference: Option<PathBuf>,
}

pub(crate) async fn simulate(args: SimulateArgs) -> anyhow::Result<()> {
    let SimulateArgs {
        addr,
        credentials,
        cases,
        rate,
        first,
        reference,
    } = args;
    let text = std::fs::read_to_string(&credentials).with_context(|| {
        format!(
            "reading {} (run `joinery demo` first)",
            credentials.display()
        )
    })?;
    let document: serde_json::Value = serde_json::from_str(&text)?;
    let mut keys = HashMap::new();
    for agency in document["agencies"].as_array().into_iter().flatten() {
        if let (Some(code), Some(key)) = (agency["agency"].as_str(), agency["api_key"].as_str()) {
            keys.insert(AgencyCode::parse(code)?, key.to_owned());
        }
    }
    let dir =
        reference.unwrap_or_else(|| joinery::reference::default_dir(std::path::Path::new(".")));
    let standing = joinery::reference::load(&dir).ok();
    if standing.is_none() {
        eprintln!("no standing data: the court sends canonical results instead of SPI XML");
    }
    say!("simulating {cases} cases from case {first} at {rate} messages a second to {addr}");
    let sent = joinery::simulate::run(&addr, &keys, first, cases, rate, standing.as_ref()).await?;
    for refusal in &sent.refused {
        eprintln!("refused: {refusal}");
    }
    say!(
        "sent {} canonical messages and {} SPI results; {} refused",
        sent.canonical,
        sent.spi_results,
        sent.refused.len()
    );
    Ok(())
}
