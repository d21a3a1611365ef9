//! The names people read beside codes: offence titles, court names and result meanings, from
//! the MoJ standing data, for the codes a case view shows.

use std::collections::BTreeMap;

use joinery_domain::message::ChargedOffence;
use joinery_domain::{CaseState, OuCode};
use joinery_reference::StandingData;
use serde::Serialize;
use utoipa::ToSchema;

/// Code → title, for each kind of code in a view.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Titles {
    pub offences: BTreeMap<String, String>,
    pub courts: BTreeMap<String, String>,
    pub results: BTreeMap<String, String>,
    /// Each action of the case (by its id) as the work it is: `Pre-sentence report`.
    pub actions: BTreeMap<String, String>,
}

impl Titles {
    /// An offence as people read it: its title, or the wording sent when the code is unknown.
    pub fn offence(&self, charged: &ChargedOffence) -> String {
        self.offences
            .get(charged.code.as_str())
            .cloned()
            .unwrap_or_else(|| charged.wording.to_string())
    }

    /// A court as people read it: its name, or its code when the code is unknown.
    pub fn court(&self, code: &OuCode) -> String {
        self.courts
            .get(code.as_str())
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The titles of the codes in `state` (those of the standing data only with it).
    pub fn of(state: &CaseState, standing: Option<&StandingData>) -> Self {
        let mut titles = Self {
            actions: state
                .actions
                .iter()
                .map(|action| {
                    (
                        action.action_id.to_string(),
                        action.action.words().to_owned(),
                    )
                })
                .collect(),
            ..Self::default()
        };
        let Some(standing) = standing else {
            return titles;
        };
        for offence in &state.offences {
            if let Some(known) = standing.offence(&offence.charged.code) {
                titles
                    .offences
                    .insert(offence.charged.code.to_string(), known.title.clone());
            }
        }
        for hearing in &state.hearings {
            if let Some(unit) = standing.unit(&hearing.court) {
                titles
                    .courts
                    .insert(hearing.court.to_string(), unit.name.clone());
            }
            for line in &hearing.results {
                if let Some(meaning) = standing.result(&line.code) {
                    titles
                        .results
                        .insert(line.code.to_string(), meaning.description.clone());
                }
            }
        }
        for disposal in state.sentence.iter().flat_map(|s| &s.disposals) {
            if let Some(meaning) = standing.result(&disposal.code) {
                titles
                    .results
                    .insert(disposal.code.to_string(), meaning.description.clone());
            }
        }
        titles
    }
}
