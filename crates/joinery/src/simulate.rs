//! `joinery simulate`: the agencies' systems of the model office, sending over HTTP with their
//! own keys at a chosen rate, so that the demo shows a living centre. New synthetic cases are
//! played out in the order things happen: the police, CPS, probation and voluntary systems send
//! canonical JSON; the court's system sends each hearing's results as Libra SPI Results XML, as
//! a magistrates' court does.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use joinery_domain::journey::{Finding, PleaValue};
use joinery_domain::message::Person;
use joinery_domain::{AgencyCode, CanonicalMessage, HearingId, Payload, Timestamp};
use joinery_reference::StandingData;

use crate::model_office::{Dice, case_messages};

/// What a simulation sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sent {
    pub canonical: usize,
    pub spi_results: usize,
    /// Answers that were not 2xx, with the status.
    pub refused: Vec<String>,
}

/// Plays `cases` new cases (numbered from `first`) to `base` at `per_second` messages a second.
pub async fn run(
    base: &str,
    keys: &HashMap<AgencyCode, String>,
    first: u32,
    cases: u32,
    per_second: f64,
    standing: Option<&StandingData>,
) -> anyhow::Result<Sent> {
    let client = reqwest::Client::new();
    let today = Timestamp::now().date();
    let mut dice = Dice::new(u64::from(first).wrapping_mul(0x9E37_79B9) | 1);
    let pause = Duration::from_secs_f64(1.0 / per_second.max(0.001));
    let mut sent = Sent::default();
    for number in first..first.saturating_add(cases) {
        let Some(mut messages) = case_messages(number, today, &mut dice) else {
            continue;
        };
        messages.sort_by_key(|message| (message.occurred_at, message.message_id.clone()));
        let mut story = CaseSoFar::default();
        for message in messages {
            story.note(&message);
            let Some(key) = keys.get(&message.agency) else {
                anyhow::bail!("no key for agency `{}` in the credentials", message.agency);
            };
            let (path, body, spi) = match (&message.payload, standing) {
                (Payload::HearingResult(_), Some(standing)) => (
                    "/api/v1/messages/spi-results",
                    story.spi_results(&message, standing),
                    true,
                ),
                _ => ("/api/v1/messages", serde_json::to_string(&message)?, false),
            };
            let answer = client
                .post(format!("{base}{path}"))
                .bearer_auth(key)
                .body(body)
                .send()
                .await?;
            if answer.status().is_success() {
                if spi {
                    sent.spi_results += 1;
                } else {
                    sent.canonical += 1;
                }
            } else {
                sent.refused.push(format!(
                    "{} {}: {}",
                    message.agency,
                    message.message_id,
                    answer.status()
                ));
            }
            tokio::time::sleep(pause).await;
        }
    }
    Ok(sent)
}

/// What the court's system knows of a case when it sends a result.
#[derive(Default)]
struct CaseSoFar {
    person: Option<Person>,
    offences: Vec<(u16, String, String)>,
    pleas: HashMap<u16, PleaValue>,
    findings: HashMap<u16, Finding>,
    hearings: HashMap<HearingId, (String, Timestamp)>,
}

impl CaseSoFar {
    fn note(&mut self, message: &CanonicalMessage) {
        match &message.payload {
            Payload::Arrest(arrest) => self.person = Some(arrest.person.clone()),
            Payload::Charge(charge) => {
                self.offences = charge
                    .offences
                    .iter()
                    .map(|o| (o.sequence, o.code.to_string(), o.wording.to_string()))
                    .collect();
            }
            Payload::Plea(plea) => {
                self.pleas.insert(plea.offence_sequence, plea.plea);
            }
            Payload::Verdict(verdict) => {
                self.findings
                    .insert(verdict.offence_sequence, verdict.finding);
            }
            Payload::HearingListed(listed) => {
                self.hearings.insert(
                    listed.hearing_id.clone(),
                    (listed.court.to_string(), listed.starts_at),
                );
            }
            _ => {}
        }
    }

    /// The hearing's results as Libra SPI Results XML.
    fn spi_results(&self, message: &CanonicalMessage, standing: &StandingData) -> String {
        let Payload::HearingResult(result) = &message.payload else {
            return String::new();
        };
        let (court, at) = self
            .hearings
            .get(&result.hearing_id)
            .cloned()
            .unwrap_or_else(|| ("B05PK00".to_owned(), message.occurred_at));
        let text = at.to_string();
        let (date, time) = (
            text.get(..10).unwrap_or_default(),
            text.get(11..19).unwrap_or("10:00:00"),
        );
        let (given, family, birth) =
            self.person
                .as_ref()
                .map_or((String::new(), String::new(), String::new()), |p| {
                    (
                        p.given_name.to_string(),
                        p.family_name.to_string(),
                        p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
                    )
                });
        let mut offences = String::new();
        for (sequence, code, wording) in &self.offences {
            let plea = self
                .pleas
                .get(sequence)
                .and_then(|plea| standing.spi_plea(plea_cjs(*plea)))
                .map(|code| format!("<DC:Plea>{code}</DC:Plea>"))
                .unwrap_or_default();
            let finding = self
                .findings
                .get(sequence)
                .and_then(|finding| standing.spi_verdict(finding_cjs(*finding)))
                .map(|code| format!("<DC:Finding>{code}</DC:Finding>"))
                .unwrap_or_default();
            let mut results = String::new();
            for line in result
                .results
                .iter()
                .filter(|l| l.offence_sequence.is_none_or(|s| s == *sequence))
            {
                let _ = write!(
                    results,
                    "<DC:Result><DC:ResultCode>{}</DC:ResultCode><DC:ResultText>{}</DC:ResultText></DC:Result>",
                    line.code,
                    escape(line.text.as_str())
                );
            }
            let _ = write!(
                offences,
                "<DC:Offence><DC:BaseOffenceDetails><DC:OffenceSequenceNumber>{sequence:03}</DC:OffenceSequenceNumber>\
                 <DC:OffenceCode>{code}</DC:OffenceCode><DC:OffenceWording>{}</DC:OffenceWording>\
                 </DC:BaseOffenceDetails>{plea}{finding}{results}</DC:Offence>",
                escape(wording)
            );
        }
        let urn = message
            .case
            .urn
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let asn = message
            .case
            .asn
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <DeliverRequest xmlns=\"http://schemas.cjse.gov.uk/messages/deliver/2006-05\" \
             xmlns:msg=\"http://schemas.cjse.gov.uk/messages/messaging/2006-05\">\
             <msg:MessageIdentifier>{}</msg:MessageIdentifier><Message>\
             <DC:ResultedCaseMessage xmlns:DC=\"http://www.dca.gov.uk/xmlschemas/libra\" \
             Flow=\"ResultedCasesForThePolice\" Interface=\"LibraStandardProsecutorPolice\" SchemaVersion=\"0.6g\">\
             <DC:Session><DC:CourtHearing><DC:Hearing><DC:CourtHearingLocation>{court}</DC:CourtHearingLocation>\
             <DC:DateOfHearing>{date}</DC:DateOfHearing><DC:TimeOfHearing>{time}</DC:TimeOfHearing>\
             </DC:Hearing></DC:CourtHearing><DC:Case><DC:PTIURN>{urn}</DC:PTIURN><DC:Defendant>\
             <DC:ProsecutorReference>{asn}</DC:ProsecutorReference><DC:CourtIndividualDefendant>\
             <DC:PersonDefendant><DC:BasePersonDetails><DC:PersonName>\
             <DC:PersonGivenName1>{}</DC:PersonGivenName1><DC:PersonFamilyName>{}</DC:PersonFamilyName>\
             </DC:PersonName><DC:Birthdate>{birth}</DC:Birthdate></DC:BasePersonDetails></DC:PersonDefendant>\
             </DC:CourtIndividualDefendant>{offences}</DC:Defendant></DC:Case></DC:Session>\
             </DC:ResultedCaseMessage></Message></DeliverRequest>",
            message.message_id,
            escape(&given),
            escape(&family),
        )
    }
}

fn plea_cjs(plea: PleaValue) -> &'static str {
    match plea {
        PleaValue::Guilty => "G",
        PleaValue::NotGuilty => "NG",
        PleaValue::NoPlea => "NONE",
    }
}

fn finding_cjs(finding: Finding) -> &'static str {
    match finding {
        Finding::Guilty => "G",
        Finding::NotGuilty => "NG",
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
