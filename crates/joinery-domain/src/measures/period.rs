//! The periods management information is counted in: calendar months and ISO weeks, kept as
//! the pieces of each week within each month (a week that spans two months is two pieces);
//! months are their pieces added up, quarters their months (the periods the Ministry of
//! Justice publishes in), and weeks their one or two pieces.

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

/// An ISO 8601 week, Monday to Sunday, e.g. `2026-W40` (28 September to 4 October 2026): the
/// year is the ISO week-numbering year, which near New Year may differ from the calendar
/// year of some of its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    year: i32,
    /// 1 to 52 or 53.
    number: u8,
}

impl Week {
    pub fn of(day: Date) -> Self {
        let (year, number, _) = day.to_iso_week_date();
        Self { year, number }
    }

    /// Reads `YYYY-Www`.
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        let bad = || PeriodError::Malformed(input.chars().take(16).collect());
        let (year, number) = input.trim().split_once("-W").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || number.len() != 2 {
            return Err(bad());
        }
        let number: u8 = number.parse().map_err(|_| bad())?;
        if !(1..=time::util::weeks_in_year(year)).contains(&number) {
            return Err(bad());
        }
        Ok(Self { year, number })
    }

    /// Its Monday.
    pub fn monday(self) -> Date {
        Date::from_iso_week_date(self.year, self.number, time::Weekday::Monday).unwrap_or(Date::MIN)
    }

    /// Its Sunday.
    pub fn sunday(self) -> Date {
        Date::from_iso_week_date(self.year, self.number, time::Weekday::Sunday).unwrap_or(Date::MIN)
    }

    /// The months its days fall in: one, or two for a week that spans a month's end.
    pub fn months(self) -> Vec<Month> {
        let (first, last) = (Month::of(self.monday()), Month::of(self.sunday()));
        if first == last {
            vec![first]
        } else {
            vec![first, last]
        }
    }

    pub fn previous(self) -> Self {
        Self::of(self.monday().previous_day().unwrap_or(Date::MIN))
    }

    /// The week in words, e.g. `the week of 28 September to 4 October 2026 (2026-W40)`.
    pub fn words(self) -> String {
        let (monday, sunday) = (self.monday(), self.sunday());
        let (first, last) = (Month::of(monday).words(), Month::of(sunday).words());
        let from = if first == last {
            monday.day().to_string()
        } else if monday.year() == sunday.year() {
            let name = first.split(' ').next().unwrap_or_default();
            format!("{} {name}", monday.day())
        } else {
            format!("{} {first}", monday.day())
        };
        format!("the week of {from} to {} {last} ({self})", sunday.day())
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.number)
    }
}

/// The weeks whose days fall in `month`, in order: the month's pieces, each kept apart.
pub fn weeks_of(month: Month) -> Vec<Week> {
    let Ok(month_of_year) = time::Month::try_from(month.number()) else {
        return Vec::new();
    };
    let Ok(first) = Date::from_calendar_date(month.year(), month_of_year, 1) else {
        return Vec::new();
    };
    let mut weeks = vec![Week::of(first)];
    let mut day = first;
    while let Some(next) = day.checked_add(time::Duration::days(7)) {
        if Month::of(next) != month {
            break;
        }
        weeks.push(Week::of(next));
        day = next;
    }
    // The last days of the month may start a week of their own.
    let last = Date::from_calendar_date(
        month.year(),
        month_of_year,
        time::util::days_in_month(month_of_year, month.year()),
    )
    .unwrap_or(first);
    if weeks.last() != Some(&Week::of(last)) {
        weeks.push(Week::of(last));
    }
    weeks
}

/// What a report covers: an ISO week, a month, or a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Week(Week),
    Month(Month),
    Quarter(Quarter),
}

impl Period {
    /// Reads `YYYY-Www`, `YYYY-MM` or `YYYY-Qn`.
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        if input.contains('Q') {
            Quarter::parse(input).map(Self::Quarter)
        } else if input.contains('W') {
            Week::parse(input).map(Self::Week)
        } else {
            Month::parse(input).map(Self::Month)
        }
    }

    pub fn months(self) -> Vec<Month> {
        match self {
            Self::Week(week) => week.months(),
            Self::Month(month) => vec![month],
            Self::Quarter(quarter) => quarter.months().to_vec(),
        }
    }

    /// Whether a piece (the days of `week` in `month`) is part of this period.
    pub fn holds(self, month: Month, week: Week) -> bool {
        match self {
            Self::Week(own) => own == week,
            Self::Month(own) => own == month,
            Self::Quarter(own) => own == month.quarter(),
        }
    }

    /// The period just before, of the same kind: what a trend is measured against.
    pub fn previous(self) -> Self {
        match self {
            Self::Week(week) => Self::Week(week.previous()),
            Self::Month(month) => Self::Month(month.previous()),
            Self::Quarter(quarter) => Self::Quarter(quarter.previous()),
        }
    }

    pub fn words(self) -> String {
        match self {
            Self::Week(week) => week.words(),
            Self::Month(month) => month.words(),
            Self::Quarter(quarter) => quarter.words(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Week(week) => week.fmt(f),
            Self::Month(month) => month.fmt(f),
            Self::Quarter(quarter) => quarter.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a week (YYYY-Www), a month (YYYY-MM) or a quarter (YYYY-Qn)")]
    Malformed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_and_write_the_same() {
        for text in [
            "2026-11", "2026-Q4", "2027-01", "2025-Q1", "2026-W40", "2026-W53",
        ] {
            let period = Period::parse(text).expect("a period");
            assert_eq!(period.to_string(), text);
        }
        for bad in [
            "2026-13", "2026-Q5", "26-01", "2026", "2026-Q", "", "2025-W53", "2026-W0", "2026-W00",
            "2026-W54",
        ] {
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

    #[test]
    fn a_week_is_monday_to_sunday_and_its_pieces_are_in_the_months_of_its_days() {
        let week = Week::parse("2026-W40").expect("a week");
        assert_eq!(week.monday(), time::macros::date!(2026 - 09 - 28));
        assert_eq!(
            week.months()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["2026-09", "2026-10"]
        );
        assert_eq!(week.previous().to_string(), "2026-W39");
        assert_eq!(
            week.words(),
            "the week of 28 September to 4 October 2026 (2026-W40)"
        );
        // Near New Year the ISO year is not the calendar year of every day.
        let first = Week::of(time::macros::date!(2027 - 01 - 01));
        assert_eq!(first.to_string(), "2026-W53");
        assert_eq!(
            first.words(),
            "the week of 28 December 2026 to 3 January 2027 (2026-W53)"
        );
        assert_eq!(
            Week::parse("2026-W45").map(Week::words),
            Ok("the week of 2 to 8 November 2026 (2026-W45)".to_owned())
        );
        assert_eq!(Week::parse("2027-W01").map(Week::previous), Ok(first));
        // Each month's pieces: every week with a day in it, once, in order.
        let september = Month::parse("2026-09").expect("a month");
        let weeks: Vec<String> = weeks_of(september)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            weeks,
            ["2026-W36", "2026-W37", "2026-W38", "2026-W39", "2026-W40"]
        );
        let february = Month::parse("2027-02").expect("a month");
        assert_eq!(weeks_of(february).len(), 4, "1 February 2027 is a Monday");
        let period = Period::Week(week);
        assert!(period.holds(september, week));
        assert!(!Period::Month(september).holds(september.next(), week));
    }
}
