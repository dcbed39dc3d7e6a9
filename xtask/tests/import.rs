//! `cargo xtask import-openapi` as a maintainer uses it: imports into a scratch spec, re-runs
//! from the manifest, reports what a changed metadata file brings, `--check` names stale files,
//! operations leaving the scope lose their files, and a failed import writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers: a panic is the failure report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CREATE: &str = r#""CreateThing":{"parameters":[{"name":"RegionId","in":"query","schema":{"type":"string","required":true,"description":"The region, in Alibaba's words."}}],"responses":{"200":{"schema":{"type":"object","properties":{"RequestId":{"type":"string"}}}}}}"#;
const DELETE: &str = r#""DeleteThing":{"parameters":[{"name":"ThingId","in":"query","schema":{"type":"string"}}],"errorCodes":{"400":[{"errorCode":"Thing.Busy","errorMessage":"busy"}]}}"#;

fn metadata(apis: &[&str]) -> String {
    format!(
        r#"{{"info":{{"product":"Vpc","version":"2016-04-28"}},"directories":[{{"title":"Things","children":["CreateThing","DeleteThing"]}}],"apis":{{{}}}}}"#,
        apis.join(",")
    )
}

struct Scratch {
    _dir: TempDir,
    spec: PathBuf,
    meta: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let spec = dir.path().join("spec");
        let meta = dir.path().join("vpc-test.json");
        Scratch {
            _dir: dir,
            spec,
            meta,
        }
    }

    fn write_metadata(&self, text: &str) {
        std::fs::write(&self.meta, text).unwrap();
    }

    fn import(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "import-openapi",
            "--metadata",
            self.meta.to_str().unwrap(),
            "--spec",
            self.spec.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        xtask(&args)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.spec.join("imported").join(name)
    }

    fn snapshot(&self) -> Vec<(PathBuf, String)> {
        let mut out: Vec<_> = std::fs::read_dir(self.spec.join("imported"))
            .unwrap()
            .flatten()
            .map(|e| (e.path(), std::fs::read_to_string(e.path()).unwrap()))
            .collect();
        out.sort();
        out
    }
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stderr(o)
}

#[test]
fn imports_rechecks_reports_changes_and_removes_what_left_the_scope() {
    let s = Scratch::new();
    s.write_metadata(&metadata(&[CREATE, DELETE]));
    let first = ok(&s.import(&["--directories", "Things", "--published", "2025-12-19"]));
    assert!(
        first.contains("added 2: CreateThing, DeleteThing"),
        "{first}"
    );
    for name in ["CreateThing.yaml", "DeleteThing.yaml", "import.yaml"] {
        assert!(s.file(name).is_file(), "{name}");
    }
    let check = ok(&s.import(&["--check"]));
    assert!(
        check.contains("imported files are up to date (2 operations"),
        "{check}"
    );

    // A newer file: one parameter more. `--check` names the stale file and what changed.
    let newer = CREATE.replace(
        r#""parameters":["#,
        r#""parameters":[{"name":"DryRun","in":"query","schema":{"type":"boolean","description":"Whether to only check."}},"#,
    );
    s.write_metadata(&metadata(&[&newer, DELETE]));
    let stale = s.import(&["--check"]);
    assert!(!stale.status.success());
    let message = stderr(&stale);
    assert!(
        message.contains("differs  ") && message.contains("CreateThing.yaml"),
        "{message}"
    );
    assert!(
        message.contains("changed CreateThing\n    + parameter DryRun (type boolean)"),
        "{message}"
    );
    assert!(
        message.contains("run `cargo xtask import-openapi --metadata"),
        "{message}"
    );
    let rerun = ok(&s.import(&["--show-docs"]));
    assert!(
        rerun.contains("        | Whether to only check."),
        "{rerun}"
    );
    assert!(rerun.contains("1 operation(s) unchanged"), "{rerun}");
    for (path, text) in s.snapshot() {
        assert!(
            !text.contains("Whether to only check"),
            "{}",
            path.display()
        );
        assert!(!text.contains("in Alibaba's words"), "{}", path.display());
    }

    // DeleteThing leaves the scope (its directory no longer lists it): its file goes, a
    // hand-written file beside it stays.
    std::fs::write(s.file("NOTES.md"), "kept\n").unwrap();
    s.write_metadata(&metadata(&[&newer, DELETE]).replace(r#","DeleteThing"]"#, "]"));
    let removed = ok(&s.import(&[]));
    assert!(removed.contains("removed 1: DeleteThing"), "{removed}");
    assert!(!s.file("DeleteThing.yaml").exists());
    assert!(s.file("NOTES.md").exists());
    let manifest = std::fs::read_to_string(s.file("import.yaml")).unwrap();
    assert!(manifest.ends_with("scope:\n- CreateThing\n"), "{manifest}");
}

#[test]
fn a_failed_import_writes_nothing() {
    let s = Scratch::new();
    s.write_metadata(&metadata(&[CREATE, DELETE]));
    ok(&s.import(&[
        "--operations",
        "CreateThing,DeleteThing",
        "--published",
        "2025-12-19",
    ]));
    let before = s.snapshot();

    let broken = DELETE.replace(r#""type":"string""#, r#""type":"text""#);
    s.write_metadata(&metadata(&[CREATE, &broken]));
    let failed = s.import(&["--operations", "Missing"]);
    assert!(!failed.status.success());
    let message = stderr(&failed);
    assert!(
        message.contains(
            "vpc-test.json: operation DeleteThing: parameter ThingId: unknown `type: text`"
        ),
        "{message}"
    );
    assert!(
        message.contains("vpc-test.json: operation Missing: the operation is not in the metadata"),
        "{message}"
    );
    assert!(
        message.ends_with("2 problems in the import; nothing was written\n"),
        "{message}"
    );
    assert_eq!(s.snapshot(), before);

    s.write_metadata("{\"info\": ");
    let malformed = stderr(&s.import(&[]));
    assert!(
        malformed.contains("vpc-test.json:1:9: malformed metadata: EOF while parsing a value"),
        "{malformed}"
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn a_first_import_needs_a_date_and_a_scope() {
    let s = Scratch::new();
    s.write_metadata(&metadata(&[CREATE]));
    let no_date = stderr(&s.import(&["--operations", "CreateThing"]));
    assert!(
        no_date.contains("--published YYYY-MM-DD is required"),
        "{no_date}"
    );
    let no_scope = stderr(&s.import(&["--published", "2025-12-19"]));
    assert!(no_scope.contains("nothing to import"), "{no_scope}");
    assert!(!Path::new(&s.spec).exists());
}
