//! What `cargo xtask codegen` and `cargo xtask api-diff` tell a reviewer about an API change.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers: a panic is the failure report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A copy of the spec in a temporary directory (removed when the guard drops), and where
/// to generate into.
fn scratch() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let spec = dir.path().join("spec");
    copy_dir(&root().join("spec"), &spec);
    let out = dir.path().join("out");
    (dir, spec, out)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Makes `VSwitchId` of CreateVpnGateway required and adds an optional parameter.
fn edit_spec(spec: &Path) {
    let group = spec.join("groups/vpn-gateways.yaml");
    let text = std::fs::read_to_string(&group).unwrap();
    let at = text.find("  - action: CreateVpnGateway").unwrap();
    let (before, after) = text.split_at(at);
    let edited = after.replacen(
        "      - name: VSwitchId\n        type: string\n",
        // Both disagree with the current API metadata, so each records its `decision`.
        "      - {name: Comment, type: string, doc: A comment., decision: Not in the metadata yet.}\n      - name: VSwitchId\n        type: string\n        required: true\n        decision: Required here on purpose.\n",
        1,
    );
    assert_ne!(after, edited, "the edit applies");
    std::fs::write(&group, format!("{before}{edited}")).unwrap();
}

const EXPECTED: &str = "API surface: 1 breaking, 1 compatible change(s).

operation CreateVpnGateway
  BREAKING    param VSwitchId: +required
              now required: requests that do not set it fail validation
  compatible  param Comment: added (rust comment, type Option<String>, in query)
              a new optional parameter: inputs are #[non_exhaustive] and built with setters, so existing calls are unchanged";

#[test]
fn codegen_prints_what_changed_against_the_checked_in_surface() {
    let (_dir, spec, out) = scratch();
    let (spec_s, out_s) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let args = |check: bool| {
        let mut a = vec!["codegen", "--spec", spec_s, "--out", out_s];
        if check {
            a.push("--check");
        }
        a
    };

    let first = xtask(&args(false));
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("API surface: no previous"),
        "{}",
        stderr(&first)
    );
    let again = xtask(&args(true));
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again)
            .trim_end()
            .ends_with("API surface unchanged."),
        "{}",
        stderr(&again)
    );

    edit_spec(&spec);
    let check = xtask(&args(true));
    assert!(!check.status.success());
    assert!(
        stderr(&check).contains("api-surface.txt") && stderr(&check).contains(EXPECTED),
        "{}",
        stderr(&check)
    );
    let run = xtask(&args(false));
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains(EXPECTED), "{}", stderr(&run));
    let after = xtask(&args(false));
    assert!(
        stderr(&after)
            .trim_end()
            .ends_with("API surface unchanged."),
        "{}",
        stderr(&after)
    );
}

#[test]
fn a_corrupt_checked_in_surface_is_named_and_regenerated() {
    let (_dir, spec, out) = scratch();
    let (spec_s, out_s) = (spec.to_str().unwrap(), out.to_str().unwrap());
    assert!(xtask(&["codegen", "--spec", spec_s, "--out", out_s])
        .status
        .success());
    let file = out.join("api-surface.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}<<<<<<< HEAD\n")).unwrap();
    let line = text.lines().count() + 1;

    let run = xtask(&["codegen", "--spec", spec_s, "--out", out_s]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!(
            "API surface not compared: {}:{line}: unknown element `<<<<<<<`",
            file.display()
        )),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn api_diff_compares_two_spec_directories() {
    let (_dir, spec, _) = scratch();
    edit_spec(&spec);
    let old = root().join("spec");
    let (old_s, new_s) = (old.to_str().unwrap(), spec.to_str().unwrap());

    let diff = xtask(&["api-diff", "--old-spec", old_s, "--new-spec", new_s]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert_eq!(stdout(&diff).trim_end(), EXPECTED);

    let deny = xtask(&[
        "api-diff",
        "--old-spec",
        old_s,
        "--new-spec",
        new_s,
        "--deny-breaking",
    ]);
    assert!(!deny.status.success());

    // The default new spec is the workspace's own.
    let same = xtask(&["api-diff", "--old-spec", old_s, "--deny-breaking"]);
    assert!(same.status.success(), "{}", stderr(&same));
    assert_eq!(stdout(&same).trim_end(), "API surface unchanged.");

    let broken = spec.join("groups/vpn-gateways.yaml");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replacen("type: string", "type: strng", 1)).unwrap();
    let invalid = xtask(&["api-diff", "--old-spec", old_s, "--new-spec", new_s]);
    assert!(!invalid.status.success());
    assert!(
        stderr(&invalid).contains("is invalid") && stderr(&invalid).contains("`strng`"),
        "{}",
        stderr(&invalid)
    );
}
