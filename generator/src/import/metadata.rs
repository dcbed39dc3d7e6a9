//! Alibaba Cloud's published API metadata ("api-docs.json"), as far as the importer reads it.
//!
//! This is a foreign format: unknown keys are ignored, so new metadata keys never break an
//! import. The words that decide how a value is encoded (`in`, `style`, `type`, `format`) are
//! enums with an [`Unknown`](Style::Unknown) case, so a word this importer does not know is
//! reported, with the operation and parameter path, by the conversion instead of being guessed.
//!
//! The file is parsed in two steps. [`parse`] reads the top level and keeps every API and
//! component schema as raw JSON text ([`RawValue`]), which checks the syntax of the whole file;
//! [`parse_part`] then reads one API or schema on demand. Operations outside the import's scope
//! are never read, and a structural problem in one operation does not hide those of the others.
//! Object properties keep the metadata's order ([`Properties`]).

use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The top level of a metadata file.
#[derive(Debug, Deserialize)]
pub struct MetadataFile<'a> {
    /// Product and version.
    pub info: Info,
    /// The documentation's directory tree of operations.
    #[serde(default)]
    pub directories: Vec<Directory>,
    /// Shared schemas that `$ref` points to.
    #[serde(default, borrow)]
    pub components: Components<'a>,
    /// Every operation by action name, unparsed.
    #[serde(borrow)]
    pub apis: BTreeMap<String, &'a RawValue>,
}

/// `info`: which API the file describes.
#[derive(Debug, Deserialize)]
pub struct Info {
    /// Product code, e.g. `Vpc`.
    pub product: String,
    /// API version, e.g. `2016-04-28`.
    pub version: String,
}

/// A directory of the documentation tree.
#[derive(Debug, Deserialize)]
pub struct Directory {
    /// Its title, e.g. `VPN gateway`.
    pub title: String,
    /// Action names and subdirectories.
    #[serde(default)]
    pub children: Vec<DirectoryChild>,
}

/// An entry of a directory.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DirectoryChild {
    /// An action name.
    Api(String),
    /// A subdirectory.
    Directory(Directory),
}

impl Directory {
    /// Every action below this directory, subdirectories included, in tree order. (The
    /// depth is bounded by the JSON parser's recursion limit.)
    pub fn actions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for child in &self.children {
            match child {
                DirectoryChild::Api(action) => out.push(action.as_str()),
                DirectoryChild::Directory(sub) => out.extend(sub.actions()),
            }
        }
        out
    }

    /// This directory and every directory below it.
    pub fn walk(&self) -> Vec<&Directory> {
        let mut out = vec![self];
        let mut next = 0;
        while let Some(dir) = out.get(next).copied() {
            next += 1;
            for child in &dir.children {
                if let DirectoryChild::Directory(sub) = child {
                    out.push(sub);
                }
            }
        }
        out
    }
}

/// `components`: shared schemas, unparsed.
#[derive(Debug, Default, Deserialize)]
pub struct Components<'a> {
    /// Schema name → schema, the target of `#/components/schemas/<name>`.
    #[serde(default, borrow)]
    pub schemas: BTreeMap<String, &'a RawValue>,
}

/// One operation.
#[derive(Debug, Deserialize)]
pub struct Api {
    /// The operation is deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// `read` for an operation that changes nothing; `write` or `readAndWrite` otherwise.
    #[serde(default, rename = "operationType")]
    pub operation_type: Option<String>,
    /// Request parameters, in order.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Responses by HTTP status; the importer reads `200`.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// Error codes by HTTP status.
    #[serde(default, rename = "errorCodes")]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
}

/// A request parameter.
#[derive(Debug, Deserialize)]
pub struct Parameter {
    /// Wire name.
    pub name: Option<String>,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Option<In>,
    /// How an array or object is encoded.
    pub style: Option<Style>,
    /// Its value.
    pub schema: Option<Schema>,
}

/// A response.
#[derive(Debug, Deserialize)]
pub struct Response {
    /// The body's schema.
    pub schema: Option<Schema>,
}

/// A documented error.
#[derive(Debug, Deserialize)]
pub struct ErrorCode {
    /// The `Code` on the wire.
    #[serde(rename = "errorCode")]
    pub code: Option<String>,
    /// The `Message` on the wire.
    #[serde(rename = "errorMessage")]
    pub message: Option<String>,
}

/// A value's schema (OpenAPI-like, with Alibaba's extensions).
#[derive(Debug, Default, Deserialize)]
pub struct Schema {
    /// `#/components/schemas/<name>`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// The JSON type.
    #[serde(rename = "type")]
    pub ty: Option<SchemaType>,
    /// Refinement of the type.
    pub format: Option<SchemaFormat>,
    /// Alibaba: `true` on the schema itself; OpenAPI: a list of required property names.
    pub required: Option<Required>,
    /// Array item.
    pub items: Option<Box<Schema>>,
    /// Object properties, in order.
    pub properties: Option<Properties>,
    /// Explicit value list.
    #[serde(rename = "enum")]
    pub values: Option<Vec<Value>>,
    /// Inclusive numeric lower bound (a number or a numeric string).
    pub minimum: Option<Value>,
    /// Inclusive numeric upper bound.
    pub maximum: Option<Value>,
    /// Shortest text.
    #[serde(rename = "minLength")]
    pub min_length: Option<Value>,
    /// Longest text.
    #[serde(rename = "maxLength")]
    pub max_length: Option<Value>,
    /// Fewest items.
    #[serde(rename = "minItems")]
    pub min_items: Option<Value>,
    /// Most items.
    #[serde(rename = "maxItems")]
    pub max_items: Option<Value>,
    /// Value assumed when absent.
    pub default: Option<Value>,
    /// Example value.
    pub example: Option<Value>,
    /// Deprecated.
    pub deprecated: Option<bool>,
    /// Alibaba's prose. Read only for the maintainer's terminal (`--show-docs`), never written.
    pub description: Option<String>,
}

/// `required` in either of its forms.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Required {
    /// Alibaba's form: the schema itself is required.
    Flag(bool),
    /// OpenAPI's form: the named properties of this object are required.
    Names(Vec<String>),
}

impl Schema {
    /// Alibaba's `required: true` on this schema.
    pub fn required_flag(&self) -> bool {
        matches!(self.required, Some(Required::Flag(true)))
    }

    /// OpenAPI's `required: [..]` naming `property`.
    pub fn requires(&self, property: &str) -> bool {
        matches!(&self.required, Some(Required::Names(names)) if names.iter().any(|n| n == property))
    }
}

/// Object properties in the metadata's order (a JSON object read as a list of entries).
#[derive(Debug, Default)]
pub struct Properties(pub Vec<(String, Schema)>);

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Properties;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of property schemas")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Schema>()? {
                    out.push(entry);
                }
                Ok(Properties(out))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// Declares an enum of metadata words with an `Unknown` case for any other word.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A word this importer does not know.
            Unknown(String),
        }

        impl $name {
            /// The words this importer knows, for error messages.
            pub const KNOWN: &'static [&'static str] = &[$($word),*];

            /// The word as written in the metadata.
            pub fn word(&self) -> &str {
                match self {
                    $(Self::$variant => $word,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let word = String::deserialize(deserializer)?;
                Ok(match word.as_str() {
                    $($word => Self::$variant,)*
                    _ => Self::Unknown(word),
                })
            }
        }
    };
}

words! {
    /// `in`: where a parameter travels.
    In {
        /// The URL query.
        Query = "query",
        /// The form-encoded body.
        FormData = "formData",
    }
}

words! {
    /// `style`: how an array or object parameter is encoded.
    Style {
        /// `Name.N` / `Name.N.Field`.
        RepeatList = "repeatList",
        /// `Name.N` for arrays, `Name.Field` for objects.
        Flat = "flat",
        /// Array items joined with commas.
        Simple = "simple",
        /// JSON-encoded into one parameter.
        Json = "json",
    }
}

words! {
    /// `type`.
    SchemaType {
        /// Text.
        String = "string",
        /// Integer (`format` picks the width).
        Integer = "integer",
        /// Floating point.
        Number = "number",
        /// Boolean.
        Boolean = "boolean",
        /// Array (`items`).
        Array = "array",
        /// Object (`properties`).
        Object = "object",
    }
}

words! {
    /// `format`.
    SchemaFormat {
        /// 32-bit integer.
        Int32 = "int32",
        /// 64-bit integer.
        Int64 = "int64",
        /// Single-precision number.
        Float = "float",
        /// Double-precision number.
        Double = "double",
        /// ISO 8601 time, as text.
        Iso8601 = "iso8601",
    }
}

/// A problem reading part of the file: where (1-based line and column in the whole file), the
/// JSON path inside the part, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartError {
    /// Line and column in the metadata file.
    pub position: (usize, usize),
    /// Path inside the part, e.g. `parameters[2].schema.type`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Reads the top level of `text`; every API and component stays raw.
pub fn parse(text: &str) -> Result<MetadataFile<'_>, PartError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        PartError {
            position: (inner.line(), inner.column()),
            path,
            message: strip_position(&inner),
        }
    })?;
    de.end().map_err(|e| PartError {
        position: (e.line(), e.column()),
        path: String::new(),
        message: strip_position(&e),
    })?;
    Ok(parsed)
}

/// Reads one part (an API or a schema) of the file `text` was parsed from; positions in the
/// error are positions in `text`.
pub fn parse_part<T: DeserializeOwned>(text: &str, part: &RawValue) -> Result<T, PartError> {
    let raw = part.get();
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(raw)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        PartError {
            position: absolute(text, raw, inner.line(), inner.column()),
            path,
            message: strip_position(&inner),
        }
    })
}

/// serde_json's message without its trailing ` at line L column C` (positions are given apart).
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Turns a line and column inside `part` (a slice of `text`) into a line and column of `text`.
fn absolute(text: &str, part: &str, line: usize, column: usize) -> (usize, usize) {
    let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let Some(before) = text.get(..start) else {
        return (line, column);
    };
    let base_line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let base_column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    if line <= 1 {
        (base_line, base_column + column)
    } else {
        (base_line + line - 1, column)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn properties_keep_their_order_and_unknown_words_are_kept() {
        let s: Schema = serde_json::from_str(
            r#"{"type":"object","x-new":1,"properties":{"Z":{"type":"string"},"A":{"type":"uuid","format":"f"}}}"#,
        )
        .unwrap();
        let props = s.properties.unwrap().0;
        let names: Vec<&str> = props.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Z", "A"]);
        assert_eq!(props[1].1.ty, Some(SchemaType::Unknown("uuid".into())));
        assert_eq!(props[1].1.format, Some(SchemaFormat::Unknown("f".into())));
        assert_eq!(props[0].1.ty.as_ref().map(SchemaType::word), Some("string"));
    }

    #[test]
    fn part_errors_are_positioned_in_the_whole_file() {
        let text = "{\"info\":{\"product\":\"P\",\"version\":\"1\"},\n\"apis\":{\"A\":\n  {\"parameters\":\n    [1]}}}";
        let file = parse(text).unwrap();
        let e = parse_part::<Api>(text, file.apis["A"]).unwrap_err();
        assert_eq!(e.position, (4, 6));
        assert_eq!(e.path, "parameters[0]");
        let first_line = "{\"info\":{\"product\":\"P\",\"version\":\"1\"},\"apis\":{\"A\":{\"parameters\":[1]}}}";
        let file = parse(first_line).unwrap();
        let e = parse_part::<Api>(first_line, file.apis["A"]).unwrap_err();
        assert_eq!(e.position, (1, first_line.find("[1]").unwrap() + 2));
    }

    #[test]
    fn directories_list_their_actions_in_tree_order() {
        let d: Directory = serde_json::from_str(
            r#"{"title":"T","children":["A",{"title":"S","children":["B"]},"C"]}"#,
        )
        .unwrap();
        assert_eq!(d.actions(), ["A", "B", "C"]);
        let titles: Vec<&str> = d.walk().iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["T", "S"]);
    }
}
