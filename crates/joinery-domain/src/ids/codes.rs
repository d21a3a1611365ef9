//! The coded values of the CJS standing data: offence codes, organisation unit (OU) codes and
//! result codes. Only their form is checked here; whether a code exists is a look-up in the
//! standing data, which belongs to ingest, not to the type.

use super::IdError;
use super::string_identifier;

fn all(bytes: &[u8], predicate: fn(&u8) -> bool) -> bool {
    bytes.iter().all(predicate)
}

/// A CJS offence code: act or source (2 letters) + year (2) + reason (3) + optional qualifier,
/// e.g. `TH68001`; local codes have a 4-letter source, e.g. `COML062`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OffenceCode(String);

impl OffenceCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = input.trim().to_ascii_uppercase();
        let bytes = text.as_bytes();
        let core = match bytes.last() {
            Some(last) if last.is_ascii_uppercase() && matches!(bytes.len(), 8 | 9) => {
                &bytes[..bytes.len() - 1]
            }
            _ => bytes,
        };
        let national = core.len() == 7
            && all(&core[..2], u8::is_ascii_uppercase)
            && all(&core[2..], u8::is_ascii_digit);
        let local = core.len() == 7
            && all(&core[..4], u8::is_ascii_uppercase)
            && all(&core[4..], u8::is_ascii_digit);
        IdError::unless(
            national || local,
            text,
            "CJS offence code",
            input,
            "2 letters and 5 digits with an optional qualifier letter, e.g. `TH68001`",
        )
        .map(Self)
    }
}
string_identifier!(OffenceCode, "CJS offence code.", "TH68001");

/// What kind of body an organisation unit is, read from its top-level letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OuKind {
    MagistratesCourt,
    CrownCourt,
    Other,
}

/// An organisation unit code: optional top-level letter (`B` magistrates' court, `C` Crown
/// Court), force (2), then unit (4), e.g. `B01EF01`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OuCode(String);

impl OuCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = input.trim().to_ascii_uppercase();
        let bytes = text.as_bytes();
        let rest = match bytes.first() {
            Some(first) if bytes.len() == 7 && first.is_ascii_uppercase() => &bytes[1..],
            _ => bytes,
        };
        IdError::unless(
            rest.len() == 6 && all(rest, u8::is_ascii_alphanumeric),
            text,
            "OU code",
            input,
            "an optional letter then 6 letters or digits, e.g. `B01EF01`",
        )
        .map(Self)
    }

    pub fn kind(&self) -> OuKind {
        match (self.0.len(), self.0.as_bytes().first()) {
            (7, Some(b'B')) => OuKind::MagistratesCourt,
            (7, Some(b'C')) => OuKind::CrownCourt,
            _ => OuKind::Other,
        }
    }
}
string_identifier!(
    OuCode,
    "Organisation unit code of a court or police unit.",
    "B01EF01"
);

/// A CJS result code: 4 digits, e.g. `1015` (fine), `4506` (adjourned).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResultCode(String);

impl ResultCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = input.trim();
        IdError::unless(
            text.len() == 4 && all(text.as_bytes(), u8::is_ascii_digit),
            text.to_owned(),
            "CJS result code",
            input,
            "4 digits, e.g. `1015`",
        )
        .map(Self)
    }
}
string_identifier!(ResultCode, "CJS result code.", "1015");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offence_codes() {
        for good in ["TH68001", "th68001", "RT88191A", "COML062", "CJ03510"] {
            assert!(OffenceCode::parse(good).is_ok(), "{good}");
        }
        for bad in ["TT123456", "GM000008", "TH6800", "1H68001", "TH68001AB", ""] {
            assert!(OffenceCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ou_codes_know_their_kind() {
        assert_eq!(
            OuCode::parse("B01EF01").map(|c| c.kind()),
            Ok(OuKind::MagistratesCourt)
        );
        assert_eq!(
            OuCode::parse("C01EF01").map(|c| c.kind()),
            Ok(OuKind::CrownCourt)
        );
        assert_eq!(OuCode::parse("01ZD00").map(|c| c.kind()), Ok(OuKind::Other));
        for bad in ["B01EF", "B01-F01", "BB01EF01", ""] {
            assert!(OuCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn result_codes() {
        assert!(ResultCode::parse("1015").is_ok());
        assert!(ResultCode::parse("4506").is_ok());
        for bad in ["101", "10155", "10A5", ""] {
            assert!(ResultCode::parse(bad).is_err(), "{bad}");
        }
    }
}
