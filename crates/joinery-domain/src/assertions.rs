//! Who may assert what: the types of message each kind of agency may send, because each kind
//! owns the facts it reports (PRODUCT.md, "who may assert what"). The police arrest, bail from
//! the station, charge, and keep the police file, intelligence and previous convictions; the
//! CPS decides on charge and gives legal advice; courts list, result, take pleas, give verdicts,
//! bail and sentence; probation writes reports and takes consent; voluntary services report the
//! progress of those referred to them and take consent. Work between agencies is anyone's to
//! ask for and report done, and a sender may retract its own message.
//!
//! The sharing agreement relies on these facts (who is on the team, whether the person is
//! convicted, whether consent is in force, which judge a case is listed before), so a message of
//! a type its sender's kind does not own is refused at intake, in every format. This table is
//! data a governance officer reads beside the sharing matrix.

use std::collections::BTreeSet;

use crate::journey::ReportKind;
use crate::message::{MessageKind, Payload};
use crate::{AgencyCode, AgencyKind, MessageFormat, Reader};

use AgencyKind::{Court, Cps, Police, Probation, Voluntary};

const EVERY_KIND: &[AgencyKind] = &[Police, Cps, Court, Probation, Voluntary];

/// An agency's system sending messages: who it is, and its kind, which says what it may assert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub agency: AgencyCode,
    pub kind: AgencyKind,
}

/// A message of a type its sender's kind of agency does not own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} may not send {what}: only {} send {them}", one(*.sender), kinds_in_words(.owners), them = if *.plural { "them" } else { "it" })]
pub struct NotEntitled {
    sender: AgencyKind,
    /// What was sent, in words (`` `hearing_result` messages``, ``messages in `spi-results` ``).
    what: String,
    plural: bool,
    owners: &'static [AgencyKind],
}

impl Sender {
    pub fn new(agency: AgencyCode, kind: AgencyKind) -> Self {
        Self { agency, kind }
    }

    /// Whether this sender may assert `payload`; if not, why, in words for the sender.
    pub fn may_send(&self, payload: &Payload) -> Result<(), NotEntitled> {
        let owners = payload.asserted_by();
        if owners.contains(&self.kind) {
            return Ok(());
        }
        let what = match payload {
            Payload::ReportSubmitted(report) => {
                format!("`report_submitted` of a `{}`", report.report.as_str())
            }
            other => format!("`{}` messages", other.kind().as_str()),
        };
        Err(NotEntitled {
            sender: self.kind,
            plural: !matches!(payload, Payload::ReportSubmitted(_)),
            what,
            owners,
        })
    }

    /// Whether this sender may send messages in `format` at all: the agencies' own formats
    /// are courts' (SPI Results from Libra, Common Platform hearings).
    pub fn may_use(&self, format: MessageFormat) -> Result<(), NotEntitled> {
        let owners = format.sent_by();
        if owners.contains(&self.kind) {
            return Ok(());
        }
        Err(NotEntitled {
            sender: self.kind,
            what: format!("messages in `{format}`"),
            plural: true,
            owners,
        })
    }
}

impl From<&Reader> for Sender {
    fn from(reader: &Reader) -> Self {
        Self::new(reader.agency.clone(), reader.agency_kind)
    }
}

impl MessageFormat {
    /// The kinds of agency whose systems send this format.
    pub fn sent_by(self) -> &'static [AgencyKind] {
        match self {
            Self::Canonical => EVERY_KIND,
            Self::SpiResults | Self::CommonPlatform => &[Court],
        }
    }
}

/// "a police force", "a CPS area"…
fn one(kind: AgencyKind) -> &'static str {
    match kind {
        Police => "a police force",
        Cps => "a CPS area",
        Court => "a court",
        Probation => "a probation service",
        Voluntary => "a voluntary service",
    }
}

/// The kinds of agency, in plural words joined for a sentence: "police forces and courts".
pub fn kinds_in_words(kinds: &[AgencyKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|kind| plural(*kind)).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "police forces", "CPS areas"…
fn plural(kind: AgencyKind) -> &'static str {
    match kind {
        Police => "police forces",
        Cps => "CPS areas",
        Court => "courts",
        Probation => "probation services",
        Voluntary => "voluntary services",
    }
}

impl MessageKind {
    /// The kinds of agency that may send messages of this type.
    pub fn asserted_by(self) -> &'static [AgencyKind] {
        match self {
            Self::Arrest | Self::PoliceFile | Self::Intelligence | Self::Antecedents => &[Police],
            Self::Bail | Self::Charge => &[Police, Court],
            Self::ChargingDecision | Self::LegalAdvice => &[Cps],
            Self::VictimWitness => &[Police, Cps],
            Self::HearingListed
            | Self::HearingResult
            | Self::Plea
            | Self::BadCharacterRuling
            | Self::Verdict
            | Self::Adjournment
            | Self::Sentence
            | Self::JudicialComment => &[Court],
            Self::CaseClosed => &[Police, Cps, Court, Probation],
            Self::ReportSubmitted => &[Police, Probation],
            Self::Referral => &[Probation],
            Self::ConsentGiven | Self::ConsentWithdrawn | Self::Health => &[Probation, Voluntary],
            Self::SupportProgress => &[Voluntary],
            Self::ActionRequested
            | Self::ActionCompleted
            | Self::ActionWithdrawn
            | Self::Retraction => EVERY_KIND,
        }
    }
}

impl Payload {
    /// The kinds of agency that may send this message: its type's, narrowed where the payload
    /// says whose report it is (the police submit full files and antecedents, probation
    /// pre-sentence reports and risk assessments).
    pub fn asserted_by(&self) -> &'static [AgencyKind] {
        match self {
            Self::ReportSubmitted(report) => match report.report {
                ReportKind::FullFile | ReportKind::Antecedents => &[Police],
                ReportKind::PreSentenceReport | ReportKind::RiskAssessment => &[Probation],
            },
            other => other.kind().asserted_by(),
        }
    }

    /// Whether an agency of `kind` may send this message.
    pub fn may_be_sent_by(&self, kind: AgencyKind) -> bool {
        self.asserted_by().contains(&kind)
    }

    /// Whether sending this message makes its sender one of the agencies working on the case
    /// (`team`): the court that lists it, and the police force (or court) whose arrest, bail or
    /// charge opens a case nobody works on yet. Every other agency, and a second force, joins only when
    /// one already working on the case gives it work (see [`Payload::assigned_agencies`]); no
    /// agency joins a case by its own word alone.
    pub fn joins_its_sender(&self, team: &BTreeSet<AgencyCode>) -> bool {
        match self {
            Self::HearingListed(_) => true,
            Self::Arrest(_) | Self::Bail(_) | Self::Charge(_) => team.is_empty(),
            _ => false,
        }
    }
}

impl Payload {
    /// Whether this message changes the case's course only from an agency on its team: a plea,
    /// verdict or sentence (a conviction opens information to others), results, adjournments,
    /// bail, decisions on charge, closing the case, and asking for work (which brings the
    /// agency asked onto the team). From anyone else the message is kept but changes nothing,
    /// and counts once its sender is on the team (a replay folds it again in order).
    pub fn needs_a_place_on_the_team(&self) -> bool {
        matches!(
            self,
            Self::Plea(_)
                | Self::BadCharacterRuling(_)
                | Self::Verdict(_)
                | Self::Sentence(_)
                | Self::HearingResult(_)
                | Self::Adjournment(_)
                | Self::Bail(_)
                | Self::ChargingDecision(_)
                | Self::CaseClosed(_)
                | Self::ActionRequested(_)
                | Self::ActionWithdrawn(_)
                | Self::Referral(_)
        )
    }
}

/// The table as governance reads it: each type agency systems send, with who may send it.
pub fn table() -> Vec<(MessageKind, &'static [AgencyKind])> {
    MessageKind::ALL
        .into_iter()
        .filter(|kind| kind.sent_by_systems())
        .map(|kind| (kind, kind.asserted_by()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_owned_and_the_facts_that_open_information_by_their_owners_alone() {
        for kind in MessageKind::ALL {
            assert!(
                !kind.asserted_by().is_empty(),
                "{} has no owner",
                kind.as_str()
            );
        }
        assert_eq!(
            MessageKind::ConsentGiven.asserted_by(),
            &[Probation, Voluntary]
        );
        assert_eq!(MessageKind::Verdict.asserted_by(), &[Court]);
        assert_eq!(MessageKind::HearingListed.asserted_by(), &[Court]);
        assert!(!MessageKind::SupportProgress.asserted_by().contains(&Police));
    }

    #[test]
    fn a_refusal_names_the_type_and_who_may_send_it() {
        let code = AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}"));
        let police = Sender::new(code, Police);
        let closed = Payload::CaseClosed(crate::message::CaseClosed {
            reason: crate::CloseReason::Acquitted,
        });
        assert!(police.may_send(&closed).is_ok());
        let consent = Payload::ConsentWithdrawn(crate::message::ConsentWithdrawn {
            category: crate::journey::ConsentCategory::Health,
            source: crate::Text::parse("Told the officer").unwrap_or_else(|e| panic!("{e}")),
        });
        assert_eq!(
            police
                .may_send(&consent)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            "a police force may not send `consent_withdrawn` messages: only probation services \
             and voluntary services send them"
        );
        assert_eq!(
            police
                .may_use(MessageFormat::SpiResults)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            "a police force may not send messages in `spi-results`: only courts send them"
        );
    }
}
