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

use std::collections::HashMap;

/// The number of axes a grid may have: period, court, force, value, detail.
pub const AXES: usize = 5;

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
    cells: HashMap<Key, (u64, bool)>,
}

impl Grid {
    /// Builds the grid of `leaves` (counts at one member of each of the first `axes` axes; the
    /// others are 0) with every total, and protects it under `threshold`.
    pub fn protect(leaves: &[(Key, u64)], axes: usize, threshold: Threshold) -> Self {
        let axes = axes.min(AXES);
        let mut counts: HashMap<Key, u64> = HashMap::new();
        for (key, count) in leaves {
            for mask in 0..(1u32 << axes) {
                let mut cell = *key;
                for (axis, coordinate) in cell.iter_mut().enumerate().take(axes) {
                    if mask & (1 << axis) != 0 {
                        *coordinate = TOTAL;
                    }
                }
                *counts.entry(cell).or_default() += count;
            }
        }
        let keys: Vec<Key> = counts.keys().copied().collect();
        let index: HashMap<Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let count: Vec<u64> = keys.iter().map(|key| counts[key]).collect();
        let mut suppressed: Vec<bool> = count.iter().map(|c| threshold.suppresses(*c)).collect();
        // Each line: its total, then the cells that add up to it.
        let mut lines: HashMap<(usize, Key), Vec<usize>> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            for axis in 0..axes {
                if key[axis] != TOTAL {
                    let mut total = *key;
                    total[axis] = TOTAL;
                    lines.entry((axis, total)).or_default().push(i);
                }
            }
        }
        let mut lines: Vec<(usize, Vec<usize>)> = lines
            .into_iter()
            .map(|((_, total), members)| (index[&total], members))
            .collect();
        // The order lines are worked in is fixed, so the same grid is protected the same way.
        lines.sort_unstable_by_key(|(total, _)| keys[*total]);
        for (_, members) in &mut lines {
            members.sort_unstable_by_key(|member| (count[*member], keys[*member]));
        }
        let mut changed = true;
        while changed {
            changed = false;
            for (total, members) in &lines {
                let hidden = usize::from(suppressed[*total])
                    + members.iter().filter(|m| suppressed[**m]).count();
                if hidden != 1 {
                    continue;
                }
                // Hide the smallest count that is not zero (a zero hides nothing), else any
                // other, else the total itself.
                let open = |m: &&usize| !suppressed[**m];
                let next = members
                    .iter()
                    .filter(open)
                    .find(|m| count[**m] > 0)
                    .or_else(|| members.iter().find(open))
                    .copied()
                    .unwrap_or(*total);
                if !suppressed[next] {
                    suppressed[next] = true;
                    changed = true;
                }
            }
        }
        Self {
            cells: keys
                .iter()
                .zip(count.iter().zip(suppressed))
                .map(|(key, (count, hidden))| (*key, (*count, hidden)))
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
    use super::*;
    use proptest::prelude::*;

    /// The attack: take every line whose suppressed counts are one, and work it out from what
    /// is shown; repeat with what was worked out, until nothing more comes.
    fn recover(grid: &Grid, axes: usize) -> HashMap<Key, u64> {
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
                    if key[axis] != TOTAL {
                        continue;
                    }
                    let members: Vec<&Key> = all
                        .iter()
                        .filter(|m| {
                            m[axis] != TOTAL && (0..AXES).all(|a| a == axis || m[a] == key[a])
                        })
                        .collect();
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
        prop::collection::vec(((0u32..3, 0u32..4, 0u32..3), 0u64..40), 1..30).prop_map(|cells| {
            let mut leaves: HashMap<Key, u64> = HashMap::new();
            for ((a, b, c), count) in cells {
                *leaves.entry([a, b, c, 0, 0]).or_default() += count;
            }
            leaves.into_iter().collect()
        })
    }

    #[test]
    fn a_count_under_the_threshold_is_not_shown() {
        let grid = Grid::protect(
            &[
                ([0, 0, 0, 0, 0], 3),
                ([0, 1, 0, 0, 0], 40),
                ([0, 2, 0, 0, 0], 50),
            ],
            2,
            Threshold::DEFAULT,
        );
        assert_eq!(grid.shown(&[0, 0, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[0, TOTAL, 0, 0, 0]), Shown::Count(93));
        // The total would give away the 3, less the 40 and the 50: the 40 goes too.
        assert_eq!(grid.shown(&[0, 1, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[0, 2, 0, 0, 0]), Shown::Count(50));
        assert_eq!(grid.shown(&[0, 0, 0, 0, 0]).to_string(), "[c]");
    }

    #[test]
    fn a_small_total_is_not_shown_either() {
        let grid = Grid::protect(
            &[([0, 0, 0, 0, 0], 4), ([0, 1, 0, 0, 0], 4)],
            2,
            Threshold::DEFAULT,
        );
        assert_eq!(grid.shown(&[0, TOTAL, 0, 0, 0]), Shown::Suppressed);
        assert_eq!(grid.shown(&[TOTAL, TOTAL, 0, 0, 0]), Shown::Suppressed);
    }

    #[test]
    fn the_threshold_is_at_least_two() {
        assert_eq!(Threshold::new(1), None);
        assert_eq!(Threshold::new(5).map(Threshold::get), Some(5));
    }

    proptest! {
        /// However the counts fall, no suppressed count can be worked out from the totals and
        /// the counts shown, by any chain of subtractions.
        #[test]
        fn no_suppressed_count_can_be_recovered(leaves in leaves(), threshold in 2u64..12) {
            let threshold = Threshold::new(threshold).expect("at least two");
            let grid = Grid::protect(&leaves, 3, threshold);
            let known = recover(&grid, 3);
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
