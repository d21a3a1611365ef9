//! The modulus-23 check letter shared by the ASN, the PNC ID and the CRO number.

/// The 23 letters, indexed by remainder; I, O and S are left out to avoid confusion with digits.
const ALPHABET: &[u8; 23] = b"ZABCDEFGHJKLMNPQRTUVWXY";

/// The check letter for a number formed from an identifier's digits.
pub(crate) fn check_letter(number: u64) -> char {
    // The remainder is below 23, so the index is in range and the cast cannot truncate.
    char::from(ALPHABET[usize::try_from(number % 23).unwrap_or_default()])
}

/// The value of a run of ASCII digits, or `None` when it holds anything else or overflows.
pub(crate) fn digits_value(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remainder_indexes_the_alphabet() {
        assert_eq!(check_letter(0), 'Z');
        assert_eq!(check_letter(1), 'A');
        assert_eq!(check_letter(22), 'Y');
        assert_eq!(check_letter(23), 'Z');
    }

    #[test]
    fn digits_value_refuses_non_digits() {
        assert_eq!(digits_value("0012"), Some(12));
        assert_eq!(digits_value("ZD"), None);
        assert_eq!(digits_value(""), None);
    }
}
