//! A measure's cells as a protected grid (`disclosure.rs`): a quarter's cells by month, or what
//! is open now by band of days, by court and force (or by CPS area and probation service) and
//! by offence type, their members interned to coordinates, every total added up and small
//! counts suppressed. A report reads its numbers from grids only, so every number it shows has
//! been through disclosure control.

use std::collections::HashMap;
use std::sync::Arc;

use joinery_domain::AgencyCode;
use joinery_domain::measures::disclosure::{
    AXES, Grid, Key, Shown, TOTAL, Threshold, protect_pair,
};
use joinery_domain::measures::{DayCounts, Measure, Month, Period, Quarter, Scope, Week, weeks_of};
use joinery_ports::{OpenRow, Places, Store, TallyRow};
use time::{Date, OffsetDateTime};

use super::cache::{Built, Counted, DayPieces, Found};
use crate::{App, AppError};

/// A protected grid of one measure's cells, its members interned to coordinates: the first
/// axis is a quarter's months, or the bands of days of what is open now. Kept as two linked
/// grids of the same cells (`disclosure::protect_pair`): by court and force, and by CPS area
/// and probation service; each with the offence type, value and detail.
#[derive(Debug, Default)]
pub(super) struct ProtectedGrid {
    /// Each kind of place's members (`Place::ALL`'s order): courts, forces, CPS areas and
    /// probation services.
    places: [HashMap<Option<AgencyCode>, u32>; 4],
    offence_types: HashMap<String, u32>,
    values: HashMap<String, u32>,
    details: HashMap<String, u32>,
    /// By court (axis 1) and force (axis 2).
    by_court: Grid,
    /// By CPS area (axis 1) and probation service (axis 2).
    by_agency: Grid,
}

/// One cell as the store keeps it, at a member of the first axis.
pub(super) struct Leaf<'r> {
    pub(super) first: u32,
    pub(super) places: &'r Places,
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
    /// The grid of `leaves`, split by value and detail when `split`; the first axis's members
    /// nest as `parents` says (`Grid::protect_nested`).
    pub(super) fn build<'r>(
        leaves: impl Iterator<Item = Leaf<'r>>,
        split: bool,
        threshold: Threshold,
        parents: &[u32],
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
        let mut by_court: Vec<(Key, u64)> = Vec::new();
        let mut by_agency: Vec<(Key, u64)> = Vec::new();
        for leaf in leaves {
            let mut key: Key = [0; AXES];
            key[0] = leaf.first;
            key[3] = intern(&mut grid.offence_types, leaf.offence_type);
            if split {
                key[4] = intern(&mut grid.values, leaf.value);
                key[5] = intern(&mut grid.details, leaf.detail);
            }
            let [court, force, prosecutor, probation] = leaf.places.all();
            let mut at =
                |axis: usize, place: &Option<AgencyCode>| intern(&mut grid.places[axis], place);
            let (court, force) = (at(0, court), at(1, force));
            let (prosecutor, probation) = (at(2, prosecutor), at(3, probation));
            key[1] = court;
            key[2] = force;
            by_court.push((key, leaf.cases));
            key[1] = prosecutor;
            key[2] = probation;
            by_agency.push((key, leaf.cases));
        }
        let axes = if split { AXES } else { 4 };
        (grid.by_court, grid.by_agency) =
            protect_pair(&by_court, &by_agency, axes, threshold, parents);
        grid
    }

    /// The count shown at `first` (a member of the first axis, or `TOTAL`) over `scope`, for a
    /// value and detail. A scope narrowed both by court or force and by CPS area or probation
    /// service is not counted (`Scope::mixes_places`): nothing is shown of it.
    pub(super) fn shown(
        &self,
        first: u32,
        scope: &Scope,
        value: Member<'_>,
        detail: Member<'_>,
    ) -> Shown {
        if scope.mixes_places() {
            return Shown::Suppressed;
        }
        let place = |axis: usize, filter: &Option<AgencyCode>| match filter {
            None => Some(TOTAL),
            Some(code) => self.places[axis].get(&Some(code.clone())).copied(),
        };
        let member = |members: &HashMap<String, u32>, member: Member<'_>| match member {
            Member::Every => Some(TOTAL),
            Member::Named(name) => members.get(name).copied(),
        };
        let split = !self.values.is_empty();
        let by_agency = scope.prosecutor.is_some() || scope.probation.is_some();
        let key = (|| {
            let (one, other) = if by_agency {
                (place(2, &scope.prosecutor)?, place(3, &scope.probation)?)
            } else {
                (place(0, &scope.court)?, place(1, &scope.force)?)
            };
            let mut key: Key = [first, one, other, TOTAL, 0, 0];
            if let Some(offence_type) = scope.offence_type {
                key[3] = *self.offence_types.get(offence_type.as_str())?;
            }
            if split {
                key[4] = member(&self.values, value)?;
                key[5] = member(&self.details, detail)?;
            }
            Some(key)
        })();
        let grid = if by_agency {
            &self.by_agency
        } else {
            &self.by_court
        };
        key.map_or(Shown::Count(0), |key| grid.shown(&key))
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

/// One quarter's protected grid: the store's court-by-force cells of the pieces of its weeks
/// in its months, with every total added up (pieces into months, months into the quarter) and
/// small counts suppressed.
#[derive(Debug, Default)]
pub(super) struct QuarterGrid {
    /// The first axis's coordinates 0 to 2.
    months: Vec<Month>,
    /// The first axis's coordinates from 3: each week's days in one month, in order.
    pieces: Vec<(Month, Week)>,
    grid: ProtectedGrid,
}

/// Where the pieces start on the first axis: after the quarter's three months.
const PIECES: u32 = 3;

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
        let pieces: Vec<(Month, Week)> = months
            .iter()
            .flat_map(|month| weeks_of(*month).into_iter().map(|week| (*month, week)))
            .collect();
        // Each piece adds up into its month, each month into the quarter.
        let parents: Vec<u32> = [TOTAL; PIECES as usize]
            .into_iter()
            .chain(pieces.iter().map(|(month, _)| {
                months
                    .iter()
                    .position(|m| m == month)
                    .and_then(|at| u32::try_from(at).ok())
                    .unwrap_or(TOTAL)
            }))
            .collect();
        let leaves = rows.iter().filter_map(|row| {
            let piece = pieces
                .iter()
                .position(|piece| *piece == (row.month, row.week))?;
            Some(Leaf {
                first: PIECES + u32::try_from(piece).ok()?,
                places: &row.places,
                offence_type: &row.offence_type,
                value: &row.value,
                detail: &row.detail,
                cases: row.cases,
            })
        });
        let grid = ProtectedGrid::build(leaves, split, threshold, &parents);
        Self {
            months,
            pieces,
            grid,
        }
    }

    /// The count shown for `period` over `scope`, for a value and detail: a month of this
    /// quarter, the quarter, or the pieces of a week in this quarter's months (shown only when
    /// each of them is: their sum is then worked out from what is shown anyway).
    pub(super) fn shown(
        &self,
        period: Period,
        scope: &Scope,
        value: Member<'_>,
        detail: Member<'_>,
    ) -> Shown {
        let at = |first: Option<usize>| first.and_then(|first| u32::try_from(first).ok());
        match period {
            Period::Quarter(_) => self.grid.shown(TOTAL, scope, value, detail),
            Period::Month(month) => match at(self.months.iter().position(|m| *m == month)) {
                Some(first) => self.grid.shown(first, scope, value, detail),
                None => Shown::Count(0),
            },
            Period::Week(week) => self
                .pieces
                .iter()
                .enumerate()
                .filter(|(_, (_, of))| *of == week)
                .map(|(piece, _)| match at(Some(piece)) {
                    Some(piece) => self.grid.shown(PIECES + piece, scope, value, detail),
                    None => Shown::Suppressed,
                })
                .fold(Shown::Count(0), added),
        }
    }

    /// The values and details the grid holds, in name order, owned: a report reads other
    /// grids while it walks them.
    pub(super) fn members(&self) -> (Vec<String>, Vec<String>) {
        let (values, details) = self.grid.members();
        let own = |members: Vec<&str>| members.into_iter().map(str::to_owned).collect();
        (own(values), own(details))
    }
}

/// Two shown counts added up: suppressed if either is.
pub(super) fn added(one: Shown, other: Shown) -> Shown {
    match (one, other) {
        (Shown::Count(one), Shown::Count(other)) => Shown::Count(one + other),
        _ => Shown::Suppressed,
    }
}

/// The grids a report reads, each read once per report, kept from an earlier report where the
/// cache allows (`cache.rs`), and when the oldest of them was counted.
pub(super) struct Grids<'a> {
    app: &'a App,
    read: HashMap<(Measure, Quarter), Arc<QuarterGrid>>,
    oldest: Option<OffsetDateTime>,
}

impl<'a> Grids<'a> {
    /// The registered agencies (a few hundred at most), for the kind and name a report shows
    /// beside an agency's code.
    pub(super) async fn agencies(&self) -> Result<Arc<Vec<joinery_ports::Agency>>, AppError> {
        self.app.agencies().await
    }

    pub(super) fn new(app: &'a App) -> Self {
        Self {
            app,
            read: HashMap::new(),
            oldest: None,
        }
    }

    /// When the cells of the oldest grid read were read (now, if none was).
    pub(super) fn counted_at(&self) -> OffsetDateTime {
        self.oldest.unwrap_or_else(OffsetDateTime::now_utc)
    }

    fn counted<G>(&mut self, counted: Counted<G>) -> Arc<G> {
        self.oldest = Some(
            self.oldest
                .map_or(counted.at, |oldest| oldest.min(counted.at)),
        );
        counted.grid
    }

    /// The protected grid of what is open in `measure`, by bands of days before `today`.
    pub(super) async fn open(
        &mut self,
        measure: Measure,
        today: Date,
    ) -> Result<Arc<ProtectedGrid>, AppError> {
        let store = &self.app.store;
        let cache = &self.app.grids;
        // Read before the cells: a grid is kept under a version no later than its cells.
        let version = store.open_version(measure).await?;
        let counted = match cache.find_open(measure, today, version) {
            Found::Use(counted) => counted,
            Found::Refresh(counted) => {
                let (store, cache, threshold) =
                    (Arc::clone(store), cache.clone(), self.app.threshold);
                tokio::spawn(async move {
                    let built = open_grid(&store, measure, today, threshold).await;
                    cache.rebuilt_open(measure, today, logged(built, measure));
                });
                counted
            }
            Found::Build => {
                let (version, at, grid) =
                    open_grid(store, measure, today, self.app.threshold).await?;
                cache.put_open(measure, today, version, grid, at)
            }
        };
        Ok(self.counted(counted))
    }

    /// The count of `measure` shown for `period` over `scope`, for a value and detail: a
    /// week's pieces may lie in two quarters' grids.
    pub(super) async fn shown(
        &mut self,
        measure: Measure,
        period: Period,
        scope: &Scope,
        value: Member<'_>,
        detail: Member<'_>,
    ) -> Result<Shown, AppError> {
        let mut shown = Shown::Count(0);
        for quarter in quarters_of(period) {
            let grid = self.of(measure, quarter).await?;
            shown = added(shown, grid.shown(period, scope, value, detail));
        }
        Ok(shown)
    }

    /// How many cases took each number of days in `measure` (one with days) in `period` over
    /// `scope`: from each quarter's day counts, kept as grids are (a national quarter's are
    /// tens of thousands of rows).
    pub(super) async fn day_counts(
        &mut self,
        measure: Measure,
        period: Period,
        scope: &Scope,
    ) -> Result<DayCounts, AppError> {
        let mut days = DayCounts::default();
        for quarter in quarters_of(period) {
            let pieces = self.day_pieces(measure, quarter, scope).await?;
            // A month or a week is some of its quarter's pieces.
            for ((month, week), counts) in pieces.iter() {
                if period.holds(*month, *week) {
                    days.merge(counts);
                }
            }
        }
        Ok(days)
    }

    async fn day_pieces(
        &mut self,
        measure: Measure,
        quarter: Quarter,
        scope: &Scope,
    ) -> Result<Arc<DayPieces>, AppError> {
        let store = &self.app.store;
        let cache = &self.app.grids;
        let [first, _, last] = quarter.months();
        // Read before the cells: day counts are kept under a version no later than theirs.
        let version = store.measures_version(measure, first, last).await?;
        let counted = match cache.find_days(measure, quarter, scope, version) {
            Found::Use(counted) => counted,
            Found::Refresh(counted) => {
                let (store, cache, scope) = (Arc::clone(store), cache.clone(), scope.clone());
                tokio::spawn(async move {
                    let built = day_pieces(&store, measure, quarter, scope.clone()).await;
                    cache.rebuilt_days(measure, quarter, scope, logged(built, measure));
                });
                counted
            }
            Found::Build => {
                let (version, at, pieces) =
                    day_pieces(store, measure, quarter, scope.clone()).await?;
                cache.put_days(measure, quarter, scope.clone(), version, pieces, at)
            }
        };
        Ok(self.counted(counted))
    }

    /// The values and details of `measure` in the grids `period` is read from, in name order.
    pub(super) async fn members(
        &mut self,
        measure: Measure,
        period: Period,
    ) -> Result<(Vec<String>, Vec<String>), AppError> {
        let (mut values, mut details) = (Vec::new(), Vec::new());
        for quarter in quarters_of(period) {
            let (more_values, more_details) = self.of(measure, quarter).await?.members();
            values.extend(more_values);
            details.extend(more_details);
        }
        for members in [&mut values, &mut details] {
            members.sort_unstable();
            members.dedup();
        }
        Ok((values, details))
    }

    /// The protected grid of `measure` for `quarter`.
    async fn of(&mut self, measure: Measure, quarter: Quarter) -> Result<&QuarterGrid, AppError> {
        if !self.read.contains_key(&(measure, quarter)) {
            let store = &self.app.store;
            let cache = &self.app.grids;
            let [first, _, last] = quarter.months();
            // Read before the cells: a grid is kept under a version no later than its cells.
            let version = store.measures_version(measure, first, last).await?;
            let counted = match cache.find(measure, quarter, version) {
                Found::Use(counted) => counted,
                Found::Refresh(counted) => {
                    let (store, cache, threshold) =
                        (Arc::clone(store), cache.clone(), self.app.threshold);
                    tokio::spawn(async move {
                        let built = quarter_grid(&store, measure, quarter, threshold).await;
                        cache.rebuilt(measure, quarter, logged(built, measure));
                    });
                    counted
                }
                Found::Build => {
                    let (version, at, grid) =
                        quarter_grid(store, measure, quarter, self.app.threshold).await?;
                    cache.put(measure, quarter, version, grid, at)
                }
            };
            let grid = self.counted(counted);
            self.read.insert((measure, quarter), grid);
        }
        self.read
            .get(&(measure, quarter))
            .map(AsRef::as_ref)
            .ok_or_else(|| AppError::Internal("a grid just read went missing".to_owned()))
    }
}

/// A grid built in the background, or why not: logged where it ends (the error names no
/// case or person).
fn logged<G>(built: Result<Built<G>, AppError>, measure: Measure) -> Option<Built<G>> {
    built
        .inspect_err(|error| {
            tracing::warn!(%error, measure = measure.as_str(), "a grid was not built again");
        })
        .ok()
}

/// The quarters whose grids hold `period`: one, or two for a week across a quarter's end.
fn quarters_of(period: Period) -> Vec<Quarter> {
    let mut quarters: Vec<Quarter> = period.months().iter().map(|m| m.quarter()).collect();
    quarters.dedup();
    quarters
}

/// Builds the grid of `measure` over `quarter` from the cells as they stand: the version read
/// first, so the grid is kept under a version no later than its cells. Protecting a national
/// grid takes a good part of a second of one core, so it is done off the async workers.
async fn quarter_grid(
    store: &Arc<dyn Store>,
    measure: Measure,
    quarter: Quarter,
    threshold: Threshold,
) -> Result<Built<QuarterGrid>, AppError> {
    let [first, _, last] = quarter.months();
    let version = store.measures_version(measure, first, last).await?;
    let at = OffsetDateTime::now_utc();
    let rows = store.tallies(measure, first, last).await?;
    let split = !matches!(measure, Measure::Timeliness(_));
    let grid = quietly(move || QuarterGrid::build(quarter, &rows, split, threshold)).await?;
    Ok((version, at, Arc::new(grid)))
}

/// Runs `work` (a grid's protection: seconds of work at a national year) on a thread of its
/// own at the lowest priority: under a live load a grid is built again every few seconds in
/// the background while the last is shown, and the writer and every reader's page come first.
/// One thread a build: builds are one at a time (`cache.rs`).
async fn quietly<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (done, built) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("joinery-grid".to_owned())
        .spawn(move || {
            if let Err(error) = thread_priority::ThreadPriority::Min.set_for_current() {
                tracing::debug!(?error, "a grid is built at the usual priority");
            }
            // The reader may have gone; the grid is then not wanted.
            let _ = done.send(work());
        })
        .map_err(|error| AppError::Internal(format!("a grid's thread did not start: {error}")))?;
    built
        .await
        .map_err(|_| AppError::Internal("a grid's build stopped".to_owned()))
}

/// The day counts of `measure` over `quarter` and `scope`, by piece, as they stand: the version
/// read first, as for a grid.
async fn day_pieces(
    store: &Arc<dyn Store>,
    measure: Measure,
    quarter: Quarter,
    scope: Scope,
) -> Result<Built<DayPieces>, AppError> {
    let [first, _, last] = quarter.months();
    let version = store.measures_version(measure, first, last).await?;
    let at = OffsetDateTime::now_utc();
    let pieces = store.timeliness(measure, first, last, scope).await?;
    Ok((version, at, Arc::new(pieces)))
}

/// As `quarter_grid`, for what is open in `measure` by bands of days before `today`.
async fn open_grid(
    store: &Arc<dyn Store>,
    measure: Measure,
    today: Date,
    threshold: Threshold,
) -> Result<Built<ProtectedGrid>, AppError> {
    let version = store.open_version(measure).await?;
    let at = OffsetDateTime::now_utc();
    let rows: Vec<OpenRow> = store.open_tallies(measure, today).await?;
    let grid = quietly(move || {
        let leaves = rows.iter().map(|row| Leaf {
            first: u32::try_from(row.band).unwrap_or(0),
            places: &row.places,
            offence_type: &row.offence_type,
            value: &row.value,
            detail: &row.detail,
            cases: row.cases,
        });
        ProtectedGrid::build(leaves, true, threshold, &[])
    })
    .await?;
    Ok((version, at, Arc::new(grid)))
}
