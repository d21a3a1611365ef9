//! The model office: the agencies of a community justice centre and synthetic cases spread across
//! every stage of the journey, with adjournments and overdue actions. The demo loads it and the
//! ingest benchmark sends it; all names are invented.
//!
//! It is deterministic: the same seed and day give the same cases, so a demo can be reproduced.

use joinery_domain::journey::{
    ActionKind, AdjournmentReason, Attendance, BailStatus, ChargingOutcome, CloseReason,
    ConsentCategory, Engagement, Finding, HearingPurpose, PleaValue, ReportKind, SupportService,
};
use joinery_domain::message::{
    ActionRequested, Adjournment, Arrest, Bail, CaseClosed, Charge, ChargedOffence,
    ChargingDecision, ConsentGiven, Disposal, HearingListed, HearingResult, Person, Plea, Referral,
    ReportSubmitted, ResultLine, Sentence, SupportProgress, Verdict,
};
use joinery_domain::text::{Name, Text};
use joinery_domain::{
    ActionId, AgencyCode, AgencyKind, Asn, CanonicalMessage, CaseRef, HearingId, MessageId,
    OffenceCode, OuCode, Payload, PncId, ResultCode, SystemName, Timestamp, Urn,
};
use joinery_store::Agency;
use time::{Date, Duration, OffsetDateTime, Time};

/// The centre's agencies: code, kind, name, and the name of the system each sends from.
pub const AGENCIES: [(&str, AgencyKind, &str, &str); 6] = [
    (
        "MERPOL",
        AgencyKind::Police,
        "Merseyside Police",
        "Niche RMS",
    ),
    (
        "CPSMER",
        AgencyKind::Cps,
        "CPS Mersey-Cheshire",
        "CPS Case Management",
    ),
    (
        "LVCJC",
        AgencyKind::Court,
        "Liverpool Community Justice Centre",
        "Libra",
    ),
    (
        "PROBNW",
        AgencyKind::Probation,
        "Probation Service North West",
        "nDelius",
    ),
    (
        "VOLDRG",
        AgencyKind::Voluntary,
        "Community Drug Service",
        "Drug Service Case Notes",
    ),
    (
        "VOLHSG",
        AgencyKind::Voluntary,
        "Housing Support Trust",
        "Housing Case Notes",
    ),
];

const COURT_OU: &str = "B05LV00";
const CUSTODY_OU: &str = "05AA00";

const GIVEN: [&str; 12] = [
    "Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Jamie", "Taylor", "Robin", "Charlie",
    "Drew", "Kit",
];
const FAMILY: [&str; 12] = [
    "Ashdown",
    "Brannigan",
    "Corlett",
    "Dunmore",
    "Everton",
    "Fairclough",
    "Garston",
    "Halewood",
    "Ince",
    "Kirkby",
    "Litherland",
    "Maghull",
];
const OFFENCES: [(&str, &str); 5] = [
    ("TH68001", "stole a mobile phone from the person of another"),
    ("TH68010", "stole goods from a shop"),
    (
        "CD71001",
        "destroyed or damaged property belonging to another",
    ),
    (
        "MD71230",
        "had in possession a quantity of a controlled drug of class B",
    ),
    (
        "PU86004",
        "used threatening words or behaviour to cause fear of violence",
    ),
];

pub fn agencies() -> Vec<Agency> {
    AGENCIES
        .iter()
        .filter_map(|(code, kind, name, _)| {
            Some(Agency {
                code: AgencyCode::parse(code).ok()?,
                kind: *kind,
                name: SystemName::parse(name).ok()?,
            })
        })
        .collect()
}

/// A small, fast, seeded generator (xorshift); the model office needs variety, not secrecy.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// How far along the journey a synthetic case has got, with the weights of a busy centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Arrested,
    Bailed,
    Charged,
    FirstHearing,
    AwaitingTrial,
    AwaitingSentence,
    Supervised,
    Fined,
    ClosedEarly,
}

const REACH_WEIGHTS: [(Reach, u64); 9] = [
    (Reach::Arrested, 4),
    (Reach::Bailed, 8),
    (Reach::Charged, 10),
    (Reach::FirstHearing, 12),
    (Reach::AwaitingTrial, 14),
    (Reach::AwaitingSentence, 18),
    (Reach::Supervised, 16),
    (Reach::Fined, 8),
    (Reach::ClosedEarly, 10),
];

/// Writes one case's messages as its agencies' systems would send them.
struct CaseWriter {
    number: u32,
    case: CaseRef,
    sent: u32,
    messages: Vec<CanonicalMessage>,
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

fn at(day: Date, hour: u8) -> OffsetDateTime {
    day.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

fn text(value: &str) -> Option<Text> {
    Text::parse(value).ok()
}

/// The messages of case `number`, as of `today`. `None` only if a built-in value were invalid.
pub fn case_messages(number: u32, today: Date, dice: &mut Dice) -> Option<Vec<CanonicalMessage>> {
    let total: u64 = REACH_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut roll = dice.below(total);
    let reach = REACH_WEIGHTS
        .iter()
        .find(|(_, weight)| {
            let hit = roll < *weight;
            roll = roll.saturating_sub(*weight);
            hit
        })
        .map_or(Reach::Arrested, |(reach, _)| *reach);
    let year = u32::try_from(today.year() % 100).ok()?;
    let asn = Asn::allocate(
        &format!("{year:02}"),
        "05AA",
        "01",
        100_000 + u64::from(number),
    )?;
    let urn = Urn::parse(&format!("05AA{:05}{year:02}", number % 100_000)).ok()?;
    let person = Person {
        given_name: Name::parse(dice.pick(&GIVEN)).ok()?,
        family_name: Name::parse(dice.pick(&FAMILY)).ok()?,
        date_of_birth: Date::from_ordinal_date(
            1970 + i32::try_from(dice.below(36)).ok()?,
            1 + u16::try_from(dice.below(365)).ok()?,
        )
        .ok(),
        pnc_id: PncId::allocate(
            1990 + u16::try_from(dice.below(30)).ok()?,
            10_000 + u64::from(number),
        ),
        cro_number: None,
    };
    // Later stages began longer ago; a case's first hearing falls four weeks after arrest.
    let age_days = match reach {
        Reach::Arrested => 1 + dice.below(3),
        Reach::Bailed => 4 + dice.below(20),
        Reach::Charged => 12 + dice.below(10),
        Reach::FirstHearing | Reach::ClosedEarly => 30 + dice.below(30),
        Reach::AwaitingTrial | Reach::AwaitingSentence => 45 + dice.below(60),
        Reach::Supervised | Reach::Fined => 120 + dice.below(150),
    };
    let arrested = today - Duration::days(i64::try_from(age_days).ok()?);
    let mut writer = CaseWriter {
        number,
        case: CaseRef {
            urn: None,
            asn: Some(asn),
        },
        sent: 0,
        messages: Vec::new(),
    };
    let (code, wording) = dice.pick(&OFFENCES);
    let offence_code = OffenceCode::parse(code).ok()?;
    writer.send(
        POLICE,
        at(arrested, 2),
        Payload::Arrest(Arrest {
            person: person.clone(),
            custody_unit: OuCode::parse(CUSTODY_OU).ok(),
            suspected_offence: Some(offence_code.clone()),
        }),
    );
    if reach == Reach::Arrested {
        return Some(writer.messages);
    }
    writer.send(
        POLICE,
        at(arrested, 9),
        Payload::Bail(Bail {
            status: BailStatus::PoliceBail,
            conditions: text("Not to contact the complainant").into_iter().collect(),
            until: Some(arrested + Duration::days(28)),
        }),
    );
    if reach == Reach::Bailed {
        return Some(writer.messages);
    }
    let decided = arrested + Duration::days(7);
    let early_close = reach == Reach::ClosedEarly && dice.chance(40);
    writer.send(
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
        return Some(writer.messages);
    }
    writer.case.urn = Some(urn);
    let charged = decided + Duration::days(1);
    writer.send(
        POLICE,
        at(charged, 10),
        Payload::Charge(Charge {
            defendant: None,
            offences: vec![ChargedOffence {
                sequence: 1,
                code: offence_code,
                wording: text(&format!("On {arrested} at Liverpool {wording}."))?,
                committed_on: Some(arrested),
            }],
        }),
    );
    let first_hearing = charged + Duration::days(21);
    let first_id = HearingId::parse(&format!("{COURT_OU}-{number:06}-1")).ok()?;
    list_hearing(
        &mut writer,
        charged,
        first_hearing,
        &first_id,
        HearingPurpose::FirstAppearance,
    )?;
    if reach == Reach::Charged || first_hearing >= today {
        return Some(writer.messages);
    }
    let result_code = ResultCode::parse("4506").ok()?;
    writer.send(
        COURT,
        at(first_hearing, 12),
        Payload::HearingResult(HearingResult {
            hearing_id: first_id.clone(),
            results: vec![ResultLine {
                offence_sequence: Some(1),
                code: result_code,
                text: text("Adjourned")?,
            }],
            trial: None,
            trial_reason: None,
        }),
    );
    if reach == Reach::FirstHearing {
        let next = today + Duration::days(1 + i64::try_from(dice.below(20)).ok()?);
        adjourn(&mut writer, dice, first_hearing, &first_id, next)?;
        return Some(writer.messages);
    }
    let guilty = !matches!(reach, Reach::AwaitingTrial | Reach::ClosedEarly);
    writer.send(
        COURT,
        at(first_hearing, 11),
        Payload::Plea(Plea {
            offence_sequence: 1,
            plea: if guilty {
                PleaValue::Guilty
            } else {
                PleaValue::NotGuilty
            },
        }),
    );
    if !guilty {
        let trial_day = first_hearing + Duration::days(42);
        let trial_id = HearingId::parse(&format!("{COURT_OU}-{number:06}-2")).ok()?;
        list_hearing(
            &mut writer,
            first_hearing,
            trial_day.max(today + Duration::days(3)),
            &trial_id,
            HearingPurpose::Trial,
        )?;
        if reach == Reach::ClosedEarly {
            writer.send(
                COURT,
                at(today - Duration::days(1), 15),
                Payload::Verdict(Verdict {
                    offence_sequence: 1,
                    finding: Finding::NotGuilty,
                }),
            );
            if dice.chance(50) {
                writer.send(
                    CPS,
                    at(today - Duration::days(1), 16),
                    Payload::CaseClosed(CaseClosed {
                        reason: CloseReason::Acquitted,
                    }),
                );
            }
        }
        return Some(writer.messages);
    }
    // Convicted: the court asks probation for a pre-sentence report.
    let psr = ActionId::parse(&format!("PSR-{number:06}")).ok()?;
    let due = first_hearing + Duration::days(21);
    writer.send(
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
    let sentence_id = HearingId::parse(&format!("{COURT_OU}-{number:06}-3")).ok()?;
    if reach == Reach::AwaitingSentence {
        // Some reports are late: the action stays open past its due date.
        let late = due < today && dice.chance(60);
        if !late && due < today {
            writer.send(
                PROBATION,
                at(due - Duration::days(1), 15),
                Payload::ReportSubmitted(ReportSubmitted {
                    report: ReportKind::PreSentenceReport,
                    action_id: Some(psr),
                }),
            );
        }
        let listed_for = if sentence_day > today {
            sentence_day
        } else {
            today + Duration::days(1 + i64::try_from(dice.below(14)).ok()?)
        };
        list_hearing(
            &mut writer,
            first_hearing,
            listed_for,
            &sentence_id,
            HearingPurpose::Sentence,
        )?;
        if late {
            adjourn(&mut writer, dice, due, &first_id, listed_for)?;
        }
        return Some(writer.messages);
    }
    writer.send(
        PROBATION,
        at(due - Duration::days(2), 15),
        Payload::ReportSubmitted(ReportSubmitted {
            report: ReportKind::PreSentenceReport,
            action_id: Some(psr),
        }),
    );
    list_hearing(
        &mut writer,
        first_hearing,
        sentence_day,
        &sentence_id,
        HearingPurpose::Sentence,
    )?;
    let supervised = reach == Reach::Supervised;
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
    writer.send(
        COURT,
        at(sentence_day, 11),
        Payload::HearingResult(HearingResult {
            hearing_id: sentence_id,
            results: vec![ResultLine {
                offence_sequence: Some(1),
                code: disposal.code.clone(),
                text: disposal.text.clone(),
            }],
            trial: None,
            trial_reason: None,
        }),
    );
    writer.send(
        COURT,
        at(sentence_day, 12),
        Payload::Sentence(Sentence {
            disposals: vec![disposal],
            supervised_by_probation: supervised,
        }),
    );
    if supervised {
        let referral = ActionId::parse(&format!("REF-{number:06}")).ok()?;
        let referral_due = sentence_day + Duration::days(14);
        writer.send(
            PROBATION,
            at(sentence_day + Duration::days(2), 10),
            Payload::Referral(Referral {
                referral_id: referral.clone(),
                to: AgencyCode::parse("VOLDRG").ok()?,
                service: SupportService::Drugs,
                due_on: referral_due,
            }),
        );
        writer.send(
            PROBATION,
            at(sentence_day + Duration::days(2), 9),
            Payload::ConsentGiven(ConsentGiven {
                category: ConsentCategory::Health,
                source: text("Signed consent form at probation induction")?,
            }),
        );
        if referral_due < today && dice.chance(75) {
            writer.send(
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
        let review = HearingId::parse(&format!("{COURT_OU}-{number:06}-4")).ok()?;
        let review_day = (sentence_day + Duration::days(90))
            .max(today + Duration::days(1 + i64::try_from(dice.below(30)).ok()?));
        list_hearing(
            &mut writer,
            sentence_day,
            review_day,
            &review,
            HearingPurpose::Review,
        )?;
    }
    Some(writer.messages)
}

fn list_hearing(
    writer: &mut CaseWriter,
    listed_on: Date,
    day: Date,
    id: &HearingId,
    purpose: HearingPurpose,
) -> Option<()> {
    let courtroom = format!("Court {}", 1 + writer.number % 3);
    writer.send(
        COURT,
        at(listed_on, 16),
        Payload::HearingListed(HearingListed {
            hearing_id: id.clone(),
            court: OuCode::parse(COURT_OU).ok()?,
            courtroom: text(&courtroom),
            starts_at: Timestamp::from_offset(at(day, 10)),
            purpose,
        }),
    );
    Some(())
}

fn adjourn(
    writer: &mut CaseWriter,
    dice: &mut Dice,
    on: Date,
    id: &HearingId,
    next: Date,
) -> Option<()> {
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
    writer.send(
        COURT,
        at(on, 12),
        Payload::Adjournment(Adjournment {
            hearing_id: id.clone(),
            reason,
            responsible,
            next_hearing_on: Some(next),
        }),
    );
    Some(())
}
