//! Where a node of a spec file is written: the line a diagnostic points at.
//!
//! serde_yaml, which reads the spec into the model, keeps no positions for values, so a file a
//! diagnostic concerns is parsed once more with saphyr-parser, whose events carry their line,
//! into a tree of [`Node`]s. Only files that have a problem are parsed again, once each, so a
//! spec without problems costs nothing more to load.
//!
//! A [`NodePath`] names a node the way the checks know it, by names rather than positions:
//! `operations`, the item whose `action` is `CreateVpnGateway`, `parameters`, the item whose
//! `name` is `Bandwidth`. Validation sees the merged spec, whose lists hold their items in the
//! imported metadata's order and hold items no curated file has; a position in the merged list
//! says nothing about the file.
//!
//! A path the file does not have in full resolves to the nearest enclosing list item the file
//! has (the field, type or operation the node belongs to, as the merge may add a key the curated
//! entry lacks), and to no line at all when there is none: never to a line that merely contains
//! the same text.

use crate::loader::SpecSources;
use saphyr_parser::{Event, Parser};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The way from a file's root to one of its nodes.
///
/// A path shares its steps with the path it was extended from, so extending or cloning one
/// costs one small allocation at most: the checks build one per field they look at, and read
/// one only for a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodePath<'a>(Option<Rc<Link<'a>>>);

/// The last step of a path and the path before it.
#[derive(Debug, PartialEq, Eq)]
struct Link<'a> {
    parent: NodePath<'a>,
    step: Step<'a>,
}

/// One step of a [`NodePath`].
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    /// The value of a mapping's key.
    Key(Cow<'a, str>),
    /// The `nth` (from 0) item of a sequence that is a mapping whose key `key` holds `value`,
    /// or, without `key`, that is the scalar `value`.
    Item {
        key: Option<&'static str>,
        value: Cow<'a, str>,
        nth: usize,
    },
    /// The item at a position of a sequence, for items that have no name.
    Index(usize),
}

impl<'a> NodePath<'a> {
    /// The file's root: no line.
    pub fn root() -> Self {
        NodePath::default()
    }

    fn then(&self, step: Step<'a>) -> Self {
        NodePath(Some(Rc::new(Link {
            parent: self.clone(),
            step,
        })))
    }

    /// The value of `key` in this mapping.
    pub fn key(&self, key: impl Into<Cow<'a, str>>) -> Self {
        self.then(Step::Key(key.into()))
    }

    /// The first item of this sequence whose `key` holds `value` (`name: Bandwidth`).
    pub fn item(&self, key: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        self.nth_item(key, value, 0)
    }

    /// The `nth` (from 0) item of this sequence whose `key` holds `value`: which of several
    /// entries with the same name.
    pub fn nth_item(&self, key: &'static str, value: impl Into<Cow<'a, str>>, nth: usize) -> Self {
        self.then(Step::Item {
            key: Some(key),
            value: value.into(),
            nth,
        })
    }

    /// The `nth` (from 0) item of this sequence of scalars that is `value`.
    pub fn nth_scalar(&self, value: impl Into<Cow<'a, str>>, nth: usize) -> Self {
        self.then(Step::Item {
            key: None,
            value: value.into(),
            nth,
        })
    }

    /// The item at `index` (from 0) of this sequence.
    pub fn index(&self, index: usize) -> Self {
        self.then(Step::Index(index))
    }

    /// Whether this is the root, which stands for the whole file.
    pub fn is_root(&self) -> bool {
        self.0.is_none()
    }

    /// The steps from the root.
    fn steps(&self) -> Vec<&Step<'a>> {
        let mut steps = Vec::new();
        let mut at = self;
        while let Some(link) = &at.0 {
            steps.push(&link.step);
            at = &link.parent;
        }
        steps.reverse();
        steps
    }
}

/// A node of a parsed file with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    line: usize,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A scalar's text; an alias too, as an empty text (nothing is looked up through one).
    Scalar(String),
    Sequence(Vec<Node>),
    /// (key text, key node's line, value) in file order. A key that is not a scalar has the
    /// empty text, which no path names.
    Mapping(Vec<(String, usize, Node)>),
}

/// A collection whose end event has not come yet.
enum Open {
    Sequence(Node),
    Mapping {
        node: Node,
        /// The key read, waiting for its value.
        key: Option<(String, usize)>,
    },
}

impl Node {
    /// The first document of `text` as a tree, or `None` when it is not YAML this parser reads.
    pub fn parse(text: &str) -> Option<Node> {
        let mut open: Vec<Open> = Vec::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.ok()?;
            let line = span.start.line();
            let complete = match event {
                Event::Scalar(value, ..) => Node {
                    line,
                    kind: Kind::Scalar(value.into_owned()),
                },
                Event::Alias(_) => Node {
                    line,
                    kind: Kind::Scalar(String::new()),
                },
                Event::SequenceStart(..) => {
                    open.push(Open::Sequence(Node {
                        line,
                        kind: Kind::Sequence(Vec::new()),
                    }));
                    continue;
                }
                Event::MappingStart(..) => {
                    open.push(Open::Mapping {
                        node: Node {
                            line,
                            kind: Kind::Mapping(Vec::new()),
                        },
                        key: None,
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => match open.pop()? {
                    Open::Sequence(node) | Open::Mapping { node, .. } => node,
                },
                Event::DocumentEnd | Event::StreamEnd => return None,
                Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => continue,
            };
            match open.last_mut() {
                None => return Some(complete),
                Some(Open::Sequence(Node {
                    kind: Kind::Sequence(items),
                    ..
                })) => items.push(complete),
                Some(Open::Mapping {
                    node:
                        Node {
                            kind: Kind::Mapping(entries),
                            ..
                        },
                    key,
                }) => match key.take() {
                    Some((text, key_line)) => entries.push((text, key_line, complete)),
                    None => {
                        let text = match complete.kind {
                            Kind::Scalar(text) => text,
                            _ => String::new(),
                        };
                        *key = Some((text, complete.line));
                    }
                },
                // An open sequence always holds a sequence node and an open mapping a mapping.
                Some(_) => return None,
            }
        }
        None
    }

    /// The line of the node at `path` below this root: see the [module docs](self) for what a
    /// path the tree does not have in full resolves to.
    pub fn line(&self, path: &NodePath<'_>) -> Option<usize> {
        let mut node = self;
        // The line of the deepest list item reached so far.
        let mut enclosing_item = None;
        let mut line = None;
        for step in path.steps() {
            let Some((next, at)) = node.step(step) else {
                return enclosing_item;
            };
            if !matches!(step, Step::Key(_)) {
                enclosing_item = Some(at);
            }
            node = next;
            line = Some(at);
        }
        line
    }

    /// The child `step` leads to, and the line that names it: a key's own line, the line of
    /// the key that names an item, or the line an unnamed item starts on.
    fn step(&self, step: &Step<'_>) -> Option<(&Node, usize)> {
        match (step, &self.kind) {
            (Step::Key(wanted), Kind::Mapping(entries)) => entries
                .iter()
                .find(|(key, _, _)| key == wanted.as_ref())
                .map(|(_, line, value)| (value, *line)),
            (Step::Item { key, value, nth }, Kind::Sequence(items)) => items
                .iter()
                .filter_map(|item| item.named(*key, value).map(|line| (item, line)))
                .nth(*nth),
            (Step::Index(i), Kind::Sequence(items)) => items.get(*i).map(|n| (n, n.line)),
            _ => None,
        }
    }

    /// When this item is named `value` (by `key`, or as a scalar without one), the line that
    /// names it.
    fn named(&self, key: Option<&str>, value: &str) -> Option<usize> {
        match (key, &self.kind) {
            (None, Kind::Scalar(text)) => (text == value).then_some(self.line),
            (Some(key), Kind::Mapping(entries)) => entries.iter().find_map(|(k, line, v)| {
                (k == key && matches!(&v.kind, Kind::Scalar(text) if text == value))
                    .then_some(*line)
            }),
            _ => None,
        }
    }
}

/// The trees of the spec files diagnostics have asked about, each file parsed on first need.
#[derive(Debug)]
pub struct Positions<'s> {
    sources: &'s SpecSources,
    trees: BTreeMap<PathBuf, Option<Node>>,
}

impl<'s> Positions<'s> {
    /// Positions in `sources`; nothing is parsed yet.
    pub fn new(sources: &'s SpecSources) -> Self {
        Positions {
            sources,
            trees: BTreeMap::new(),
        }
    }

    /// The line of the node at `path` in `file`, when the file has it (or an item enclosing it).
    pub fn line(&mut self, file: &Path, path: &NodePath<'_>) -> Option<usize> {
        // The root stands for the whole file: no line, and no reason to parse it.
        if path.is_root() {
            return None;
        }
        let sources = self.sources;
        self.trees
            .entry(file.to_path_buf())
            .or_insert_with(|| sources.get(file).and_then(Node::parse))
            .as_ref()?
            .line(path)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::{Node, NodePath};

    const GROUP: &str = "\
id: things
operations:
  - action: CreateThing
    summary: Creates a thing.
    parameters:
      - {name: Name, type: string}
      - name: Size
        type: integer
        example: 5
      - {name: Name, type: string}
    rules:
      - require: [Name]
  - summary: Describes a thing.
    action: \"DescribeThing\"
    parameters:
      - {name: Size, type: integer}
groups:
  - a
  - b
  - a
";

    fn line(path: NodePath<'_>) -> Option<usize> {
        Node::parse(GROUP).unwrap().line(&path)
    }

    fn operation(action: &str) -> NodePath<'_> {
        NodePath::root().key("operations").item("action", action)
    }

    #[test]
    fn keys_and_named_items_resolve_to_the_line_that_names_them() {
        assert_eq!(line(NodePath::root().key("id")), Some(1));
        assert_eq!(line(operation("CreateThing")), Some(3));
        // Named by a key that is not the item's first, and quoted.
        assert_eq!(line(operation("DescribeThing")), Some(14));
        let size = |action| operation(action).key("parameters").item("name", "Size");
        assert_eq!(line(size("CreateThing")), Some(7));
        assert_eq!(line(size("DescribeThing")), Some(16));
        assert_eq!(line(size("CreateThing").key("example")), Some(9));
    }

    #[test]
    fn duplicates_are_told_apart_by_occurrence() {
        let name = |nth| {
            operation("CreateThing")
                .key("parameters")
                .nth_item("name", "Name", nth)
        };
        assert_eq!(line(name(0)), Some(6));
        assert_eq!(line(name(1)), Some(10));
        let group = |nth| NodePath::root().key("groups").nth_scalar("a", nth);
        assert_eq!(line(group(0)), Some(18));
        assert_eq!(line(group(1)), Some(20));
    }

    #[test]
    fn unnamed_items_resolve_by_position() {
        let rule = operation("CreateThing").key("rules").index(0);
        assert_eq!(line(rule.clone()), Some(12));
        assert_eq!(line(rule.key("require").nth_scalar("Name", 0)), Some(12));
    }

    #[test]
    fn a_node_the_file_lacks_resolves_to_its_enclosing_item_or_to_nothing() {
        let size = operation("CreateThing")
            .key("parameters")
            .item("name", "Size");
        assert_eq!(line(size.clone().key("default")), Some(7));
        assert_eq!(line(size.key("constraints").key("range")), Some(7));
        assert_eq!(
            line(operation("CreateThing").key("pagination").key("page_size")),
            Some(3)
        );
        let unknown = |nth| {
            operation("CreateThing")
                .key("parameters")
                .nth_item("name", "Name", nth)
        };
        assert_eq!(line(unknown(2)), Some(3));
        assert_eq!(line(operation("DeleteThing")), None);
        assert_eq!(line(NodePath::root().key("title")), None);
        assert_eq!(line(NodePath::root()), None);
        // Steps that do not fit the node's kind resolve nowhere either.
        assert_eq!(line(NodePath::root().key("id").key("x")), None);
        assert_eq!(line(NodePath::root().index(0)), None);
    }

    #[test]
    fn text_that_is_not_yaml_has_no_tree() {
        assert_eq!(Node::parse("a: [1, 2"), None);
        assert_eq!(Node::parse(""), None);
        assert!(Node::parse("just text").is_some());
    }
}
