//! The agencies that take part in a case. An agency has a short code of its own choosing and is
//! of one kind; sharing rules are written against the kind, keys and teams against the code.

use serde::{Deserialize, Serialize};

use crate::ids::{IdError, string_identifier};

/// The kinds of agency in PRODUCT.md's sharing table.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    Police,
    Cps,
    Court,
    Probation,
    Voluntary,
}

impl AgencyKind {
    pub const ALL: [Self; 5] = [
        Self::Police,
        Self::Cps,
        Self::Court,
        Self::Probation,
        Self::Voluntary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::Cps => "cps",
            Self::Court => "court",
            Self::Probation => "probation",
            Self::Voluntary => "voluntary",
        }
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        IdError::named(
            &Self::ALL,
            Self::as_str,
            input,
            "agency kind",
            "one of `police`, `cps`, `court`, `probation`, `voluntary`",
        )
    }
}

/// An agency's code, e.g. `MERPOL`: 2 to 12 capital letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let ok = (2..=12).contains(&input.len())
            && input
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        IdError::unless(
            ok,
            input.to_owned(),
            "agency code",
            input,
            "2 to 12 capital letters or digits, e.g. `MERPOL`",
        )
        .map(Self)
    }
}
string_identifier!(
    AgencyCode,
    "An agency's code.",
    "MERPOL",
    pattern = "^[A-Z0-9]{2,12}$"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_and_kinds() {
        assert!(AgencyCode::parse("MERPOL").is_ok());
        assert!(AgencyCode::parse("merpol").is_err());
        assert!(AgencyCode::parse("M").is_err());
        for kind in AgencyKind::ALL {
            assert_eq!(AgencyKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(AgencyKind::parse("army").is_err());
    }
}
