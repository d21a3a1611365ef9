//! Work between agencies, done in Joinery: one agency asks another for work by a date, the
//! agency asked reports it done, the CPS records its decision on charge when the police ask for
//! it, and a support service records a person's attendance and engagement on a referral. A
//! request is held to what the agency asked does (a pre-sentence report of a probation service,
//! a charging decision of a CPS area), and refused while the same work is asked of the same
//! agency and still open, naming that request.

use joinery_domain::journey::{ActionKind, ActionState, Attendance, ChargingOutcome, Engagement};
use joinery_domain::message::{
    ActionCompleted, ActionRequested, ActionWithdrawn, ChargingDecision, ReportSubmitted,
    SupportProgress,
};
use joinery_domain::projection::ActionRecord;
use joinery_domain::{
    ActionId, AgencyCode, CaseId, CaseState, OffenceCode, Payload, Reader, ReaderId, Role, Text,
};
use time::Date;

use crate::writes::{WriteProblem, Writing};
use crate::{App, AppError, WriteOutcome};

/// Which side of a request for work the reader's agency must be on.
#[derive(Debug, Clone, Copy)]
enum Party {
    /// The agency asked: it reports the work done.
    Asked,
    /// The agency that asked: it withdraws the request.
    Asking,
}

impl App {
    /// Asks another agency for work on a case the reader works on, by a date.
    pub async fn request_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action: ActionKind,
        owner: AgencyCode,
        due_on: Date,
        note: Option<Text>,
    ) -> Result<WriteOutcome, AppError> {
        if !matches!(reader.id, ReaderId::User(_)) || !reader.role.works_cases() {
            return Ok(WriteOutcome::Refused);
        }
        let Some((record, _, _)) = self.seen_by(reader, id).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if !record.state.agencies.contains(&reader.agency) {
            return Ok(WriteOutcome::Refused);
        }
        let agencies = self.agencies().await?;
        let Some(asked) = agencies.iter().find(|agency| agency.code == owner) else {
            return Ok(WriteOutcome::Invalid(WriteProblem::UnknownAgency));
        };
        if let Some(done_by) = action.done_by().filter(|kind| *kind != asked.kind) {
            return Ok(WriteOutcome::Invalid(WriteProblem::NotTheirWork {
                action,
                done_by,
            }));
        }
        if let Some(open) = record.state.actions.iter().find(|open| {
            open.action == action && open.owner == owner && open.state == ActionState::Open
        }) {
            return Ok(WriteOutcome::Invalid(WriteProblem::AlreadyAsked {
                action_id: open.action_id.clone(),
                due_on: open.due_on,
            }));
        }
        let action_id = ActionId::parse(&format!("JA-{}", CaseId::generate()))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let payload = Payload::ActionRequested(ActionRequested {
            action_id,
            action,
            owner,
            due_on,
            note,
        });
        self.write_as(reader, id, &record.state, Writing::ActionAsked, payload)
            .await
    }

    /// Reports done an action asked of the reader's agency, with a note of what was done.
    /// Work that is a report (a pre-sentence report, a full file) is recorded as the report
    /// submitted, of its kind, so that the court list and the hearing summary show it; `note`
    /// is then its conclusions, in the report's own category.
    pub async fn complete_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: ActionId,
        note: Option<Text>,
    ) -> Result<WriteOutcome, AppError> {
        let state = match self
            .open_action(reader, id, &action_id, Party::Asked)
            .await?
        {
            Ok(state) => state,
            Err(outcome) => return Ok(outcome),
        };
        let report = state
            .actions
            .iter()
            .find(|action| action.action_id == action_id)
            .and_then(|action| action.action.report());
        let submitted = report.map(|report| {
            Payload::ReportSubmitted(ReportSubmitted {
                report,
                action_id: Some(action_id.clone()),
                summary: note.clone(),
            })
        });
        // A report the reader's kind of agency does not write (work asked of the wrong kind
        // of agency before requests were held to it) is reported done, not submitted.
        let payload = match submitted {
            Some(report) if report.may_be_sent_by(reader.agency_kind) => report,
            _ => Payload::ActionCompleted(ActionCompleted { action_id, note }),
        };
        self.write_as(reader, id, &state, Writing::ActionDone, payload)
            .await
    }

    /// Withdraws work the reader's agency asked for and no longer needs, with why.
    pub async fn withdraw_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: ActionId,
        note: Option<Text>,
    ) -> Result<WriteOutcome, AppError> {
        let state = match self
            .open_action(reader, id, &action_id, Party::Asking)
            .await?
        {
            Ok(state) => state,
            Err(outcome) => return Ok(outcome),
        };
        let payload = Payload::ActionWithdrawn(ActionWithdrawn { action_id, note });
        self.write_as(reader, id, &state, Writing::ActionWithdrawn, payload)
            .await
    }

    /// Records the CPS's decision on charge, asked of the reader's CPS area by the police: to
    /// charge (with the offences, where given), to take no further action, to caution, or that
    /// further evidence is needed first.
    pub async fn record_charging_decision(
        &self,
        reader: &Reader,
        id: CaseId,
        decision: ChargingOutcome,
        offences: Vec<OffenceCode>,
    ) -> Result<WriteOutcome, AppError> {
        if reader.role != Role::Prosecutor {
            return Ok(WriteOutcome::Refused);
        }
        let state = match self
            .work_of(reader, id, |action| {
                action.action == ActionKind::ChargingDecision
                    && action.owner == reader.agency
                    && action.state == ActionState::Open
            })
            .await?
        {
            Ok(state) => state,
            Err(outcome) => return Ok(outcome),
        };
        let payload = Payload::ChargingDecision(ChargingDecision { decision, offences });
        self.write_as(reader, id, &state, Writing::ChargingDecided, payload)
            .await
    }

    /// Records a person's attendance and engagement on a referral to the reader's support
    /// service. A first attendance answers the referral.
    pub async fn record_progress(
        &self,
        reader: &Reader,
        id: CaseId,
        referral_id: ActionId,
        attendance: Attendance,
        engagement: Engagement,
        note: Option<Text>,
    ) -> Result<WriteOutcome, AppError> {
        if reader.role != Role::SupportWorker {
            return Ok(WriteOutcome::Refused);
        }
        let state = match self
            .work_of(reader, id, |action| {
                action.action_id == referral_id
                    && action.action == ActionKind::Referral
                    && action.owner == reader.agency
            })
            .await?
        {
            Ok(state) => state,
            Err(outcome) => return Ok(outcome),
        };
        let payload = Payload::SupportProgress(SupportProgress {
            referral_id,
            attendance,
            engagement,
            note,
        });
        self.write_as(reader, id, &state, Writing::Progress, payload)
            .await
    }

    /// The case's whole state if the reader sees the open action `action_id`, their agency the
    /// `party` to it; otherwise what to answer (see [`Self::work_of`]).
    async fn open_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: &ActionId,
        party: Party,
    ) -> Result<Result<CaseState, WriteOutcome>, AppError> {
        self.work_of(reader, id, |action| {
            let ours = match party {
                Party::Asked => &action.owner,
                Party::Asking => &action.requested_by,
            };
            &action.action_id == action_id
                && *ours == reader.agency
                && action.state == ActionState::Open
        })
        .await
    }

    /// The case's whole state if the reader (a person working cases) sees work on it that
    /// `wanted` picks; otherwise what to answer: `NotFound` if they may see nothing of the case,
    /// `Refused` if they see no such work.
    pub(crate) async fn work_of(
        &self,
        reader: &Reader,
        id: CaseId,
        wanted: impl Fn(&ActionRecord) -> bool,
    ) -> Result<Result<CaseState, WriteOutcome>, AppError> {
        if !matches!(reader.id, ReaderId::User(_)) || !reader.role.works_cases() {
            return Ok(Err(WriteOutcome::Refused));
        }
        let Some((record, _, visible)) = self.seen_by(reader, id).await? else {
            return Ok(Err(WriteOutcome::NotFound));
        };
        let seen = CaseState::from_visible(visible.iter().map(|item| &item.event), &record.state);
        let theirs = seen.actions.iter().any(wanted);
        Ok(match theirs {
            true => Ok(record.state),
            false => Err(WriteOutcome::Refused),
        })
    }
}
