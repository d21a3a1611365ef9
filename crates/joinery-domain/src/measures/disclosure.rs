//! Disclosure control: which counts a report may show. A count of a few cases can point at a
//! person, so a count under the threshold is suppressed (primary suppression, shown as `[c]`).
//! A suppressed count could still be worked out from what is shown beside it: its total minus
//! the other counts that make it up. So every such sum (a line: a total and the counts it adds
//! up) keeps either no suppressed count or at least two (secondary suppression), repeated until
//! every line holds.
//!
//! The lines are those of the whole grid a report's cells come from: every month of a quarter
//! and the quarter, every court and every force and their totals, every value of the measure
//! and its total. A reader who asks for a court, then a force, then the country, gets cells of
//! the same protected grid, so no filter can be subtracted from another to recover a
//! suppressed count. The grid is built the same whoever asks.
//!
//! The same facts are also counted by CPS area and probation service, in a second grid
//! ([`protect_pair`]) rather than as two more axes of the first (which would make a national
//! quarter's grid five times the cells). The two share their cells of every place (the
//! country's): those are hidden in both or in neither, protected again until they agree, so
//! what one grid hides the other does not give away.

use rustc_hash::FxHashMap;

/// The number of axes a grid may have: period, two kinds of place (court and force, or CPS area
/// and probation service), offence type, value, detail.
pub const AXES: usize = 6;

/// A coordinate that stands for every member of its axis: the total.
pub const TOTAL: u32 = u32::MAX;

/// A cell's place in a grid: one member (or the total) of each axis.
pub type Key = [u32; AXES];

/// The smallest count shown; under it (and above zero), a count is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold(u64);

impl Threshold {
    /// The Government Statistical Service's usual rule for administrative data on people.
    pub const DEFAULT: Self = Self(10);

    /// A threshold of at least 2: a threshold of 1 would suppress nothing, and a report must
    /// always suppress counts of one person.
    pub fn new(least: u64) -> Option<Self> {
        (least >= 2).then_some(Self(least))
    }

    pub fn get(self) -> u64 {
        self.0
    }

    fn suppresses(self, count: u64) -> bool {
        count > 0 && count < self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A protected grid: every cell's count (totals included), and whether it may be shown.
///
/// Kept packed: each axis's coordinates are ranked (the total is the rank of all ones), and a
/// cell's ranks are packed into one integer, most significant axis first, so that the cells
/// sort, hash and compare as numbers. A national quarter's grid has hundreds of thousands of
/// cells, and protecting it is mostly hashing and sorting keys.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Each axis's coordinates, in order: a coordinate's rank is its place here.
    ranks: [Vec<u32>; AXES],
    fields: [Field; AXES],
    /// The cells' packed keys, in order.
    keys: Vec<u128>,
    counts: Vec<u64>,
    suppressed: Vec<bool>,
    /// Every count withheld: a grid too large to pack is shown as nothing but `[c]`.
    withheld: bool,
}

/// Where an axis's rank lies in a packed key.
#[derive(Debug, Clone, Copy, Default)]
struct Field {
    shift: u32,
    /// The rank of the total: every bit of the field set.
    total: u128,
}

impl Field {
    fn mask(self) -> u128 {
        self.total << self.shift
    }

    fn get(self, key: u128) -> u128 {
        (key >> self.shift) & self.total
    }

    fn set(self, key: u128, rank: u128) -> u128 {
        (key & !self.mask()) | (rank << self.shift)
    }
}

impl Grid {
    /// Builds the grid of `leaves` (counts at one member of each of the first `axes` axes; the
    /// others are 0) with every total, and protects it under `threshold`.
    pub fn protect(leaves: &[(Key, u64)], axes: usize, threshold: Threshold) -> Self {
        Self::protect_nested(leaves, axes, threshold, &[])
    }

    /// As `protect`, where the first axis's members nest: `parents[m]` is the member that
    /// member `m` adds up into (a week's days into its month, say), or `TOTAL`; a member past
    /// the end of `parents` adds up into the total. Each member with members of its own is the
    /// total of their line, and a member of its parent's: so a count suppressed at the finer
    /// level cannot be worked out from the coarser, nor the other way.
    pub fn protect_nested(
        leaves: &[(Key, u64)],
        axes: usize,
        threshold: Threshold,
        parents: &[u32],
    ) -> Self {
        Self::protect_forcing(leaves, axes, threshold, parents, &[])
    }

    /// As `protect_nested`, with the cells at `forced` hidden from the start (as a grid linked
    /// to this one hides them); a key the grid has no cell at is passed over.
    fn protect_forcing(
        leaves: &[(Key, u64)],
        axes: usize,
        threshold: Threshold,
        parents: &[u32],
        forced: &[Key],
    ) -> Self {
        let axes = axes.min(AXES);
        let parent_of = |coordinate: u32| -> u32 {
            if coordinate == TOTAL {
                TOTAL
            } else {
                parents.get(coordinate as usize).copied().unwrap_or(TOTAL)
            }
        };
        // Each axis's coordinates (the first's with every member they add up into), ranked.
        let mut ranks: [Vec<u32>; AXES] = Default::default();
        for (key, _) in leaves {
            for (axis, coordinate) in key.iter().enumerate() {
                ranks[axis].push(*coordinate);
            }
            let mut first = parent_of(key[0]);
            let mut steps = 0;
            while first != TOTAL && steps <= parents.len() {
                ranks[0].push(first);
                first = parent_of(first);
                steps += 1;
            }
        }
        let mut widths = [0u32; AXES];
        for (axis, coordinates) in ranks.iter_mut().enumerate() {
            coordinates.retain(|coordinate| *coordinate != TOTAL);
            coordinates.sort_unstable();
            coordinates.dedup();
            // Room for every rank and for the total (all ones) above them.
            widths[axis] = u32::BITS
                - u32::try_from(coordinates.len())
                    .unwrap_or(u32::MAX)
                    .leading_zeros();
        }
        if widths.iter().sum::<u32>() > u128::BITS {
            // Never met: it would take millions of members on every axis. Show nothing
            // rather than something unprotected.
            return Self {
                withheld: true,
                ..Self::default()
            };
        }
        let mut fields = [Field::default(); AXES];
        let mut shift = 0;
        for axis in (0..AXES).rev() {
            fields[axis] = Field {
                shift,
                total: (1u128 << widths[axis]) - 1,
            };
            shift += widths[axis];
        }
        let rank = |axis: usize, coordinate: u32| -> u128 {
            if coordinate == TOTAL {
                return fields[axis].total;
            }
            ranks[axis]
                .binary_search(&coordinate)
                .map_or(fields[axis].total, |rank| rank as u128)
        };
        // The first axis's parents, by rank.
        let parent_rank: Vec<u128> = ranks[0]
            .iter()
            .map(|coordinate| rank(0, parent_of(*coordinate)))
            .collect();
        let up = |first: u128| -> u128 {
            if first == fields[0].total {
                first
            } else {
                parent_rank[first as usize]
            }
        };

        // The leaves, then every total: along each axis in turn, each cell so far added into
        // its total on that axis; then each first-axis member up into its parent, and that
        // into its own, to the total. Each step works on sorted cells, so the grid comes out
        // in key order: the same grid is protected the same way, whoever asks.
        let mut cells = added_up(
            leaves
                .iter()
                .map(|(key, count)| {
                    let packed =
                        key.iter()
                            .enumerate()
                            .fold(0u128, |packed, (axis, coordinate)| {
                                packed | (rank(axis, *coordinate) << fields[axis].shift)
                            });
                    (packed, *count)
                })
                .collect(),
        );
        for field in fields.iter().take(axes).skip(1) {
            let totals = added_up(
                cells
                    .iter()
                    .filter(|(key, _)| field.get(*key) != field.total)
                    .map(|(key, count)| (key | field.mask(), *count))
                    .collect(),
            );
            cells = merged(&cells, &totals);
        }
        let first = fields[0];
        let mut rising = cells.clone();
        while !rising.is_empty() {
            rising = added_up(
                rising
                    .iter()
                    .filter(|(key, _)| first.get(*key) != first.total)
                    .map(|(key, count)| (first.set(*key, up(first.get(*key))), *count))
                    .collect(),
            );
            cells = merged(&cells, &rising);
        }
        let (keys, counts): (Vec<u128>, Vec<u64>) = cells.into_iter().unzip();
        let mut grid = Self {
            ranks,
            fields,
            keys,
            counts,
            suppressed: Vec::new(),
            withheld: false,
        };
        let forced: Vec<usize> = forced
            .iter()
            .filter_map(|key| grid.pack(key))
            .filter_map(|packed| grid.keys.binary_search(&packed).ok())
            .collect();
        grid.suppressed = protect_cells(
            &grid.keys,
            &grid.counts,
            axes,
            threshold,
            &grid.fields,
            (up, &forced),
        );
        grid
    }

    /// The keys of the suppressed cells `which` picks, in order.
    fn hidden_where(&self, which: impl Fn(&Key) -> bool) -> Vec<Key> {
        let mut hidden: Vec<Key> = self
            .keys
            .iter()
            .zip(&self.suppressed)
            .filter(|(_, hidden)| **hidden)
            .map(|(packed, _)| self.unpack(*packed))
            .filter(|key| which(key))
            .collect();
        hidden.sort_unstable();
        hidden
    }

    fn pack(&self, key: &Key) -> Option<u128> {
        let mut packed = 0;
        for (axis, coordinate) in key.iter().enumerate() {
            let field = self.fields[axis];
            let rank = if *coordinate == TOTAL {
                field.total
            } else {
                self.ranks[axis].binary_search(coordinate).ok()? as u128
            };
            packed |= rank << field.shift;
        }
        Some(packed)
    }

    fn unpack(&self, packed: u128) -> Key {
        let mut key = [0; AXES];
        for (axis, coordinate) in key.iter_mut().enumerate() {
            let field = self.fields[axis];
            let rank = field.get(packed);
            *coordinate = if rank == field.total {
                TOTAL
            } else {
                self.ranks[axis][rank as usize]
            };
        }
        key
    }

    /// The count at `key`: `Some(Shown::Suppressed)` when it may not be shown, and a count of
    /// zero where the grid has nothing.
    pub fn shown(&self, key: &Key) -> Shown {
        if self.withheld {
            return Shown::Suppressed;
        }
        let Some(at) = self
            .pack(key)
            .and_then(|packed| self.keys.binary_search(&packed).ok())
        else {
            return Shown::Count(0);
        };
        if self.suppressed[at] {
            Shown::Suppressed
        } else {
            Shown::Count(self.counts[at])
        }
    }

    /// Every cell: its key, count and whether it is suppressed. For tests that try to recover
    /// a suppressed count, and for nothing a reader sees.
    pub fn cells(&self) -> impl Iterator<Item = (Key, u64, bool)> {
        self.keys
            .iter()
            .zip(&self.counts)
            .zip(&self.suppressed)
            .map(|((key, count), hidden)| (self.unpack(*key), *count, *hidden))
    }
}

/// Two protected grids of the same facts, `first`'s leaves keyed by one pair of places on axes
/// 1 and 2 (court and force), `second`'s by another (CPS area and probation service), the other
/// axes the same in both. Their cells where axes 1 and 2 are both totals are the same cells, of
/// the same counts: each grid is protected, then protected again with every such cell hidden
/// in either hidden from the start, until both hide the same ones. Hiding only grows, so it
/// ends; usually after one more round.
pub fn protect_pair(
    first: &[(Key, u64)],
    second: &[(Key, u64)],
    axes: usize,
    threshold: Threshold,
    parents: &[u32],
) -> (Grid, Grid) {
    let shared = |key: &Key| key[1] == TOTAL && key[2] == TOTAL;
    let protect = |leaves: &[(Key, u64)], forced: &[Key]| {
        Grid::protect_forcing(leaves, axes, threshold, parents, forced)
    };
    let (mut one, mut other) = (protect(first, &[]), protect(second, &[]));
    loop {
        let (hidden_one, hidden_other) = (one.hidden_where(shared), other.hidden_where(shared));
        if hidden_one == hidden_other || one.withheld || other.withheld {
            return (one, other);
        }
        let mut forced = hidden_one.clone();
        forced.extend(hidden_other.iter().copied());
        forced.sort_unstable();
        forced.dedup();
        if hidden_one != forced {
            one = protect(first, &forced);
        }
        if hidden_other != forced {
            other = protect(second, &forced);
        }
    }
}

/// `cells` in key order, those with the same key added up.
fn added_up(mut cells: Vec<(u128, u64)>) -> Vec<(u128, u64)> {
    cells.sort_unstable_by_key(|(key, _)| *key);
    cells.dedup_by(|(key, count), (kept, total)| {
        let same = key == kept;
        if same {
            *total += *count;
        }
        same
    });
    cells
}

/// Two lists of cells in key order as one, counts at the same key added up.
fn merged(one: &[(u128, u64)], other: &[(u128, u64)]) -> Vec<(u128, u64)> {
    let mut cells = Vec::with_capacity(one.len() + other.len());
    let (mut i, mut j) = (0, 0);
    while i < one.len() && j < other.len() {
        match one[i].0.cmp(&other[j].0) {
            std::cmp::Ordering::Less => {
                cells.push(one[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                cells.push(other[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                cells.push((one[i].0, one[i].1 + other[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    cells.extend_from_slice(&one[i..]);
    cells.extend_from_slice(&other[j..]);
    cells
}

/// Which of the cells (`keys` in order, with their `counts`) are suppressed: primary, those
/// `forced` (by index), then secondary until every line holds. `up` gives a first-axis rank's
/// parent.
fn protect_cells(
    keys: &[u128],
    counts: &[u64],
    axes: usize,
    threshold: Threshold,
    fields: &[Field; AXES],
    (up, forced): (impl Fn(u128) -> u128, &[usize]),
) -> Vec<bool> {
    let size = keys.len();
    let index: FxHashMap<u128, usize> = keys.iter().enumerate().map(|(i, key)| (*key, i)).collect();
    // Line `axis * size + t` holds the total `t` and the cells that add up to it along
    // `axis`; each cell is a member of one line for each axis it is not a total on. Each
    // cell's lines are looked up once (`NONE` on an axis it is the total of).
    const NONE: usize = usize::MAX;
    let member_of: Vec<usize> = keys
        .iter()
        .flat_map(|key| {
            let index = &index;
            let up = &up;
            (0..axes).map(move |axis| {
                let field = fields[axis];
                let rank = field.get(*key);
                if rank == field.total {
                    return NONE;
                }
                let total = if axis == 0 {
                    field.set(*key, up(rank))
                } else {
                    *key | field.mask()
                };
                axis * size + index[&total]
            })
        })
        .collect();
    drop(index);
    let mut start = vec![0usize; axes * size + 1];
    for line in member_of.iter().filter(|line| **line != NONE) {
        start[line + 1] += 1;
    }
    for line in 0..axes * size {
        start[line + 1] += start[line];
    }
    let mut filled = start.clone();
    let mut members = vec![0usize; start[axes * size]];
    for (i, lines) in member_of.chunks(axes).enumerate() {
        for line in lines.iter().filter(|line| **line != NONE) {
            members[filled[*line]] = i;
            filled[*line] += 1;
        }
    }
    // Within a line, the smallest counts first: the next to hide is the first open one.
    for line in 0..axes * size {
        members[start[line]..start[line + 1]].sort_unstable_by_key(|m| (counts[*m], *m));
    }
    // How many cells each line hides; a line that comes to hide one is looked at again.
    let mut suppressed = vec![false; size];
    let mut hidden = vec![0u32; axes * size];
    let mut work: Vec<usize> = Vec::new();
    let hide =
        |i: usize, suppressed: &mut Vec<bool>, hidden: &mut Vec<u32>, work: &mut Vec<usize>| {
            suppressed[i] = true;
            for axis in 0..axes {
                // The line it is the total of (if it has members), and the one it is a member of
                // (if it is not the total): a nested member is both.
                let own = axis * size + i;
                let member = Some(member_of[i * axes + axis]).filter(|line| *line != NONE);
                for line in std::iter::once(own).chain(member) {
                    hidden[line] += 1;
                    if hidden[line] == 1 {
                        work.push(line);
                    }
                }
            }
        };
    for (i, count) in counts.iter().enumerate() {
        if threshold.suppresses(*count) {
            hide(i, &mut suppressed, &mut hidden, &mut work);
        }
    }
    for &i in forced {
        if !suppressed[i] {
            hide(i, &mut suppressed, &mut hidden, &mut work);
        }
    }
    while let Some(line) = work.pop() {
        // A line with no members adds nothing up; one that now hides two or more needs
        // nothing more.
        if hidden[line] != 1 || start[line] == start[line + 1] {
            continue;
        }
        let own = &members[start[line]..start[line + 1]];
        let total = line % size;
        // Hide the smallest count that is not zero (a zero hides nothing), else any other,
        // else the total itself.
        let next = own
            .iter()
            .find(|m| !suppressed[**m] && counts[**m] > 0)
            .or_else(|| own.iter().find(|m| !suppressed[**m]))
            .copied()
            .unwrap_or(total);
        if !suppressed[next] {
            hide(next, &mut suppressed, &mut hidden, &mut work);
        }
    }
    suppressed
}

/// A count as a report may show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    /// Too few to show, or one that would give away a count too few to show.
    Suppressed,
}

impl Shown {
    pub fn count(self) -> Option<u64> {
        match self {
            Self::Count(count) => Some(count),
            Self::Suppressed => None,
        }
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Count(count) => write!(f, "{count}"),
            Self::Suppressed => f.write_str("[c]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use proptest::prelude::*;

    /// The attack: take every line whose suppressed counts are one, and work it out from what
    /// is shown; repeat with what was worked out, until nothing more comes.
    fn recover(grid: &Grid, axes: usize) -> HashMap<Key, u64> {
        recover_nested(grid, axes, &[])
    }

    /// The same attack where the first axis's members nest (`Grid::protect_nested`): a line is
    /// a member and the members that add up into it.
    fn recover_nested(grid: &Grid, axes: usize, parents: &[u32]) -> HashMap<Key, u64> {
        let parent = |axis: usize, coordinate: u32| {
            if axis == 0 && coordinate != TOTAL {
                parents.get(coordinate as usize).copied().unwrap_or(TOTAL)
            } else {
                TOTAL
            }
        };
        let mut known: HashMap<Key, u64> = grid
            .cells()
            .filter(|(_, _, hidden)| !hidden)
            .map(|(key, count, _)| (key, count))
            .collect();
        let all: Vec<Key> = grid.cells().map(|(key, _, _)| key).collect();
        loop {
            let mut learned = false;
            for key in &all {
                for axis in 0..axes {
                    let members: Vec<&Key> = all
                        .iter()
                        .filter(|m| {
                            m[axis] != TOTAL
                                && parent(axis, m[axis]) == key[axis]
                                && (0..AXES).all(|a| a == axis || m[a] == key[a])
                        })
                        .collect();
                    if members.is_empty() {
                        continue;
                    }
                    let unknown: Vec<&&Key> = members
                        .iter()
                        .filter(|m| !known.contains_key(**m))
                        .collect();
                    match (known.get(key), unknown.as_slice()) {
                        (Some(total), [one]) => {
                            let rest: u64 = members.iter().filter_map(|m| known.get(*m)).sum();
                            known.insert(***one, total - rest);
                            learned = true;
                        }
                        (None, []) => {
                            let sum = members.iter().filter_map(|m| known.get(*m)).sum();
                            known.insert(*key, sum);
                            learned = true;
                        }
                        _ => {}
                    }
                }
            }
            if !learned {
                return known;
            }
        }
    }

    fn leaves() -> impl Strategy<Value = Vec<(Key, u64)>> {
        prop::collection::vec(((0u32..3, 0u32..4, 0u32..3, 0u32..3), 0u64..40), 1..40).prop_map(
            |cells| {
                let mut leaves: HashMap<Key, u64> = HashMap::new();
                for ((a, b, c, d), count) in cells {
                    *leaves.entry([a, b, c, d, 0, 0]).or_default() += count;
                }
                leaves.into_iter().collect()
            },
        )
    }

    #[test]
    fn a_count_under_the_threshold_is_not_shown() {
        let grid = Grid::protect(
            &[
                ([0, 0, 0, 0, 0, 0], 3),
                ([0, 1, 0, 0, 0, 0], 40),
                ([0, 2, 0, 0, 0, 0], 50),
            ],
            2,
            Threshold::DEFAULT,
        );
        assert_eq!(grid.shown(&[0, 0, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[0, TOTAL, 0, 0, 0, 0]), Shown::Count(93));
        // The total would give away the 3, less the 40 and the 50: the 40 goes too.
        assert_eq!(grid.shown(&[0, 1, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[0, 2, 0, 0, 0, 0]), Shown::Count(50));
        assert_eq!(grid.shown(&[0, 0, 0, 0, 0, 0]).to_string(), "[c]");
    }

    #[test]
    fn a_small_total_is_not_shown_either() {
        let grid = Grid::protect(
            &[([0, 0, 0, 0, 0, 0], 4), ([0, 1, 0, 0, 0, 0], 4)],
            2,
            Threshold::DEFAULT,
        );
        assert_eq!(grid.shown(&[0, TOTAL, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[TOTAL, TOTAL, 0, 0, 0, 0]), Shown::Suppressed);
    }

    #[test]
    fn the_threshold_is_at_least_two() {
        assert_eq!(Threshold::new(1), None);
        assert_eq!(Threshold::new(5).map(Threshold::get), Some(5));
    }

    /// Days 0 to 5 of a first axis: 0–2 add up into member 6 and 3–5 into member 7 (two
    /// weeks, say, and the months they fall in), and those into the total.
    const NESTED: [u32; 8] = [6, 6, 6, 7, 7, 7, TOTAL, TOTAL];

    fn nested_leaves() -> impl Strategy<Value = Vec<(Key, u64)>> {
        prop::collection::vec(((0u32..6, 0u32..3, 0u32..3), 0u64..30), 1..40).prop_map(|cells| {
            let mut leaves: HashMap<Key, u64> = HashMap::new();
            for ((a, b, c), count) in cells {
                *leaves.entry([a, b, c, 0, 0, 0]).or_default() += count;
            }
            leaves.into_iter().collect()
        })
    }

    #[test]
    fn a_nested_member_is_its_members_added_up() {
        let grid = Grid::protect_nested(
            &[
                ([0, 0, 0, 0, 0, 0], 12),
                ([1, 0, 0, 0, 0, 0], 3),
                ([4, 0, 0, 0, 0, 0], 20),
            ],
            2,
            Threshold::DEFAULT,
            &NESTED,
        );
        assert_eq!(grid.shown(&[7, 0, 0, 0, 0, 0]), Shown::Count(20));
        assert_eq!(grid.shown(&[TOTAL, 0, 0, 0, 0, 0]), Shown::Count(35));
        // The 3 is hidden, and so the 12 beside it: member 6 (15) less the 12 would give it.
        assert_eq!(grid.shown(&[1, 0, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[0, 0, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[6, 0, 0, 0, 0, 0]), Shown::Count(15));
    }

    proptest! {
        /// Where the first axis nests, no suppressed count can be worked out either: not a
        /// day's from its week and the other days, not a week's from its month.
        #[test]
        fn no_suppressed_count_can_be_recovered_where_members_nest(
            leaves in nested_leaves(),
            threshold in 2u64..12,
        ) {
            let threshold = Threshold::new(threshold).expect("at least two");
            let grid = Grid::protect_nested(&leaves, 3, threshold, &NESTED);
            let known = recover_nested(&grid, 3, &NESTED);
            for (key, count, hidden) in grid.cells() {
                if hidden {
                    prop_assert!(
                        !known.contains_key(&key),
                        "{key:?} ({count}) was recovered"
                    );
                } else {
                    prop_assert!(!threshold.suppresses(count));
                }
            }
        }

        /// Counted again by another pair of places, in a grid of its own, the same facts give
        /// nothing away: the two grids hide the same cells of every place, and no suppressed
        /// count of either can be worked out from what both show.
        #[test]
        fn no_suppressed_count_can_be_recovered_from_two_linked_grids(
            facts in prop::collection::vec(
                ((0u32..3, 0u32..3, 0u32..2, 0u32..3, 0u32..2, 0u32..3), 0u64..30),
                1..40,
            ),
            threshold in 2u64..12,
        ) {
            let threshold = Threshold::new(threshold).expect("at least two");
            let mut first: HashMap<Key, u64> = HashMap::new();
            let mut second: HashMap<Key, u64> = HashMap::new();
            for ((when, court, force, prosecutor, probation, value), count) in facts {
                *first.entry([when, court, force, value, 0, 0]).or_default() += count;
                *second.entry([when, prosecutor, probation, value, 0, 0]).or_default() += count;
            }
            let first: Vec<(Key, u64)> = first.into_iter().collect();
            let second: Vec<(Key, u64)> = second.into_iter().collect();
            let (one, other) = protect_pair(&first, &second, 4, threshold, &[]);
            let shared = |key: &Key| key[1] == TOTAL && key[2] == TOTAL;
            prop_assert_eq!(one.hidden_where(shared), other.hidden_where(shared));
            // The attack on each grid, with what the other shows of their shared cells known.
            let mut known_one = recover(&one, 4);
            let mut known_other = recover(&other, 4);
            for (key, count) in known_one.iter().filter(|(key, _)| shared(key)) {
                prop_assert!(
                    known_other.get(key).is_none_or(|other| other == count),
                    "the grids disagree at {key:?}"
                );
            }
            known_one.extend(known_other.iter().filter(|(key, _)| shared(key)));
            known_other.extend(known_one.iter().filter(|(key, _)| shared(key)));
            for (grid, known) in [(&one, &known_one), (&other, &known_other)] {
                for (key, count, hidden) in grid.cells() {
                    if hidden {
                        prop_assert!(!known.contains_key(&key), "{key:?} ({count}) recovered");
                    } else {
                        prop_assert!(!threshold.suppresses(count));
                    }
                }
            }
        }

        /// However the counts fall, no suppressed count can be worked out from the totals and
        /// the counts shown, by any chain of subtractions.
        #[test]
        fn no_suppressed_count_can_be_recovered(leaves in leaves(), threshold in 2u64..12) {
            let threshold = Threshold::new(threshold).expect("at least two");
            let grid = Grid::protect(&leaves, 4, threshold);
            let known = recover(&grid, 4);
            for (key, count, hidden) in grid.cells() {
                if hidden {
                    prop_assert!(
                        !known.contains_key(&key),
                        "{key:?} ({count}) was recovered"
                    );
                }
                if !hidden {
                    prop_assert!(!threshold.suppresses(count));
                }
            }
        }
    }
}
