//! Splits a document into the text of its messages: one JSON object, a JSON array of them, or
//! (for files) JSON lines. Each message's text is kept exactly as sent.

use serde_json::value::RawValue;

/// A document that holds no messages we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body must be a message object or an array of them")]
    NotMessages,
    #[error("line {line} is not JSON: {problem}")]
    BadLine { line: usize, problem: String },
}

/// The messages in `text`. `allow_lines` accepts JSON lines (one message per line), as files
/// exported by legacy systems often are.
pub fn split_document(text: &str, allow_lines: bool) -> Result<Vec<&RawValue>, DocumentError> {
    match serde_json::from_str::<&RawValue>(text) {
        Ok(whole) => match whole.get().trim_start().as_bytes().first() {
            Some(b'{') => Ok(vec![whole]),
            Some(b'[') => serde_json::from_str::<Vec<&RawValue>>(whole.get())
                .map_err(|error| DocumentError::NotJson(without_position(&error))),
            _ => Err(DocumentError::NotMessages),
        },
        Err(_) if allow_lines && text.trim().contains('\n') => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                serde_json::from_str::<&RawValue>(line).map_err(|error| DocumentError::BadLine {
                    line: index + 1,
                    problem: without_position(&error),
                })
            })
            .collect(),
        Err(error) => Err(DocumentError::NotJson(error.to_string())),
    }
}

/// serde_json's message without its " at line L column C" tail, for when the position is given
/// another way.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_arrays_and_lines() {
        let count = |text, lines| split_document(text, lines).map(|messages| messages.len());
        assert_eq!(count(r#"{"a":1}"#, false), Ok(1));
        assert_eq!(count(r#"[{"a":1}, {"b":2}]"#, false), Ok(2));
        assert_eq!(count("{\"a\":1}\n{\"b\":2}\n", true), Ok(2));
        assert!(matches!(
            split_document("{\"a\":1}\n{\"b\":2}\n", false),
            Err(DocumentError::NotJson(_))
        ));
        assert_eq!(
            split_document("42", false).err(),
            Some(DocumentError::NotMessages)
        );
        assert!(matches!(
            split_document("{\"a\":1}\n{oops\n", true),
            Err(DocumentError::BadLine { line: 2, .. })
        ));
    }
}
