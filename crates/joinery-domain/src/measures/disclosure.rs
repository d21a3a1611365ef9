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

use rustc_hash::FxHashMap;

/// The number of axes a grid may have: period, court, force, offence type, value, detail.
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
#[derive(Debug, Clone, Default)]
pub struct Grid {
    cells: FxHashMap<Key, (u64, bool)>,
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
        let axes = axes.min(AXES);
        let parent = |axis: usize, coordinate: u32| -> u32 {
            if axis == 0 && coordinate != TOTAL {
                parents.get(coordinate as usize).copied().unwrap_or(TOTAL)
            } else {
                TOTAL
            }
        };
        let mut counts: FxHashMap<Key, u64> = FxHashMap::default();
        counts.reserve(leaves.len() << axes);
        for (key, count) in leaves {
            // The first axis's member and each it adds up into, to the total.
            let mut firsts = vec![key[0]];
            while let Some(&last) = firsts.last() {
                if last == TOTAL || firsts.len() > parents.len() + 1 {
                    break;
                }
                firsts.push(parent(0, last));
            }
            for first in firsts {
                for mask in 0..(1u32 << axes) {
                    if mask & 1 != 0 {
                        continue;
                    }
                    let mut cell = *key;
                    cell[0] = first;
                    for (axis, coordinate) in cell.iter_mut().enumerate().take(axes) {
                        if mask & (1 << axis) != 0 {
                            *coordinate = TOTAL;
                        }
                    }
                    *counts.entry(cell).or_default() += count;
                }
            }
        }
        // The cells in key order: the same grid is protected the same way, whoever asks.
        let mut cells: Vec<(Key, u64)> = counts.into_iter().collect();
        cells.sort_unstable_by_key(|(key, _)| *key);
        let index: FxHashMap<Key, usize> = cells
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (*key, i))
            .collect();
        let size = cells.len();
        // Line `axis * size + t` holds the total `t` and the cells that add up to it along
        // `axis`; each cell is a member of one line for each axis it is not a total on. Each
        // cell's lines are looked up once (`NONE` on an axis it is the total of).
        const NONE: usize = usize::MAX;
        let member_of: Vec<usize> = cells
            .iter()
            .flat_map(|(key, _)| {
                let index = &index;
                (0..axes).map(move |axis| {
                    if key[axis] == TOTAL {
                        return NONE;
                    }
                    let mut total = *key;
                    total[axis] = parent(axis, key[axis]);
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
            members[start[line]..start[line + 1]].sort_unstable_by_key(|m| (cells[*m].1, *m));
        }
        // How many cells each line hides; a line that comes to hide one is looked at again.
        let mut suppressed = vec![false; size];
        let mut hidden = vec![0u32; axes * size];
        let mut work: Vec<usize> = Vec::new();
        let hide =
            |i: usize, suppressed: &mut Vec<bool>, hidden: &mut Vec<u32>, work: &mut Vec<usize>| {
                suppressed[i] = true;
                for axis in 0..axes {
                    // The line it is the total of (if it has members), and the one it is a
                    // member of (if it is not the total): a nested member is both.
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
        for (i, (_, count)) in cells.iter().enumerate() {
            if threshold.suppresses(*count) {
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
            // Hide the smallest count that is not zero (a zero hides nothing), else any
            // other, else the total itself.
            let next = own
                .iter()
                .find(|m| !suppressed[**m] && cells[**m].1 > 0)
                .or_else(|| own.iter().find(|m| !suppressed[**m]))
                .copied()
                .unwrap_or(total);
            if !suppressed[next] {
                hide(next, &mut suppressed, &mut hidden, &mut work);
            }
        }
        Self {
            cells: cells
                .into_iter()
                .zip(suppressed)
                .map(|((key, count), hidden)| (key, (count, hidden)))
                .collect(),
        }
    }

    /// The count at `key`: `Some(Shown::Suppressed)` when it may not be shown, and a count of
    /// zero where the grid has nothing.
    pub fn shown(&self, key: &Key) -> Shown {
        match self.cells.get(key) {
            Some((_, true)) => Shown::Suppressed,
            Some((count, false)) => Shown::Count(*count),
            None => Shown::Count(0),
        }
    }

    /// Every cell: its key, count and whether it is suppressed. For tests that try to recover
    /// a suppressed count, and for nothing a reader sees.
    pub fn cells(&self) -> impl Iterator<Item = (&Key, u64, bool)> {
        self.cells
            .iter()
            .map(|(key, (count, hidden))| (key, *count, *hidden))
    }
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
            .map(|(key, count, _)| (*key, count))
            .collect();
        let all: Vec<Key> = grid.cells().map(|(key, _, _)| *key).collect();
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
                        !known.contains_key(key),
                        "{key:?} ({count}) was recovered"
                    );
                } else {
                    prop_assert!(!threshold.suppresses(count));
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
                        !known.contains_key(key),
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
