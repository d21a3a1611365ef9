//! Finding a case: by one of its references (URN, ASN), or by the person it is about (their PNC
//! ID, or their family name and date of birth). What a search asks is personal data, so it
//! travels in a request's body and is never written down: the store keeps each case's defendant
//! under [`PersonKey`]s, and the audit trail records how a search was made and which cases it
//! showed, not what was typed.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::message::Person;
use crate::{Asn, Name, PncId, Urn};

/// What a person searches by, parsed at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSearch {
    Urn(Urn),
    Asn(Asn),
    Pnc(PncId),
    /// Family name and date of birth, narrowed by given name when one is given.
    Person {
        family_name: Name,
        date_of_birth: Date,
        given_name: Option<Name>,
    },
}

/// How a search was made, as the audit trail records it (never what was searched for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchBy {
    Urn,
    Asn,
    PncId,
    NameAndDateOfBirth,
}

impl CaseSearch {
    pub fn by(&self) -> SearchBy {
        match self {
            Self::Urn(_) => SearchBy::Urn,
            Self::Asn(_) => SearchBy::Asn,
            Self::Pnc(_) => SearchBy::PncId,
            Self::Person { .. } => SearchBy::NameAndDateOfBirth,
        }
    }

    /// The key the store finds a person's cases under; `None` for a search by reference.
    pub fn person_key(&self) -> Option<PersonKey> {
        match self {
            Self::Pnc(pnc) => Some(PersonKey::Pnc(pnc.clone())),
            Self::Person {
                family_name,
                date_of_birth,
                ..
            } => Some(PersonKey::NameAndBirth {
                family_name: folded(family_name.as_str()),
                date_of_birth: *date_of_birth,
            }),
            Self::Urn(_) | Self::Asn(_) => None,
        }
    }

    /// Whether `person` (as the reader sees the defendant) is the one searched for: a search by
    /// person answers only a case whose defendant the reader may see and who matches.
    pub fn matches(&self, person: &Person) -> bool {
        let Some(key) = self.person_key() else {
            return false;
        };
        let given = match self {
            Self::Person {
                given_name: Some(given),
                ..
            } => folded(person.given_name.as_str()).starts_with(&folded(given.as_str())),
            _ => true,
        };
        given && PersonKey::of(person).contains(&key)
    }
}

impl SearchBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urn => "urn",
            Self::Asn => "asn",
            Self::PncId => "pnc_id",
            Self::NameAndDateOfBirth => "name_and_date_of_birth",
        }
    }
}

/// A key a case's defendant is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonKey {
    Pnc(PncId),
    /// The family name folded (see [`folded`]) with the date of birth.
    NameAndBirth {
        family_name: String,
        date_of_birth: Date,
    },
}

impl PersonKey {
    /// The keys `person` is found by: their PNC ID if known, and their family name with their
    /// date of birth if that is known.
    pub fn of(person: &Person) -> Vec<Self> {
        let mut keys = Vec::with_capacity(2);
        if let Some(pnc) = &person.pnc_id {
            keys.push(Self::Pnc(pnc.clone()));
        }
        if let Some(born) = person.date_of_birth {
            keys.push(Self::NameAndBirth {
                family_name: folded(person.family_name.as_str()),
                date_of_birth: born,
            });
        }
        keys
    }

    /// The key as the store keeps it: `pnc:1988/0015313H`, `name:obrien|1991-02-03`.
    pub fn stored(&self) -> String {
        match self {
            Self::Pnc(pnc) => format!("pnc:{pnc}"),
            Self::NameAndBirth {
                family_name,
                date_of_birth,
            } => format!("name:{family_name}|{date_of_birth}"),
        }
    }
}

/// A name as searched: its letters alone, in lower case, so that `O'Brien`, `OBRIEN` and
/// `O Brien` are one name.
pub fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: &str, family: &str, born: Option<Date>, pnc: Option<&str>) -> Person {
        Person {
            given_name: Name::parse(given).unwrap_or_else(|e| panic!("{e}")),
            family_name: Name::parse(family).unwrap_or_else(|e| panic!("{e}")),
            date_of_birth: born,
            pnc_id: pnc.map(|p| PncId::parse(p).unwrap_or_else(|e| panic!("{e}"))),
            cro_number: None,
        }
    }

    fn born() -> Date {
        Date::from_calendar_date(1991, time::Month::February, 3).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_name_is_found_however_it_is_spaced_cased_or_punctuated() {
        assert_eq!(folded("O'Brien"), "obrien");
        assert_eq!(folded("O BRIEN"), folded("o-brien"));
        assert_eq!(folded("Ó Súilleabháin"), "ósúilleabháin");
        let kit = person("Kit", "O'Brien", Some(born()), None);
        let search = |family: &str, given: Option<&str>| CaseSearch::Person {
            family_name: Name::parse(family).unwrap_or_else(|e| panic!("{e}")),
            date_of_birth: born(),
            given_name: given.map(|g| Name::parse(g).unwrap_or_else(|e| panic!("{e}"))),
        };
        assert!(search("obrien", None).matches(&kit));
        assert!(search("O Brien", Some("ki")).matches(&kit));
        assert!(!search("O Brien", Some("Kim")).matches(&kit));
        assert!(!search("Bryan", None).matches(&kit));
    }

    #[test]
    fn a_person_without_a_date_of_birth_is_found_by_pnc_id_alone() {
        let pnc = "1988/0015313H";
        let keys = PersonKey::of(&person("Kit", "Corlett", None, Some(pnc)));
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].stored(), format!("pnc:{pnc}"));
        let both = PersonKey::of(&person("Kit", "Corlett", Some(born()), Some(pnc)));
        assert_eq!(both[1].stored(), "name:corlett|1991-02-03");
    }
}
