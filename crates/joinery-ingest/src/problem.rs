//! What is wrong with a message, said so that the sender can fix it: the field, as a dotted path
//! and as a JSON pointer, and the problem in plain words.

pub use joinery_domain::submission::RejectionKind;
use serde::Serialize;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field, as a dotted path (`payload.offences[0].code`); empty for the whole message.
    pub field: String,
    /// The same field as an RFC 6901 JSON pointer (`/payload/offences/0/code`).
    pub pointer: String,
    pub problem: String,
    /// The problem as it may be kept: with nothing the sender wrote (see [`Self::kept`]).
    #[serde(skip)]
    kept: Option<Box<KeptProblem>>,
}

/// A problem as it is kept for the sender's administrator and the audit trail: why, never what
/// the message said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptProblem {
    pub field: String,
    pub pointer: String,
    pub problem: String,
}

impl FieldProblem {
    pub fn new(segments: &[Segment], problem: impl Into<String>) -> Self {
        let mut field = String::new();
        let mut pointer = String::new();
        for segment in segments {
            match segment {
                Segment::Key(key) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(key);
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                }
                Segment::Index(index) => {
                    field.push_str(&format!("[{index}]"));
                    pointer.push_str(&format!("/{index}"));
                }
            }
        }
        Self {
            field,
            pointer,
            problem: problem.into(),
            kept: None,
        }
    }

    /// The same problem `row` rows into a CSV file: its field and pointer under the row's.
    pub(crate) fn in_row(self, row: usize) -> Self {
        let place = |field: &str, pointer: &str| {
            (format!("row {row}: {field}"), format!("/{row}{pointer}"))
        };
        let (field, pointer) = place(&self.field, &self.pointer);
        Self {
            field,
            pointer,
            problem: self.problem,
            kept: self.kept.map(|kept| {
                let (field, pointer) = place(&kept.field, &kept.pointer);
                Box::new(KeptProblem {
                    field,
                    pointer,
                    problem: kept.problem,
                })
            }),
        }
    }

    /// The problem as it may be kept: what the sender wrote, wherever it is quoted (in
    /// backticks or double quotes) or names a field, replaced by `…`. The answer to the sender
    /// quotes it; nothing stored does.
    pub fn kept(&self) -> KeptProblem {
        match &self.kept {
            Some(kept) => (**kept).clone(),
            None => KeptProblem {
                field: self.field.clone(),
                pointer: self.pointer.clone(),
                problem: self.problem.clone(),
            },
        }
    }

    /// Notes what of this problem may be kept, given the text the sender `sent`.
    fn without_what_was_sent(mut self, sent: &str) -> Self {
        if self.kept.is_some() {
            return self;
        }
        let (problem, quoted) = redact(&self.problem, sent);
        let hide = |path: &str, separators: &[char]| -> String {
            let mut out = String::with_capacity(path.len());
            for piece in path.split_inclusive(separators) {
                let (name, separator) = match piece.strip_suffix(separators) {
                    Some(name) => (name, &piece[name.len()..]),
                    None => (piece, ""),
                };
                let bare = name.split('[').next().unwrap_or(name);
                if !bare.is_empty() && quoted.iter().any(|q| q == bare) {
                    out.push('…');
                    out.push_str(&name[bare.len()..]);
                } else {
                    out.push_str(name);
                }
                out.push_str(separator);
            }
            out
        };
        self.kept = Some(Box::new(KeptProblem {
            field: hide(&self.field, &['.']),
            pointer: hide(&self.pointer, &['/']),
            problem,
        }));
        self
    }
}

/// `text` with every backticked or double-quoted piece that occurs in `sent` replaced by `…`,
/// and the pieces replaced.
fn redact(text: &str, sent: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut replaced = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            rest = after;
            continue;
        };
        let piece = &after[..close];
        if !piece.is_empty() && sent.contains(piece) {
            out.push('…');
            replaced.push(piece.to_owned());
        } else {
            out.push_str(piece);
        }
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    (out, replaced)
}

/// A step in the path to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A refused message and every problem found with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub kind: RejectionKind,
    pub problems: Vec<FieldProblem>,
}

impl Rejection {
    pub fn invalid(problem: FieldProblem) -> Self {
        Self {
            kind: RejectionKind::Invalid,
            problems: vec![problem],
        }
    }

    /// Notes, for each problem, what of it may be kept given the text the sender `sent`.
    pub fn without_what_was_sent(self, sent: &str) -> Self {
        Self {
            kind: self.kind,
            problems: self
                .problems
                .into_iter()
                .map(|problem| problem.without_what_was_sent(sent))
                .collect(),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for problem in &self.problems {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            if problem.field.is_empty() {
                write!(f, "{}", problem.problem)?;
            } else {
                write!(f, "{}: {}", problem.field, problem.problem)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_quotes_nothing_that_was_sent() {
        let sent = r#"{"payload":{"person":{"given_name":"Jordan","Kit Corlett":1},"status":"house_arrest"}}"#;
        let named = FieldProblem::new(
            &[
                Segment::Key("payload".into()),
                Segment::Key("status".into()),
            ],
            "unknown variant `house_arrest`, expected one of `police_bail`, `court_bail`",
        )
        .without_what_was_sent(sent);
        assert_eq!(
            named.kept().problem,
            "unknown variant `…`, expected one of `police_bail`, `court_bail`"
        );
        assert!(named.problem.contains("house_arrest"), "the sender is told");
        let unknown = FieldProblem::new(
            &[
                Segment::Key("payload".into()),
                Segment::Key("person".into()),
                Segment::Key("Kit Corlett".into()),
            ],
            "`Kit Corlett` is not a field of this message",
        )
        .without_what_was_sent(sent);
        let kept = unknown.kept();
        assert_eq!(kept.field, "payload.person.…");
        assert_eq!(kept.pointer, "/payload/person/…");
        assert_eq!(kept.problem, "`…` is not a field of this message");
        let serde = FieldProblem::new(&[], r#"invalid type: string "Jordan", expected u16"#)
            .without_what_was_sent(sent);
        assert_eq!(
            serde.kept().problem,
            r#"invalid type: string "…", expected u16"#
        );
        let in_row = serde.in_row(3);
        assert_eq!(in_row.kept().field, "row 3: ");
    }
}
