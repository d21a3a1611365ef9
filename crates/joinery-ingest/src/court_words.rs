//! What a court's system says in words rather than codes, read the way Bichard reads it: free
//! text as Joinery keeps it, the reason for an adjournment, and a committal's court and day
//! given only in the result's text.

use joinery_domain::Text;
use joinery_domain::journey::{AdjournmentReason, HearingPurpose};
use time::{Date, Time};

/// Free text as a court's system sends it, as Joinery keeps it: runs of whitespace (the line
/// breaks and tabs of a pretty-printed message) as one space. `None` where it is empty or
/// holds what text may not (characters that would show as something else).
pub(crate) fn free_text(value: &str) -> Option<Text> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    Text::parse(&value).ok()
}

/// The reason for an adjournment, as the court's words say it.
pub(crate) fn adjournment_reason(text: &str) -> AdjournmentReason {
    let text = text.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().all(|word| text.contains(word));
    // Most particular first: "prosecution witness absent" is a witness's absence.
    if has(&["report"]) {
        AdjournmentReason::ReportNotReady
    } else if has(&["interpreter"]) {
        AdjournmentReason::InterpreterUnavailable
    } else if has(&["witness"]) {
        AdjournmentReason::WitnessAbsent
    } else if has(&["defendant"]) {
        AdjournmentReason::DefendantAbsent
    } else if has(&["prosecution"]) {
        AdjournmentReason::ProsecutionNotReady
    } else if has(&["defence"]) {
        AdjournmentReason::DefenceNotReady
    } else if has(&["court", "time"]) || has(&["listing"]) {
        AdjournmentReason::InsufficientCourtTime
    } else {
        AdjournmentReason::Other
    }
}

/// What a next hearing is for, as the court's words for it say (`for sentence`, `for trial;`,
/// `for pre-sentence report`: the hearing that follows a report is the sentencing one).
pub(crate) fn purpose_in_words(text: &str) -> HearingPurpose {
    let text = text.to_ascii_lowercase();
    if text.contains("sentence") {
        HearingPurpose::Sentence
    } else if text.contains("trial") {
        HearingPurpose::Trial
    } else {
        HearingPurpose::Other
    }
}

/// A committal or sending to the Crown Court whose next hearing is given only in the result's
/// text: `Committed to Snaresbrook Crown Court for sentence … on 08/10/2011 at 09:45 …`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Committal<'t> {
    /// The court as the text names it (`Snaresbrook Crown Court`).
    pub(crate) court: &'t str,
    pub(crate) on: Date,
    pub(crate) at: Option<Time>,
    /// What the Crown Court hearing is for, in the text's words (`for sentence`), if it says.
    pub(crate) purpose: Option<&'static str>,
}

/// The committal a result's text describes, if it names a Crown Court and a day.
pub(crate) fn committal(text: &str) -> Option<Committal<'_>> {
    let lower = text.to_ascii_lowercase();
    let start = ["committed to ", "sent to ", "transferred to "]
        .iter()
        .find_map(|lead| lower.find(lead).map(|at| at + lead.len()))?;
    let end = start + lower[start..].find("crown court")? + "crown court".len();
    let court = text.get(start..end)?.trim();
    let rest = &text[end..];
    let date_format = time::macros::format_description!("[day]/[month]/[year]");
    let time_format = time::macros::format_description!("[hour]:[minute]");
    let (on, after) = rest.match_indices(" on ").find_map(|(at, _)| {
        let candidate = rest.get(at + 4..at + 14)?;
        Date::parse(candidate, &date_format)
            .ok()
            .map(|on| (on, &rest[at + 14..]))
    })?;
    let at = after
        .strip_prefix(" at ")
        .and_then(|time| time.get(..5))
        .and_then(|time| Time::parse(time, &time_format).ok());
    let purpose = ["for sentence", "for trial"]
        .into_iter()
        .find(|words| lower.contains(words));
    Some(Committal {
        court,
        on,
        at,
        purpose,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjournment_reason_is_read_from_the_courts_words() {
        assert_eq!(
            adjournment_reason("Prosecution witness absent"),
            AdjournmentReason::WitnessAbsent
        );
        assert_eq!(
            adjournment_reason("Pre-sentence report required"),
            AdjournmentReason::ReportNotReady
        );
        assert_eq!(
            adjournment_reason("Prosecution not ready"),
            AdjournmentReason::ProsecutionNotReady
        );
        assert_eq!(adjournment_reason("For trial"), AdjournmentReason::Other);
    }

    #[test]
    fn a_committal_gives_its_court_day_and_time_from_the_text() {
        let text = "Committed to Snaresbrook Crown Court for sentence (Section 3 Powers of \
                    Criminal Courts (Sentencing) Act 2000) on 08/10/2011 at 09:45 or such other \
                    date, time or place as the Crown Court directs on unconditional bail";
        let found = committal(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(found.court, "Snaresbrook Crown Court");
        assert_eq!(found.on.to_string(), "2011-10-08");
        assert_eq!(
            found.at.map(|t| t.to_string()),
            Some("9:45:00.0".to_owned())
        );
        let undated = committal("Committed to Liverpool Crown Court for trial on bail");
        assert_eq!(undated, None);
        assert_eq!(
            committal("Committed to prison for 4 months suspended for 12 months"),
            None
        );
    }
}
