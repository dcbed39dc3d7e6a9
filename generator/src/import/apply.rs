//! Applying an import to a spec directory: the only place the imported layer
//! (`spec/imported/`) is written, for `cargo xtask import-openapi` and the
//! `vpn-gateway-generator` binary alike.
//!
//! The import runs in memory ([`crate::import::import`]); only when it succeeds are the
//! files whose content changed written and the imported files of operations no longer in
//! scope removed. With `--check` nothing is written: stale files are listed with the command to
//! run. Either way the report says which operations were added, removed or changed and, for the
//! changed ones, which parameters, fields and errors changed (`--show-docs` adds the metadata's
//! description of each changed element, for the terminal only).
//!
//! With `--scaffold-groups` (scratch spec directories only, never the workspace's `spec/`) it
//! also writes the minimal curated layer the merge needs to place every imported operation
//! ([`crate::import::scaffold`]): it overwrites or removes only files an earlier scaffold
//! wrote, and refuses before writing anything otherwise.

use crate::import::diff::{self, ChangeKind};
use crate::import::{self, scaffold};
use crate::import::{ImportOutcome, ImportRequest, Manifest, MANIFEST_FILE, MARKER};
use crate::imported::{ImportedOperation, IMPORTED_DIR};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Largest metadata file read, in bytes (the Vpc file is under 3 MB).
const MAX_METADATA_BYTES: u64 = 64 << 20;

/// What to import from where.
#[derive(Debug)]
pub struct Options {
    pub metadata: PathBuf,
    pub spec_dir: PathBuf,
    pub operations: Vec<String>,
    pub directories: Vec<String>,
    pub all: bool,
    pub published: Option<String>,
    pub check: bool,
    pub show_docs: bool,
    /// Also write minimal curated files (service, errors, shared, one group per metadata
    /// directory) from the templates in this directory; `None` writes none.
    pub scaffold_from: Option<PathBuf>,
    /// The workspace's own spec directory, which is never scaffolded.
    pub protected_spec: PathBuf,
}

/// Imports, then writes or checks. Returns the report, or every problem as one message.
pub fn run(options: &Options) -> Result<String, String> {
    let text = read_metadata(&options.metadata)?;
    let name = options
        .metadata
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a file name", options.metadata.display()))?;
    let dir = options.spec_dir.join(IMPORTED_DIR);
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest: Option<Manifest> = match std::fs::read_to_string(&manifest_path) {
        Ok(t) => Some(
            serde_yaml::from_str(&t).map_err(|e| format!("{}: {e}", manifest_path.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", manifest_path.display())),
    };
    let request = ImportRequest {
        manifest,
        operations: options.operations.clone(),
        directories: options.directories.clone(),
        all: options.all,
        published: options.published.clone(),
        collect_docs: options.show_docs,
    };
    let outcome = import::import(&text, name, &request).map_err(|e| e.to_string())?;

    let on_disk = imported_files(&dir);
    let wanted: BTreeMap<PathBuf, &str> = outcome
        .files
        .iter()
        .map(|f| (options.spec_dir.join(&f.path), f.contents.as_str()))
        .collect();
    let mut stale = Vec::new();
    for (path, contents) in &wanted {
        match on_disk.get(path) {
            Some(current) if current == contents => {}
            Some(_) => stale.push(format!("  differs  {}", path.display())),
            None => stale.push(format!("  missing  {}", path.display())),
        }
    }
    let orphans: Vec<&PathBuf> = on_disk
        .keys()
        .filter(|p| !wanted.contains_key(*p))
        .collect();
    stale.extend(
        orphans
            .iter()
            .map(|p| format!("  orphaned {}", p.display())),
    );

    let report = report(&outcome, &on_disk, &dir, options.show_docs);
    if options.check {
        if stale.is_empty() {
            return Ok(format!(
                "imported files are up to date ({} operations from {name}, published {})",
                outcome.operations.len(),
                outcome.manifest.published
            ));
        }
        return Err(format!(
            "imported files are stale:\n{}\n{report}run `cargo xtask import-openapi --metadata {}` \
             and commit the result",
            stale.join("\n"),
            options.metadata.display()
        ));
    }
    let scaffolded = match &options.scaffold_from {
        Some(templates) => Some(prepare_scaffold(options, templates, &text, name, &outcome)?),
        None => None,
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (path, contents) in &wanted {
        if on_disk.get(path).map(String::as_str) != Some(*contents) {
            std::fs::write(path, contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    for path in orphans {
        std::fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    let scaffold_report = match scaffolded {
        Some(plan) => plan.write()?,
        None => String::new(),
    };
    Ok(format!(
        "{report}{} file(s) changed{scaffold_report}",
        stale.len()
    ))
}

/// The scaffolded curated files to write and the stale ones to remove, checked before
/// anything is written.
struct ScaffoldPlan {
    spec_dir: PathBuf,
    files: Vec<scaffold::ScaffoldFile>,
    stale: Vec<PathBuf>,
    groups: usize,
}

impl ScaffoldPlan {
    fn write(self) -> Result<String, String> {
        let groups_dir = self.spec_dir.join(crate::loader::GROUPS_DIR);
        std::fs::create_dir_all(&groups_dir)
            .map_err(|e| format!("cannot create {}: {e}", groups_dir.display()))?;
        for f in &self.files {
            let path = self.spec_dir.join(&f.path);
            std::fs::write(&path, &f.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        for path in &self.stale {
            std::fs::remove_file(path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
        Ok(format!(
            "\nscaffolded {} curated files ({} groups) in {}",
            self.files.len(),
            self.groups,
            self.spec_dir.display()
        ))
    }
}

/// Renders the scaffold for `outcome` and checks that it overwrites only files an earlier
/// scaffold wrote, and never the workspace's own spec.
fn prepare_scaffold(
    options: &Options,
    templates_dir: &Path,
    metadata_text: &str,
    metadata_name: &str,
    outcome: &ImportOutcome,
) -> Result<ScaffoldPlan, String> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&options.spec_dir, &options.protected_spec) {
        return Err(format!(
            "--scaffold-groups writes placeholder curated files; it refuses the workspace's own \
             spec {} (pass a scratch --spec DIR)",
            options.spec_dir.display()
        ));
    }
    let read = |file: &str| {
        let path = templates_dir.join(file);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (service, errors, shared) = (
        read(crate::loader::SERVICE_FILE)?,
        read(crate::loader::ERRORS_FILE)?,
        read(crate::loader::SHARED_FILE)?,
    );
    let templates = scaffold::Templates {
        service: &service,
        errors: &errors,
        shared: &shared,
    };
    let actions: Vec<String> = outcome
        .operations
        .iter()
        .map(|o| o.action.clone())
        .collect();
    let files = scaffold::scaffold(metadata_text, metadata_name, &actions, &templates)?;
    let scaffolded = |path: &Path| {
        std::fs::read_to_string(path).is_ok_and(|t| {
            t.lines()
                .next()
                .is_some_and(|l| l.contains(scaffold::SCAFFOLD_MARKER))
        })
    };
    let mut refused = Vec::new();
    for f in &files {
        let path = options.spec_dir.join(&f.path);
        if path.exists() && !scaffolded(&path) {
            refused.push(format!("  {}", path.display()));
        }
    }
    if !refused.is_empty() {
        return Err(format!(
            "--scaffold-groups would overwrite curated files it did not write:\n{}",
            refused.join("\n")
        ));
    }
    let wanted: Vec<PathBuf> = files
        .iter()
        .map(|f| options.spec_dir.join(&f.path))
        .collect();
    let groups_dir = options.spec_dir.join(crate::loader::GROUPS_DIR);
    let stale = std::fs::read_dir(&groups_dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| !wanted.contains(p) && scaffolded(p))
                .collect()
        })
        .unwrap_or_default();
    let groups = files
        .iter()
        .filter(|f| f.path.starts_with(crate::loader::GROUPS_DIR))
        .count();
    Ok(ScaffoldPlan {
        spec_dir: options.spec_dir.clone(),
        files,
        stale,
        groups,
    })
}

fn read_metadata(path: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_METADATA_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_METADATA_BYTES {
        return Err(format!(
            "{}: larger than {MAX_METADATA_BYTES} bytes; refused",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))
}

/// Every file in `dir` the importer wrote (first line carries the marker), by path.
fn imported_files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.extension().is_some_and(|e| e == "yaml") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if text.lines().next().is_some_and(|l| l.contains(MARKER)) {
                    out.insert(path, text);
                }
            }
        }
    }
    out
}

/// Operations added, removed and changed with respect to the files on disk.
fn report(
    outcome: &ImportOutcome,
    on_disk: &BTreeMap<PathBuf, String>,
    dir: &Path,
    show_docs: bool,
) -> String {
    let m = &outcome.manifest;
    let mut out = format!(
        "{} ({} {}, published {}): {} operations in scope\n",
        m.metadata,
        m.product,
        m.version,
        m.published,
        outcome.operations.len()
    );
    for w in &outcome.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let old_ops: BTreeMap<String, &String> = on_disk
        .iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n != MANIFEST_FILE))
        .filter_map(|(p, t)| Some((p.file_stem()?.to_str()?.to_owned(), t)))
        .collect();
    let new_texts: BTreeMap<&str, &str> = outcome
        .files
        .iter()
        .filter_map(|f| Some((f.path.file_stem()?.to_str()?, f.contents.as_str())))
        .collect();
    let (mut added, mut redated, mut unchanged) = (Vec::new(), 0, 0);
    let mut changed = String::new();
    for op in &outcome.operations {
        let Some(old_text) = old_ops.get(&op.action) else {
            added.push(op.action.as_str());
            continue;
        };
        if new_texts.get(op.action.as_str()) == Some(&old_text.as_str()) {
            unchanged += 1; // Identical text: no need to read it back.
            continue;
        }
        let old: ImportedOperation = match serde_yaml::from_str(old_text) {
            Ok(old) => old,
            Err(e) => {
                let _ = writeln!(
                    changed,
                    "changed {} (the old file does not read: {e})",
                    op.action
                );
                continue;
            }
        };
        let changes = diff::changes(&old, op);
        if changes.is_empty() {
            if old != *op {
                redated += 1;
            } else {
                unchanged += 1;
            }
            continue;
        }
        let _ = writeln!(changed, "changed {}", op.action);
        let docs = outcome.docs.get(&op.action);
        for c in changes {
            let _ = writeln!(changed, "    {c}");
            let doc = docs.and_then(|d| d.get(&c.element));
            if let (true, ChangeKind::Added | ChangeKind::Changed, Some(doc)) =
                (show_docs, c.kind, doc)
            {
                for line in doc.lines() {
                    let _ = writeln!(changed, "        | {line}");
                }
            }
        }
    }
    let removed: Vec<&str> = old_ops
        .keys()
        .filter(|a| !outcome.operations.iter().any(|o| &o.action == *a))
        .map(String::as_str)
        .collect();
    if !added.is_empty() {
        let _ = writeln!(out, "added {}: {}", added.len(), added.join(", "));
    }
    if !removed.is_empty() {
        let _ = writeln!(out, "removed {}: {}", removed.len(), removed.join(", "));
    }
    out.push_str(&changed);
    if redated > 0 {
        let _ = writeln!(out, "{redated} operation(s) changed only in provenance");
    }
    let _ = writeln!(
        out,
        "{unchanged} operation(s) unchanged in {}",
        dir.display()
    );
    out
}
