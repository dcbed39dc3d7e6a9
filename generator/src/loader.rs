//! Reading and parsing the spec files. I/O lives here and nowhere else in the pipeline.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::imported::ImportedOperation;
use crate::model::{ErrorsFile, GroupFile, ServiceFile, SharedFile};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File holding the service metadata.
pub const SERVICE_FILE: &str = "service.yaml";
/// File holding the error catalogue.
pub const ERRORS_FILE: &str = "errors.yaml";
/// File holding shared enums and structs.
pub const SHARED_FILE: &str = "shared.yaml";
/// Directory holding one file per operation group.
pub const GROUPS_DIR: &str = "groups";
/// The importer's record of what it imported, inside [`IMPORTED_DIR`]; not an operation.
pub const IMPORT_MANIFEST: &str = "import.yaml";
pub use crate::imported::IMPORTED_DIR;

/// Largest spec file accepted, in bytes. The biggest real file is under 60 kB; the limit only
/// stops a runaway or hostile file before it is read whole and parsed.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Deepest nesting accepted, as measured by [`nesting_depth`]. The real spec stays near 20.
/// The YAML parser's time grows with the square of the nesting depth (100,000 nested brackets
/// take tens of seconds) and serde_yaml refuses more than 128 levels only after parsing, so
/// the depth is bounded before parsing.
pub const MAX_NESTING: usize = 100;

/// The raw text of every spec file, keyed by path relative to the spec directory.
///
/// Kept separate from parsing so tests can feed mutated specs without touching the disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecSources {
    /// Relative path → file contents.
    pub files: BTreeMap<PathBuf, String>,
}

impl SpecSources {
    /// Reads `service.yaml`, `errors.yaml`, `shared.yaml`, `groups/*.yaml` and, when present,
    /// `imported/*.yaml` below `dir`.
    pub fn read_dir(dir: &Path) -> Result<Self, Diagnostics> {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        let mut read = |rel: PathBuf| match read_bounded(&dir.join(&rel)) {
            Ok(Ok(text)) => {
                files.insert(rel, text);
            }
            Ok(Err(too_big)) => problems.push(Diagnostic {
                file: rel,
                line: None,
                operation: None,
                field: None,
                message: too_big,
            }),
            Err(e) => problems.push(io_problem(rel, &e)),
        };
        let mut listing_problems = Vec::new();
        let mut names = vec![
            PathBuf::from(SERVICE_FILE),
            PathBuf::from(ERRORS_FILE),
            PathBuf::from(SHARED_FILE),
        ];
        for (sub, optional) in [(GROUPS_DIR, false), (IMPORTED_DIR, true)] {
            match std::fs::read_dir(dir.join(sub)) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                        .filter_map(|p| p.file_name().map(|n| Path::new(sub).join(n)))
                        .collect();
                    found.sort();
                    names.extend(found);
                }
                // A spec without an imported layer is complete on its own.
                Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => listing_problems.push(io_problem(PathBuf::from(sub), &e)),
            }
        }
        for rel in names {
            read(rel);
        }
        problems.extend(listing_problems);
        if problems.is_empty() {
            Ok(SpecSources { files })
        } else {
            Err(Diagnostics(problems).sorted())
        }
    }

    /// The text of one file.
    pub fn get(&self, rel: &Path) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }
}

/// Reads a file of at most [`MAX_FILE_BYTES`] without reading more than that from disk.
/// The inner error describes a file that is too large.
fn read_bounded(path: &Path) -> std::io::Result<Result<String, String>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Ok(Err(too_large_message()));
    }
    String::from_utf8(bytes)
        .map(Ok)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn too_large_message() -> String {
    format!("file is larger than {MAX_FILE_BYTES} bytes; refused before parsing")
}

/// An upper bound of the YAML nesting depth reached at each line, computed in one linear pass:
/// the line's indentation plus its leading block indicators (`- `, `? `), plus the flow
/// brackets (`[`, `{`) opened and not yet closed. Brackets inside quoted text are counted too,
/// which can only overestimate. Comment lines are skipped. Returns the deepest value and the
/// 1-based line where it is first reached.
pub fn nesting_depth(text: &str) -> (usize, usize) {
    let mut open: usize = 0;
    let (mut deepest, mut at) = (0, 1);
    for (index, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '\t']);
        if body.starts_with('#') {
            continue;
        }
        let indicators = body.len() - body.trim_start_matches(['-', '?', ' ', '\t']).len();
        let block = line.len() - body.len() + indicators;
        let mut line_max = block + open;
        for c in body.bytes() {
            match c {
                b'[' | b'{' => {
                    open += 1;
                    line_max = line_max.max(block + open);
                }
                b']' | b'}' => open = open.saturating_sub(1),
                _ => {}
            }
        }
        if line_max > deepest {
            deepest = line_max;
            at = index + 1;
        }
    }
    (deepest, at)
}

/// Refuses text that is too large or nested too deeply to parse quickly.
fn check_bounds(text: &str) -> Result<(), (Option<usize>, String)> {
    if text.len() > MAX_FILE_BYTES {
        return Err((None, too_large_message()));
    }
    let (depth, line) = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err((
            Some(line),
            format!(
                "nesting is deeper than {MAX_NESTING} levels (indentation, `-` and open brackets \
                 reach {depth}); refused before parsing"
            ),
        ));
    }
    Ok(())
}

fn io_problem(file: PathBuf, e: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file,
        line: None,
        operation: None,
        field: None,
        message: format!("cannot read: {e}"),
    }
}

/// The parsed spec, before semantic validation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSpec {
    /// `service.yaml`.
    pub service: ServiceFile,
    /// `errors.yaml`.
    pub errors: ErrorsFile,
    /// `shared.yaml`.
    pub shared: SharedFile,
    /// `groups/*.yaml` as (relative path, contents), sorted by path.
    pub groups: Vec<(PathBuf, GroupFile)>,
    /// `imported/*.yaml` (the manifest excluded), sorted by path; merged into `groups` by
    /// validation.
    pub imported: Vec<(PathBuf, ImportedOperation)>,
    /// The text the spec was parsed from, for locating diagnostics.
    pub sources: SpecSources,
}

/// Parses every file, reporting every file that fails rather than the first.
pub fn parse(sources: SpecSources) -> Result<RawSpec, Diagnostics> {
    let mut problems = Vec::new();
    let service = parse_file::<ServiceFile>(&sources, Path::new(SERVICE_FILE), &mut problems);
    let errors = parse_file::<ErrorsFile>(&sources, Path::new(ERRORS_FILE), &mut problems);
    let shared = parse_file::<SharedFile>(&sources, Path::new(SHARED_FILE), &mut problems);
    let mut groups = Vec::new();
    let mut imported = Vec::new();
    for rel in sources.files.keys() {
        if rel.starts_with(GROUPS_DIR) {
            if let Some(g) = parse_file::<GroupFile>(&sources, rel, &mut problems) {
                groups.push((rel.clone(), g));
            }
        } else if rel.starts_with(IMPORTED_DIR)
            && rel.file_name().is_some_and(|n| n != IMPORT_MANIFEST)
        {
            if let Some(op) = parse_file::<ImportedOperation>(&sources, rel, &mut problems) {
                if rel.file_stem().and_then(|s| s.to_str()) != Some(op.action.as_str()) {
                    problems.push(Diagnostic {
                        file: rel.clone(),
                        line: None,
                        operation: Some(op.action.clone()),
                        field: None,
                        message: "the file name must be the action followed by `.yaml`".into(),
                    });
                }
                imported.push((rel.clone(), op));
            }
        }
    }
    match (service, errors, shared) {
        (Some(service), Some(errors), Some(shared)) if problems.is_empty() => Ok(RawSpec {
            service,
            errors,
            shared,
            groups,
            imported,
            sources,
        }),
        _ => Err(Diagnostics(problems).sorted()),
    }
}

fn parse_file<T: DeserializeOwned>(
    sources: &SpecSources,
    rel: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let Some(text) = sources.get(rel) else {
        problems.push(Diagnostic {
            file: rel.to_path_buf(),
            line: None,
            operation: None,
            field: None,
            message: "file is missing".to_owned(),
        });
        return None;
    };
    if let Err((line, message)) = check_bounds(text) {
        problems.push(Diagnostic {
            file: rel.to_path_buf(),
            line,
            operation: None,
            field: None,
            message,
        });
        return None;
    }
    match serde_yaml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.location().map(|l| l.line());
            let operation = line.and_then(|l| enclosing_action(text, l));
            problems.push(Diagnostic {
                file: rel.to_path_buf(),
                line,
                operation,
                field: None,
                message: e.to_string(),
            });
            None
        }
    }
}

/// The action of the operation whose block contains `line` (1-based), found by scanning
/// upwards for `- action: X`. Good enough for the flat layout of group files.
fn enclosing_action(text: &str, line: usize) -> Option<String> {
    text.lines()
        .take(line)
        .collect::<Vec<_>>()
        .iter()
        .rev()
        .find_map(|l| {
            l.trim_start()
                .strip_prefix("- action:")
                .map(|a| a.trim().trim_matches(['"', '\'']).to_owned())
        })
}
