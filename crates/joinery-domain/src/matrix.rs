//! Who may see what, as governance signs it off: roles across, categories down, each cell the
//! conditions under which a role sees a category. The table is computed from the policies by the
//! policy crate (never written by hand); this is only its shape and its printed form.

use std::fmt::Write as _;

use crate::{Category, Role};

/// What one role may see of one category, as conditions; `None` where never.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell {
    pub full: Option<String>,
    pub summary: Option<String>,
}

impl std::fmt::Display for MatrixCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.full, &self.summary) {
            (Some(full), _) => f.write_str(full),
            (None, Some(summary)) => write!(f, "summary: {summary}"),
            (None, None) => f.write_str("no"),
        }
    }
}

/// Roles across, categories down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub roles: Vec<Role>,
    pub rows: Vec<(Category, Vec<MatrixCell>)>,
}

impl Matrix {
    pub fn cell(&self, role: Role, category: Category) -> Option<&MatrixCell> {
        let column = self.roles.iter().position(|r| *r == role)?;
        let (_, cells) = self.rows.iter().find(|(c, _)| *c == category)?;
        cells.get(column)
    }

    /// A Markdown table, with the meaning of each condition under it.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| category |");
        for role in &self.roles {
            let _ = write!(out, " {} |", role.as_str());
        }
        out.push_str("\n| --- |");
        out.push_str(&" --- |".repeat(self.roles.len()));
        out.push('\n');
        for (category, cells) in &self.rows {
            let _ = write!(out, "| {} |", category.as_str());
            for cell in cells {
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        out.push_str(
            "\nteam: the reader's agency works on the case. own: the reader's agency sent the \
             item. addressed to them: the item gives the reader's agency work. ordered by the \
             court: the item is part of a court order. after conviction: the defendant is \
             convicted on the case. with consent: the person's consent to share the category is \
             in force. listed: the case is or was listed before this judge. author: the judge \
             wrote the comment. summary: the item without its detail.\n",
        );
        out
    }
}
