//! One synthetic case's journey, stage by stage, as its agencies' systems would report it.
//!
//! Longer than most files on purpose: a journey is written in the order things happen, stage
//! after stage, so that reading it tells one case's story; split by stage it would not.

use joinery_domain::journey::{
    ActionKind, AdjournmentReason, Attendance, BailStatus, ChargingOutcome, CloseReason,
    ConsentCategory, Engagement, Finding, HearingPurpose, PleaValue, ReportKind, SupportService,
    TrialEffectiveness,
};
use joinery_domain::message::{
    ActionRequested, Adjournment, Antecedents, Arrest, Bail, CaseClosed, Charge, ChargedOffence,
    ChargingDecision, ConsentGiven, Disposal, Health, HealthRecordKind, HearingListed,
    HearingResult, Intelligence, LegalAdvice, PartyRole, Person, Plea, PoliceFile,
    PoliceFileSection, PreviousConviction, Referral, ReportSubmitted, ResultLine, Sentence,
    SupportProgress, Verdict, VictimWitness,
};
use joinery_domain::text::Name;
use joinery_domain::text::Text;
use joinery_domain::{
    ActionId, AgencyCode, AgencyKind, CanonicalMessage, CaseRef, HearingId, MessageId, OffenceCode,
    OuCode, Payload, ResultCode, SystemName, Timestamp, Urn, Username,
};
use time::{Date, Duration, OffsetDateTime, Time};

use super::{AGENCIES, COURT_OU, CUSTODY_OU, Dice, FAMILY, GIVEN, JUDGES, OFFENCES, Reach};

/// Writes one case's messages as its agencies' systems would send them.
pub(super) struct CaseWriter {
    pub(super) number: u32,
    pub(super) today: Date,
    pub(super) reach: Reach,
    pub(super) case: CaseRef,
    pub(super) sent: u32,
    pub(super) messages: Vec<CanonicalMessage>,
    /// The defendant, as probation names them when referring them to a service.
    pub(super) person: Option<Person>,
}

impl CaseWriter {
    fn send(&mut self, agency_index: usize, at: OffsetDateTime, payload: Payload) {
        let (code, _, _, system) = AGENCIES[agency_index];
        self.sent += 1;
        let id = format!("{code}-{:06}-{:02}", self.number, self.sent);
        if let (Ok(agency), Ok(system), Ok(message_id)) = (
            AgencyCode::parse(code),
            SystemName::parse(system),
            MessageId::parse(&id),
        ) {
            self.messages.push(CanonicalMessage {
                message_id,
                agency,
                system,
                occurred_at: Timestamp::from_offset(at),
                case: self.case.clone(),
                payload,
            });
        }
    }
}

const POLICE: usize = 0;
const CPS: usize = 1;
const COURT: usize = 2;
const PROBATION: usize = 3;
const DRUGS: usize = 4;
const HOUSING: usize = 5;

fn at(day: Date, hour: u8) -> OffsetDateTime {
    day.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

fn text(value: &str) -> Option<Text> {
    Text::parse(value).ok()
}

/// Where a stage left the case: go on to the next, or stop here. `None` from a stage means a
/// built-in value was invalid.
enum Next<T> {
    Continue(T),
    Stop,
}

use Next::{Continue, Stop};

impl CaseWriter {
    /// Sends the case's messages from arrest to as far as its reach.
    pub(super) fn journey(
        &mut self,
        dice: &mut Dice,
        arrested: Date,
        person: Person,
        urn: Urn,
    ) -> Option<()> {
        let Continue(charged) = self.before_charge(dice, arrested, person, urn)? else {
            return Some(());
        };
        let Continue((first_hearing, first_id)) = self.first_hearing(dice, charged)? else {
            return Some(());
        };
        if matches!(self.reach, Reach::AwaitingTrial | Reach::ClosedEarly) {
            return self.contested(dice, first_hearing);
        }
        let Continue((sentence_day, sentence_id)) =
            self.convicted(dice, first_hearing, &first_id)?
        else {
            return Some(());
        };
        self.sentenced(dice, sentence_day, sentence_id)
    }

    /// Arrest, bail, the charging decision and the charge; returns the day of charge.
    fn before_charge(
        &mut self,
        dice: &mut Dice,
        arrested: Date,
        person: Person,
        urn: Urn,
    ) -> Option<Next<Date>> {
        let (code, wording) = dice.pick(&OFFENCES);
        let offence_code = OffenceCode::parse(code).ok()?;
        self.person = Some(person.clone());
        self.send(
            POLICE,
            at(arrested, 2),
            Payload::Arrest(Arrest {
                person,
                custody_unit: OuCode::parse(CUSTODY_OU).ok(),
                suspected_offence: Some(offence_code.clone()),
            }),
        );
        self.police_file(dice, arrested)?;
        if self.reach == Reach::Arrested {
            return Some(Stop);
        }
        self.send(
            POLICE,
            at(arrested, 9),
            Payload::Bail(Bail {
                status: BailStatus::PoliceBail,
                conditions: text("Not to contact the complainant").into_iter().collect(),
                until: Some(arrested + Duration::days(28)),
            }),
        );
        // Half the cases still on bail are with the police, investigating; the other half have
        // gone to the CPS area, whose decision they await.
        let with_the_police = self.reach == Reach::Bailed && self.number % 2 == 1;
        if with_the_police {
            return Some(Stop);
        }
        let decided = arrested + Duration::days(7);
        // The police send the file to the CPS area for its decision, which brings the area
        // onto the case; the decision answers the request.
        self.send(
            POLICE,
            at(arrested, 10),
            Payload::ActionRequested(ActionRequested {
                action_id: ActionId::parse(&format!("CHG-{:06}", self.number)).ok()?,
                action: ActionKind::ChargingDecision,
                owner: AgencyCode::parse(AGENCIES[CPS].0).ok()?,
                due_on: decided,
                note: None,
            }),
        );
        if self.reach == Reach::Bailed {
            return Some(Stop);
        }
        let early_close = self.reach == Reach::ClosedEarly && dice.chance(40);
        self.send(
            CPS,
            at(decided, 13),
            Payload::LegalAdvice(LegalAdvice {
                advice: text(if early_close {
                    "The identification evidence is too weak to give a realistic prospect of conviction."
                } else {
                    "The evidence meets the full code test; charge as set out. Review the CCTV before the first hearing."
                })?,
            }),
        );
        self.send(
            CPS,
            at(decided, 14),
            Payload::ChargingDecision(ChargingDecision {
                decision: if early_close {
                    ChargingOutcome::NoFurtherAction
                } else {
                    ChargingOutcome::Charge
                },
                offences: vec![offence_code.clone()],
            }),
        );
        if early_close {
            return Some(Stop);
        }
        self.case.urn = Some(urn);
        let charged = decided + Duration::days(1);
        self.send(
            POLICE,
            at(charged, 10),
            Payload::Charge(Charge {
                defendant: None,
                offences: vec![ChargedOffence {
                    sequence: 1,
                    code: offence_code,
                    wording: text(&format!("On {arrested} at Liverpool {wording}."))?,
                    committed_on: Some(arrested),
                    offence_type: None,
                    arrested_on: None,
                    charged_on: None,
                    mode_of_trial: None,
                }],
            }),
        );
        Some(Continue(charged))
    }

    /// The first hearing, listed three weeks after charge and resulted once it has passed.
    fn first_hearing(&mut self, dice: &mut Dice, charged: Date) -> Option<Next<(Date, HearingId)>> {
        let first_hearing = charged + Duration::days(21);
        let first_id = self.hearing_id(1)?;
        self.list_hearing(
            charged,
            first_hearing,
            &first_id,
            HearingPurpose::FirstAppearance,
        )?;
        if self.reach == Reach::Charged || first_hearing >= self.today {
            return Some(Stop);
        }
        self.send(
            COURT,
            at(first_hearing, 12),
            Payload::HearingResult(HearingResult {
                hearing_id: first_id.clone(),
                results: vec![ResultLine {
                    offence_sequence: Some(1),
                    code: ResultCode::parse("4506").ok()?,
                    text: text("Adjourned")?,
                }],
                trial: None,
                trial_reason: None,
            }),
        );
        if self.reach == Reach::FirstHearing {
            let next = self.today + Duration::days(1 + i64::try_from(dice.below(20)).ok()?);
            self.adjourn(dice, first_hearing, &first_id, next)?;
            return Some(Stop);
        }
        Some(Continue((first_hearing, first_id)))
    }

    /// A not-guilty plea and a trial listed; some trials already ended in acquittal.
    fn contested(&mut self, dice: &mut Dice, first_hearing: Date) -> Option<()> {
        self.plea(first_hearing, PleaValue::NotGuilty);
        let trial_day = first_hearing + Duration::days(42);
        let trial_id = self.hearing_id(2)?;
        let yesterday = self.today - Duration::days(1);
        // A third of contested cases had a trial listed earlier that could not go ahead (told
        // by the case's number, not the dice, so that every other journey stays as it was).
        let earlier = first_hearing + Duration::days(28);
        if self.number.is_multiple_of(3) && earlier < yesterday {
            let earlier_id = self.hearing_id(5)?;
            self.list_hearing(first_hearing, earlier, &earlier_id, HearingPurpose::Trial)?;
            let reason = if self.number.is_multiple_of(2) {
                "Ineffective: prosecution witness absent"
            } else {
                "Ineffective: lack of court time or over-listing"
            };
            self.send(
                COURT,
                at(earlier, 16),
                Payload::HearingResult(HearingResult {
                    hearing_id: earlier_id,
                    results: Vec::new(),
                    trial: Some(TrialEffectiveness::Ineffective),
                    trial_reason: text(reason),
                }),
            );
        }
        if self.reach == Reach::ClosedEarly {
            // The trial went ahead yesterday and ended in acquittal.
            self.list_hearing(first_hearing, yesterday, &trial_id, HearingPurpose::Trial)?;
            self.send(
                COURT,
                at(yesterday, 14),
                Payload::HearingResult(HearingResult {
                    hearing_id: trial_id,
                    results: Vec::new(),
                    trial: Some(TrialEffectiveness::Effective),
                    trial_reason: None,
                }),
            );
            self.send(
                COURT,
                at(yesterday, 15),
                Payload::Verdict(Verdict {
                    offence_sequence: 1,
                    finding: Finding::NotGuilty,
                    convicted_on: None,
                }),
            );
            if dice.chance(50) {
                self.send(
                    CPS,
                    at(yesterday, 16),
                    Payload::CaseClosed(CaseClosed {
                        reason: CloseReason::Acquitted,
                    }),
                );
            }
        } else {
            let listed_for = trial_day.max(self.today + Duration::days(3));
            self.list_hearing(first_hearing, listed_for, &trial_id, HearingPurpose::Trial)?;
        }
        Some(())
    }

    /// A guilty plea and the court's request for a pre-sentence report, some of them late;
    /// returns the day and id of the sentence hearing.
    fn convicted(
        &mut self,
        dice: &mut Dice,
        first_hearing: Date,
        first_id: &HearingId,
    ) -> Option<Next<(Date, HearingId)>> {
        self.plea(first_hearing, PleaValue::Guilty);
        let psr = ActionId::parse(&format!("PSR-{:06}", self.number)).ok()?;
        let due = first_hearing + Duration::days(21);
        self.send(
            COURT,
            at(first_hearing, 12),
            Payload::ActionRequested(ActionRequested {
                action_id: psr.clone(),
                action: ActionKind::PreSentenceReport,
                owner: AgencyCode::parse("PROBNW").ok()?,
                due_on: due,
                note: text("Full written report"),
            }),
        );
        let sentence_day = due + Duration::days(7);
        let sentence_id = self.hearing_id(3)?;
        let submit = |case: &mut Self, on: Date| {
            case.send(
                PROBATION,
                at(on, 15),
                Payload::ReportSubmitted(ReportSubmitted {
                    report: ReportKind::PreSentenceReport,
                    action_id: Some(psr.clone()),
                    summary: text(
                        "Proposal: a community order with a drug rehabilitation requirement; \
                         medium risk of reoffending.",
                    ),
                }),
            );
        };
        if self.reach != Reach::AwaitingSentence {
            submit(self, due - Duration::days(2));
            self.list_hearing(
                first_hearing,
                sentence_day,
                &sentence_id,
                HearingPurpose::Sentence,
            )?;
            return Some(Continue((sentence_day, sentence_id)));
        }
        // Some reports are late: the action stays open past its due date.
        let late = due < self.today && dice.chance(60);
        if !late && due < self.today {
            submit(self, due - Duration::days(1));
        }
        let listed_for = if sentence_day > self.today {
            sentence_day
        } else {
            self.today + Duration::days(1 + i64::try_from(dice.below(14)).ok()?)
        };
        self.list_hearing(
            first_hearing,
            listed_for,
            &sentence_id,
            HearingPurpose::Sentence,
        )?;
        if late {
            self.adjourn(dice, due, first_id, listed_for)?;
        }
        Some(Stop)
    }

    /// The sentence: a fine, or a community order supervised by probation.
    fn sentenced(&mut self, dice: &mut Dice, day: Date, hearing_id: HearingId) -> Option<()> {
        let supervised = self.reach == Reach::Supervised;
        let disposal = if supervised {
            Disposal {
                code: ResultCode::parse("1116").ok()?,
                text: text("Community order, 12 months, drug rehabilitation requirement")?,
                duration_months: Some(12),
                amount_pence: None,
            }
        } else {
            Disposal {
                code: ResultCode::parse("1015").ok()?,
                text: text("Fine")?,
                duration_months: None,
                amount_pence: Some(20_000 + 5_000 * dice.below(20)),
            }
        };
        self.send(
            COURT,
            at(day, 11),
            Payload::HearingResult(HearingResult {
                hearing_id,
                results: vec![ResultLine {
                    offence_sequence: Some(1),
                    code: disposal.code.clone(),
                    text: disposal.text.clone(),
                }],
                trial: None,
                trial_reason: None,
            }),
        );
        self.send(
            COURT,
            at(day, 12),
            Payload::Sentence(Sentence {
                disposals: vec![disposal],
                supervised_by_probation: supervised,
                supervisor: if supervised {
                    Some(AgencyCode::parse(AGENCIES[PROBATION].0).ok()?)
                } else {
                    None
                },
            }),
        );
        if supervised {
            self.supervision(dice, day)?;
        }
        Some(())
    }

    /// Under the order: a referral to the drug service, consent to share health information,
    /// attendance reported, and a review hearing before the same court.
    fn supervision(&mut self, dice: &mut Dice, sentenced: Date) -> Option<()> {
        let referral = ActionId::parse(&format!("REF-{:06}", self.number)).ok()?;
        let referral_due = sentenced + Duration::days(14);
        self.send(
            PROBATION,
            at(sentenced + Duration::days(2), 10),
            Payload::Referral(Referral {
                referral_id: referral.clone(),
                to: AgencyCode::parse("VOLDRG").ok()?,
                service: SupportService::Drugs,
                due_on: referral_due,
                person: self.person.clone(),
            }),
        );
        self.send(
            PROBATION,
            at(sentenced + Duration::days(2), 11),
            Payload::Health(Health {
                kind: HealthRecordKind::DrugTest,
                result: text(dice.pick(&[
                    "Positive for opiates at induction",
                    "Negative for all tested substances",
                    "Positive for cannabis at induction",
                ]))?,
            }),
        );
        if dice.chance(40) {
            self.send(
                PROBATION,
                at(sentenced + Duration::days(3), 10),
                Payload::Referral(Referral {
                    referral_id: ActionId::parse(&format!("HSG-{:06}", self.number)).ok()?,
                    to: AgencyCode::parse(AGENCIES[HOUSING].0).ok()?,
                    service: SupportService::Housing,
                    due_on: sentenced + Duration::days(21),
                    person: self.person.clone(),
                }),
            );
        }
        self.send(
            PROBATION,
            at(sentenced + Duration::days(2), 9),
            Payload::ConsentGiven(ConsentGiven {
                category: ConsentCategory::Health,
                source: text("Signed consent form at probation induction")?,
            }),
        );
        if referral_due < self.today && dice.chance(75) {
            self.send(
                DRUGS,
                at(referral_due - Duration::days(3), 11),
                Payload::SupportProgress(SupportProgress {
                    referral_id: referral,
                    attendance: Attendance::Attended,
                    engagement: dice.pick(&[
                        Engagement::Good,
                        Engagement::Partial,
                        Engagement::Poor,
                    ]),
                    note: None,
                }),
            );
        }
        let review = self.hearing_id(4)?;
        let review_day = (sentenced + Duration::days(90))
            .max(self.today + Duration::days(1 + i64::try_from(dice.below(30)).ok()?));
        self.list_hearing(sentenced, review_day, &review, HearingPurpose::Review)
    }

    /// What the police hold beyond the case core: the custody record, the evidence summary,
    /// the victim's details, sometimes intelligence, and the person's previous convictions.
    fn police_file(&mut self, dice: &mut Dice, arrested: Date) -> Option<()> {
        self.send(
            POLICE,
            at(arrested, 3),
            Payload::PoliceFile(PoliceFile {
                section: PoliceFileSection::CustodyRecord,
                summary: text("Booked in at St Anne Street; fit to be detained and interviewed.")?,
                detail: text(
                    "Interviewed with a solicitor present; no comment given. Property seized.",
                )?
                .into(),
            }),
        );
        self.send(
            POLICE,
            at(arrested, 4),
            Payload::PoliceFile(PoliceFile {
                section: PoliceFileSection::EvidenceSummary,
                summary: text("CCTV and one eyewitness place the suspect at the scene.")?,
                detail: text(
                    "Witness statement taken at the scene; CCTV exhibit seized from the premises.",
                )?
                .into(),
            }),
        );
        self.send(
            POLICE,
            at(arrested, 5),
            Payload::VictimWitness(VictimWitness {
                role: PartyRole::Victim,
                person: Person {
                    given_name: Name::parse(dice.pick(&GIVEN)).ok()?,
                    family_name: Name::parse(dice.pick(&FAMILY)).ok()?,
                    date_of_birth: None,
                    pnc_id: None,
                    cro_number: None,
                },
                contact: text("Through the witness care unit"),
                needs: dice.chance(30).then(|| text("Screens in court")).flatten(),
            }),
        );
        if dice.chance(30) {
            self.send(
                POLICE,
                at(arrested, 6),
                Payload::Intelligence(Intelligence {
                    grading: Name::parse("2-B-1").ok(),
                    text: text("Believed to be associating with a group supplying class B drugs.")?,
                }),
            );
        }
        if dice.chance(60) {
            self.send(
                POLICE,
                at(arrested, 7),
                Payload::Antecedents(Antecedents {
                    previous_convictions: vec![PreviousConviction {
                        convicted_on: arrested
                            - Duration::days(400 + i64::try_from(dice.below(900)).ok()?),
                        offence: OffenceCode::parse(dice.pick(&OFFENCES).0).ok()?,
                        court: OuCode::parse(COURT_OU).ok(),
                        disposal: text(dice.pick(&[
                            "Conditional discharge",
                            "Fine",
                            "Community order",
                        ]))?,
                    }],
                }),
            );
        }
        Some(())
    }

    fn plea(&mut self, on: Date, plea: PleaValue) {
        self.send(
            COURT,
            at(on, 11),
            Payload::Plea(Plea {
                offence_sequence: 1,
                plea,
            }),
        );
    }

    fn hearing_id(&self, ordinal: u8) -> Option<HearingId> {
        HearingId::parse(&format!("{COURT_OU}-{:06}-{ordinal}", self.number)).ok()
    }

    fn list_hearing(
        &mut self,
        listed_on: Date,
        day: Date,
        id: &HearingId,
        purpose: HearingPurpose,
    ) -> Option<()> {
        let courtroom = format!("Court {}", 1 + self.number % 3);
        self.send(
            COURT,
            at(listed_on, 16),
            Payload::HearingListed(HearingListed {
                hearing_id: id.clone(),
                court: OuCode::parse(COURT_OU).ok()?,
                courtroom: text(&courtroom),
                starts_at: Timestamp::from_offset(at(day, 10)),
                purpose,
                judge: Username::parse(JUDGES[usize::from(self.number % 3 == 1)]).ok(),
            }),
        );
        Some(())
    }

    fn adjourn(&mut self, dice: &mut Dice, on: Date, id: &HearingId, next: Date) -> Option<()> {
        let (reason, responsible) = dice.pick(&[
            (
                AdjournmentReason::ReportNotReady,
                Some(AgencyKind::Probation),
            ),
            (
                AdjournmentReason::ProsecutionNotReady,
                Some(AgencyKind::Cps),
            ),
            (AdjournmentReason::DefenceNotReady, None),
            (AdjournmentReason::WitnessAbsent, Some(AgencyKind::Police)),
            (
                AdjournmentReason::InsufficientCourtTime,
                Some(AgencyKind::Court),
            ),
        ]);
        self.send(
            COURT,
            at(on, 12),
            Payload::Adjournment(Adjournment {
                hearing_id: id.clone(),
                reason,
                responsible,
                next_hearing_on: Some(next),
                next_court: None,
                reason_given: None,
            }),
        );
        Some(())
    }
}
