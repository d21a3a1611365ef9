//! The periods management information is counted in: calendar months, kept; and quarters, the
//! months added up (the periods the Ministry of Justice publishes in).

use std::fmt;

use time::Date;

/// A calendar month, e.g. `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    /// 1 to 12.
    month: u8,
}

impl Month {
    pub fn of(day: Date) -> Self {
        Self {
            year: day.year(),
            month: u8::from(day.month()),
        }
    }

    /// Reads `YYYY-MM`.
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        let bad = || PeriodError::Malformed(input.chars().take(16).collect());
        let (year, month) = input.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    pub fn number(self) -> u8 {
        self.month
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                month: self.month - 1,
                ..self
            }
        }
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            number: (self.month - 1) / 3 + 1,
        }
    }

    /// The month in words, e.g. `November 2026`.
    pub fn words(self) -> String {
        let name = time::Month::try_from(self.month).map_or("?", |month| match month {
            time::Month::January => "January",
            time::Month::February => "February",
            time::Month::March => "March",
            time::Month::April => "April",
            time::Month::May => "May",
            time::Month::June => "June",
            time::Month::July => "July",
            time::Month::August => "August",
            time::Month::September => "September",
            time::Month::October => "October",
            time::Month::November => "November",
            time::Month::December => "December",
        });
        format!("{name} {}", self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar quarter, e.g. `2026-Q4` (October to December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    year: i32,
    /// 1 to 4.
    number: u8,
}

impl Quarter {
    /// Reads `YYYY-Qn`.
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        let bad = || PeriodError::Malformed(input.chars().take(16).collect());
        let (year, number) = input.trim().split_once("-Q").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u8 = number.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || !(1..=4).contains(&number) {
            return Err(bad());
        }
        Ok(Self { year, number })
    }

    pub fn months(self) -> [Month; 3] {
        let first = (self.number - 1) * 3 + 1;
        [0, 1, 2].map(|offset| Month {
            year: self.year,
            month: first + offset,
        })
    }

    pub fn previous(self) -> Self {
        self.months()[0].previous().quarter()
    }

    /// The quarter in words, e.g. `October to December 2026`.
    pub fn words(self) -> String {
        let [first, _, last] = self.months();
        let first = first.words();
        let first = first.split(' ').next().unwrap_or_default();
        format!("{first} to {}", last.words())
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

/// What a report covers: a month, or a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month(Month),
    Quarter(Quarter),
}

impl Period {
    /// Reads `YYYY-MM` or `YYYY-Qn`.
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        if input.contains('Q') {
            Quarter::parse(input).map(Self::Quarter)
        } else {
            Month::parse(input).map(Self::Month)
        }
    }

    pub fn months(self) -> Vec<Month> {
        match self {
            Self::Month(month) => vec![month],
            Self::Quarter(quarter) => quarter.months().to_vec(),
        }
    }

    /// The period just before, of the same kind: what a trend is measured against.
    pub fn previous(self) -> Self {
        match self {
            Self::Month(month) => Self::Month(month.previous()),
            Self::Quarter(quarter) => Self::Quarter(quarter.previous()),
        }
    }

    pub fn words(self) -> String {
        match self {
            Self::Month(month) => month.words(),
            Self::Quarter(quarter) => quarter.words(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(month) => month.fmt(f),
            Self::Quarter(quarter) => quarter.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a month (YYYY-MM) or a quarter (YYYY-Qn)")]
    Malformed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_and_write_the_same() {
        for text in ["2026-11", "2026-Q4", "2027-01", "2025-Q1"] {
            let period = Period::parse(text).expect("a period");
            assert_eq!(period.to_string(), text);
        }
        for bad in ["2026-13", "2026-Q5", "26-01", "2026", "2026-Q", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_quarter_is_its_three_months() {
        let quarter = Quarter::parse("2026-Q1").expect("a quarter");
        assert_eq!(
            quarter.months().map(|m| m.to_string()),
            ["2026-01", "2026-02", "2026-03"]
        );
        assert_eq!(quarter.previous().to_string(), "2025-Q4");
        assert_eq!(quarter.words(), "January to March 2026");
        assert_eq!(
            Month::parse("2026-01")
                .map(Month::previous)
                .map(|m| m.to_string()),
            Ok("2025-12".to_owned())
        );
        assert_eq!(
            Month::parse("2026-12").map(|m| m.quarter().to_string()),
            Ok("2026-Q4".to_owned())
        );
    }
}
