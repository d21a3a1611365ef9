//! What one item on a case reports, as a line of plain words for the case page's timeline:
//! offence and court codes with their titles from the standing data, coded values in words.
//! It describes only an item the reader was already given (a [`VisibleItem`]); when only the
//! item's summary is disclosed, only the summary is described.

use joinery_app::{Agency, Titles, VisibleItem};
use joinery_domain::{OffenceCode, Payload};

use super::words::{agency_name, day, minute, words};

/// `TH68010 Theft from a shop`, or the bare code when the standing data does not know it.
fn offence(code: &OffenceCode, titles: &Titles) -> String {
    match titles.offences.get(code.as_str()) {
        Some(title) => format!("{code} {title}"),
        None => code.to_string(),
    }
}

fn joined<T>(items: &[T], line: impl Fn(&T) -> String) -> String {
    items.iter().map(line).collect::<Vec<_>>().join("; ")
}

/// The note on a request for work, or that there is one the reader is not given: withheld is
/// said, never shown as absent.
fn note(item: &VisibleItem, note: Option<&joinery_domain::Text>) -> String {
    match (note, item.note_withheld) {
        (Some(note), _) => format!(": {note}"),
        (None, true) => " (its note is not shared with you)".to_owned(),
        (None, false) => String::new(),
    }
}

/// The work an action is, by its id: `Pre-sentence report`; `Work asked for` when the reader
/// does not see it asked.
fn work(action_id: &joinery_domain::ActionId, titles: &Titles) -> String {
    titles
        .actions
        .get(action_id.as_str())
        .cloned()
        .unwrap_or_else(|| "Work asked for".to_owned())
}

/// What the item reports, in plain words.
pub(crate) fn describe(item: &VisibleItem, titles: &Titles, agencies: &[Agency]) -> String {
    match &item.event.payload {
        Payload::Arrest(arrest) => match &arrest.suspected_offence {
            Some(code) => format!("Suspected of {}", offence(code, titles)),
            None => "Arrested".to_owned(),
        },
        Payload::Bail(bail) => {
            let mut line = words(&bail.status);
            if !bail.conditions.is_empty() {
                line.push_str(&format!(
                    ": {}",
                    joined(&bail.conditions, ToString::to_string)
                ));
            }
            if let Some(until) = bail.until {
                line.push_str(&format!(", until {}", day(until)));
            }
            line
        }
        Payload::ChargingDecision(decision) => format!(
            "{}{}",
            words(&decision.decision),
            if decision.offences.is_empty() {
                String::new()
            } else {
                format!(": {}", joined(&decision.offences, |o| offence(o, titles)))
            }
        ),
        Payload::Charge(charge) => joined(&charge.offences, |o| {
            let mut line = format!("{}. {}", o.sequence, offence(&o.code, titles));
            if let Some(on) = o.charged_on {
                line.push_str(&format!(", charged {}", day(on)));
            }
            if let Some(mode) = o.mode_of_trial {
                line.push_str(&format!(" ({})", mode.words().to_lowercase()));
            }
            line
        }),
        Payload::HearingListed(listed) => format!(
            "{} at {}, {}",
            words(&listed.purpose),
            titles.court(&listed.court),
            minute(&listed.starts_at)
        ),
        Payload::HearingResult(result) => joined(&result.results, |line| {
            titles
                .results
                .get(line.code.as_str())
                .cloned()
                .unwrap_or_else(|| line.text.to_string())
        }),
        Payload::BadCharacterRuling(ruling) => match ruling.admitted {
            true => "Evidence of bad character admitted".to_owned(),
            false => "Evidence of bad character refused".to_owned(),
        },
        Payload::Plea(plea) => format!(
            "Offence {}: {}",
            plea.offence_sequence,
            words(&plea.plea).to_lowercase()
        ),
        Payload::Verdict(verdict) => format!(
            "Offence {}: {}{}",
            verdict.offence_sequence,
            words(&verdict.finding).to_lowercase(),
            verdict
                .convicted_on
                .map(|on| format!(", convicted {}", day(on)))
                .unwrap_or_default()
        ),
        Payload::Adjournment(adjournment) => format!(
            "{}{}{}{}",
            words(&adjournment.reason),
            adjournment
                .reason_given
                .as_ref()
                .map(|given| format!(" (\u{201c}{given}\u{201d})"))
                .unwrap_or_default(),
            adjournment
                .next_hearing_on
                .map(|on| format!(", to {}", day(on)))
                .unwrap_or_default(),
            adjournment
                .next_court
                .as_ref()
                .map(|court| format!(" at {}", titles.court(court)))
                .unwrap_or_default()
        ),
        Payload::Sentence(sentence) => joined(&sentence.disposals, |d| d.text.to_string()),
        Payload::ActionRequested(asked) => format!(
            "{} asked of {} by {}{}",
            asked.action.words(),
            agency_name(agencies, &asked.owner),
            day(asked.due_on),
            note(item, asked.note.as_ref())
        ),
        Payload::ActionCompleted(done) => format!(
            "{} done{}",
            work(&done.action_id, titles),
            note(item, done.note.as_ref())
        ),
        Payload::ActionWithdrawn(withdrawn) => format!(
            "{} withdrawn{}",
            work(&withdrawn.action_id, titles),
            note(item, withdrawn.note.as_ref())
        ),
        Payload::ReportSubmitted(report) => report
            .summary
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| format!("{} submitted", words(&report.report))),
        Payload::Referral(referral) => format!(
            "To {} ({}), first appointment by {}",
            agency_name(agencies, &referral.to),
            words(&referral.service).to_lowercase(),
            day(referral.due_on)
        ),
        Payload::SupportProgress(progress) => format!(
            "{}, engagement {}{}",
            words(&progress.attendance),
            words(&progress.engagement).to_lowercase(),
            progress
                .note
                .as_ref()
                .map(|note| format!(": {note}"))
                .unwrap_or_default()
        ),
        Payload::CaseClosed(closed) => words(&closed.reason),
        Payload::ConsentGiven(consent) => format!(
            "{} shared with consent ({})",
            words(&consent.category),
            consent.source
        ),
        Payload::ConsentWithdrawn(consent) => format!(
            "Consent to share {} withdrawn ({})",
            words(&consent.category).to_lowercase(),
            consent.source
        ),
        Payload::PoliceFile(file) => match &file.detail {
            Some(detail) if !item.summary_only => format!("{} {}", file.summary, detail),
            _ => file.summary.to_string(),
        },
        Payload::Intelligence(intelligence) => match &intelligence.grading {
            Some(grading) => format!("{} (graded {grading})", intelligence.text),
            None => intelligence.text.to_string(),
        },
        Payload::VictimWitness(party) => format!(
            "{}: {} {}{}",
            words(&party.role),
            party.person.given_name,
            party.person.family_name,
            party
                .contact
                .as_ref()
                .map(|contact| format!(", contact {contact}"))
                .unwrap_or_default()
        ),
        Payload::LegalAdvice(advice) => advice.advice.to_string(),
        Payload::Antecedents(antecedents) => match antecedents.previous_convictions.len() {
            0 => "No previous convictions".to_owned(),
            _ => joined(&antecedents.previous_convictions, |conviction| {
                format!(
                    "{} {}: {}",
                    day(conviction.convicted_on),
                    offence(&conviction.offence, titles),
                    conviction.disposal
                )
            }),
        },
        Payload::Health(health) => format!("{}: {}", words(&health.kind), health.result),
        Payload::JudicialComment(comment) => comment.text.to_string(),
        Payload::Retraction(retraction) => {
            format!("Withdraws {}: {}", retraction.message_id, retraction.reason)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::words::label;

    #[test]
    fn every_kind_of_item_is_described_in_words_not_its_label() {
        for (kind, text) in joinery_app::MESSAGE_EXAMPLES {
            let event: joinery_domain::CanonicalMessage =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("the {kind:?} example: {e}"));
            let item = VisibleItem {
                sequence: joinery_domain::Sequence::new(1),
                received_at: event.occurred_at,
                category: joinery_domain::Category::CaseCore,
                summary_only: false,
                note_withheld: false,
                event,
            };
            let line = describe(&item, &Titles::default(), &[]);
            let kind = label(item.event.payload.kind().as_str());
            assert!(
                !line.is_empty() && line != kind,
                "`{}` is described as `{line}`",
                kind
            );
        }
    }
}
