//! Finding a case: by its URN or ASN, by the defendant's PNC ID, or by family name and date of
//! birth (narrowed by given name). What is searched for is personal data, so the form is posted
//! and the results are the answer to the post: nothing of it is ever in an address, a log or the
//! audit trail. Each case found is decided through the application layer, which answers only
//! cases the reader may open.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use joinery_app::{SEARCH_SHOWS, SearchResults};
use joinery_domain::search::{CaseSearch, SearchBy};
use joinery_domain::{Asn, Name, PncId, Urn};
use serde::Deserialize;
use time::{Date, Month};

use super::PageError;
use super::caseload::Row;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use crate::AppState;

/// The search form as posted (every field as typed).
#[derive(Deserialize, Default)]
pub(crate) struct SearchForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    dob_day: String,
    #[serde(default)]
    dob_month: String,
    #[serde(default)]
    dob_year: String,
    #[serde(default)]
    csrf: String,
}

tokened!(SearchForm);

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: Nav,
    errors: FormErrors,
    typed: SearchForm,
    /// What the results are of, in words; `None` before a search.
    searched: Option<String>,
    rows: Vec<Row>,
    more: bool,
    shows: usize,
}

impl SearchForm {
    /// The search the form asks for, or what is wrong with it.
    fn parse(&self) -> Result<CaseSearch, FormErrors> {
        let reference = self.reference.trim();
        if !reference.is_empty() {
            return Urn::parse(reference)
                .map(CaseSearch::Urn)
                .or_else(|_| Asn::parse(reference).map(CaseSearch::Asn))
                .or_else(|_| PncId::parse(reference).map(CaseSearch::Pnc))
                .map_err(|_| {
                    FormErrors::one(
                        "reference",
                        "Enter a URN, ASN or PNC ID, for example 05AA1234526, \
                         2605AA0100000001234F or 1988/0015313H",
                    )
                });
        }
        let by_person = [
            &self.family_name,
            &self.given_name,
            &self.dob_day,
            &self.dob_month,
            &self.dob_year,
        ]
        .iter()
        .any(|field| !field.trim().is_empty());
        if !by_person {
            return Err(FormErrors::one(
                "reference",
                "Enter a reference, or a family name and date of birth",
            ));
        }
        let mut errors = FormErrors::default();
        let family_name = match self.family_name.trim() {
            "" => {
                errors.add("family_name", "Enter the family name");
                None
            }
            typed => Name::parse(typed)
                .map_err(|_| {
                    errors.add(
                        "family_name",
                        "The family name must be 100 characters or fewer, without control characters",
                    )
                })
                .ok(),
        };
        let given_name = match self.given_name.trim() {
            "" => None,
            typed => Name::parse(typed)
                .map_err(|_| {
                    errors.add(
                        "given_name",
                        "The given name must be 100 characters or fewer, without control characters",
                    )
                })
                .ok(),
        };
        let date_of_birth = self
            .date_of_birth()
            .map_err(|message| errors.add("dob-day", message))
            .ok();
        match (family_name, date_of_birth) {
            (Some(family_name), Some(date_of_birth)) if errors.is_empty() => {
                Ok(CaseSearch::Person {
                    family_name,
                    date_of_birth,
                    given_name,
                })
            }
            _ => Err(errors),
        }
    }

    /// The date of birth from its three fields, in the GOV.UK pattern's words when it is wrong.
    fn date_of_birth(&self) -> Result<Date, &'static str> {
        let fields = [&self.dob_day, &self.dob_month, &self.dob_year].map(|f| f.trim());
        if fields.iter().all(|field| field.is_empty()) {
            return Err("Enter the date of birth");
        }
        if fields.iter().any(|field| field.is_empty()) {
            return Err("The date of birth must include a day, a month and a year");
        }
        let [day, month, year] = fields;
        let day: u8 = day
            .parse()
            .map_err(|_| "The date of birth must be a real date")?;
        let month: u8 = month
            .parse()
            .map_err(|_| "The date of birth must be a real date")?;
        let year: i32 = year
            .parse()
            .map_err(|_| "The date of birth must be a real date")?;
        if !(1900..=9999).contains(&year) {
            return Err("The year of birth must include 4 numbers, for example 1991");
        }
        let date = Month::try_from(month)
            .ok()
            .and_then(|month| Date::from_calendar_date(year, month, day).ok())
            .ok_or("The date of birth must be a real date")?;
        if date >= joinery_domain::Timestamp::now().date() {
            return Err("The date of birth must be in the past");
        }
        Ok(date)
    }
}

fn by_words(by: SearchBy) -> &'static str {
    match by {
        SearchBy::Urn => "URN",
        SearchBy::Asn => "ASN",
        SearchBy::PncId => "PNC ID",
        SearchBy::NameAndDateOfBirth => "name and date of birth",
    }
}

impl SearchPage {
    fn new(
        nav: Nav,
        typed: SearchForm,
        errors: FormErrors,
        results: Option<&SearchResults>,
    ) -> Self {
        Self {
            nav,
            errors,
            typed,
            searched: results.map(|results| by_words(results.by).to_owned()),
            rows: results
                .map(|results| results.cases.iter().map(Row::new).collect())
                .unwrap_or_default(),
            more: results.is_some_and(|results| results.more),
            shows: SEARCH_SHOWS,
        }
    }
}

/// The empty form.
pub(crate) async fn form(State(_): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    let page = SearchPage::new(
        signed.nav,
        SearchForm::default(),
        FormErrors::default(),
        None,
    );
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}

/// The results, as the answer to the posted form; the form again, with what to put right,
/// when it cannot be searched by.
pub(crate) async fn search(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(typed): CheckedForm<SearchForm>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let page = match typed.parse() {
        Ok(search) => {
            let results = state.app.search(&reader, &search).await?;
            SearchPage::new(signed.nav, typed, FormErrors::default(), Some(&results))
        }
        Err(errors) => SearchPage::new(signed.nav, typed, errors, None),
    };
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}
