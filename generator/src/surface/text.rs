//! The text form of an [`ApiSurface`]: rendering and parsing (the format is described in the
//! module documentation of `surface`).

use super::{ApiSurface, Attr, Item, Key, Path, Scope, Segment};
use std::collections::BTreeMap;
use std::fmt;

/// A line of a surface file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceParseError {
    /// The file, when the caller named it ([`SurfaceParseError::in_file`]).
    pub file: Option<String>,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl SurfaceParseError {
    /// The same error, naming the file it was read from.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl fmt::Display for SurfaceParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}:{}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for SurfaceParseError {}

impl ApiSurface {
    /// One line per element, sorted, each ending with a newline (no header).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (key, attrs) in &self.elements {
            out.push_str(&render_element(key, attrs));
            out.push('\n');
        }
        out
    }

    /// Reads a surface back from its text (as [`ApiSurface::render`] writes it, with or
    /// without the generated header); `//` lines and blank lines are skipped. Every malformed
    /// line is an error naming its line; attach the file with [`SurfaceParseError::in_file`].
    pub fn parse(text: &str) -> Result<ApiSurface, SurfaceParseError> {
        let mut elements = BTreeMap::new();
        let mut first_seen: BTreeMap<Key, usize> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with("//") {
                continue;
            }
            let error = |message: String| SurfaceParseError {
                file: None,
                line: number,
                message,
            };
            let (key, attrs) = parse_element(trimmed).map_err(error)?;
            if let Some(first) = first_seen.get(&key) {
                return Err(error(format!(
                    "`{}` is listed twice (first on line {first})",
                    render_key(&key)
                )));
            }
            first_seen.insert(key.clone(), number);
            elements.insert(key, attrs);
        }
        Ok(ApiSurface { elements })
    }
}

/// `key: attr, attr` (just `key` without attributes).
pub(super) fn render_element(key: &Key, attrs: &[Attr]) -> String {
    let mut line = render_key(key);
    if !attrs.is_empty() {
        line.push_str(": ");
        line.push_str(&render_attrs(attrs));
    }
    line
}

/// Attributes separated by `, `.
pub(super) fn render_attrs(attrs: &[Attr]) -> String {
    attrs.iter().map(render_attr).collect::<Vec<_>>().join(", ")
}

/// `name value value`.
pub(super) fn render_attr(attr: &Attr) -> String {
    let mut out = token(&attr.name);
    if !attr.values.is_empty() {
        out.push(' ');
        out.push_str(&render_values(&attr.values));
    }
    out
}

/// Values separated by spaces, each quoted where it needs to be.
pub(super) fn render_values(values: &[String]) -> String {
    values
        .iter()
        .map(|v| token(v))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of a key, e.g. `operation CreateVpnGateway param Tag[].Key`.
pub(super) fn render_key(key: &Key) -> String {
    let mut words = match &key.scope {
        Scope::Service => vec!["service".to_owned()],
        Scope::Operation(n) => vec!["operation".to_owned(), token(n)],
        Scope::Struct(n) => vec!["struct".to_owned(), token(n)],
        Scope::Enum(n) => vec!["enum".to_owned(), token(n)],
        Scope::Error(n) => vec!["error".to_owned(), token(n)],
    };
    words.extend(render_item(&key.item));
    words.join(" ")
}

/// The words of an item within its scope, e.g. `param Tag[].Key` (none for the scope itself).
pub(super) fn render_item(item: &Item) -> Vec<String> {
    let pair = |kind: &str, arg: String| vec![kind.to_owned(), arg];
    match item {
        Item::Itself => Vec::new(),
        Item::Endpoint(r) => pair("endpoint", token(r)),
        Item::Param(p) => pair("param", render_path(p)),
        Item::Response(p) => pair("response", render_path(p)),
        Item::Error(c) => pair("error", token(c)),
        Item::Rule(rule) => std::iter::once("rule".to_owned())
            .chain(rule.iter().map(|w| token(w)))
            .collect(),
        Item::Paginator => vec!["paginator".to_owned()],
        Item::Waiter(m) => pair("waiter", token(m)),
        Item::Field(f) => pair("field", token(f)),
        Item::Value(v) => pair("value", token(v)),
    }
}

fn render_path(path: &Path) -> String {
    path.0
        .iter()
        .map(|s| {
            let mut out = if is_bare(&s.name, ".[]") {
                s.name.clone()
            } else {
                quote(&s.name)
            };
            if s.list {
                out.push_str("[]");
            }
            out
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A name or value as written: bare when it can be, a JSON string literal otherwise.
fn token(s: &str) -> String {
    if is_bare(s, "") {
        s.to_owned()
    } else {
        quote(s)
    }
}

/// True when `s` can be written without quotes: non-empty printable ASCII without spaces or
/// the characters the format gives a meaning (`"`, `\`, `,`, `:`, and `also`).
fn is_bare(s: &str, also: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_graphic() && !"\"\\,:".contains(c) && !also.contains(c))
}

fn quote(s: &str) -> String {
    // Serializing a string cannot fail; the fallback keeps the function total.
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// One space-separated word of a line, with the separator it ends with outside quotes.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    /// `Some(':')` after the key, `Some(',')` between attributes.
    ends_with: Option<char>,
}

/// Splits a line into words at spaces outside JSON string literals.
fn words(line: &str) -> Result<Vec<Word<'_>>, String> {
    fn push<'a>(text: &'a str, out: &mut Vec<Word<'a>>) {
        if text.is_empty() {
            return;
        }
        let ends_with = text.chars().last().filter(|c| *c == ':' || *c == ',');
        let text = match ends_with {
            Some(c) => &text[..text.len() - c.len_utf8()],
            None => text,
        };
        out.push(Word { text, ends_with });
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ' ' {
            push(&line[start..i], &mut out);
            start = i + 1;
        }
    }
    if in_string {
        return Err("a quoted name or value is not closed".to_owned());
    }
    push(&line[start..], &mut out);
    Ok(out)
}

/// A bare or quoted token.
fn decode(word: &str) -> Result<String, String> {
    if word.starts_with('"') {
        serde_json::from_str::<String>(word)
            .map_err(|e| format!("`{word}` is not a valid quoted string: {e}"))
    } else if word.is_empty() {
        Err("empty name".to_owned())
    } else if word.contains(['"', '\\', ':', ',']) {
        Err(format!("`{word}` must be quoted"))
    } else {
        Ok(word.to_owned())
    }
}

/// `A.B[].C`, with quoted segments where a name needs them.
fn decode_path(word: &str) -> Result<Path, String> {
    let mut segments = Vec::new();
    let mut rest = word;
    loop {
        let (name, after) = if rest.starts_with('"') {
            let end = closing_quote(rest)
                .ok_or_else(|| format!("path `{word}`: a quoted name is not closed"))?;
            (decode(&rest[..=end])?, &rest[end + 1..])
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            (decode(&rest[..end])?, &rest[end..])
        };
        let (list, after) = match after.strip_prefix("[]") {
            Some(a) => (true, a),
            None => (false, after),
        };
        segments.push(Segment { name, list });
        if after.is_empty() {
            break;
        }
        rest = after
            .strip_prefix('.')
            .ok_or_else(|| format!("path `{word}`: expected `.` before `{after}`"))?;
    }
    if segments.last().is_some_and(|s| s.list) {
        return Err(format!("path `{word}` ends with `[]`"));
    }
    Ok(Path(segments))
}

/// The byte index of the quote closing the string literal `s` starts with.
fn closing_quote(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_element(line: &str) -> Result<(Key, Vec<Attr>), String> {
    let words = words(line)?;
    let split = words
        .iter()
        .position(|w| w.ends_with == Some(':'))
        .map_or(words.len(), |i| i + 1);
    let (key_words, attr_words) = words.split_at(split);
    if let Some(w) = key_words.iter().find(|w| w.ends_with == Some(',')) {
        return Err(format!("unexpected `,` after `{}` in the key", w.text));
    }
    let key = parse_key(&key_words.iter().map(|w| w.text).collect::<Vec<_>>())?;
    if split > 0 && split == words.len() && key_words.last().is_some_and(|w| w.ends_with.is_some())
    {
        return Err("nothing follows `:`".to_owned());
    }
    let mut attrs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (i, w) in attr_words.iter().enumerate() {
        current.push(w.text);
        match w.ends_with {
            Some(',') if i + 1 == attr_words.len() => {
                return Err("the line ends with `,`".to_owned())
            }
            Some(',') => attrs.push(parse_attr(&std::mem::take(&mut current))?),
            Some(_) => return Err(format!("unexpected `:` after `{}`", w.text)),
            None => {}
        }
    }
    if !current.is_empty() {
        attrs.push(parse_attr(&current)?);
    }
    Ok((key, attrs))
}

fn parse_attr(words: &[&str]) -> Result<Attr, String> {
    let (name, values) = words
        .split_first()
        .ok_or_else(|| "an empty attribute".to_owned())?;
    Ok(Attr {
        name: decode(name)?,
        values: values.iter().map(|v| decode(v)).collect::<Result<_, _>>()?,
    })
}

fn parse_key(words: &[&str]) -> Result<Key, String> {
    let (scope, rest) = match words {
        ["service", rest @ ..] => (Scope::Service, rest),
        [kind @ ("operation" | "struct" | "enum" | "error"), name, rest @ ..] => {
            let name = decode(name)?;
            let scope = match *kind {
                "operation" => Scope::Operation(name),
                "struct" => Scope::Struct(name),
                "enum" => Scope::Enum(name),
                _ => Scope::Error(name),
            };
            (scope, rest)
        }
        [kind @ ("operation" | "struct" | "enum" | "error")] => {
            return Err(format!("`{kind}` without a name"))
        }
        [] => return Err("an empty key".to_owned()),
        [other, ..] => {
            return Err(format!(
                "unknown element `{other}` (expected service, operation, struct, enum or error)"
            ))
        }
    };
    let item = match rest {
        [] => Item::Itself,
        ["paginator"] => Item::Paginator,
        ["rule", words @ ..] if !words.is_empty() => {
            Item::Rule(words.iter().map(|w| decode(w)).collect::<Result<_, _>>()?)
        }
        [kind, arg] => match *kind {
            "endpoint" => Item::Endpoint(decode(arg)?),
            "param" => Item::Param(decode_path(arg)?),
            "response" => Item::Response(decode_path(arg)?),
            "error" => Item::Error(decode(arg)?),
            "waiter" => Item::Waiter(decode(arg)?),
            "field" => Item::Field(decode(arg)?),
            "value" => Item::Value(decode(arg)?),
            other => return Err(format!("unknown item `{other}`")),
        },
        [kind, ..] => return Err(format!("unexpected words after `{kind}`")),
    };
    Ok(Key { scope, item })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(names: &[(&str, bool)]) -> Path {
        Path(
            names
                .iter()
                .map(|(n, list)| Segment {
                    name: (*n).to_owned(),
                    list: *list,
                })
                .collect(),
        )
    }

    #[test]
    fn awkward_names_and_values_round_trip() {
        let mut surface = ApiSurface::default();
        let odd = [
            "a b",
            "x:y",
            "c,d",
            "\"q\"",
            "back\\slash",
            "",
            "naïve",
            "//x",
        ];
        for (i, name) in odd.iter().enumerate() {
            surface.elements.insert(
                Key {
                    scope: Scope::Operation(format!("Op{i}")),
                    item: Item::Param(path(&[(name, true), ("Dotted.Name[]", false)])),
                },
                vec![
                    Attr::new("type", *name),
                    Attr::list("not-value", odd.iter().copied()),
                    Attr::flag("required"),
                ],
            );
            surface.elements.insert(
                Key {
                    scope: Scope::Enum((*name).to_owned()),
                    item: Item::Value((*name).to_owned()),
                },
                vec![Attr::new("variant", "V")],
            );
            surface.elements.insert(
                Key {
                    scope: Scope::Operation("Op".to_owned()),
                    item: Item::Rule(vec!["when".into(), (*name).into(), "=".into()]),
                },
                Vec::new(),
            );
        }
        let text = surface.render();
        assert_eq!(ApiSurface::parse(&text), Ok(surface), "{text}");
    }

    #[test]
    fn malformed_lines_name_their_line() {
        for (text, message) in [
            ("operation A\nbogus B", "unknown element `bogus`"),
            ("operation A\noperation A param \"X", "not closed"),
            ("operation A\noperation A param X: type", ""),
            ("operation A\noperation A param X: type A,", "ends with `,`"),
            ("operation A\noperation A frob X", "unknown item `frob`"),
            ("operation A\noperation A", "listed twice (first on line 1)"),
            ("operation A\noperation A param X[]", "ends with `[]`"),
            ("operation A\noperation A param X:", "nothing follows"),
        ] {
            match ApiSurface::parse(text) {
                Ok(_) if message.is_empty() => {}
                Ok(s) => panic!("{text:?} parsed as {s:?}"),
                Err(e) => {
                    let e = e.in_file("api-surface.txt");
                    assert_eq!(e.line, 2, "{text:?}: {e}");
                    assert!(
                        e.to_string().starts_with("api-surface.txt:2: ")
                            && e.message.contains(message),
                        "{text:?}: {e}"
                    );
                }
            }
        }
    }
}
