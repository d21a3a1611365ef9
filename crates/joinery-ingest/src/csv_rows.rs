//! CSV for legacy systems that can only export files: one canonical message a row.
//!
//! The layout: a header row naming each column by the path of its field in the canonical JSON
//! message, parts joined by `.` and array positions as numbers — `message_id`, `agency`,
//! `system`, `occurred_at`, `case.urn`, `case.asn`, `type`, then the payload's fields, e.g.
//! `payload.offences.0.code`. An empty cell is an absent field. A cell is read as a number or a
//! true/false where the canonical message has one at that place (the example of each type in
//! `examples/messages/` is the reference), and as text everywhere else, so `1015` stays a result
//! code. Every problem names its row (the header is row 1) and its column.

use serde_json::{Map, Value};

use crate::problem::{FieldProblem, Rejection, Segment};
use crate::{Submission, parse_message};

/// One row's outcome: its row number and its submission, or why it was refused.
pub type CsvRow = (usize, Result<Submission, Rejection>);

fn row_rejection(row: usize, column: &str, problem: impl Into<String>) -> Rejection {
    Rejection::invalid(FieldProblem::new(
        &[
            Segment::Key(format!("row {row}")),
            Segment::Key(column.to_owned()),
        ],
        problem,
    ))
}

/// Reads every row of `text`, sent by `sender`. `examples` gives, for a message type, its
/// canonical example (to tell which cells are numbers or true/false). Each refusal notes what
/// of it may be kept (nothing the file said).
pub fn parse_csv(
    sender: &joinery_domain::AgencyCode,
    text: &str,
    examples: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<CsvRow>, Rejection> {
    let kept = |rejection: Rejection| rejection.without_what_was_sent(text);
    Ok(rows(sender, text, examples)
        .map_err(kept)?
        .into_iter()
        .map(|(row, outcome)| (row, outcome.map_err(kept)))
        .collect())
}

fn rows(
    sender: &joinery_domain::AgencyCode,
    text: &str,
    examples: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<CsvRow>, Rejection> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| row_rejection(1, "", format!("the header row cannot be read: {e}")))?
        .clone();
    if !headers.iter().any(|h| h == "type") {
        return Err(row_rejection(
            1,
            "type",
            "the header row has no `type` column",
        ));
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                rows.push((
                    row,
                    Err(row_rejection(row, "", format!("cannot be read: {error}"))),
                ));
                continue;
            }
        };
        let kind = headers
            .iter()
            .zip(record.iter())
            .find(|(header, _)| *header == "type")
            .map(|(_, cell)| cell.trim().to_owned())
            .unwrap_or_default();
        let example = examples(&kind);
        let mut message = Value::Object(Map::new());
        let mut failed = None;
        for (header, cell) in headers.iter().zip(record.iter()) {
            if cell.trim().is_empty() {
                continue;
            }
            let path: Vec<&str> = header.split('.').collect();
            let value = typed(cell, example.as_ref(), &path);
            if let Err(problem) = place(&mut message, &path, value) {
                failed = Some(row_rejection(row, header, problem));
                break;
            }
        }
        let outcome = match failed {
            Some(rejection) => Err(rejection),
            None => parse_message(sender, &message.to_string()).map_err(|rejection| Rejection {
                kind: rejection.kind,
                problems: rejection
                    .problems
                    .into_iter()
                    .map(|problem| problem.in_row(row))
                    .collect(),
            }),
        };
        rows.push((row, outcome));
    }
    Ok(rows)
}

/// The cell as JSON: a number or a bool where the example has one at this place, else text.
fn typed(cell: &str, example: Option<&Value>, path: &[&str]) -> Value {
    let cell = cell.trim();
    let mut at = example;
    for part in path {
        at = at.and_then(|value| match value {
            Value::Array(items) => part
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get(index).or_else(|| items.first())),
            Value::Object(map) => map.get(*part),
            _ => None,
        });
    }
    match at {
        Some(Value::Number(_)) => cell
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| cell.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(cell.to_owned())),
        Some(Value::Bool(_)) => match cell.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Value::Bool(true),
            "false" | "no" | "n" => Value::Bool(false),
            _ => Value::String(cell.to_owned()),
        },
        Some(Value::Array(_)) => Value::Array(
            cell.split('|')
                .map(|part| Value::String(part.trim().to_owned()))
                .collect(),
        ),
        _ => Value::String(cell.to_owned()),
    }
}

/// Puts `value` at `path` in `root`, making objects and arrays on the way (a number part is an
/// array position; positions must come in order).
fn place(root: &mut Value, path: &[&str], value: Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("the column has no name".to_owned());
    };
    let mut at = root;
    for (depth, part) in parents.iter().enumerate() {
        let next_is_index = path[depth + 1].parse::<usize>().is_ok();
        let empty = if next_is_index {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        };
        at = step(at, part, empty)?;
    }
    match (at, last.parse::<usize>()) {
        (Value::Array(items), Ok(index)) if index == items.len() => {
            items.push(value);
            Ok(())
        }
        (Value::Array(_), _) => Err("array positions must run 0, 1, 2 ... in column order".into()),
        (Value::Object(map), _) => {
            map.insert((*last).to_owned(), value);
            Ok(())
        }
        _ => Err("the column's path runs through a value".into()),
    }
}

fn step<'v>(at: &'v mut Value, part: &str, empty: Value) -> Result<&'v mut Value, String> {
    match at {
        Value::Object(map) => Ok(map.entry(part.to_owned()).or_insert(empty)),
        Value::Array(items) => {
            let index: usize = part
                .parse()
                .map_err(|_| format!("`{part}` is not an array position"))?;
            if index == items.len() {
                items.push(empty);
            }
            items
                .get_mut(index)
                .ok_or_else(|| "array positions must run 0, 1, 2 ... in column order".to_owned())
        }
        _ => Err("the column's path runs through a value".into()),
    }
}

/// The documented layout: for each message type, its header row and an example row, from its
/// canonical example.
pub fn csv_layout(examples: &[(&str, Value)]) -> String {
    let mut out = String::from(
        "# CSV layout\n\nOne canonical message a row. A header row names each column by the path of \
         its field in the canonical JSON message (parts joined by `.`, array positions as numbers); \
         an empty cell is an absent field; a list of texts may be given in one cell, separated by \
         `|`. Rows of different types may share one file if its header holds every column used. \
         Load with `joinery ingest --format csv --agency CODE FILE`; every problem names its row \
         (the header is row 1) and its column.\n\nGenerated by `joinery csv-layout` from \
         `examples/messages/`.\n",
    );
    for (kind, example) in examples {
        let mut columns = Vec::new();
        flatten(example, "", &mut columns);
        let header: Vec<&str> = columns.iter().map(|(path, _)| path.as_str()).collect();
        let row: Vec<String> = columns.iter().map(|(_, value)| csv_cell(value)).collect();
        out.push_str(&format!(
            "\n## `{kind}`\n\n```csv\n{}\n{}\n```\n",
            header.join(","),
            row.join(",")
        ));
    }
    out
}

fn flatten(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    let join = |part: &str| {
        if path.is_empty() {
            part.to_owned()
        } else {
            format!("{path}.{part}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                flatten(child, &join(key), out);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            out.push((path.to_owned(), texts.join("|")));
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                flatten(child, &join(&index.to_string()), out);
            }
        }
        Value::String(text) => out.push((path.to_owned(), text.clone())),
        Value::Null => {}
        other => out.push((path.to_owned(), other.to_string())),
    }
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_take_the_type_the_example_has_at_their_place() {
        let example = serde_json::json!({"payload": {"offences": [{"sequence": 1, "code": "TH68001"}],
            "supervised_by_probation": false, "conditions": ["a"]}});
        assert_eq!(
            typed(
                "2",
                Some(&example),
                &["payload", "offences", "3", "sequence"]
            ),
            Value::from(2)
        );
        assert_eq!(
            typed(
                "1015",
                Some(&example),
                &["payload", "offences", "0", "code"]
            ),
            Value::from("1015")
        );
        assert_eq!(
            typed(
                "yes",
                Some(&example),
                &["payload", "supervised_by_probation"]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            typed("x | y", Some(&example), &["payload", "conditions"]),
            serde_json::json!(["x", "y"])
        );
        let mut root = Value::Object(Map::new());
        assert!(
            place(
                &mut root,
                &["payload", "offences", "0", "code"],
                Value::from("A")
            )
            .is_ok()
        );
        assert!(
            place(
                &mut root,
                &["payload", "offences", "2", "code"],
                Value::from("B")
            )
            .is_err()
        );
    }
}
