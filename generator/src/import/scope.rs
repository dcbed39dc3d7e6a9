//! What an import covers: the scope (the manifest's, plus what the request adds, resolved
//! against the metadata's directory tree), the publication date, and which action names can
//! name a file.

use super::metadata::{Directory, MetadataFile};
use super::problem::Problem;
use super::ImportRequest;
use std::collections::BTreeSet;

/// The date to record, checked; `None` (with a problem) when there is none.
pub(super) fn published_date(
    metadata_name: &str,
    request: &ImportRequest,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match (&request.published, &request.manifest) {
        (Some(date), _) if is_date(date) => Some(date.clone()),
        (Some(date), _) => {
            let message = format!("--published `{date}` is not a date (YYYY-MM-DD)");
            problems.push(Problem::file(metadata_name, message));
            None
        }
        (None, Some(m)) if m.metadata == metadata_name => Some(m.published.clone()),
        (None, Some(m)) => {
            let message = format!(
                "the manifest records {} (published {}); for another metadata file pass \
                 --published YYYY-MM-DD",
                m.metadata, m.published
            );
            problems.push(Problem::file(metadata_name, message));
            None
        }
        (None, None) => {
            let message = "--published YYYY-MM-DD is required for a first import (the metadata \
                           does not state its publication date)";
            problems.push(Problem::file(metadata_name, message));
            None
        }
    }
}

/// Whether `action` can name an operation file: ASCII letters and digits, starting with a
/// letter, and not the manifest's name.
pub(super) fn is_action_name(action: &str) -> bool {
    action.starts_with(|c: char| c.is_ascii_alphabetic())
        && action.bytes().all(|b| b.is_ascii_alphanumeric())
        && !action.eq_ignore_ascii_case("import")
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The scope as the manifest records it (what was asked for).
pub(super) struct RequestedScope {
    pub(super) directories: Vec<String>,
    pub(super) operations: Vec<String>,
    pub(super) all: bool,
}

/// The requested scope and the actions it resolves to in `file`.
pub(super) fn resolve_scope(
    file: &MetadataFile<'_>,
    metadata_name: &str,
    request: &ImportRequest,
    problems: &mut Vec<Problem>,
) -> (RequestedScope, BTreeSet<String>) {
    let clean = |names: &[String]| -> BTreeSet<String> {
        names
            .iter()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect()
    };
    let old = request.manifest.as_ref();
    let mut directories = clean(&request.directories);
    directories.extend(old.map(|m| clean(&m.directories)).unwrap_or_default());
    let mut operations = clean(&request.operations);
    operations.extend(old.map(|m| clean(&m.operations)).unwrap_or_default());
    let all = request.all || old.is_some_and(|m| m.all);

    let mut scope = BTreeSet::new();
    let every_dir: Vec<&Directory> = file.directories.iter().flat_map(|d| d.walk()).collect();
    for title in &directories {
        let matching: Vec<_> = every_dir.iter().filter(|d| &d.title == title).collect();
        if matching.is_empty() {
            let message = format!("no directory titled `{title}` in the metadata");
            problems.push(Problem::file(metadata_name, message));
        }
        for dir in matching {
            for action in dir.actions() {
                if file.apis.contains_key(action) {
                    scope.insert(action.to_owned());
                } else {
                    let message = format!("directory `{title}` lists an undefined operation");
                    problems.push(Problem {
                        operation: Some(action.to_owned()),
                        ..Problem::file(metadata_name, message)
                    });
                }
            }
        }
    }
    for action in &operations {
        if file.apis.contains_key(action) {
            scope.insert(action.clone());
        } else {
            problems.push(Problem {
                operation: Some(action.clone()),
                ..Problem::file(metadata_name, "the operation is not in the metadata")
            });
        }
    }
    if all {
        scope.extend(file.apis.keys().cloned());
    }
    if scope.is_empty() && problems.is_empty() {
        let message = "nothing to import: name --operations, --directories or --all";
        problems.push(Problem::file(metadata_name, message));
    }
    let requested = RequestedScope {
        directories: directories.into_iter().collect(),
        operations: operations.into_iter().collect(),
        all,
    };
    (requested, scope)
}

#[cfg(test)]
mod tests {
    use super::{is_action_name, is_date};

    #[test]
    fn dates_are_calendar_dates() {
        for ok in ["2025-12-19", "2024-02-29", "2000-02-29"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2025-02-29",
            "1900-02-29",
            "2025-04-31",
            "2025-00-01",
            "2025-12-19 ",
            "+025-12-19",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn action_names_are_safe_file_names() {
        assert!(is_action_name("CreateVpnGateway"));
        for bad in ["../Escape", "A/B", "", "1Up", "import", "Import", "Créer"] {
            assert!(!is_action_name(bad), "{bad}");
        }
    }
}
