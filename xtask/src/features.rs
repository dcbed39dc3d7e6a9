//! `cargo xtask feature-check`: the generated crate compiles without a single warning or error
//! (clippy's included) with each operation group's feature alone, and with no group at all, as
//! a user who depends on it with `default-features = false` and names only the groups they call
//! builds it. (The default, every group, is what the rest of CI builds.)
//!
//! Each configuration is one `cargo clippy --lib` of the generated package (a check plus the
//! workspace's lints; after CI's workspace-wide clippy the dependencies are already checked, so
//! each configuration costs one check of the crate). Diagnostics are read from cargo's JSON
//! messages and kept only for the generated package, so a warning elsewhere cannot hide or
//! fake one here.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Checks every configuration of the crate at `manifest` whose groups `spec_dir` lists, in
/// `target` (default: cargo's). Returns the per-configuration timings, or every failing
/// configuration with its diagnostics.
pub fn run(spec_dir: &Path, manifest: &Path, target: Option<&Path>) -> Result<String, String> {
    let spec = generator::load_spec(spec_dir).map_err(|d| d.to_string())?;
    let groups: Vec<String> = spec.raw().service.groups.clone();
    let package = package_name(manifest)?;
    let mut configurations: Vec<Option<&str>> = groups.iter().map(|g| Some(g.as_str())).collect();
    configurations.push(None);
    let mut report = String::new();
    let mut failures = Vec::new();
    for features in configurations {
        let started = Instant::now();
        let diagnostics = check(manifest, &package, features, target)?;
        let label = features.map_or_else(|| "(no group)".to_owned(), |f| format!("--features {f}"));
        report.push_str(&format!(
            "{label}: {} diagnostic(s), {:.1} s\n",
            diagnostics.len(),
            started.elapsed().as_secs_f64()
        ));
        if !diagnostics.is_empty() {
            failures.push(format!("{label}:\n{}", diagnostics.join("\n")));
        }
    }
    if failures.is_empty() {
        Ok(format!(
            "{report}{package} compiles without warnings with each of its {} group features alone",
            groups.len()
        ))
    } else {
        Err(format!("{report}\n{}", failures.join("\n\n")))
    }
}

/// `name` of the `[package]` table of `manifest`.
fn package_name(manifest: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("name").map(str::trim) {
                if let Some(name) = value.strip_prefix('=') {
                    return Ok(name.trim().trim_matches('"').to_owned());
                }
            }
        }
    }
    Err(format!("{}: no [package] name", manifest.display()))
}

/// Runs one `cargo clippy` and returns the rendered warnings and errors of `package`.
fn check(
    manifest: &Path,
    package: &str,
    features: Option<&str>,
    target: Option<&Path>,
) -> Result<Vec<String>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("clippy")
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--package", package, "--lib", "--no-default-features"])
        .args(["--message-format", "json"]);
    if let Some(f) = features {
        cmd.args(["--features", f]);
    }
    if let Some(t) = target {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo clippy: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut diagnostics = Vec::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let ours = message["reason"] == "compiler-message"
            && message["package_id"].as_str().is_some_and(|id| {
                // `path+file:///…#name@0.1.0` (current cargo) or `name 0.1.0 (…)` (older).
                id.contains(&format!("#{package}@")) || id.starts_with(&format!("{package} "))
            });
        let level = message["message"]["level"].as_str().unwrap_or_default();
        if ours && matches!(level, "warning" | "error") {
            let rendered = message["message"]["rendered"]
                .as_str()
                .unwrap_or(level)
                .trim_end();
            diagnostics.push(rendered.to_owned());
        }
    }
    if !output.status.success() && diagnostics.is_empty() {
        diagnostics.push(format!(
            "cargo clippy failed:\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(diagnostics)
}
