//! The references that tie a case and a person together across agencies: the prosecution case
//! reference (URN), the Arrest Summons Number, the PNC ID and the CRO number.

use super::IdError;
use super::check::{check_letter, digits_value};
use super::string_identifier;

/// Upper-cases and trims, the only leniency the parsers allow: case and stray spaces are how real
/// systems differ, while any other difference is a different identifier.
fn normalise(input: &str) -> String {
    input.trim().to_ascii_uppercase()
}

fn verify_check(kind: &'static str, input: &str, number: u64, found: char) -> Result<(), IdError> {
    let expected = check_letter(number);
    if expected == found {
        Ok(())
    } else {
        Err(IdError::CheckLetter {
            kind,
            input: super::quoted(input),
            found,
            expected,
        })
    }
}

/// A prosecution case reference (URN, PTIURN): force (2) + unit (2) + serial + year, e.g.
/// `01ZD0303208`. It has no check character; the form is the one Bichard accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Urn(String);

impl Urn {
    const KIND: &'static str = "URN";

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = normalise(input);
        let bytes = text.as_bytes();
        let well_formed = (7..=11).contains(&bytes.len())
            && bytes[..4].iter().all(u8::is_ascii_alphanumeric)
            && bytes[4..].iter().all(u8::is_ascii_digit);
        IdError::unless(
            well_formed,
            text,
            Self::KIND,
            input,
            "four letters or digits then 3 to 7 digits, e.g. `01ZD0303208`",
        )
        .map(Self)
    }
}
string_identifier!(
    Urn,
    "Prosecution case reference (URN/PTIURN).",
    "01ZD0303208",
    pattern = "^\\s*[A-Za-z0-9]{4}[0-9]{3,7}\\s*$"
);

/// An Arrest Summons Number, kept in its long form: year (2) + force (2) + unit (2) + system (2)
/// + 11-digit serial + check letter, e.g. `1101ZD0100000448754K`.
///
/// Parsing also takes the long form with a shorter serial (`1101ZD01410791W`) and the short
/// form with slashes (`11/01ZD/01/448754K`); both are stored long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Asn(String);

impl Asn {
    const KIND: &'static str = "ASN";
    const EXPECTED: &'static str = "year (2 digits), force and unit (4), system (2), a serial of up to 11 digits and a check letter, e.g. `1101ZD0100000448754K` or `11/01ZD/01/448754K`";

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = normalise(input);
        let parts = if text.contains('/') {
            Self::split_short(&text)
        } else {
            Self::split_long(&text)
        };
        let format_error = || IdError::Format {
            kind: Self::KIND,
            input: super::quoted(input),
            expected: Self::EXPECTED,
        };
        let (year, force_unit, system, serial, check) = parts.ok_or_else(format_error)?;
        let serial_value = digits_value(serial).ok_or_else(format_error)?;
        let asn =
            Self::from_parts(year, force_unit, system, serial_value).ok_or_else(format_error)?;
        verify_check(Self::KIND, input, asn.check_number(), check)?;
        Ok(asn)
    }

    /// Builds an ASN with its check letter, as a police system allocates one.
    /// `None` when a part has the wrong form.
    pub fn allocate(year: &str, force_unit: &str, system: &str, serial: u64) -> Option<Self> {
        Self::from_parts(year, force_unit, system, serial)
    }

    fn from_parts(year: &str, force_unit: &str, system: &str, serial: u64) -> Option<Self> {
        let well_formed = year.len() == 2
            && year.bytes().all(|b| b.is_ascii_digit())
            && force_unit.len() == 4
            && force_unit.bytes().all(|b| b.is_ascii_alphanumeric())
            && system.len() == 2
            && system.bytes().all(|b| b.is_ascii_alphanumeric())
            && serial < 100_000_000_000;
        if !well_formed {
            return None;
        }
        let mut text = format!("{year}{force_unit}{system}{serial:011}");
        let asn = Self(text.clone());
        text.push(check_letter(asn.check_number()));
        Some(Self(text))
    }

    /// The number whose remainder gives the check letter: the digits of force and system (a part
    /// holding letters contributes nothing, as in Bichard), the year and the 11-digit serial.
    fn check_number(&self) -> u64 {
        let text = &self.0;
        let digits_or_empty = |part: &str| {
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.to_owned()
            } else {
                String::new()
            }
        };
        let number = format!(
            "{}{}{}{}",
            digits_or_empty(&text[2..4]),
            digits_or_empty(&text[6..8]),
            &text[0..2],
            &text[8..19],
        );
        number.parse().unwrap_or_default()
    }

    fn split_long(text: &str) -> Option<(&str, &str, &str, &str, char)> {
        if !(10..=20).contains(&text.len()) || !text.is_ascii() {
            return None;
        }
        let check = text.chars().last()?;
        Some((
            &text[0..2],
            &text[2..6],
            &text[6..8],
            &text[8..text.len() - 1],
            check,
        ))
    }

    fn split_short(text: &str) -> Option<(&str, &str, &str, &str, char)> {
        let mut parts = text.split('/');
        let (year, force_unit, system, rest) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || rest.len() < 2 || !rest.is_ascii() {
            return None;
        }
        let check = rest.chars().last()?;
        Some((year, force_unit, system, &rest[..rest.len() - 1], check))
    }
}
string_identifier!(
    Asn,
    "Arrest Summons Number, long form with check letter.",
    "1101ZD0100000448754K"
);

/// Splits `PREFIX/SERIAL+C`-shaped identifiers: the year digits, the serial and the check letter.
fn year_serial_check<'a>(year: &'a str, serial_and_check: &'a str) -> Option<(u64, u64, char)> {
    if serial_and_check.len() < 2 || !serial_and_check.is_ascii() {
        return None;
    }
    let check = serial_and_check.chars().last()?;
    let serial = digits_value(&serial_and_check[..serial_and_check.len() - 1])?;
    (serial < 10_000_000 && check.is_ascii_uppercase())
        .then_some(())
        .and(digits_value(year).map(|y| (y % 100, serial, check)))
}

/// A Police National Computer identifier, `YYYY/NNNNNNNC`, e.g. `1988/0015313H`; the check letter
/// comes from the two-digit year and the 7-digit serial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PncId(String);

impl PncId {
    const KIND: &'static str = "PNC ID";

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = normalise(input);
        let parsed = text
            .split_once('/')
            .filter(|(year, _)| year.len() == 4)
            .and_then(|(year, rest)| year_serial_check(year, rest));
        let (year, serial, check) = parsed.ok_or_else(|| IdError::Format {
            kind: Self::KIND,
            input: super::quoted(input),
            expected: "a 4-digit year, a slash, a serial of up to 7 digits and a check letter, e.g. `1988/0015313H`",
        })?;
        verify_check(Self::KIND, input, year * 10_000_000 + serial, check)?;
        let full_year = &text[..4];
        Ok(Self(format!("{full_year}/{serial:07}{check}")))
    }

    /// Builds a PNC ID with its check letter. `None` for a year outside 1900–2099 or a serial
    /// over 7 digits.
    pub fn allocate(year: u16, serial: u64) -> Option<Self> {
        if !(1900..=2099).contains(&year) || serial >= 10_000_000 {
            return None;
        }
        let check = check_letter(u64::from(year % 100) * 10_000_000 + serial);
        Some(Self(format!("{year}/{serial:07}{check}")))
    }
}
string_identifier!(
    PncId,
    "Police National Computer ID with check letter.",
    "1988/0015313H"
);

/// A Criminal Records Office number: `NNNNNN/YYC`, or `SFYY/NNNNNC` for those issued from
/// fingerprints; the check letter uses the same modulus-23 scheme over year and serial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CroNumber(String);

impl CroNumber {
    const KIND: &'static str = "CRO number";

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = normalise(input);
        let parsed = text.split_once('/').and_then(|(left, right)| {
            if let Some(year) = left.strip_prefix("SF") {
                (year.len() == 2).then(|| year_serial_check(year, right))?
            } else if right.len() == 3 && right.is_ascii() {
                year_serial_check(&right[..2], &format!("{left}{}", &right[2..]))
            } else {
                None
            }
        });
        let (year, serial, check) = parsed.ok_or_else(|| IdError::Format {
            kind: Self::KIND,
            input: super::quoted(input),
            expected: "`NNNNNN/YYC` or `SFYY/NNNNNC`, e.g. `123456/89V`",
        })?;
        verify_check(Self::KIND, input, year * 10_000_000 + serial, check)?;
        Ok(Self(text))
    }
}
string_identifier!(
    CroNumber,
    "Criminal Records Office number with check letter.",
    "SF89/123456V"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urn_accepts_the_bichard_form() {
        for good in ["01ZD0303208", "00NP0000008", "01vk0300107", "ABCD123"] {
            assert!(Urn::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "01ZD", "01ZD03032081234", "01-D0303208", "01ZD03X3208"] {
            assert!(Urn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn asn_worked_examples_verify() {
        for good in [
            "1101ZD0100000448754K",
            "0800NP0100000000001H",
            "1200000000000000006T",
            "0900000000000020002F",
            "1201ZD0100000448696w",
        ] {
            assert!(Asn::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn asn_short_forms_are_stored_long() {
        let padded = Asn::parse("1101ZD01410791W").map(|a| a.to_string());
        assert_eq!(padded.as_deref(), Ok("1101ZD0100000410791W"));
        let slashed = Asn::parse("11/01ZD/01/448754K").map(|a| a.to_string());
        assert_eq!(slashed.as_deref(), Ok("1101ZD0100000448754K"));
    }

    #[test]
    fn asn_with_wrong_check_letter_names_the_right_one() {
        let error = Asn::parse("1101ZD0100000448754A");
        assert_eq!(
            error,
            Err(IdError::CheckLetter {
                kind: "ASN",
                input: "1101ZD0100000448754A".into(),
                found: 'A',
                expected: 'K'
            })
        );
    }

    #[test]
    fn asn_rejects_malformed_text() {
        for bad in [
            "BROKEN_ASN",
            "",
            "1101ZD01",
            "AB01ZD0100000448754K",
            "11/01ZD/448754K",
        ] {
            assert!(
                matches!(Asn::parse(bad), Err(IdError::Format { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn allocated_asn_parses_back() {
        let asn = Asn::allocate("26", "05AA", "01", 1234).map(|a| a.to_string());
        let text = asn.unwrap_or_default();
        assert_eq!(Asn::parse(&text).map(|a| a.to_string()), Ok(text.clone()));
        assert!(Asn::allocate("2X", "05AA", "01", 1).is_none());
    }

    #[test]
    fn pnc_id_worked_example() {
        assert_eq!(
            PncId::parse("1988/15313H")
                .map(|p| p.to_string())
                .as_deref(),
            Ok("1988/0015313H")
        );
        assert!(matches!(
            PncId::parse("1988/15310H"),
            Err(IdError::CheckLetter { expected: 'E', .. })
        ));
        assert!(matches!(
            PncId::parse("2004/0012345U"),
            Err(IdError::CheckLetter { .. })
        ));
        for bad in ["200800000GGG", "88/15313H", "1988/", "1988/12345678H"] {
            assert!(
                matches!(PncId::parse(bad), Err(IdError::Format { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn allocated_pnc_id_parses_back() {
        let pnc = PncId::allocate(1988, 15313).map(|p| p.to_string());
        assert_eq!(pnc.as_deref(), Some("1988/0015313H"));
        assert!(PncId::allocate(1988, 10_000_000).is_none());
    }

    #[test]
    fn cro_number_both_forms() {
        assert!(CroNumber::parse("123456/89V").is_ok());
        assert!(CroNumber::parse("SF89/123456V").is_ok());
        assert!(matches!(
            CroNumber::parse("123456/89A"),
            Err(IdError::CheckLetter { .. })
        ));
        for bad in ["12345ABCDEF", "123456/8", "SF8/123456E"] {
            assert!(
                matches!(CroNumber::parse(bad), Err(IdError::Format { .. })),
                "{bad}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(input in "\\PC{0,30}") {
            let _ = (Urn::parse(&input), Asn::parse(&input), PncId::parse(&input), CroNumber::parse(&input));
        }

        #[test]
        fn allocated_asns_parse_back(year in 0u8..100, force in "[0-9A-Z]{4}", system in "[0-9A-Z]{2}", serial in 0u64..100_000_000_000) {
            let asn = Asn::allocate(&format!("{year:02}"), &force, &system, serial).map(|a| a.to_string());
            let text = asn.unwrap_or_default();
            proptest::prop_assert_eq!(Asn::parse(&text).map(|a| a.to_string()), Ok(text.clone()));
        }

        #[test]
        fn one_changed_check_letter_is_caught(year in 0u8..100, serial in 0u64..100_000_000_000, letter in proptest::sample::select(b"ZABCDEFGHJKLMNPQRTUVWXY".to_vec())) {
            let text = Asn::allocate(&format!("{year:02}"), "05AA", "01", serial).map(|a| a.to_string()).unwrap_or_default();
            let changed = format!("{}{}", &text[..19], char::from(letter));
            proptest::prop_assert_eq!(Asn::parse(&changed).is_ok(), changed == text);
        }
    }
}
