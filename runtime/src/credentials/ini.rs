//! The INI dialect of `~/.alibabacloud/credentials.ini`, as the official SDKs read it
//! (Python's `configparser`): `[section]` headers, `key = value` or `key: value` pairs,
//! keys case-insensitive, `#` and `;` comment lines, and anything after a `#` in a value
//! dropped. A repeated key keeps its last value; a repeated section adds to the first.
//!
//! Why not the `rust-ini` crate (0.21.3, tried on the inputs of the tests below): it reads a line
//! without `=` or `:` on into the next one, so `[default]`, `just-a-secret-token`, `k = v`
//! parses as the key `"just-a-secret-token\nk"` instead of failing at line 2, and text after
//! a section header (`[default]x`) likewise becomes part of a key; it accepts keys before any
//! section (a general section) where the official SDKs refuse the file; its errors give the
//! line where its scan stopped (the end of the file), not the line at fault; it keeps inline
//! `# comments` in values (the documented sample file has `type = access_key # ...`); and its
//! `get` returns the first of repeated keys. Every one of these could be patched around
//! except the first three, which need the line-by-line reading this module already is.

use std::collections::HashMap;
use std::fmt;

/// Sections by name, each a map of lower-cased keys to values.
pub(crate) type Sections = HashMap<String, HashMap<String, String>>;

/// A line that is not valid INI. Carries only the line number: the line itself may hold a
/// secret.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

pub(crate) fn parse(text: &str) -> Result<Sections, ParseError> {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let name = header.strip_suffix(']').ok_or(ParseError {
                line: line_number,
                reason: "unterminated section header",
            })?;
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let section = current.as_ref().ok_or(ParseError {
            line: line_number,
            reason: "key outside of any section",
        })?;
        let separator = line.find(['=', ':']).ok_or(ParseError {
            line: line_number,
            reason: "expected `key = value`",
        })?;
        let key = line[..separator].trim().to_ascii_lowercase();
        let value = &line[separator + 1..];
        let value = value
            .split('#')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        sections
            .entry(section.clone())
            .or_default()
            .insert(key, value);
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_keys_and_comments() {
        let text = "\
# leading comment
[default]
enable = true
type = access_key                 # Certification type: access_key
Access_Key_Id = foo
access_key_secret: bar

; another comment
[client1]
type = ecs_ram_role
role_name = EcsRamRoleTest
";
        let sections = parse(text).expect("valid");
        let default = &sections["default"];
        assert_eq!(default["type"], "access_key");
        assert_eq!(default["access_key_id"], "foo");
        assert_eq!(default["access_key_secret"], "bar");
        assert_eq!(sections["client1"]["role_name"], "EcsRamRoleTest");
    }

    #[test]
    fn errors_name_the_line_but_not_its_content() {
        let error = parse("access_key_secret = s3cr3t\n").expect_err("no section");
        assert_eq!(error.line, 1);
        assert!(!error.to_string().contains("s3cr3t"));
        let error = parse("[default]\njust-a-secret-token\n").expect_err("no separator");
        assert_eq!(error.line, 2);
        assert!(!error.to_string().contains("secret-token"));
        assert!(parse("[default\n").is_err());
        let error = parse("[default]\njust-a-secret-token\nk = v\n").expect_err("no separator");
        assert_eq!(error.line, 2);
        let error = parse("[default]x\nk = v\n").expect_err("text after the header");
        assert_eq!(error.line, 1);
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_repeated_sections_merge() {
        let sections = parse("[a]\nk = 1\nK = 2\n[b]\n[a]\nj = 3\n").expect("valid");
        assert_eq!(sections["a"]["k"], "2");
        assert_eq!(sections["a"]["j"], "3");
        assert!(sections["b"].is_empty());
        assert_eq!(parse("[a]\nk = x#y\n").expect("valid")["a"]["k"], "x");
    }
}
