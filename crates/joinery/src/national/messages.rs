//! A planned case as its agencies' systems report it: the police force's arrest, file and
//! charge, the CPS area's decision, each court's listings and results, probation's reports and
//! supervision, the voluntary services' progress — every message whose day has come by the day
//! the year is seen from, and none after.

use joinery_domain::journey::{
    ActionKind, AdjournmentReason, Attendance, BailStatus, ChargingOutcome, CloseReason,
    ConsentCategory, Engagement, Finding, PleaValue, ReportKind, SupportService,
    TrialEffectiveness,
};
use joinery_domain::message::{
    ActionCompleted, ActionRequested, Adjournment, Antecedents, Arrest, Bail, CaseClosed, Charge,
    ChargedOffence, ChargingDecision, ConsentGiven, Disposal, Health, HealthRecordKind,
    HearingListed, HearingResult, Intelligence, LegalAdvice, PartyRole, Person, Plea, PoliceFile,
    PoliceFileSection, PreviousConviction, Referral, ReportSubmitted, ResultLine, Sentence,
    SupportProgress, Verdict, VictimWitness,
};
use joinery_domain::text::{Name, Text};
use joinery_domain::{
    ActionId, AgencyCode, Asn, CanonicalMessage, CaseRef, HearingId, MessageId, OffenceCode,
    OuCode, Payload, PncId, ResultCode, SystemName, Timestamp, Urn, Username,
};
use time::{Date, Duration, OffsetDateTime, Time};

use super::calibration::OFFENCES;
use super::geography::{FORCES, custody_unit, voluntary_services};
use super::plan::{AfterTrial, Hearing, Outcome, Plan};
use crate::model_office::{Dice, FAMILY, GIVEN};

/// Writes one planned case's messages, in the order its agencies would send them.
struct Writer<'a> {
    plan: &'a Plan,
    today: Date,
    case: CaseRef,
    sent: u32,
    messages: Vec<CanonicalMessage>,
    dice: Dice,
}

fn at(day: Date, hour: u8) -> OffsetDateTime {
    day.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

fn text(value: &str) -> Option<Text> {
    Text::parse(value).ok()
}

fn code(value: &str) -> Option<AgencyCode> {
    AgencyCode::parse(value).ok()
}

/// The system each kind of agency sends from (a court by its jurisdiction).
fn system(agency: &str) -> &'static str {
    match agency.as_bytes().first() {
        Some(b'B') if agency.len() == 7 => "Libra",
        Some(b'C') if agency.len() == 7 && !agency.starts_with("CPS") => "Common Platform",
        _ if agency.starts_with("CPS") => "CPS Case Management",
        _ if agency.starts_with("PROB") => "nDelius",
        _ if agency.starts_with('V') => "Case Notes",
        _ => "Niche RMS",
    }
}

impl Writer<'_> {
    /// Sends `payload` from `agency` at `when`, if that moment has come.
    fn send(&mut self, agency: &str, when: OffsetDateTime, payload: Payload) {
        if when.date() >= self.today {
            return;
        }
        self.sent += 1;
        let id = format!("{agency}-{:07}-{:02}", self.plan.number, self.sent);
        if let (Some(agency), Ok(system), Ok(message_id)) = (
            code(agency),
            SystemName::parse(system(agency)),
            MessageId::parse(&id),
        ) {
            self.messages.push(CanonicalMessage {
                message_id,
                agency,
                system,
                occurred_at: Timestamp::from_offset(when),
                case: self.case.clone(),
                payload,
            });
        }
    }

    fn police(&self) -> &'static str {
        FORCES[self.plan.force].agency
    }

    fn probation(&self) -> &'static str {
        FORCES[self.plan.force].probation
    }

    fn action(&self, prefix: &str) -> Option<ActionId> {
        ActionId::parse(&format!("{prefix}-{:07}", self.plan.number)).ok()
    }

    fn offence_code(&self) -> Option<OffenceCode> {
        OffenceCode::parse(OFFENCES[self.plan.offence].code).ok()
    }
}

/// The messages of `plan`, as of `today`. `None` only if a built-in value were invalid.
pub fn case_messages(plan: &Plan, today: Date, seed: u64) -> Option<Vec<CanonicalMessage>> {
    let force = &FORCES[plan.force];
    let year = plan.arrested_on.year() % 100;
    // The year's cases are numbered across the nation: a force's unit is the number's
    // hundred-thousand.
    let unit = crate::model_office::unit_letters(plan.number);
    let force_unit = format!("{}{unit}", force.force_code);
    let asn = Asn::allocate(
        &format!("{year:02}"),
        &force_unit,
        "01",
        u64::from(plan.number),
    )?;
    let urn = Urn::parse(&format!(
        "{force_unit}{:05}{year:02}",
        plan.number % 100_000
    ))
    .ok()?;
    let mut writer = Writer {
        plan,
        today,
        case: CaseRef {
            urn: None,
            asn: Some(asn),
            court_case_id: None,
        },
        sent: 0,
        messages: Vec::new(),
        dice: Dice::new(seed ^ u64::from(plan.number).rotate_left(29) ^ 0x5EED),
    };
    writer.before_charge()?;
    if !plan.charged {
        return Some(writer.messages);
    }
    writer.case.urn = Some(urn);
    writer.charge()?;
    for (index, hearing) in plan.hearings.iter().enumerate() {
        writer.hearing(index, hearing, plan.hearings.get(index + 1))?;
    }
    Some(writer.messages)
}

impl Writer<'_> {
    /// The arrest, the police file, bail, and the CPS's decision when it was asked.
    fn before_charge(&mut self) -> Option<()> {
        let plan = self.plan;
        let police = self.police();
        let person = Person {
            given_name: Name::parse(self.dice.pick(&GIVEN)).ok()?,
            family_name: Name::parse(self.dice.pick(&FAMILY)).ok()?,
            date_of_birth: Date::from_ordinal_date(
                1960 + i32::try_from(self.dice.below(45)).ok()?,
                1 + u16::try_from(self.dice.below(365)).ok()?,
            )
            .ok(),
            pnc_id: PncId::allocate(
                1990 + u16::try_from(self.dice.below(30)).ok()?,
                1_000_000 + u64::from(plan.number),
            ),
            cro_number: None,
        };
        let arrested = plan.arrested_on;
        self.send(
            police,
            at(arrested, 2),
            Payload::Arrest(Arrest {
                person,
                custody_unit: custody_unit(FORCES[plan.force].force_code)
                    .and_then(|unit| OuCode::parse(unit).ok()),
                suspected_offence: self.offence_code(),
            }),
        );
        self.police_file(arrested)?;
        if !plan.custody {
            let status = if self.dice.chance(50) {
                BailStatus::PoliceBail
            } else {
                BailStatus::ReleasedUnderInvestigation
            };
            self.send(
                police,
                at(arrested, 9),
                Payload::Bail(Bail {
                    status,
                    conditions: Vec::new(),
                    until: (status == BailStatus::PoliceBail)
                        .then(|| arrested + Duration::days(90)),
                }),
            );
        }
        let Some((asked, due)) = plan.asked_cps else {
            return Some(());
        };
        self.send(
            police,
            at(asked, 10),
            Payload::ActionRequested(ActionRequested {
                action_id: self.action("CHG")?,
                action: ActionKind::ChargingDecision,
                owner: code(plan.cps)?,
                due_on: due,
                note: None,
            }),
        );
        let decided = plan.decided_on;
        self.send(
            plan.cps,
            at(decided, 13),
            Payload::LegalAdvice(LegalAdvice {
                advice: text(if plan.charged {
                    "The full code test is met; charge as set out."
                } else {
                    "The evidence does not give a realistic prospect of conviction."
                })?,
            }),
        );
        self.send(
            plan.cps,
            at(decided, 14),
            Payload::ChargingDecision(ChargingDecision {
                decision: if plan.charged {
                    ChargingOutcome::Charge
                } else {
                    ChargingOutcome::NoFurtherAction
                },
                offences: self.offence_code().into_iter().collect(),
            }),
        );
        Some(())
    }

    /// The custody record and evidence summary, often the victim's details and previous
    /// convictions, sometimes intelligence.
    fn police_file(&mut self, arrested: Date) -> Option<()> {
        let police = self.police();
        self.send(
            police,
            at(arrested, 3),
            Payload::PoliceFile(PoliceFile {
                section: PoliceFileSection::CustodyRecord,
                summary: text("Booked into custody; fit to be detained and interviewed.")?,
                detail: text("Interviewed with a solicitor present.")?.into(),
            }),
        );
        self.send(
            police,
            at(arrested, 4),
            Payload::PoliceFile(PoliceFile {
                section: PoliceFileSection::EvidenceSummary,
                summary: text("Witness statements and CCTV support the allegation.")?,
                detail: None,
            }),
        );
        if self.dice.chance(60) {
            let victim = Person {
                given_name: Name::parse(self.dice.pick(&GIVEN)).ok()?,
                family_name: Name::parse(self.dice.pick(&FAMILY)).ok()?,
                date_of_birth: None,
                pnc_id: None,
                cro_number: None,
            };
            self.send(
                police,
                at(arrested, 5),
                Payload::VictimWitness(VictimWitness {
                    role: PartyRole::Victim,
                    person: victim,
                    contact: text("Through the witness care unit"),
                    needs: None,
                }),
            );
        }
        if self.dice.chance(15) {
            self.send(
                police,
                at(arrested, 6),
                Payload::Intelligence(Intelligence {
                    grading: Name::parse("2-B-1").ok(),
                    text: text("Believed to be associating with known offenders.")?,
                }),
            );
        }
        if self.dice.chance(55) {
            let offence = OFFENCES[self.dice.below(OFFENCES.len() as u64) as usize].code;
            let conviction = PreviousConviction {
                convicted_on: arrested
                    - Duration::days(400 + i64::try_from(self.dice.below(2000)).ok()?),
                offence: OffenceCode::parse(offence).ok()?,
                court: None,
                disposal: text(self.dice.pick(&[
                    "Conditional discharge",
                    "Fine",
                    "Community order",
                ]))?,
            };
            self.send(
                police,
                at(arrested, 7),
                Payload::Antecedents(Antecedents {
                    previous_convictions: vec![conviction],
                }),
            );
        }
        Some(())
    }

    /// The charge, and where the police charged it themselves, the file sent to the CPS for
    /// review before the first hearing (which brings the area onto the case).
    fn charge(&mut self) -> Option<()> {
        let plan = self.plan;
        let police = self.police();
        let offence = OFFENCES[plan.offence];
        self.send(
            police,
            at(plan.decided_on, 15),
            Payload::Charge(Charge {
                defendant: None,
                offences: vec![ChargedOffence {
                    sequence: 1,
                    code: OffenceCode::parse(offence.code).ok()?,
                    wording: text(&format!("On {} {}.", plan.offence_on, offence.wording))?,
                    committed_on: Some(plan.offence_on),
                    offence_type: None,
                    arrested_on: None,
                    charged_on: None,
                    mode_of_trial: None,
                }],
            }),
        );
        if plan.asked_cps.is_some() {
            return Some(());
        }
        let first = plan.first_listing()?;
        let due = (first - Duration::days(2)).max(plan.decided_on);
        let review = self.action("FILE")?;
        self.send(
            police,
            at(plan.decided_on, 16),
            Payload::ActionRequested(ActionRequested {
                action_id: review.clone(),
                action: ActionKind::Other,
                owner: code(plan.cps)?,
                due_on: due,
                note: None,
            }),
        );
        let done = if self.dice.chance(90) {
            due - Duration::days(1)
        } else {
            due + Duration::days(3)
        };
        self.send(
            plan.cps,
            at(done.max(plan.decided_on), 17),
            Payload::ActionCompleted(ActionCompleted {
                action_id: review,
                note: None,
            }),
        );
        Some(())
    }

    /// A hearing: its listing, then (once it has sat) its result and what it leads to.
    fn hearing(&mut self, index: usize, hearing: &Hearing, next: Option<&Hearing>) -> Option<()> {
        let court = hearing.court.ou;
        let id =
            HearingId::parse(&format!("{court}-{:07}-{}", self.plan.number, index + 1)).ok()?;
        self.send(
            court,
            at(hearing.listed_on, 16),
            Payload::HearingListed(HearingListed {
                hearing_id: id.clone(),
                court: OuCode::parse(court).ok()?,
                courtroom: text(&format!("Court {}", 1 + self.plan.number % 6)),
                starts_at: Timestamp::from_offset(at(hearing.on, 10)),
                purpose: hearing.purpose,
                judge: Username::parse(&hearing.court.judges()[hearing.judge]).ok(),
            }),
        );
        let day = hearing.on;
        let result = |code: &str, words: &str| -> Option<Vec<ResultLine>> {
            Some(vec![ResultLine {
                offence_sequence: Some(1),
                code: ResultCode::parse(code).ok()?,
                text: text(words)?,
            }])
        };
        let adjourned = result("4506", "Adjourned")?;
        let (results, trial) = match hearing.outcome {
            Outcome::Adjourned(..) | Outcome::NotGuilty => (adjourned.clone(), None),
            Outcome::Guilty { sentenced: false } => (adjourned.clone(), None),
            Outcome::SentToCrown => (result("4560", "Sent to the Crown Court for trial")?, None),
            Outcome::Trial(effectiveness, reason, _) => (
                Vec::new(),
                Some((
                    effectiveness,
                    (!reason.is_empty()).then(|| text(reason)).flatten(),
                )),
            ),
            Outcome::Guilty { sentenced: true } | Outcome::Sentenced | Outcome::Review => {
                (Vec::new(), None)
            }
        };
        if !results.is_empty() || trial.is_some() {
            let (trial, trial_reason) = trial.map_or((None, None), |(e, r)| (Some(e), r));
            self.send(
                court,
                at(day, 12),
                Payload::HearingResult(HearingResult {
                    hearing_id: id.clone(),
                    results,
                    trial,
                    trial_reason,
                }),
            );
        }
        self.after_hearing(hearing, &id, next)
    }

    /// What a hearing's outcome leads to: pleas, verdicts, sentences, reports asked for,
    /// adjournments to the next hearing, the case closed.
    fn after_hearing(
        &mut self,
        hearing: &Hearing,
        id: &HearingId,
        next: Option<&Hearing>,
    ) -> Option<()> {
        let court = hearing.court.ou;
        let day = hearing.on;
        let adjourn = |writer: &mut Self, reason, responsible| {
            writer.send(
                court,
                at(day, 13),
                Payload::Adjournment(Adjournment {
                    hearing_id: id.clone(),
                    reason,
                    responsible,
                    next_hearing_on: next.map(|next| next.on),
                    next_court: None,
                    reason_given: None,
                }),
            );
        };
        match hearing.outcome {
            Outcome::Adjourned(reason, responsible) => adjourn(self, reason, responsible),
            Outcome::SentToCrown | Outcome::Review => {}
            Outcome::NotGuilty => {
                self.plea(court, day, PleaValue::NotGuilty);
                adjourn(self, AdjournmentReason::Other, None);
            }
            Outcome::Guilty { sentenced } => {
                self.plea(court, day, PleaValue::Guilty);
                self.convicted(hearing, sentenced)?;
            }
            Outcome::Sentenced => self.sentence(hearing)?,
            Outcome::Trial(effectiveness, _, then) => match then {
                AfterTrial::Convicted { sentenced } => {
                    if effectiveness == TrialEffectiveness::Effective {
                        self.verdict(court, day, Finding::Guilty);
                    } else {
                        self.plea(court, day, PleaValue::Guilty);
                    }
                    self.convicted(hearing, sentenced)?;
                }
                AfterTrial::Acquitted => {
                    self.verdict(court, day, Finding::NotGuilty);
                    self.close(court, day, CloseReason::Acquitted);
                }
                AfterTrial::Discontinued => {
                    let cps = self.plan.cps;
                    self.close(cps, day, CloseReason::Discontinued);
                }
                AfterTrial::Relisted => adjourn(self, AdjournmentReason::Other, None),
            },
        }
        Some(())
    }

    fn plea(&mut self, court: &str, day: Date, plea: PleaValue) {
        self.send(
            court,
            at(day, 11),
            Payload::Plea(Plea {
                offence_sequence: 1,
                plea,
            }),
        );
    }

    fn verdict(&mut self, court: &str, day: Date, finding: Finding) {
        self.send(
            court,
            at(day, 15),
            Payload::Verdict(Verdict {
                offence_sequence: 1,
                finding,
                convicted_on: None,
            }),
        );
    }

    fn close(&mut self, agency: &str, day: Date, reason: CloseReason) {
        self.send(
            agency,
            at(day, 17),
            Payload::CaseClosed(CaseClosed { reason }),
        );
    }

    /// Convicted: sentenced now, or a pre-sentence report asked of probation.
    fn convicted(&mut self, hearing: &Hearing, sentenced: bool) -> Option<()> {
        if sentenced {
            return self.sentence(hearing);
        }
        let Some((asked, due, submitted)) = self.plan.report else {
            return Some(());
        };
        let court = hearing.court.ou;
        let psr = self.action("PSR")?;
        let probation = self.probation();
        self.send(
            court,
            at(asked, 14),
            Payload::ActionRequested(ActionRequested {
                action_id: psr.clone(),
                action: ActionKind::PreSentenceReport,
                owner: code(probation)?,
                due_on: due,
                note: None,
            }),
        );
        self.send(
            probation,
            at(submitted, 15),
            Payload::ReportSubmitted(ReportSubmitted {
                report: ReportKind::PreSentenceReport,
                action_id: Some(psr),
                summary: text("Proposal set out; risk of reoffending assessed."),
            }),
        );
        Some(())
    }

    /// The sentence: an order supervised by probation (with its referrals), a prison sentence
    /// at the Crown Court, or a fine or discharge.
    fn sentence(&mut self, hearing: &Hearing) -> Option<()> {
        let court = hearing.court.ou;
        let day = hearing.on;
        let supervised = self.plan.supervised;
        let disposal = if supervised {
            Disposal {
                code: ResultCode::parse("1116").ok()?,
                text: text("Community order, 12 months")?,
                duration_months: Some(12),
                amount_pence: None,
            }
        } else if self.plan.crown {
            Disposal {
                code: ResultCode::parse("1002").ok()?,
                text: text("Imprisonment")?,
                duration_months: Some(6 + u16::try_from(self.dice.below(60)).ok()?),
                amount_pence: None,
            }
        } else if self.dice.chance(75) {
            Disposal {
                code: ResultCode::parse("1015").ok()?,
                text: text("Fine")?,
                duration_months: None,
                amount_pence: Some(10_000 + 5_000 * self.dice.below(40)),
            }
        } else {
            Disposal {
                code: ResultCode::parse("1018").ok()?,
                text: text("Conditional discharge")?,
                duration_months: Some(12),
                amount_pence: None,
            }
        };
        let probation = self.probation();
        self.send(
            court,
            at(day, 16),
            Payload::Sentence(Sentence {
                disposals: vec![disposal],
                supervised_by_probation: supervised,
                supervisor: if supervised { code(probation) } else { None },
            }),
        );
        if supervised {
            self.supervision(day)?;
        }
        Some(())
    }

    /// Under an order: consent to share health information, a drug test, a referral to the
    /// region's drug or housing service, and the service's report of attendance.
    fn supervision(&mut self, sentenced: Date) -> Option<()> {
        let probation = self.probation();
        let [drugs, housing] = voluntary_services(probation);
        let start = sentenced + Duration::days(2);
        if self.dice.chance(70) {
            self.send(
                probation,
                at(start, 9),
                Payload::ConsentGiven(ConsentGiven {
                    category: ConsentCategory::Health,
                    source: text("Signed consent form at probation induction")?,
                }),
            );
            let result = text(self.dice.pick(&[
                "Positive for opiates at induction",
                "Negative for all tested substances",
            ]))?;
            self.send(
                probation,
                at(start, 11),
                Payload::Health(Health {
                    kind: HealthRecordKind::DrugTest,
                    result,
                }),
            );
        }
        let (service, kind, prefix) = if self.dice.chance(65) {
            (drugs.0, SupportService::Drugs, "REF")
        } else {
            (housing.0, SupportService::Housing, "HSG")
        };
        let referral = self.action(prefix)?;
        let due = start + Duration::days(14);
        self.send(
            probation,
            at(start, 10),
            Payload::Referral(Referral {
                referral_id: referral.clone(),
                to: code(&service)?,
                service: kind,
                due_on: due,
                person: None,
            }),
        );
        if self.dice.unit() < super::calibration::SHAPE.referral_progress {
            let engagement =
                self.dice
                    .pick(&[Engagement::Good, Engagement::Partial, Engagement::Poor]);
            self.send(
                &service,
                at(due - Duration::days(3), 11),
                Payload::SupportProgress(SupportProgress {
                    referral_id: referral,
                    attendance: Attendance::Attended,
                    engagement,
                    note: None,
                }),
            );
        }
        Some(())
    }
}
