//! A measure's cells as a protected grid (`disclosure.rs`): a quarter's court-by-force cells by
//! month, or what is open now by band of days, and by offence type, their members interned to
//! coordinates, every total added up and small counts suppressed. A report reads its numbers from grids only, so
//! every number it shows has been through disclosure control.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use joinery_domain::AgencyCode;
use joinery_domain::measures::disclosure::{AXES, Grid, Key, Shown, TOTAL, Threshold};
use joinery_domain::measures::{Measure, Month, Period, Quarter, Scope};
use joinery_ports::TallyRow;
use rustc_hash::FxHashMap;
use time::Date;

/// A protected grid of one measure's cells, its members interned to coordinates: the first
/// axis is a quarter's months, or the bands of days of what is open now.
#[derive(Debug, Default)]
pub(super) struct ProtectedGrid {
    courts: HashMap<Option<AgencyCode>, u32>,
    forces: HashMap<Option<AgencyCode>, u32>,
    offence_types: HashMap<String, u32>,
    values: HashMap<String, u32>,
    details: HashMap<String, u32>,
    grid: Grid,
}

/// One cell as the store keeps it, at a member of the first axis.
pub(super) struct Leaf<'r> {
    pub(super) first: u32,
    pub(super) court: &'r Option<AgencyCode>,
    pub(super) force: &'r Option<AgencyCode>,
    pub(super) offence_type: &'r str,
    pub(super) value: &'r str,
    pub(super) detail: &'r str,
    pub(super) cases: u64,
}

/// Where in the grid a report looks: a value and detail of the measure (or their totals).
#[derive(Debug, Clone, Copy)]
pub(super) enum Member<'a> {
    Every,
    Named(&'a str),
}

impl ProtectedGrid {
    /// The grid of `leaves`, split by value and detail when `split`.
    pub(super) fn build<'r>(
        leaves: impl Iterator<Item = Leaf<'r>>,
        split: bool,
        threshold: Threshold,
    ) -> Self {
        let mut grid = Self::default();
        // A member is copied only the first time it is met: a national grid has hundreds of
        // thousands of leaves and a few hundred members.
        fn intern<K, Q>(members: &mut HashMap<K, u32>, key: &Q) -> u32
        where
            K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
            Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
        {
            if let Some(member) = members.get(key) {
                return *member;
            }
            let next = u32::try_from(members.len()).unwrap_or(TOTAL - 1);
            members.insert(key.to_owned(), next);
            next
        }
        let mut keyed: Vec<(Key, u64)> = Vec::new();
        for leaf in leaves {
            let mut key: Key = [0; AXES];
            key[0] = leaf.first;
            key[1] = intern(&mut grid.courts, leaf.court);
            key[2] = intern(&mut grid.forces, leaf.force);
            key[3] = intern(&mut grid.offence_types, leaf.offence_type);
            if split {
                key[4] = intern(&mut grid.values, leaf.value);
                key[5] = intern(&mut grid.details, leaf.detail);
            }
            keyed.push((key, leaf.cases));
        }
        grid.grid = Grid::protect(&keyed, if split { 6 } else { 4 }, threshold);
        grid
    }

    /// The count shown at `first` (a member of the first axis, or `TOTAL`) over `scope`, for a
    /// value and detail.
    pub(super) fn shown(
        &self,
        first: u32,
        scope: &Scope,
        value: Member<'_>,
        detail: Member<'_>,
    ) -> Shown {
        let place = |members: &HashMap<Option<AgencyCode>, u32>, filter: &Option<AgencyCode>| {
            match filter {
                None => Some(TOTAL),
                Some(code) => members.get(&Some(code.clone())).copied(),
            }
        };
        let member = |members: &HashMap<String, u32>, member: Member<'_>| match member {
            Member::Every => Some(TOTAL),
            Member::Named(name) => members.get(name).copied(),
        };
        let split = !self.values.is_empty();
        let key = (|| {
            Some([
                first,
                place(&self.courts, &scope.court)?,
                place(&self.forces, &scope.force)?,
                match scope.offence_type {
                    None => TOTAL,
                    Some(offence_type) => *self.offence_types.get(offence_type.as_str())?,
                },
                if split {
                    member(&self.values, value)?
                } else {
                    0
                },
                if split {
                    member(&self.details, detail)?
                } else {
                    0
                },
            ])
        })();
        key.map_or(Shown::Count(0), |key| self.grid.shown(&key))
    }

    /// The values and details the grid holds, in name order.
    pub(super) fn members(&self) -> (Vec<&str>, Vec<&str>) {
        let mut values: Vec<&str> = self.values.keys().map(String::as_str).collect();
        let mut details: Vec<&str> = self.details.keys().map(String::as_str).collect();
        values.sort_unstable();
        details.sort_unstable();
        (values, details)
    }
}

/// One quarter's protected grid: the store's court-by-force cells of its months, with every
/// total added up and small counts suppressed.
#[derive(Debug, Default)]
pub(super) struct QuarterGrid {
    months: Vec<Month>,
    grid: ProtectedGrid,
}

impl QuarterGrid {
    /// The grid of `rows` (all of one quarter's months), split by value and detail when
    /// `split`.
    pub(super) fn build(
        quarter: Quarter,
        rows: &[TallyRow],
        split: bool,
        threshold: Threshold,
    ) -> Self {
        let months = quarter.months().to_vec();
        let leaves = rows.iter().filter_map(|row| {
            let month = months.iter().position(|m| *m == row.month)?;
            Some(Leaf {
                first: u32::try_from(month).unwrap_or(0),
                court: &row.court,
                force: &row.force,
                offence_type: &row.offence_type,
                value: &row.value,
                detail: &row.detail,
                cases: row.cases,
            })
        });
        let grid = ProtectedGrid::build(leaves, split, threshold);
        Self { months, grid }
    }

    /// The count shown for `period` (a month of this quarter, or the quarter) over `scope`,
    /// for a value and detail.
    pub(super) fn shown(
        &self,
        period: Period,
        scope: &Scope,
        value: Member<'_>,
        detail: Member<'_>,
    ) -> Shown {
        let month = match period {
            Period::Month(month) => match self.months.iter().position(|m| *m == month) {
                Some(index) => u32::try_from(index).unwrap_or(TOTAL),
                None => return Shown::Count(0),
            },
            Period::Quarter(_) => TOTAL,
        };
        self.grid.shown(month, scope, value, detail)
    }

    /// The values and details the grid holds, in name order, owned: a report reads other
    /// grids while it walks them.
    pub(super) fn members(&self) -> (Vec<String>, Vec<String>) {
        let (values, details) = self.grid.members();
        let own = |members: Vec<&str>| members.into_iter().map(str::to_owned).collect();
        (own(values), own(details))
    }
}

/// The most grids kept: a few quarters of each measure (a national quarter's grid is a few MB).
const KEPT: usize = 32;

/// The protected grids built lately, by measure and quarter (or, for what is open, by measure
/// and the day its bands are counted back from), each with the version of the cells it was
/// built from: a report reuses a grid while the cells stand (a national quarter's grid takes
/// tens of milliseconds to build, and is the same whoever asks).
#[derive(Default)]
pub(crate) struct GridCache(Mutex<Kept>);

#[derive(Default)]
struct Kept {
    quarters: FxHashMap<(Measure, Quarter), (u64, Arc<QuarterGrid>)>,
    open: FxHashMap<(Measure, Date), (u64, Instant, Arc<ProtectedGrid>)>,
}

/// How long a grid of what is open is reused after the cells move. Under a national load
/// every commit moves some case's latest day, and a national grid of what is open takes a
/// second or so to build cold: each report of what is open is at most this old.
const OPEN_FRESH: Duration = Duration::from_secs(60);

impl GridCache {
    pub(super) fn get(
        &self,
        measure: Measure,
        quarter: Quarter,
        version: u64,
    ) -> Option<Arc<QuarterGrid>> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.quarters
            .get(&(measure, quarter))
            .filter(|(built, _)| *built == version)
            .map(|(_, grid)| Arc::clone(grid))
    }

    pub(super) fn put(
        &self,
        measure: Measure,
        quarter: Quarter,
        version: u64,
        grid: Arc<QuarterGrid>,
    ) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Past the bound, start afresh: a grid of older cells is never asked for again.
        if kept.quarters.len() >= KEPT {
            kept.quarters.clear();
        }
        kept.quarters.insert((measure, quarter), (version, grid));
    }

    pub(super) fn get_open(
        &self,
        measure: Measure,
        today: Date,
        version: u64,
    ) -> Option<Arc<ProtectedGrid>> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.open
            .get(&(measure, today))
            .filter(|(built, at, _)| *built == version || at.elapsed() < OPEN_FRESH)
            .map(|(_, _, grid)| Arc::clone(grid))
    }

    pub(super) fn put_open(
        &self,
        measure: Measure,
        today: Date,
        version: u64,
        grid: Arc<ProtectedGrid>,
    ) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // A grid counted back from another day is not asked for again: keep today's.
        kept.open.retain(|(_, day), _| *day == today);
        kept.open
            .insert((measure, today), (version, Instant::now(), grid));
    }
}
