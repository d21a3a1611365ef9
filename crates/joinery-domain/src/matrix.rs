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

/// Roles across, categories down; and for each category, the roles that may break glass for
/// an item of it they are refused (working on the case, or listed for a judge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub roles: Vec<Role>,
    pub rows: Vec<(Category, Vec<MatrixCell>)>,
    pub break_glass: Vec<(Category, Vec<Role>)>,
}

impl Matrix {
    pub fn cell(&self, role: Role, category: Category) -> Option<&MatrixCell> {
        let column = self.roles.iter().position(|r| *r == role)?;
        let (_, cells) = self.rows.iter().find(|(c, _)| *c == category)?;
        cells.get(column)
    }

    /// The roles that may break glass for `category`, in words: "never" for none.
    pub fn glass_for(&self, category: Category) -> String {
        let roles = self
            .break_glass
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, roles)| roles.as_slice())
            .unwrap_or_default();
        if roles.is_empty() {
            return "never".to_owned();
        }
        roles
            .iter()
            .map(|role| role.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A Markdown table, with the meaning of each condition under it.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| category |");
        for role in &self.roles {
            let _ = write!(out, " {} |", role.as_str());
        }
        out.push_str(" break glass |\n| --- |");
        out.push_str(&" --- |".repeat(self.roles.len() + 1));
        out.push('\n');
        for (category, cells) in &self.rows {
            let _ = write!(out, "| {} |", category.as_str());
            for cell in cells {
                let _ = write!(out, " {cell} |");
            }
            let _ = writeln!(out, " {} |", self.glass_for(*category));
        }
        out.push_str(
            "\nteam: the reader's agency works on the case. own: the reader's agency sent the \
             item. addressed to them: the item gives the reader's agency work. ordered by the \
             court: the item is part of a court order. after conviction: the defendant is \
             convicted on the case. with consent: the person's consent to share the category is \
             in force. listed: the case is or was listed before this judge. author: the judge \
             wrote the comment. summary: the item without its detail. break glass: the roles \
             that may ask, with a reason, for an item of the category they are refused, on a \
             case they work on (a judge: listed before them).\n",
        );
        out
    }
}
