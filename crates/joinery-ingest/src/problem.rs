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
        }
    }
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
