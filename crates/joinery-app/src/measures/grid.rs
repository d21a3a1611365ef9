//! A quarter's cells of one measure, as a protected grid (`disclosure.rs`): the store's
//! court-by-force cells, their members interned to coordinates, every total added up and small
//! counts suppressed. A report reads its numbers from grids only, so every number it shows has
//! been through disclosure control.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use joinery_domain::AgencyCode;
use joinery_domain::measures::disclosure::{AXES, Grid, Key, Shown, TOTAL, Threshold};
use joinery_domain::measures::{Measure, Month, Period, Quarter, Scope};
use joinery_ports::TallyRow;
use rustc_hash::FxHashMap;

/// One quarter's protected grid, with the members of each axis by name.
#[derive(Debug, Default)]
pub(super) struct QuarterGrid {
    months: Vec<Month>,
    courts: HashMap<Option<AgencyCode>, u32>,
    forces: HashMap<Option<AgencyCode>, u32>,
    values: HashMap<String, u32>,
    details: HashMap<String, u32>,
    grid: Grid,
}

/// Where in the grid a report looks: a value and detail of the measure (or their totals).
#[derive(Debug, Clone, Copy)]
pub(super) enum Member<'a> {
    Every,
    Named(&'a str),
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
        let mut grid = Self {
            months: quarter.months().to_vec(),
            ..Self::default()
        };
        fn intern<K: std::hash::Hash + Eq>(members: &mut HashMap<K, u32>, key: K) -> u32 {
            let next = u32::try_from(members.len()).unwrap_or(TOTAL - 1);
            *members.entry(key).or_insert(next)
        }
        let mut leaves: Vec<(Key, u64)> = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(month) = grid.months.iter().position(|m| *m == row.month) else {
                continue;
            };
            let mut key: Key = [0; AXES];
            key[0] = u32::try_from(month).unwrap_or(0);
            key[1] = intern(&mut grid.courts, row.court.clone());
            key[2] = intern(&mut grid.forces, row.force.clone());
            if split {
                key[3] = intern(&mut grid.values, row.value.clone());
                key[4] = intern(&mut grid.details, row.detail.clone());
            }
            leaves.push((key, row.cases));
        }
        grid.grid = Grid::protect(&leaves, if split { 5 } else { 3 }, threshold);
        grid
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
                month,
                place(&self.courts, &scope.court)?,
                place(&self.forces, &scope.force)?,
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

/// The most grids kept: a few quarters of each measure (a national quarter's grid is a few MB).
const KEPT: usize = 32;

/// The protected grids built lately, by measure and quarter, each with the version of the cells
/// it was built from: a report reuses a grid while the cells stand (a national quarter's grid
/// takes tens of milliseconds to build, and is the same whoever asks).
#[derive(Default)]
pub(crate) struct GridCache(Mutex<FxHashMap<(Measure, Quarter), Kept>>);

/// A grid, with the version of the cells it was built from.
type Kept = (u64, Arc<QuarterGrid>);

impl GridCache {
    pub(super) fn get(
        &self,
        measure: Measure,
        quarter: Quarter,
        version: u64,
    ) -> Option<Arc<QuarterGrid>> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(&(measure, quarter))
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
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert((measure, quarter), (version, grid));
    }
}
