//! The case projection: a case's current state is a fold of its events in the order they
//! happened. The fold is pure and deterministic, so any arrival order of the same events gives
//! the same state, and the store may keep the state or recompute it at will.
//!
//! Longer than most files on purpose: `fold` is one match over every kind of event, and kept
//! whole so that what each kind does to a case reads in one place (the records it builds are in
//! `records.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::journey::{
    ActionKind, ActionState, Attendance, ChargingOutcome, CloseReason, ConsentCategory, Finding,
    HearingPurpose, PleaValue, Stage,
};
use crate::message::{CanonicalMessage, Payload, Person};
use crate::text::Text;
use crate::{ActionId, AgencyCode, Asn, CourtCaseId, HearingId, MessageId, OuCode, Timestamp, Urn};

mod records;

pub use records::{
    ActionRecord, AdjournmentRecord, BailState, ConsentRecord, HearingState, OffenceState,
    ReportRecord, SentenceRecord, SupportRecord,
};

/// The order in which events are folded: when it happened, then sender and message id, so that
/// events at the same instant still fold in one order whatever order they arrived in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
pub struct OrderKey {
    pub occurred_at: Timestamp,
    pub agency: AgencyCode,
    pub message_id: MessageId,
}

impl OrderKey {
    pub fn of(message: &CanonicalMessage) -> Self {
        Self {
            occurred_at: message.occurred_at,
            agency: message.agency.clone(),
            message_id: message.message_id.clone(),
        }
    }
}

/// A case as people see it: everything the agencies have reported, folded in order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct CaseState {
    pub urns: BTreeSet<Urn>,
    pub asns: BTreeSet<Asn>,
    /// Court systems' own ids for the case, where they gave no usable URN or ASN.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub court_case_ids: BTreeSet<CourtCaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defendant: Option<Person>,
    pub stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<CloseReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charging_decision: Option<ChargingOutcome>,
    pub offences: Vec<OffenceState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bail: Option<BailState>,
    pub hearings: Vec<HearingState>,
    pub adjournments: Vec<AdjournmentRecord>,
    pub actions: Vec<ActionRecord>,
    pub reports: Vec<ReportRecord>,
    pub support: Vec<SupportRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<SentenceRecord>,
    /// The person's latest consent, or its withdrawal, for each category that needs one.
    #[serde(default)]
    pub consents: BTreeMap<ConsentCategory, ConsentRecord>,
    /// The agencies that work on the case: they sent events for it or were given work on it.
    pub agencies: BTreeSet<AgencyCode>,
    /// The last event folded in, so a later event can be folded on without a replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_folded: Option<OrderKey>,
    pub event_count: u32,
}

impl CaseState {
    /// Folds a case's events in the order they happened, leaving out retracted messages.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a CanonicalMessage>) -> Self {
        let mut ordered: Vec<&CanonicalMessage> = events.into_iter().collect();
        ordered.sort_by_cached_key(|message| OrderKey::of(message));
        let retracted: BTreeSet<(&AgencyCode, &MessageId)> = ordered
            .iter()
            .filter_map(|message| match &message.payload {
                Payload::Retraction(retraction) => Some((&message.agency, &retraction.message_id)),
                _ => None,
            })
            .collect();
        let mut state = Self::default();
        for message in ordered {
            if !retracted.contains(&(&message.agency, &message.message_id)) {
                state.fold(message);
            }
        }
        state
    }

    /// Whether `message` can be folded onto this state directly. When it cannot (it happened
    /// before the last event folded, or it retracts one), the case must be replayed.
    pub fn can_fold_on(&self, message: &CanonicalMessage) -> bool {
        let in_order = self
            .last_folded
            .as_ref()
            .is_none_or(|last| *last < OrderKey::of(message));
        in_order && !matches!(message.payload, Payload::Retraction(_))
    }

    /// Folds one event on. Callers keep to event order (see [`Self::can_fold_on`]).
    pub fn fold(&mut self, message: &CanonicalMessage) {
        self.event_count += 1;
        self.last_folded = Some(OrderKey::of(message));
        self.agencies.insert(message.agency.clone());
        self.agencies.extend(message.payload.assigned_agencies());
        self.urns.extend(message.case.urn.clone());
        self.asns.extend(message.case.asn.clone());
        self.court_case_ids
            .extend(message.case.court_case_id.clone());
        let at = message.occurred_at;
        let from = &message.agency;
        match &message.payload {
            Payload::Arrest(arrest) => {
                self.defendant = Some(arrest.person.clone());
                self.advance_to(Stage::Arrested);
            }
            Payload::Bail(bail) => {
                self.bail = Some(BailState {
                    bail: bail.clone(),
                    set_by: from.clone(),
                });
                if self.stage == Stage::Arrested {
                    self.advance_to(Stage::AwaitingChargingDecision);
                }
            }
            Payload::ChargingDecision(decision) => {
                self.charging_decision = Some(decision.decision);
                match decision.decision {
                    ChargingOutcome::Charge => self.advance_to(Stage::Charged),
                    ChargingOutcome::NoFurtherAction | ChargingOutcome::Caution => {
                        self.close(CloseReason::NoFurtherAction);
                    }
                    ChargingOutcome::FurtherEvidenceRequired => {
                        self.advance_to(Stage::AwaitingChargingDecision);
                    }
                }
            }
            Payload::Charge(charge) => {
                if let Some(person) = &charge.defendant {
                    self.defendant = Some(person.clone());
                }
                for offence in &charge.offences {
                    match self.offence_mut(offence.sequence) {
                        Some(existing) => existing.charged = offence.clone(),
                        None => self.offences.push(OffenceState {
                            charged: offence.clone(),
                            plea: None,
                            finding: None,
                        }),
                    }
                }
                self.offences
                    .sort_by_key(|offence| offence.charged.sequence);
                self.advance_to(Stage::Charged);
            }
            Payload::HearingListed(listed) => {
                let hearing = self.hearing_mut(&listed.hearing_id, &listed.court, listed.starts_at);
                hearing.court = listed.court.clone();
                hearing.courtroom = listed.courtroom.clone();
                hearing.starts_at = listed.starts_at;
                hearing.purpose = listed.purpose;
                hearing.judge.clone_from(&listed.judge);
                self.hearings.sort_by(|a, b| {
                    (a.starts_at, &a.hearing_id).cmp(&(b.starts_at, &b.hearing_id))
                });
            }
            Payload::HearingResult(result) => {
                if let Some(hearing) = self
                    .hearings
                    .iter_mut()
                    .find(|h| h.hearing_id == result.hearing_id)
                {
                    hearing.results.clone_from(&result.results);
                    hearing.trial = result.trial;
                    hearing.trial_reason.clone_from(&result.trial_reason);
                    hearing.resulted = true;
                }
                if self.stage == Stage::Charged {
                    self.advance_to(Stage::BeforeCourt);
                }
            }
            Payload::Plea(plea) => {
                if let Some(offence) = self.offence_mut(plea.offence_sequence) {
                    offence.plea = Some(plea.plea);
                }
                self.restage_after_court();
            }
            Payload::Verdict(verdict) => {
                if let Some(offence) = self.offence_mut(verdict.offence_sequence) {
                    offence.finding = Some(verdict.finding);
                }
                self.restage_after_court();
            }
            Payload::Adjournment(adjournment) => {
                self.adjournments.push(AdjournmentRecord {
                    hearing_id: adjournment.hearing_id.clone(),
                    reason: adjournment.reason,
                    responsible: adjournment.responsible,
                    next_hearing_on: adjournment.next_hearing_on,
                    adjourned_at: at,
                });
                if let Some(hearing) = self
                    .hearings
                    .iter_mut()
                    .find(|h| h.hearing_id == adjournment.hearing_id)
                {
                    hearing.resulted = true;
                }
                if self.stage == Stage::Charged {
                    self.advance_to(Stage::BeforeCourt);
                }
            }
            Payload::Sentence(sentence) => {
                self.sentence = Some(SentenceRecord {
                    disposals: sentence.disposals.clone(),
                    supervised_by_probation: sentence.supervised_by_probation,
                    sentenced_at: at,
                });
                if sentence.supervised_by_probation {
                    self.advance_to(Stage::UnderOrder);
                } else {
                    self.close(CloseReason::Completed);
                }
            }
            Payload::ActionRequested(request) => {
                self.actions.retain(|a| a.action_id != request.action_id);
                self.actions.push(ActionRecord {
                    action_id: request.action_id.clone(),
                    action: request.action,
                    requested_by: from.clone(),
                    owner: request.owner.clone(),
                    due_on: request.due_on,
                    state: ActionState::Open,
                    requested_at: at,
                    completed_at: None,
                    service: None,
                });
            }
            Payload::ActionCompleted(done) => self.complete_action(&done.action_id, at),
            Payload::ReportSubmitted(report) => {
                self.reports.push(ReportRecord {
                    report: report.report,
                    submitted_by: from.clone(),
                    submitted_at: at,
                });
                if let Some(action_id) = &report.action_id {
                    self.complete_action(action_id, at);
                }
            }
            Payload::Referral(referral) => {
                if self.defendant.is_none() {
                    self.defendant.clone_from(&referral.person);
                }
                self.actions.retain(|a| a.action_id != referral.referral_id);
                self.actions.push(ActionRecord {
                    action_id: referral.referral_id.clone(),
                    action: ActionKind::Referral,
                    requested_by: from.clone(),
                    owner: referral.to.clone(),
                    due_on: referral.due_on,
                    state: ActionState::Open,
                    requested_at: at,
                    completed_at: None,
                    service: Some(referral.service),
                });
            }
            Payload::SupportProgress(progress) => {
                self.support.push(SupportRecord {
                    referral_id: progress.referral_id.clone(),
                    reported_by: from.clone(),
                    attendance: progress.attendance,
                    engagement: progress.engagement,
                    reported_at: at,
                });
                // A first report of attendance answers the referral.
                if progress.attendance == Attendance::Attended {
                    self.complete_action(&progress.referral_id, at);
                }
            }
            Payload::CaseClosed(closed) => self.close(closed.reason),
            Payload::ConsentGiven(consent) => {
                self.record_consent(consent.category, true, &consent.source, from, at);
            }
            Payload::ConsentWithdrawn(consent) => {
                self.record_consent(consent.category, false, &consent.source, from, at);
            }
            Payload::PoliceFile(_)
            | Payload::Intelligence(_)
            | Payload::VictimWitness(_)
            | Payload::LegalAdvice(_)
            | Payload::Antecedents(_)
            | Payload::Health(_)
            | Payload::JudicialComment(_)
            | Payload::Retraction(_) => {}
        }
    }

    /// The first hearing not yet resulted that starts at or after `now`.
    pub fn next_hearing(&self, now: Timestamp) -> Option<&HearingState> {
        self.hearings
            .iter()
            .filter(|hearing| !hearing.resulted && hearing.starts_at >= now)
            .min_by_key(|hearing| hearing.starts_at)
    }

    pub fn overdue_actions(&self, today: Date) -> impl Iterator<Item = &ActionRecord> {
        self.actions
            .iter()
            .filter(move |action| action.is_overdue(today))
    }

    fn advance_to(&mut self, stage: Stage) {
        if self.stage.is_open() {
            self.stage = stage;
        }
    }

    fn close(&mut self, reason: CloseReason) {
        self.closed = Some(reason);
        self.stage = if reason == CloseReason::Completed {
            Stage::Completed
        } else {
            Stage::Closed
        };
    }

    /// After a plea or verdict: convicted of anything means awaiting sentence; acquitted of
    /// everything closes the case; a not-guilty plea with no verdict yet awaits trial.
    fn restage_after_court(&mut self) {
        let finished_otherwise =
            !self.stage.is_open() && self.closed != Some(CloseReason::Acquitted);
        if self.sentence.is_some() || finished_otherwise {
            return;
        }
        let convicted = self.is_convicted();
        let all_acquitted = !self.offences.is_empty()
            && self
                .offences
                .iter()
                .all(|o| o.finding == Some(Finding::NotGuilty));
        let contested = self
            .offences
            .iter()
            .any(|o| o.plea == Some(PleaValue::NotGuilty) && o.finding.is_none());
        if convicted && !contested {
            self.closed = None;
            self.stage = Stage::AwaitingSentence;
        } else if all_acquitted {
            self.close(CloseReason::Acquitted);
        } else if contested {
            self.closed = None;
            self.stage = Stage::AwaitingTrial;
        }
    }

    /// The offence sequence numbers a hearing's results name that the case has no offence for.
    pub fn results_without_offence<'r>(
        &self,
        result: &'r crate::message::HearingResult,
    ) -> impl Iterator<Item = u16> + 'r {
        let known: BTreeSet<u16> = self.offences.iter().map(|o| o.charged.sequence).collect();
        result
            .results
            .iter()
            .filter_map(|line| line.offence_sequence)
            .filter(move |sequence| !known.contains(sequence))
    }

    /// Whether the defendant stands convicted of any offence: found guilty, or pleaded guilty
    /// with no verdict since.
    pub fn is_convicted(&self) -> bool {
        self.offences.iter().any(|o| {
            o.finding == Some(Finding::Guilty)
                || (o.plea == Some(PleaValue::Guilty) && o.finding.is_none())
        })
    }

    /// Whether the person has consent in force to share `category`.
    pub fn consents_to(&self, category: ConsentCategory) -> bool {
        self.consents
            .get(&category)
            .is_some_and(|consent| consent.given)
    }

    fn record_consent(
        &mut self,
        category: ConsentCategory,
        given: bool,
        source: &Text,
        from: &AgencyCode,
        at: Timestamp,
    ) {
        let record = ConsentRecord {
            given,
            recorded_by: from.clone(),
            source: source.clone(),
            recorded_at: at,
        };
        self.consents.insert(category, record);
    }

    fn complete_action(&mut self, action_id: &ActionId, at: Timestamp) {
        if let Some(action) = self.actions.iter_mut().find(|a| &a.action_id == action_id) {
            action.state = ActionState::Completed;
            action.completed_at = Some(at);
        }
    }

    fn offence_mut(&mut self, sequence: u16) -> Option<&mut OffenceState> {
        self.offences
            .iter_mut()
            .find(|o| o.charged.sequence == sequence)
    }

    /// The hearing with this id, listed now if a result or adjournment arrived before its listing.
    fn hearing_mut(
        &mut self,
        id: &HearingId,
        court: &OuCode,
        starts_at: Timestamp,
    ) -> &mut HearingState {
        let index = match self.hearings.iter().position(|h| &h.hearing_id == id) {
            Some(index) => index,
            None => {
                self.hearings.push(HearingState {
                    hearing_id: id.clone(),
                    court: court.clone(),
                    courtroom: None,
                    starts_at,
                    purpose: HearingPurpose::Other,
                    results: Vec::new(),
                    trial: None,
                    trial_reason: None,
                    resulted: false,
                    judge: None,
                });
                self.hearings.len() - 1
            }
        };
        &mut self.hearings[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str) -> CanonicalMessage {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_withdrawn_consent_is_no_longer_in_force_whatever_the_arrival_order() {
        let given = example(include_str!(
            "../../../../examples/messages/consent_given.json"
        ));
        let withdrawn = example(include_str!(
            "../../../../examples/messages/consent_withdrawn.json"
        ));
        let only_given = CaseState::from_events([&given]);
        assert!(only_given.consents_to(ConsentCategory::Health));
        assert!(!only_given.consents_to(ConsentCategory::SupportProgress));
        for arrival in [[&given, &withdrawn], [&withdrawn, &given]] {
            let state = CaseState::from_events(arrival);
            assert!(!state.consents_to(ConsentCategory::Health));
            assert_eq!(
                state
                    .consents
                    .get(&ConsentCategory::Health)
                    .map(|c| c.given),
                Some(false)
            );
        }
    }
}
