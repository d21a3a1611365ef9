//! Tables written as CSV text for a person to download and open: a heading, then a line a row.
//!
//! A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula, so free text a
//! person typed (a break-glass reason, a review's note) could run as one on a governance
//! officer's machine (CSV injection). Such a cell is written with a leading `'`, which the
//! spreadsheet shows as text; numbers, negative ones included, are written as they are.

use crate::AppError;

/// `heading`, then each of `rows`, as CSV text.
pub(crate) fn csv_text<R, C, F>(heading: &[&str], rows: R) -> Result<String, AppError>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let failed = |error: &dyn std::fmt::Display| {
        AppError::Internal(format!("a CSV failed to write: {error}"))
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(heading).map_err(|e| failed(&e))?;
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|cell| inert(cell.as_ref())).collect();
        writer.write_record(&cells).map_err(|e| failed(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal("a CSV is not UTF-8".to_owned()))
}

/// The cell as a spreadsheet will show it, never run it.
fn inert(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_that_a_spreadsheet_would_run_is_written_as_text() {
        let csv = csv_text(
            &["reason", "count"],
            [
                ["=HYPERLINK(\"http://evil.example\",\"open\")", "-3"],
                ["@SUM(A1:A2)", "12"],
                ["+1 on the ward, -2 off", "[c]"],
                ["Checking a remand, urgent", "0"],
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "reason,count",
                "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",-3",
                "'@SUM(A1:A2),12",
                "\"'+1 on the ward, -2 off\",[c]",
                "\"Checking a remand, urgent\",0",
            ]
        );
    }
}
