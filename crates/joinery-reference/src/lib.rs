//! Reference data from the official source: the Ministry of Justice's standing-data package
//! `@moj-bichard7-developers/bichard7-next-data` (npm, MIT), pinned in the repository's
//! `package.json`. CJS offence codes with their titles and categories, organisation units
//! (courts, police forces) with their names, CJS result codes with their meaning, and the code
//! lists of SPI messages (pleas, verdicts, remand status).
//!
//! It is not: I/O. The caller reads the package's `data/*.json` files and hands their text in
//! ([`StandingData::parse`]); this crate turns them into look-ups. No code is typed by hand here.

use std::collections::HashMap;

use joinery_domain::journey::OffenceType;
use joinery_domain::{OffenceCode, OuCode, ResultCode};
use serde::Deserialize;

/// The files of the package this crate reads, under its `data/` directory.
pub const FILES: [&str; 7] = [
    "offence-code.json",
    "organisation-unit.json",
    "result-code.json",
    "plea-status.json",
    "verdict.json",
    "remand-status.json",
    "mode-of-trial-reason.json",
];

/// The package and version the data comes from, as pinned in `package.json`.
pub const PACKAGE: &str = "@moj-bichard7-developers/bichard7-next-data";

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("the standing-data file `{0}` is missing")]
    Missing(&'static str),
    #[error("the standing-data file `{file}` is not in the expected form: {message}")]
    Malformed { file: &'static str, message: String },
}

/// An offence as the standing data describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offence {
    pub title: String,
    /// The Home Office category code, e.g. `CE`.
    pub category: String,
    pub recordable: bool,
}

/// A court or police unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationUnit {
    /// The most specific name the standing data gives, e.g. `Croydon`.
    pub name: String,
    /// The top level, e.g. `Magistrates' Courts`.
    pub kind: String,
}

/// A CJS result code's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultMeaning {
    pub description: String,
    /// The standing data's result type (e.g. `F` final, `I` intermediate, `A` adjournment).
    pub kind: String,
}

/// An entry of an SPI code list: the CJS code it stands for and its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpiCode {
    pub cjs_code: String,
    pub description: String,
}

/// The look-ups.
#[derive(Debug, Default)]
pub struct StandingData {
    offences: HashMap<String, Offence>,
    units: HashMap<String, OrganisationUnit>,
    results: HashMap<String, ResultMeaning>,
    pleas: HashMap<String, SpiCode>,
    verdicts: HashMap<String, SpiCode>,
    remand: HashMap<String, SpiCode>,
    modes_of_trial: HashMap<String, SpiCode>,
    /// Crown Courts by name in lower case, without ` crown court`: result text names them.
    crown_courts: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OffenceRow {
    cjs_code: String,
    offence_title: String,
    #[serde(default)]
    offence_category: String,
    #[serde(default)]
    recordable_on_pnc: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnitRow {
    top_level_code: String,
    top_level_name: String,
    second_level_code: String,
    second_level_name: String,
    third_level_code: String,
    third_level_name: String,
    bottom_level_code: String,
    bottom_level_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultRow {
    cjs_code: String,
    description: String,
    #[serde(default, rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpiRow {
    cjs_code: String,
    description: String,
    #[serde(default)]
    spi_code: Option<String>,
}

fn rows<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<T>, ReferenceError> {
    let text = read(file).ok_or(ReferenceError::Missing(file))?;
    serde_json::from_str(&text).map_err(|e| ReferenceError::Malformed {
        file,
        message: e.to_string(),
    })
}

fn spi_list(
    file: &'static str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<HashMap<String, SpiCode>, ReferenceError> {
    Ok(rows::<SpiRow>(file, read)?
        .into_iter()
        .filter_map(|row| {
            let spi = row.spi_code?;
            Some((
                spi,
                SpiCode {
                    cjs_code: row.cjs_code,
                    description: row.description,
                },
            ))
        })
        .collect())
}

/// A Crown Court's name as the index keeps it: lower case, single spaces, without
/// ` crown court`.
fn crown_court_name(name: &str) -> String {
    let name = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    name.strip_suffix(" crown court")
        .unwrap_or(&name)
        .to_owned()
}

fn spi_for<'a>(list: &'a HashMap<String, SpiCode>, cjs: &str) -> Option<&'a str> {
    list.iter()
        .filter(|(_, code)| code.cjs_code == cjs)
        .map(|(spi, _)| spi.as_str())
        .min()
}

impl StandingData {
    /// Builds the look-ups from the package's files; `read` gives a file's text by name.
    pub fn parse(read: &dyn Fn(&str) -> Option<String>) -> Result<Self, ReferenceError> {
        let offences = rows::<OffenceRow>("offence-code.json", read)?
            .into_iter()
            .map(|row| {
                let recordable = row.recordable_on_pnc == serde_json::Value::Bool(true);
                let offence = Offence {
                    title: row.offence_title,
                    category: row.offence_category,
                    recordable,
                };
                (row.cjs_code, offence)
            })
            .collect();
        let units: HashMap<String, OrganisationUnit> =
            rows::<UnitRow>("organisation-unit.json", read)?
                .into_iter()
                .map(|row| {
                    let code = format!(
                        "{}{}{}{}",
                        row.top_level_code,
                        row.second_level_code,
                        row.third_level_code,
                        row.bottom_level_code
                    );
                    let name = [
                        &row.bottom_level_name,
                        &row.third_level_name,
                        &row.second_level_name,
                        &row.top_level_name,
                    ]
                    .into_iter()
                    .find(|name| !name.is_empty())
                    .cloned()
                    .unwrap_or_default();
                    let unit = OrganisationUnit {
                        name,
                        kind: row.top_level_name,
                    };
                    (code, unit)
                })
                .collect();
        let mut crown_courts = HashMap::new();
        for (code, unit) in &units {
            if code.starts_with('C') && code.ends_with("00") {
                // Where two courts share a name, the lower code stands, whichever is read first.
                let name = crown_court_name(&unit.name);
                let kept = crown_courts.entry(name).or_insert_with(|| code.clone());
                if code < kept {
                    kept.clone_from(code);
                }
            }
        }
        let results = rows::<ResultRow>("result-code.json", read)?
            .into_iter()
            .map(|row| {
                let meaning = ResultMeaning {
                    description: row.description,
                    kind: row.kind,
                };
                (row.cjs_code, meaning)
            })
            .collect();
        Ok(Self {
            offences,
            units,
            results,
            pleas: spi_list("plea-status.json", read)?,
            verdicts: spi_list("verdict.json", read)?,
            remand: spi_list("remand-status.json", read)?,
            modes_of_trial: spi_list("mode-of-trial-reason.json", read)?,
            crown_courts,
        })
    }

    /// An offence by its code; a code with a qualifier letter the standing data does not list
    /// is taken without it (`TH68010A` as `TH68010`), as Bichard reads it, before the code is
    /// called unknown.
    pub fn offence(&self, code: &OffenceCode) -> Option<&Offence> {
        let text = code.as_str();
        self.offences.get(text).or_else(|| {
            let core = text.get(..7).filter(|_| text.len() == 8)?;
            self.offences.get(core)
        })
    }

    /// The type of an offence from its category (`offence`).
    pub fn offence_type(&self, code: &OffenceCode) -> OffenceType {
        self.offence(code)
            .map_or(OffenceType::Unclassified, |offence| {
                OffenceType::of_category(&offence.category)
            })
    }

    /// A unit by its code; a court's sub-unit not listed falls back to its court (`B01EF01` to
    /// `B01EF00`), as Bichard does.
    pub fn unit(&self, code: &OuCode) -> Option<&OrganisationUnit> {
        let text = code.as_str();
        self.units.get(text).or_else(|| {
            let court = text.get(..text.len().saturating_sub(2))?;
            self.units.get(&format!("{court}00"))
        })
    }

    pub fn result(&self, code: &ResultCode) -> Option<&ResultMeaning> {
        self.results.get(code.as_str())
    }

    /// An SPI plea code (`1` to `8`).
    pub fn plea(&self, spi: &str) -> Option<&SpiCode> {
        self.pleas.get(spi)
    }

    /// An SPI verdict (finding) code (`G`, `N`, ...).
    pub fn verdict(&self, spi: &str) -> Option<&SpiCode> {
        self.verdicts.get(spi)
    }

    /// An SPI bail (remand) status code (`U`, `B`, `C`, ...).
    pub fn remand_status(&self, spi: &str) -> Option<&SpiCode> {
        self.remand.get(spi)
    }

    /// A Crown Court by the name a court's result text gives it (`Snaresbrook Crown Court`).
    pub fn crown_court_named(&self, name: &str) -> Option<OuCode> {
        let code = self.crown_courts.get(&crown_court_name(name))?;
        OuCode::parse(code).ok()
    }

    /// An SPI mode of trial code (`1` to `9`; Libra writes `01`, which is the same code).
    pub fn mode_of_trial(&self, spi: &str) -> Option<&SpiCode> {
        let spi = spi.trim_start_matches('0');
        self.modes_of_trial.get(spi)
    }

    /// The SPI plea code for a CJS plea code (`G` gives `1`): the lowest where several share it.
    pub fn spi_plea(&self, cjs: &str) -> Option<&str> {
        spi_for(&self.pleas, cjs)
    }

    /// The SPI finding code for a CJS verdict code (`G` gives `G`).
    pub fn spi_verdict(&self, cjs: &str) -> Option<&str> {
        spi_for(&self.verdicts, cjs)
    }

    /// How many offence, unit and result codes are known.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.offences.len(), self.units.len(), self.results.len())
    }
}
