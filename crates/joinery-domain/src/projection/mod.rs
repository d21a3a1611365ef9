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
    /// The day the defendant was first charged: where the charge stage of the journey ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charged_on: Option<Date>,
    /// The day the case was first decided: the defendant convicted (by a guilty plea or
    /// verdict), or the case ended without a conviction (acquitted, discontinued, withdrawn,
    /// taken no further). Sentence comes after, on its own day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Date>,
    /// Whether the court's latest ruling admits evidence of the defendant's bad character.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bad_character_admitted: bool,
    /// The person's latest consent, or its withdrawal, for each category that needs one.
    #[serde(default)]
    pub consents: BTreeMap<ConsentCategory, ConsentRecord>,
    /// The agencies that work on the case (its team): the police force whose arrest, bail or charge
    /// opened it, the courts that listed it, and those an agency already on it gave work (the CPS
    /// area sent the file, the probation service asked for a report or named to supervise, the
    /// service the person was referred to). Never an agency by its own word alone.
    pub agencies: BTreeSet<AgencyCode>,
    /// When each agency on the team joined it (the event that brought it on), so that a
    /// reader's view, folded from only the events they may see, counts exactly the events the
    /// whole case counted (see [`CaseState::from_visible`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub joined: BTreeMap<AgencyCode, OrderKey>,
    /// The last event folded in, so a later event can be folded on without a replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_folded: Option<OrderKey>,
    pub event_count: u32,
}

impl CaseState {
    /// Folds a case's events in the order they happened, leaving out retracted messages.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a CanonicalMessage>) -> Self {
        Self::folded(events, None)
    }

    /// Folds the events a reader may see of a case whose whole state is `whole`: who was on
    /// the team when is taken from the whole case, since the events that brought agencies on
    /// may be ones the reader does not see; so an event counts in the view exactly when it
    /// counted in the whole case.
    pub fn from_visible<'a>(
        events: impl IntoIterator<Item = &'a CanonicalMessage>,
        whole: &CaseState,
    ) -> Self {
        Self::folded(events, Some(whole))
    }

    fn folded<'a>(
        events: impl IntoIterator<Item = &'a CanonicalMessage>,
        whole: Option<&CaseState>,
    ) -> Self {
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
                state.fold_with(message, whole);
            }
        }
        if let Some(whole) = whole {
            state.settle_actions(whole);
        }
        state
    }

    /// Gives each action the reader sees the state it has in the whole case: what completed
    /// it (a pre-sentence report, say) may be an item the reader may not see, but whether the
    /// work asked for is done is not withheld from someone who sees that it was asked for. So
    /// an action has one state for everyone who sees it; the report stays in its category.
    fn settle_actions(&mut self, whole: &CaseState) {
        for action in &mut self.actions {
            if let Some(settled) = whole
                .actions
                .iter()
                .find(|settled| settled.action_id == action.action_id)
            {
                action.state = settled.state;
                action.completed_at = settled.completed_at;
            }
        }
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
        self.fold_with(message, None);
    }

    /// Folds one event on; with `whole`, the team as the whole case had it at this event.
    fn fold_with(&mut self, message: &CanonicalMessage, whole: Option<&CaseState>) {
        let key = OrderKey::of(message);
        self.event_count += 1;
        // The team: the court that lists, the force whose arrest opens the case; anyone else
        // only when an agency already on the team gives it work (`Payload::joins_its_sender`).
        let on_team = match whole {
            Some(whole) => whole.had_on_team(&message.agency, &key),
            None => {
                if message.payload.joins_its_sender(&self.agencies) {
                    self.join(&message.agency, &key);
                }
                self.agencies.contains(&message.agency)
            }
        };
        let from = &message.agency;
        // Work is asked under an id of the asker's: never under another agency's request.
        let takes_anothers_id = match &message.payload {
            Payload::ActionRequested(request) => !self.may_reuse(&request.action_id, from),
            Payload::Referral(referral) => !self.may_reuse(&referral.referral_id, from),
            _ => false,
        };
        let counts =
            !takes_anothers_id && (on_team || !message.payload.needs_a_place_on_the_team());
        if on_team && counts {
            self.join(from, &key);
            for agency in message.payload.assigned_agencies() {
                self.join(&agency, &key);
            }
        }
        self.last_folded = Some(key);
        self.urns.extend(message.case.urn.clone());
        self.asns.extend(message.case.asn.clone());
        self.court_case_ids
            .extend(message.case.court_case_id.clone());
        if !counts {
            return;
        }
        let at = message.occurred_at;
        self.fold_payload(message, at);
        let decided = matches!(
            self.stage,
            Stage::AwaitingSentence | Stage::UnderOrder | Stage::Completed | Stage::Closed
        );
        if decided && self.completed_on.is_none() {
            self.completed_on = Some(at.date());
        }
    }

    /// What the event's payload does to the case, once it counts.
    fn fold_payload(&mut self, message: &CanonicalMessage, at: Timestamp) {
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
                // The decision is the work the police asked of this CPS area.
                let asked: Vec<ActionId> = self
                    .actions
                    .iter()
                    .filter(|a| a.action == ActionKind::ChargingDecision && &a.owner == from)
                    .map(|a| a.action_id.clone())
                    .collect();
                for action_id in &asked {
                    self.complete_action(action_id, from, at);
                }
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
                        // A later charge sheet replaces the offence, but keeps the dates and
                        // mode of trial an earlier one gave and it does not.
                        Some(existing) => {
                            let earlier = std::mem::replace(&mut existing.charged, offence.clone());
                            let charged = &mut existing.charged;
                            charged.committed_on = charged.committed_on.or(earlier.committed_on);
                            charged.arrested_on = charged.arrested_on.or(earlier.arrested_on);
                            charged.charged_on = charged.charged_on.or(earlier.charged_on);
                            charged.mode_of_trial = charged.mode_of_trial.or(earlier.mode_of_trial);
                        }
                        None => self.offences.push(OffenceState {
                            charged: offence.clone(),
                            plea: None,
                            finding: None,
                            convicted_on: None,
                        }),
                    }
                }
                self.offences
                    .sort_by_key(|offence| offence.charged.sequence);
                self.advance_to(Stage::Charged);
                let day = at.date();
                self.charged_on = Some(self.charged_on.map_or(day, |first| first.min(day)));
            }
            Payload::HearingListed(listed) => {
                let hearing = self.hearing_mut(&listed.hearing_id, &listed.court, listed.starts_at);
                hearing.court = listed.court.clone();
                hearing.courtroom = listed.courtroom.clone();
                hearing.starts_at = listed.starts_at;
                hearing.purpose = listed.purpose;
                hearing.judge.clone_from(&listed.judge);
                hearing.listed_by = Some(message.agency.clone());
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
            Payload::BadCharacterRuling(ruling) => {
                self.bad_character_admitted = ruling.admitted;
            }
            Payload::Verdict(verdict) => {
                if let Some(offence) = self.offence_mut(verdict.offence_sequence) {
                    offence.finding = Some(verdict.finding);
                    offence.convicted_on = match verdict.finding {
                        Finding::Guilty => verdict.convicted_on.or(offence.convicted_on),
                        Finding::NotGuilty => None,
                    };
                }
                self.restage_after_court();
            }
            Payload::Adjournment(adjournment) => {
                self.adjournments.push(AdjournmentRecord {
                    hearing_id: adjournment.hearing_id.clone(),
                    reason: adjournment.reason,
                    responsible: adjournment.responsible,
                    next_hearing_on: adjournment.next_hearing_on,
                    next_court: adjournment.next_court.clone(),
                    reason_given: adjournment.reason_given.clone(),
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
                // A suspect held for a decision, not only one bailed, awaits it once asked.
                if request.action == ActionKind::ChargingDecision && self.stage == Stage::Arrested {
                    self.advance_to(Stage::AwaitingChargingDecision);
                }
            }
            Payload::ActionCompleted(done) => self.complete_action(&done.action_id, from, at),
            Payload::ActionWithdrawn(withdrawn) => {
                // Only the agency that asked withdraws, and only work not done yet.
                if let Some(action) = self.actions.iter_mut().find(|a| {
                    a.action_id == withdrawn.action_id
                        && &a.requested_by == from
                        && a.state == ActionState::Open
                }) {
                    action.state = ActionState::Withdrawn;
                }
            }
            Payload::ReportSubmitted(report) => {
                self.reports.push(ReportRecord {
                    report: report.report,
                    submitted_by: from.clone(),
                    submitted_at: at,
                });
                if let Some(action_id) = &report.action_id {
                    self.complete_action(action_id, from, at);
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
                    self.complete_action(&progress.referral_id, from, at);
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

    /// Brings `agency` onto the team at the event `at`, unless it is on it already.
    fn join(&mut self, agency: &AgencyCode, at: &OrderKey) {
        if self.agencies.insert(agency.clone()) {
            self.joined.insert(agency.clone(), at.clone());
        }
    }

    /// Whether `agency` was on the team by the event `at`. A state kept before joins were
    /// recorded knows only who is on the team now.
    pub fn had_on_team(&self, agency: &AgencyCode, at: &OrderKey) -> bool {
        match self.joined.get(agency) {
            Some(joined) => joined <= at,
            None => self.joined.is_empty() && self.agencies.contains(agency),
        }
    }

    /// Whether `by` may ask for work under `action_id`: a new id, or one it used before (a
    /// request resent with a new date); never another agency's request.
    fn may_reuse(&self, action_id: &ActionId, by: &AgencyCode) -> bool {
        self.actions
            .iter()
            .all(|a| &a.action_id != action_id || &a.requested_by == by)
    }

    /// Marks an open action done, when `by` is the agency asked or the one that asked: no
    /// other agency closes another's work.
    fn complete_action(&mut self, action_id: &ActionId, by: &AgencyCode, at: Timestamp) {
        if let Some(action) = self
            .actions
            .iter_mut()
            .find(|a| &a.action_id == action_id && (&a.owner == by || &a.requested_by == by))
        {
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
                    listed_by: None,
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

    #[test]
    fn a_suspect_held_awaits_the_charging_decision_the_police_ask_for() {
        let arrest = example(include_str!("../../../../examples/messages/arrest.json"));
        let mut asked = arrest.clone();
        asked.message_id = MessageId::parse("NICHE-EX-0002").unwrap_or_else(|e| panic!("{e}"));
        asked.occurred_at = asked
            .occurred_at
            .after(std::time::Duration::from_secs(3600));
        asked.payload = Payload::ActionRequested(crate::message::ActionRequested {
            action_id: ActionId::parse("CHG-1").unwrap_or_else(|e| panic!("{e}")),
            action: ActionKind::ChargingDecision,
            owner: AgencyCode::parse("CPSMER").unwrap_or_else(|e| panic!("{e}")),
            due_on: asked.occurred_at.date(),
            note: None,
        });
        assert_eq!(CaseState::from_events([&arrest]).stage, Stage::Arrested);
        let state = CaseState::from_events([&arrest, &asked]);
        assert_eq!(state.stage, Stage::AwaitingChargingDecision);
        // Other work asked while arrested leaves the stage where it was.
        if let Payload::ActionRequested(request) = &mut asked.payload {
            request.action = ActionKind::Other;
        }
        assert_eq!(
            CaseState::from_events([&arrest, &asked]).stage,
            Stage::Arrested
        );
    }
}
