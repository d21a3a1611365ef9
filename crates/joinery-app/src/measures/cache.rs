//! Protected grids kept between reports. A grid is the same whoever asks, and a national
//! quarter's takes a good part of a second to build, so it is kept: reused while its cells
//! stand, and for a while after they move, since under a national load every commit moves some
//! cell of the current quarter and of what is open. A grid whose cells have moved is built
//! again in the background while readers are shown the one kept (each report says when its
//! figures were counted); one too old to show is built again before the reader is answered.
//!
//! Nothing here decides what a reader may see: a grid is protected before it is kept, and who
//! may see which scope of it is decided by the agreement before a grid is read.

use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use joinery_domain::measures::{DayCounts, Measure, Month, Quarter, Scope, Week};
use rustc_hash::FxHashMap;
use time::{Date, OffsetDateTime};

use super::grid::{ProtectedGrid, QuarterGrid};

/// For this long after it was built, a grid is shown however its cells have moved since.
pub(super) const FRESH: Duration = Duration::from_secs(15);

/// A grid older than this whose cells have moved is not shown: it is built again first.
/// Between `FRESH` and this, it is shown and built again in the background.
pub(super) const STALEST: Duration = Duration::from_secs(300);

/// The most quarter grids kept: the current and previous quarters of every measure, the flow's
/// five quarters and a few more a reader asked for (a national quarter's grid is a few MB).
/// Past it, the grid read longest ago goes.
const KEPT: usize = 64;

/// The most day counts kept, each a quarter of one measure over one scope (a few thousand
/// numbers): a report of timeliness or turnaround reads two quarters of a dozen measures.
const KEPT_DAYS: usize = 512;

/// How many cases took each number of days in a measure, by piece of a quarter (each week's
/// days in each month), over one scope: what a median is worked out from. Not protected
/// itself: a median is shown only beside a count a grid shows.
pub(super) type DayPieces = BTreeMap<(Month, Week), DayCounts>;

/// A grid and when its cells were read (now, if they stand as they were).
#[derive(Debug)]
pub(super) struct Counted<G> {
    pub(super) grid: Arc<G>,
    pub(super) at: OffsetDateTime,
}

impl<G> Clone for Counted<G> {
    fn clone(&self) -> Self {
        Self {
            grid: Arc::clone(&self.grid),
            at: self.at,
        }
    }
}

/// A grid just built: the version of the cells it was built from, when they were read, and
/// the grid.
pub(super) type Built<G> = (u64, OffsetDateTime, Arc<G>);

/// What a reader may do with the grid kept for cells at a version.
#[derive(Debug)]
pub(super) enum Found<G> {
    /// Show it.
    Use(Counted<G>),
    /// Show it, and build it again in the background (no other build of it is under way).
    Refresh(Counted<G>),
    /// Build it before answering: none is kept, or the one kept is too old to show.
    Build,
}

struct Entry<G> {
    version: u64,
    built: Instant,
    /// When a reader last asked for it.
    read: Instant,
    counted: Counted<G>,
    refreshing: bool,
}

/// The grids of one kind, by what they are of.
struct Shelf<K, G> {
    entries: FxHashMap<K, Entry<G>>,
}

impl<K, G> Default for Shelf<K, G> {
    fn default() -> Self {
        Self {
            entries: FxHashMap::default(),
        }
    }
}

impl<K: Hash + Eq, G> Shelf<K, G> {
    fn find(&mut self, key: &K, version: u64) -> Found<G> {
        let Some(entry) = self.entries.get_mut(key) else {
            return Found::Build;
        };
        entry.read = Instant::now();
        let age = entry.built.elapsed();
        if entry.version == version {
            // The cells stand as they were read: the grid is as of now.
            Found::Use(Counted {
                grid: Arc::clone(&entry.counted.grid),
                at: OffsetDateTime::now_utc(),
            })
        } else if age < FRESH {
            Found::Use(entry.counted.clone())
        } else if age >= STALEST {
            Found::Build
        } else if entry.refreshing {
            Found::Use(entry.counted.clone())
        } else {
            entry.refreshing = true;
            Found::Refresh(entry.counted.clone())
        }
    }

    /// Keeps `grid`, built from cells at `version` read at `at`, unless a grid of later cells
    /// is kept already (two builds can finish out of order).
    fn put(&mut self, key: K, version: u64, grid: Arc<G>, at: OffsetDateTime) -> Counted<G> {
        let counted = Counted { grid, at };
        match self.entries.get_mut(&key) {
            Some(entry) if entry.version > version => {
                entry.refreshing = false;
            }
            _ => {
                self.entries.insert(
                    key,
                    Entry {
                        version,
                        built: Instant::now(),
                        read: Instant::now(),
                        counted: counted.clone(),
                        refreshing: false,
                    },
                );
            }
        }
        counted
    }

    /// Makes room for one more grid when `bound` are kept: the one read longest ago goes.
    fn room(&mut self, key: &K, bound: usize)
    where
        K: Clone,
    {
        if self.entries.len() < bound || self.entries.contains_key(key) {
            return;
        }
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, entry)| entry.read)
            .map(|(key, _)| key.clone());
        if let Some(oldest) = oldest {
            self.entries.remove(&oldest);
        }
    }

    /// A build in the background failed: the next reader past `FRESH` starts another.
    fn failed(&mut self, key: &K) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.refreshing = false;
        }
    }
}

#[derive(Default)]
struct Shelves {
    quarters: Shelf<(Measure, Quarter), QuarterGrid>,
    /// What is open, by measure and the day its bands are counted back from.
    open: Shelf<(Measure, Date), ProtectedGrid>,
    /// Day counts, by measure, quarter and scope.
    days: Shelf<(Measure, Quarter, Scope), DayPieces>,
}

/// The protected grids built lately, shared with the builds under way in the background.
#[derive(Clone, Default)]
pub(crate) struct GridCache(Arc<Mutex<Shelves>>);

impl GridCache {
    fn shelves(&self) -> std::sync::MutexGuard<'_, Shelves> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn find(
        &self,
        measure: Measure,
        quarter: Quarter,
        version: u64,
    ) -> Found<QuarterGrid> {
        self.shelves().quarters.find(&(measure, quarter), version)
    }

    pub(super) fn put(
        &self,
        measure: Measure,
        quarter: Quarter,
        version: u64,
        grid: Arc<QuarterGrid>,
        at: OffsetDateTime,
    ) -> Counted<QuarterGrid> {
        let mut shelves = self.shelves();
        shelves.quarters.room(&(measure, quarter), KEPT);
        shelves.quarters.put((measure, quarter), version, grid, at)
    }

    /// Keeps a grid built again in the background; `None` if the build failed.
    pub(super) fn rebuilt(
        &self,
        measure: Measure,
        quarter: Quarter,
        built: Option<Built<QuarterGrid>>,
    ) {
        match built {
            Some((version, at, grid)) => {
                self.put(measure, quarter, version, grid, at);
            }
            None => self.shelves().quarters.failed(&(measure, quarter)),
        }
    }

    pub(super) fn find_open(
        &self,
        measure: Measure,
        today: Date,
        version: u64,
    ) -> Found<ProtectedGrid> {
        self.shelves().open.find(&(measure, today), version)
    }

    pub(super) fn put_open(
        &self,
        measure: Measure,
        today: Date,
        version: u64,
        grid: Arc<ProtectedGrid>,
        at: OffsetDateTime,
    ) -> Counted<ProtectedGrid> {
        let mut shelves = self.shelves();
        // A grid counted back from another day is not asked for again: keep today's.
        shelves.open.entries.retain(|(_, day), _| *day == today);
        shelves.open.put((measure, today), version, grid, at)
    }

    /// As `rebuilt`, for what is open.
    pub(super) fn rebuilt_open(
        &self,
        measure: Measure,
        today: Date,
        built: Option<Built<ProtectedGrid>>,
    ) {
        match built {
            Some((version, at, grid)) => {
                self.put_open(measure, today, version, grid, at);
            }
            None => self.shelves().open.failed(&(measure, today)),
        }
    }

    pub(super) fn find_days(
        &self,
        measure: Measure,
        quarter: Quarter,
        scope: &Scope,
        version: u64,
    ) -> Found<DayPieces> {
        self.shelves()
            .days
            .find(&(measure, quarter, scope.clone()), version)
    }

    pub(super) fn put_days(
        &self,
        measure: Measure,
        quarter: Quarter,
        scope: Scope,
        version: u64,
        pieces: Arc<DayPieces>,
        at: OffsetDateTime,
    ) -> Counted<DayPieces> {
        let mut shelves = self.shelves();
        let key = (measure, quarter, scope);
        shelves.days.room(&key, KEPT_DAYS);
        shelves.days.put(key, version, pieces, at)
    }

    /// As `rebuilt`, for day counts.
    pub(super) fn rebuilt_days(
        &self,
        measure: Measure,
        quarter: Quarter,
        scope: Scope,
        built: Option<Built<DayPieces>>,
    ) {
        match built {
            Some((version, at, pieces)) => {
                self.put_days(measure, quarter, scope, version, pieces, at);
            }
            None => self.shelves().days.failed(&(measure, quarter, scope)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shelf() -> Shelf<u8, u32> {
        let mut shelf = Shelf::default();
        shelf.put(1, 5, Arc::new(50), OffsetDateTime::UNIX_EPOCH);
        shelf
    }

    fn age(shelf: &mut Shelf<u8, u32>, by: Duration) {
        let entry = shelf.entries.get_mut(&1).expect("kept");
        entry.built = Instant::now().checked_sub(by).expect("a clock this old");
    }

    #[test]
    fn a_grid_is_shown_while_its_cells_stand_however_old() {
        let mut shelf = shelf();
        age(&mut shelf, STALEST * 2);
        assert!(matches!(shelf.find(&1, 5), Found::Use(_)));
        assert!(matches!(shelf.find(&2, 5), Found::Build));
    }

    #[test]
    fn a_moved_grid_is_shown_while_fresh_then_built_again_once_in_the_background() {
        let mut shelf = shelf();
        assert!(matches!(shelf.find(&1, 6), Found::Use(_)));
        age(&mut shelf, FRESH);
        assert!(matches!(shelf.find(&1, 6), Found::Refresh(_)));
        // One build at a time: the next reader is shown the same grid.
        assert!(matches!(shelf.find(&1, 6), Found::Use(_)));
        shelf.failed(&1);
        assert!(matches!(shelf.find(&1, 6), Found::Refresh(_)));
        shelf.put(1, 6, Arc::new(60), OffsetDateTime::UNIX_EPOCH);
        match shelf.find(&1, 7) {
            Found::Use(counted) => assert_eq!(*counted.grid, 60),
            other => panic!("the new grid is fresh: {other:?}"),
        }
    }

    #[test]
    fn a_moved_grid_too_old_to_show_is_built_before_answering() {
        let mut shelf = shelf();
        age(&mut shelf, STALEST);
        assert!(matches!(shelf.find(&1, 6), Found::Build));
    }

    #[test]
    fn past_the_bound_the_grid_read_longest_ago_goes() {
        let mut shelf = shelf();
        shelf.put(2, 1, Arc::new(20), OffsetDateTime::UNIX_EPOCH);
        std::thread::sleep(Duration::from_millis(2));
        assert!(matches!(shelf.find(&1, 5), Found::Use(_)));
        shelf.room(&3, 2);
        shelf.put(3, 1, Arc::new(30), OffsetDateTime::UNIX_EPOCH);
        assert!(
            matches!(shelf.find(&2, 1), Found::Build),
            "2 was read longest ago"
        );
        assert!(matches!(shelf.find(&1, 5), Found::Use(_)));
        assert!(matches!(shelf.find(&3, 1), Found::Use(_)));
        // A grid kept already is replaced in place, whatever the bound.
        shelf.room(&3, 2);
        assert_eq!(shelf.entries.len(), 2);
    }

    #[test]
    fn a_build_of_older_cells_does_not_replace_a_newer_grid() {
        let mut shelf = shelf();
        shelf.put(1, 4, Arc::new(40), OffsetDateTime::UNIX_EPOCH);
        match shelf.find(&1, 5) {
            Found::Use(counted) => assert_eq!(*counted.grid, 50),
            other => panic!("the newer grid stays: {other:?}"),
        }
    }
}
