//! Writing a generated crate: the only place generated files are written, for `cargo xtask
//! codegen` and the `vpn-gateway-generator` binary alike.
//!
//! Files are written only when their content changed (so builds stay incremental and
//! timestamps mean something) and generated files without a source any more are removed.
//! With `--check` nothing is written: every difference is listed with the command to run.
//!
//! Without `--spec`/`--out` it keeps two crates fresh: the SDK (`spec/` → `generated-sdk/`)
//! and the fixture crate (`generator/tests/fixtures/minimal/` → `generator/tests/fixture-sdk/`),
//! the generator's feature fixture compiled, linted and tested as a workspace member.

use crate::emit::GENERATED_MARKER;
use crate::surface::{self, ApiSurface, SURFACE_FILE};
use crate::{GeneratedFile, Spec};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to generate from where.
#[derive(Debug)]
pub struct Options {
    pub spec_dir: PathBuf,
    pub out_dir: PathBuf,
    /// The templates; `None` for the ones this generator ships.
    pub templates_dir: Option<PathBuf>,
    pub check: bool,
    /// Also keep the spec's JSON Schema (`schema.json` in the spec directory) fresh.
    pub schema: bool,
}

/// The spec directory of the generator's feature fixture, relative to the workspace root.
pub const FIXTURE_SPEC: &str = "generator/tests/fixtures/minimal";
/// The crate generated from it, a member of the workspace.
pub const FIXTURE_CRATE: &str = "generator/tests/fixture-sdk";

/// What `cargo xtask codegen` regenerates by default: the SDK with the workspace's spec schema,
/// then the fixture crate.
pub fn workspace_targets(root: &Path, check: bool) -> Vec<Options> {
    let templates_dir = root.join("templates");
    vec![
        Options {
            spec_dir: root.join("spec"),
            out_dir: root.join("generated-sdk"),
            templates_dir: Some(templates_dir.clone()),
            check,
            schema: true,
        },
        Options {
            spec_dir: root.join(FIXTURE_SPEC),
            out_dir: root.join(FIXTURE_CRATE),
            templates_dir: Some(templates_dir),
            check,
            schema: false,
        },
    ]
}

/// Runs every target, all of them even when one fails; each report is headed by its output
/// directory when there are several. Fails if any target failed.
pub fn run_all(targets: &[Options]) -> Result<String, String> {
    let results: Vec<(&Options, Result<String, String>)> =
        targets.iter().map(|t| (t, run(t))).collect();
    let failed = results.iter().any(|(_, r)| r.is_err());
    let text = match results.as_slice() {
        [(_, Ok(one) | Err(one))] => one.clone(),
        _ => results
            .iter()
            .map(|(t, Ok(r) | Err(r))| format!("{}:\n{r}", t.out_dir.display()))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if failed {
        Err(text)
    } else {
        Ok(text)
    }
}

/// A file whose on-disk state differs from what the spec generates.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Created(PathBuf),
    Updated(PathBuf),
    Removed(PathBuf),
}

/// Generates, then writes or checks. Returns a summary, or every problem as one message.
pub fn run(options: &Options) -> Result<String, String> {
    let spec = crate::load_spec(&options.spec_dir).map_err(|d| d.to_string())?;
    let templates = match &options.templates_dir {
        Some(dir) => crate::read_templates(dir)
            .map_err(|e| format!("cannot read templates in {}: {e}", dir.display()))?,
        None => crate::builtin_templates(),
    };
    let files = crate::generate(&spec, &templates).map_err(|e| e.to_string())?;
    // Read the checked-in surface now, before anything is written.
    let surface = against_checked_in(&options.out_dir, &surface_of(&spec)?);

    let operations = files
        .iter()
        .filter(|f| f.path.starts_with("src/operation/"))
        .count();
    let mut wanted: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|GeneratedFile { path, contents }| (options.out_dir.join(path), contents))
        .collect();
    if options.schema {
        wanted.push((
            options.spec_dir.join(crate::schema::SCHEMA_FILE),
            crate::schema::render_schema(),
        ));
    }

    // Only the contents of files that change are kept, to be written.
    let mut changes = Vec::new();
    let mut keep: BTreeSet<PathBuf> = BTreeSet::new();
    let mut contents_of: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (path, contents) in wanted {
        match std::fs::read_to_string(&path) {
            Ok(current) if current == contents => {}
            Ok(_) => {
                changes.push(Change::Updated(path.clone()));
                contents_of.insert(path.clone(), contents);
            }
            Err(_) => {
                changes.push(Change::Created(path.clone()));
                contents_of.insert(path.clone(), contents);
            }
        }
        keep.insert(path);
    }
    for orphan in generated_files_under(&options.out_dir) {
        if !keep.contains(&orphan) {
            changes.push(Change::Removed(orphan));
        }
    }
    changes.sort();
    let total = keep.len();

    if options.check {
        if changes.is_empty() {
            return Ok(format!(
                "generated files are up to date ({total} files, {operations} operations)\n{surface}"
            ));
        }
        let mut msg = String::from("generated files are stale:\n");
        for c in &changes {
            let _ = match c {
                Change::Created(p) => writeln!(msg, "  missing  {}", p.display()),
                Change::Updated(p) => writeln!(msg, "  differs  {}", p.display()),
                Change::Removed(p) => writeln!(msg, "  orphaned {}", p.display()),
            };
        }
        msg.push_str("run `cargo xtask codegen` and commit the result\n\n");
        msg.push_str(&surface);
        return Err(msg);
    }

    for c in &changes {
        match c {
            Change::Created(p) | Change::Updated(p) => {
                let contents = contents_of.get(p).map_or("", String::as_str);
                if let Some(dir) = p.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                std::fs::write(p, contents)
                    .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
            }
            Change::Removed(p) => std::fs::remove_file(p)
                .map_err(|e| format!("cannot remove {}: {e}", p.display()))?,
        }
    }
    Ok(format!(
        "{} file(s) changed; {total} files, {operations} operations\n{surface}",
        changes.len()
    ))
}

/// Every file below `dir` whose first line carries the generated marker. Hand-written files
/// that happen to live there are never touched.
fn generated_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| t.lines().next().map(|l| l.contains(GENERATED_MARKER)))
                .unwrap_or(false)
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The surface the SDK generated from `spec` has.
pub fn surface_of(spec: &Spec) -> Result<ApiSurface, String> {
    crate::ir::lower(spec)
        .map(|ir| ApiSurface::from_ir(&ir))
        .map_err(|e| e.to_string())
}

/// The change summary from the surface checked in below `out_dir` to `new`. A missing or
/// unreadable file is said so instead (generation rewrites it either way).
pub fn against_checked_in(out_dir: &Path, new: &ApiSurface) -> String {
    let path = out_dir.join(SURFACE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return format!(
                "API surface: no previous {} to compare with.",
                path.display()
            )
        }
        Err(e) => {
            return format!(
                "API surface not compared: cannot read {}: {e}",
                path.display()
            )
        }
    };
    match ApiSurface::parse(&text) {
        Ok(old) => surface::summary(&surface::diff(&old, new)),
        Err(e) => format!(
            "API surface not compared: {}",
            e.in_file(path.display().to_string())
        ),
    }
}
