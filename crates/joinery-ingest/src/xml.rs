//! A small, bounded element tree for the XML formats agencies send: element local names
//! (namespace prefixes dropped: the formats use one vocabulary per message), their text, and
//! their children, in document order. Enough to pick fields by path and to list what a
//! translation did not use; no DTDs, no external entities.

use std::cell::Cell;

use quick_xml::Reader;
use quick_xml::events::Event;

/// How deep elements may nest, and how many a document may hold, of any kind (an empty `<a/>`
/// costs a tree node as much as any): bounds on untrusted input. A court's results for one case
/// run to hundreds of elements.
pub const MAX_DEPTH: usize = 64;
pub const MAX_ELEMENTS: usize = 20_000;

/// One element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
    /// Whether a reader has taken this element's text ([`Self::text_at`]): what a translation
    /// did not read is what it lists as unmodelled, element by element, never by name.
    read: Cell<bool>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The element at a `/`-separated path of child names below this one.
    pub fn at(&self, path: &str) -> Option<&Element> {
        path.split('/')
            .try_fold(self, |element, name| element.child(name))
    }

    /// The trimmed text at `path`, if the element is there and its text is not blank; the
    /// element is then marked read.
    pub fn text_at(&self, path: &str) -> Option<&str> {
        let element = self.at(path)?;
        element.read.set(true);
        Some(element.text.trim()).filter(|text| !text.is_empty())
    }

    /// Whether [`Self::text_at`] has taken this element's text.
    pub fn was_read(&self) -> bool {
        self.read.get()
    }

    /// Depth-first: every element below this one with its path from here.
    pub fn walk(&self, prefix: &str, visit: &mut dyn FnMut(&str, &Element)) {
        for child in &self.children {
            let path = if prefix.is_empty() {
                child.name.clone()
            } else {
                format!("{prefix}/{}", child.name)
            };
            visit(&path, child);
            child.walk(&path, visit);
        }
    }
}

/// Why a document is not usable XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the XML is not well formed at byte {position}: {problem}")]
pub struct XmlError {
    pub position: u64,
    pub problem: String,
}

fn too_many() -> String {
    format!("the document holds more than {MAX_ELEMENTS} elements")
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut elements = 0usize;
    let fail = |reader: &Reader<&[u8]>, problem: String| XmlError {
        position: reader.buffer_position(),
        problem,
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| fail(&reader, e.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                return Err(fail(
                    &reader,
                    format!("a second root element `{}`", start.local_name().as_ref()),
                ));
            }
            Event::Start(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(fail(&reader, too_many()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        &reader,
                        format!("elements nest more than {MAX_DEPTH} deep"),
                    ));
                }
                stack.push(Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(fail(&reader, too_many()));
                }
                let element = Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| fail(&reader, "a closing tag with no opening tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                let entity = format!("&{};", &*reference);
                let resolved = quick_xml::escape::unescape(&entity)
                    .map_err(|_| fail(&reader, format!("an unknown entity `{entity}`")))?;
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&resolved);
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    &reader,
                    "document type declarations are not accepted".into(),
                ));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(fail(&reader, "the document ends inside an element".into()));
    }
    root.ok_or_else(|| XmlError {
        position: 0,
        problem: "there is no root element".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_prefixes_and_entities_resolve() {
        let root = parse(r#"<a xmlns:x="u"><x:b>one &amp; two</x:b><c/><b>three</b></a>"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root.name, "a");
        assert_eq!(root.text_at("b"), Some("one & two"));
        assert_eq!(root.children_named("b").count(), 2);
        assert!(root.child("c").is_some());
    }

    #[test]
    fn an_element_is_read_only_where_its_own_text_was_taken() {
        let root = parse("<a><b>1</b><c><b>2</b></c></a>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root.text_at("c/b"), Some("2"));
        let inner = root.at("c/b").map(Element::was_read);
        let outer = root.child("b").map(Element::was_read);
        assert_eq!((inner, outer), (Some(true), Some(false)));
    }

    #[test]
    fn malformed_documents_are_refused_with_a_position() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<!DOCTYPE a><a/>",
            "<a>&bogus;</a>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn empty_elements_count_against_the_bound_as_any_other() {
        // The campaign's document: millions of `<a/>` in one body.
        let flat = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS + 1));
        let refused = parse(&flat).err().map(|e| e.problem);
        assert_eq!(refused, Some(too_many()));
        let within = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS - 1));
        assert!(parse(&within).is_ok());
    }
}
