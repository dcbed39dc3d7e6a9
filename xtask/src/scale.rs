//! `cargo xtask scale-proof`: the whole pipeline on every operation of Alibaba's Vpc metadata,
//! in a scratch directory, nothing checked in.
//!
//! 1. `import-openapi --all --scaffold-groups` into `OUT/spec` (the imported layer of all 394
//!    operations and a placeholder curated layer, one group per metadata directory);
//! 2. `codegen --spec OUT/spec --out OUT/workspace/generated-sdk`;
//! 3. a scratch workspace beside it (copies of `runtime/` and `formats/`, this workspace's
//!    manifest and lockfile, so the versions are the same), the generated lines counted;
//! 4. `cargo check` of the dependencies once, then of the generated crate alone, `--runs`
//!    times (its sources touched in between), under `/usr/bin/time -v` for the peak memory;
//! 5. with `--each-group`, `feature-check` on it: each group's feature alone, no warning.
//!
//! Figures are printed; `BENCHMARKS.md` records them with the command. Import and generation
//! times are of one in-process run, so build `xtask` with `--release` for them. The target
//! directory (`OUT/target`, about 1 GB) is removed at the end unless `--keep-target`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug)]
pub struct Options {
    /// The workspace root (runtime, formats, manifest, lockfile, templates, curated spec).
    pub root: PathBuf,
    /// The metadata file.
    pub metadata: PathBuf,
    /// Its publication date.
    pub published: String,
    /// Scratch directory.
    pub out: PathBuf,
    /// Timed checks of the generated crate.
    pub runs: usize,
    /// Keep `OUT/target`.
    pub keep_target: bool,
    /// Also check the crate with each group feature alone.
    pub each_group: bool,
}

/// One `cargo check`: wall time, peak resident memory of the largest process (rustc), and the
/// crate's warnings.
#[derive(Debug)]
struct Check {
    wall: Duration,
    /// User plus system CPU time, steadier than wall time on a shared machine.
    cpu_secs: Option<f64>,
    peak_kib: Option<u64>,
    warnings: usize,
}

/// Runs the proof and returns the report.
pub fn run(o: &Options) -> Result<String, String> {
    check_out_dir(&o.root, &o.out, &["spec", "workspace", "target"])?;
    let spec = o.out.join("spec");
    let workspace = o.out.join("workspace");
    let sdk = workspace.join("generated-sdk");
    for dir in [&spec, &workspace] {
        remove_dir(dir)?;
    }
    let mut report = String::new();
    let build = if cfg!(debug_assertions) {
        "debug build of xtask: use `cargo run --release -p xtask -- scale-proof` for timings"
    } else {
        "release build of xtask"
    };
    report.push_str(&format!("scale proof in {} ({build})\n", o.out.display()));

    let started = Instant::now();
    let imported = generator::import::apply::run(&generator::import::apply::Options {
        metadata: o.metadata.clone(),
        spec_dir: spec.clone(),
        operations: Vec::new(),
        directories: Vec::new(),
        all: true,
        published: Some(o.published.clone()),
        check: false,
        show_docs: false,
        scaffold_from: Some(o.root.join("spec")),
        protected_spec: o.root.join("spec"),
    })?;
    let import_time = started.elapsed();
    let scaffolded = imported.lines().last().unwrap_or_default().to_owned();
    report.push_str(&format!(
        "import (all operations, scaffolded groups): {} ms; {scaffolded}\n",
        import_time.as_millis()
    ));

    let started = Instant::now();
    let generated = generator::codegen::run(&generator::codegen::Options {
        spec_dir: spec.clone(),
        out_dir: sdk.clone(),
        templates_dir: Some(o.root.join("templates")),
        check: false,
        schema: true,
    })?;
    let generate_time = started.elapsed();
    let summary = generated.lines().next().unwrap_or_default().to_owned();
    report.push_str(&format!(
        "generation: {} ms; {summary}\n",
        generate_time.as_millis()
    ));

    let operations = count_files(&sdk.join("src/operation"))?;
    let operation_lines = code_lines(&sdk.join("src/operation"), |_| true)?;
    // The generated tests and the server side (feature `server`, off by default) are counted
    // apart: a client user compiles neither.
    let other_lines = code_lines(&sdk.join("src"), |name| {
        !matches!(name, "seed_examples.rs" | "wire_cases.rs" | "server.rs")
    })?;
    let server_lines = code_lines(&sdk.join("src"), |name| name == "server.rs")?;
    let total = operation_lines + other_lines;
    report.push_str(&format!(
        "generated non-comment lines (tests excluded): {operation_lines} in operation modules + \
         {other_lines} in types, client, error codes, lib and index = {total}, {:.0} per \
         operation ({operations} operations); server side (feature `server`) {server_lines} more\n",
        total as f64 / operations.max(1) as f64
    ));

    scratch_workspace(&o.root, &workspace)?;
    let target = o.out.join("target");
    let deps = cargo_check(&workspace, &target, "vpn-gateway-runtime")?;
    report.push_str(&format!(
        "cargo check of the dependencies (runtime and below, once): {:.1} s\n",
        deps.wall.as_secs_f64()
    ));
    let mut checks = Vec::new();
    for _ in 0..o.runs.max(1) {
        touch(&sdk.join("src/lib.rs"))?;
        let c = cargo_check(&workspace, &target, "vpn-gateway-sdk")?;
        report.push_str(&format!(
            "cargo check of the generated crate: {:.1} s (CPU {}), peak {}, {} warning(s)\n",
            c.wall.as_secs_f64(),
            c.cpu_secs
                .map_or_else(|| "unknown".to_owned(), |s| format!("{s:.1} s")),
            c.peak_kib
                .map_or_else(|| "unknown".to_owned(), |k| format!("{} MiB", k / 1024)),
            c.warnings
        ));
        checks.push(c);
    }
    checks.sort_by_key(|c| c.wall);
    if let Some(median) = checks.get(checks.len() / 2) {
        report.push_str(&format!(
            "median cargo check of the generated crate over {} run(s): {:.1} s (budget < 60 s)\n",
            checks.len(),
            median.wall.as_secs_f64()
        ));
    }
    let mut failure = checks
        .iter()
        .any(|c| c.warnings > 0)
        .then(|| "the generated crate has warnings".to_owned());
    if o.each_group {
        let started = Instant::now();
        let groups = crate::features::run(&spec, &sdk.join("Cargo.toml"), Some(&target));
        let elapsed = started.elapsed().as_secs_f64();
        match groups {
            Ok(text) => report.push_str(&format!(
                "{} ({elapsed:.0} s in all)\n",
                text.lines().last().unwrap_or_default()
            )),
            Err(text) => failure = Some(text),
        }
    }
    report.push_str(&format!("load average at the end: {}\n", load_average()));
    if !o.keep_target {
        remove_dir(&target)?;
    }
    match failure {
        Some(why) => Err(format!("{report}{why}")),
        None => Ok(report),
    }
}

/// A scratch directory is emptied piece by piece: it must lie outside the workspace and hold
/// nothing but the entries `ours` an earlier run left.
pub(crate) fn check_out_dir(root: &Path, out: &Path, ours: &[&str]) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let (root, out_abs) = match (root.canonicalize(), out.canonicalize()) {
        (Ok(r), Ok(o)) => (r, o),
        _ => return Err(format!("cannot resolve {}", out.display())),
    };
    if out_abs.starts_with(&root) || root.starts_with(&out_abs) {
        return Err(format!(
            "--out {} must lie outside the workspace {}",
            out.display(),
            root.display()
        ));
    }
    let foreign: Vec<String> = std::fs::read_dir(&out_abs)
        .map_err(|e| format!("cannot read {}: {e}", out.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !ours.contains(&n.as_str()))
        .collect();
    if !foreign.is_empty() {
        return Err(format!(
            "--out {} holds other files ({}); pass an empty or new directory",
            out.display(),
            foreign.join(", ")
        ));
    }
    Ok(())
}

/// A workspace in `dir` with the generated crate (already in `dir/generated-sdk`) and copies
/// of the runtime crates, with this workspace's dependency versions and lockfile.
fn scratch_workspace(root: &Path, dir: &Path) -> Result<(), String> {
    for krate in ["runtime", "formats"] {
        copy_tree(&root.join(krate), &dir.join(krate))?;
    }
    let manifest = read(&root.join("Cargo.toml"))?;
    let mut out = String::new();
    let mut replaced = false;
    for line in manifest.lines() {
        if line.trim_start().starts_with("members") && !replaced {
            out.push_str("members = [\"formats\", \"generated-sdk\", \"runtime\"]\n");
            replaced = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !replaced {
        return Err("the workspace manifest has no `members` line".into());
    }
    write(&dir.join("Cargo.toml"), &out)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// `cargo check -p package` in `workspace`, timed, with the peak memory when `/usr/bin/time`
/// is there.
fn cargo_check(workspace: &Path, target: &Path, package: &str) -> Result<Check, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.is_file() {
        let mut c = Command::new(gnu_time);
        c.arg("-v").arg(&cargo);
        c
    } else {
        Command::new(&cargo)
    };
    cmd.current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .args(["check", "--package", package, "--lib"]);
    let started = Instant::now();
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("cargo check -p {package} failed:\n{stderr}"));
    }
    let field = |name: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(str::trim)
            .map(str::to_owned)
    };
    let peak_kib = field("Maximum resident set size (kbytes):").and_then(|v| v.parse().ok());
    let seconds = |name: &str| field(name).and_then(|v| v.parse::<f64>().ok());
    let cpu_secs = seconds("User time (seconds):")
        .zip(seconds("System time (seconds):"))
        .map(|(u, s)| u + s);
    let warnings = stderr
        .lines()
        .filter(|l| l.starts_with("warning:") && !l.contains("generated "))
        .count();
    Ok(Check {
        wall,
        cpu_secs,
        peak_kib,
        warnings,
    })
}

/// Non-blank lines that are not `//` comments in the `.rs` files of `dir` whose names pass
/// `keep` (not recursive).
fn code_lines(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<usize, String> {
    let mut total = 0;
    for path in rust_files(dir)? {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if keep(name) {
            total += read(&path)?
                .lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .count();
        }
    }
    Ok(total)
}

fn count_files(dir: &Path) -> Result<usize, String> {
    Ok(rust_files(dir)?.len())
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    Ok(entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "rs"))
        .collect())
}

/// Copies `from` to `to` recursively, leaving out `target` directories.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&path, &dest)?;
            }
        } else {
            std::fs::copy(&path, &dest)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Rewrites the file unchanged, so cargo sees it as modified.
fn touch(path: &Path) -> Result<(), String> {
    let text = read(path)?;
    write(path, &text)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let parts: Vec<&str> = l.split_whitespace().take(3).collect();
            (parts.len() == 3).then(|| parts.join(" "))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::check_out_dir;

    const OURS: &[&str] = &["spec", "workspace", "target"];

    #[test]
    fn the_scratch_directory_lies_outside_the_workspace_and_holds_only_its_own_files() {
        let tmp = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
        for inside in [root.clone(), root.join("scratch"), tmp.path().to_path_buf()] {
            let err = check_out_dir(&root, &inside, OURS).expect_err("refused");
            assert!(err.contains("must lie outside the workspace"), "{err}");
        }
        let out = tmp.path().join("proof");
        assert_eq!(check_out_dir(&root, &out, OURS), Ok(()));
        std::fs::create_dir_all(out.join("spec")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_out_dir(&root, &out, OURS), Ok(()));
        std::fs::write(out.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
        let err = check_out_dir(&root, &out, OURS).expect_err("refused");
        assert!(err.contains("holds other files (notes.txt)"), "{err}");
    }
}
