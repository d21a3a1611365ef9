//! The case page's forms as posted, and their parsing into domain types: asking another agency
//! for work by a date (a pre-sentence report, a full file…), breaking glass with a reason, and
//! recording a person's consent. A form that does not parse names each field at fault, in the
//! order of the form, for the page to send back in the GOV.UK error pattern. Who may do any of
//! it is the application layer's to decide.

use joinery_domain::journey::{ActionKind, ConsentCategory};
use joinery_domain::{AgencyCode, Category, Text};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::pages::csrf::tokened;
use crate::pages::form::FormErrors;

/// The kinds of work one agency asks of another from the case page. Referrals are not among
/// them: a support group takes a person on through its own system, with their agreement.
pub(crate) const ACTION_KINDS: [ActionKind; 6] = [
    ActionKind::ChargingDecision,
    ActionKind::PreSentenceReport,
    ActionKind::FullFile,
    ActionKind::Antecedents,
    ActionKind::RiskAssessment,
    ActionKind::Other,
];

/// The form value of a kind of work, as the API spells it.
pub(crate) fn kind_code(kind: &ActionKind) -> &'static str {
    kind.as_str()
}

/// The request form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct ActionForm {
    #[serde(default)]
    pub(crate) action: String,
    #[serde(default)]
    pub(crate) owner: String,
    #[serde(default)]
    pub(crate) due_on: String,
    #[serde(default)]
    pub(crate) note: String,
    #[serde(default)]
    csrf: String,
}

/// A request that parsed, ready for the application layer.
pub(crate) struct ActionRequest {
    pub(crate) action: ActionKind,
    pub(crate) owner: AgencyCode,
    pub(crate) due_on: Date,
    pub(crate) note: Option<Text>,
}

impl ActionForm {
    /// Parses the form, naming each field at fault; `agencies` are those that may be asked.
    pub(crate) fn parse(
        &self,
        agencies: &[AgencyCode],
        today: Date,
    ) -> Result<ActionRequest, FormErrors> {
        let mut errors = FormErrors::default();
        let action = ACTION_KINDS
            .into_iter()
            .find(|kind| kind_code(kind) == self.action);
        if action.is_none() {
            errors.add("action", "Select the work you are asking for");
        }
        let owner = AgencyCode::parse(&self.owner)
            .ok()
            .filter(|code| agencies.contains(code));
        if owner.is_none() {
            errors.add("owner", "Select the agency you are asking");
        }
        let due_on = Date::parse(
            self.due_on.trim(),
            format_description!("[year]-[month]-[day]"),
        )
        .ok();
        match due_on {
            None => errors.add(
                "due_on",
                "Enter the date it is due by as year-month-day, for example 2026-12-01",
            ),
            Some(date) if date < today => {
                errors.add("due_on", "The date it is due by must be today or later");
            }
            Some(_) => {}
        }
        let note = errors.text("note", "The note", &self.note, None);
        match (action, owner, due_on) {
            (Some(action), Some(owner), Some(due_on)) if errors.is_empty() => Ok(ActionRequest {
                action,
                owner,
                due_on,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// The break-glass form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct GlassForm {
    #[serde(default)]
    pub(crate) category: String,
    #[serde(default)]
    pub(crate) reason: String,
    #[serde(default)]
    csrf: String,
}

impl GlassForm {
    pub(crate) fn parse(&self) -> Result<(Category, Text), FormErrors> {
        let mut errors = FormErrors::default();
        let category = Category::ALL
            .into_iter()
            .find(|category| category.as_str() == self.category);
        if category.is_none() {
            errors.add("category", "Select the information you need to see");
        }
        let reason = errors.text(
            "reason",
            "The reason",
            &self.reason,
            Some("Enter why you need to see it"),
        );
        match (category, reason) {
            (Some(category), Some(reason)) if errors.is_empty() => Ok((category, reason)),
            _ => Err(errors),
        }
    }
}

/// The categories a person may consent to share: form value and words.
pub(crate) const CONSENT_CATEGORIES: [(ConsentCategory, &str, &str); 2] = [
    (ConsentCategory::Health, "health", "Health and drug tests"),
    (
        ConsentCategory::SupportProgress,
        "support_progress",
        "Support progress (attendance, engagement)",
    ),
];

/// The consent form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct ConsentForm {
    #[serde(default)]
    pub(crate) consent_category: String,
    /// `given` or `withdrawn`.
    #[serde(default)]
    pub(crate) consent: String,
    #[serde(default)]
    pub(crate) source: String,
    #[serde(default)]
    csrf: String,
}

impl ConsentForm {
    pub(crate) fn parse(&self) -> Result<(ConsentCategory, bool, Text), FormErrors> {
        let mut errors = FormErrors::default();
        let category = CONSENT_CATEGORIES
            .iter()
            .find(|(_, value, _)| *value == self.consent_category)
            .map(|(category, ..)| *category);
        if category.is_none() {
            errors.add("consent_category", "Select what the consent is for");
        }
        let given = match self.consent.as_str() {
            "given" => Some(true),
            "withdrawn" => Some(false),
            _ => {
                errors.add("consent", "Select whether consent is given or withdrawn");
                None
            }
        };
        let source = errors.text(
            "source",
            "How it was given",
            &self.source,
            Some("Enter how the person gave or withdrew it, for example signed form at induction"),
        );
        match (category, given, source) {
            (Some(category), Some(given), Some(source)) if errors.is_empty() => {
                Ok((category, given, source))
            }
            _ => Err(errors),
        }
    }
}

tokened!(ActionForm, CompleteForm, GlassForm, ConsentForm);

/// The "mark done" and "withdraw" buttons' form: what was done (or the report's conclusions,
/// or why it is withdrawn), optional.
#[derive(Deserialize)]
pub(crate) struct CompleteForm {
    #[serde(default)]
    pub(crate) note: String,
    #[serde(default)]
    csrf: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form(action: &str, owner: &str, due_on: &str, note: &str) -> ActionForm {
        ActionForm {
            action: action.into(),
            owner: owner.into(),
            due_on: due_on.into(),
            note: note.into(),
            csrf: String::new(),
        }
    }

    fn fields(errors: &FormErrors) -> Vec<&'static str> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn a_complete_form_parses() {
        let agencies = [AgencyCode::parse("PROBNW").expect("agency")];
        let Ok(parsed) = form("pre_sentence_report", "PROBNW", "2026-12-01", " ")
            .parse(&agencies, date!(2026 - 11 - 27))
        else {
            panic!("a complete form is refused");
        };
        assert_eq!(parsed.action, ActionKind::PreSentenceReport);
        assert_eq!(parsed.due_on, date!(2026 - 12 - 01));
        assert!(parsed.note.is_none());
    }

    #[test]
    fn each_fault_names_its_field_in_form_order() {
        let agencies = [AgencyCode::parse("PROBNW").expect("agency")];
        let cases = [
            (form("referral", "PROBNW", "2026-12-01", ""), vec!["action"]),
            (form("other", "CPSMER", "2026-12-01", ""), vec!["owner"]),
            (form("other", "PROBNW", "1/12/2026", ""), vec!["due_on"]),
            (form("other", "PROBNW", "2026-11-26", ""), vec!["due_on"]),
            (
                form("other", "PROBNW", "2026-12-01", &"x".repeat(4_001)),
                vec!["note"],
            ),
            (form("", "", "", ""), vec!["action", "owner", "due_on"]),
        ];
        for (posted, expected) in cases {
            let Err(errors) = posted.parse(&agencies, date!(2026 - 11 - 27)) else {
                panic!("{expected:?} at fault, yet the form parsed");
            };
            assert_eq!(fields(&errors), expected);
        }
    }
}
