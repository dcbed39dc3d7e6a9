//! The standalone `vpn-gateway-generator` binary, run as a user would: it generates the
//! feature fixture's crate byte for byte as `cargo xtask codegen` does, with the templates it
//! ships, checks it, and reports a broken spec or a missing metadata file as an error.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpn-gateway-generator"))
        .args(args)
        .output()
        .unwrap()
}

/// Every file below `dir`, relative to it, with its contents.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generates_the_fixture_crate_as_xtask_does_then_checks_it() {
    let out = tempfile::tempdir().unwrap();
    let spec = root().join("generator/tests/fixtures/minimal");
    let (spec, out_dir) = (spec.to_str().unwrap(), out.path().to_str().unwrap());
    let written = generator(&["generate", "--spec", spec, "--out", out_dir]);
    assert!(written.status.success(), "{written:?}");
    assert!(String::from_utf8_lossy(&written.stdout).contains("file(s) changed"));

    // The checked-in fixture crate, less its hand-written tests and build output.
    let expected: Vec<(PathBuf, String)> = files(&root().join("generator/tests/fixture-sdk"))
        .into_iter()
        .filter(|(path, _)| !path.starts_with("tests") && !path.starts_with("target"))
        .collect();
    assert_eq!(files(out.path()), expected);

    let checked = generator(&["generate", "--spec", spec, "--out", out_dir, "--check"]);
    assert!(checked.status.success(), "{checked:?}");
    assert!(String::from_utf8_lossy(&checked.stdout).contains("up to date"));

    // A stale file makes the check fail and name it.
    std::fs::write(out.path().join("src/lib.rs"), "// @generated stale\n").unwrap();
    let stale = generator(&["generate", "--spec", spec, "--out", out_dir, "--check"]);
    assert!(!stale.status.success());
    assert!(String::from_utf8_lossy(&stale.stderr).contains("src/lib.rs"));
}

#[test]
fn a_broken_spec_and_a_missing_metadata_file_are_errors() {
    let spec = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let failed = generator(&[
        "generate",
        "--spec",
        spec.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("service.yaml"));
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );

    let missing = generator(&[
        "import-openapi",
        "--metadata",
        "/nonexistent/vpc.json",
        "--spec",
        spec.path().to_str().unwrap(),
        "--all",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/vpc.json"));
}

#[test]
fn the_shipped_templates_are_the_workspaces() {
    let shipped = generator::builtin_templates().sources;
    let on_disk = generator::read_templates(&root().join("templates"))
        .unwrap()
        .sources;
    assert_eq!(
        shipped, on_disk,
        "a template in templates/ is not compiled in, or differs"
    );
}
