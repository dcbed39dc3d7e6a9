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

/// Operations in a directory, in a subdirectory, listed twice, and in no directory.
const LIST: &str = r#""ListThings":{"parameters":[],"responses":{"200":{"schema":{"type":"object","properties":{"RequestId":{"type":"string"}}}}}}"#;

fn tree_metadata() -> String {
    format!(
        r#"{{"info":{{"product":"Vpc","version":"2016-04-28"}},"directories":[
{{"title":"Things","children":["CreateThing",{{"title":"Things","children":["DeleteThing","CreateThing"]}}]}}],
"apis":{{{CREATE},{DELETE},{LIST}}}}}"#
    )
}

fn workspace_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

#[test]
fn scaffold_groups_writes_a_curated_layer_that_generates() {
    let s = Scratch::new();
    s.write_metadata(&tree_metadata());
    let args = ["--all", "--published", "2025-12-19", "--scaffold-groups"];
    let out = ok(&s.import(&args));
    assert!(
        out.contains("scaffolded 6 curated files (3 groups)"),
        "{out}"
    );
    let read = |rel: &str| std::fs::read_to_string(s.spec.join(rel)).unwrap();
    // The subdirectory has its parent's title, so its id takes the parent's in front.
    let things = read("groups/things.yaml");
    assert!(things.contains("- action: CreateThing\n  summary: '`CreateThing` (see the official reference).'\n  source: vpc-test.json, directory Things\n"), "{things}");
    assert!(!things.contains("DeleteThing"), "{things}");
    let nested = read("groups/things-things.yaml");
    assert!(nested.contains("title: Things / Things"), "{nested}");
    assert!(nested.contains("- action: DeleteThing"), "{nested}");
    assert!(!nested.contains("CreateThing"), "placed once: {nested}");
    let other = read("groups/other-operations.yaml");
    assert!(other.contains("- action: ListThings"), "{other}");
    let service = read("service.yaml");
    assert!(
        service.contains("groups:\n- things\n- things-things\n- other-operations\n"),
        "{service}"
    );
    for (rel, text) in [("groups/things.yaml", &things), ("service.yaml", &service)] {
        assert!(
            text.starts_with("# @generated by cargo xtask import-openapi --scaffold-groups"),
            "{rel}"
        );
        assert!(!text.contains("in Alibaba's words"), "{rel}");
    }
    assert_eq!(
        read("errors.yaml").lines().nth(1),
        std::fs::read_to_string(workspace_spec().join("errors.yaml"))
            .unwrap()
            .lines()
            .next()
    );

    // The scaffolded spec merges, validates and generates.
    let sdk = s.spec.parent().unwrap().join("sdk");
    let generated = ok(&xtask(&[
        "codegen",
        "--spec",
        s.spec.to_str().unwrap(),
        "--out",
        sdk.to_str().unwrap(),
    ]));
    assert!(generated.contains("3 operations"), "{generated}");
    let manifest = std::fs::read_to_string(sdk.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"things\", \"things-things\", \"other-operations\"]"),
        "{manifest}"
    );

    // A second scaffold replaces its own files; a group the tree no longer has is removed.
    s.write_metadata(&tree_metadata().replace(
        r#",{"title":"Things","children":["DeleteThing","CreateThing"]}"#,
        "",
    ));
    let again = ok(&s.import(&["--scaffold-groups"]));
    assert!(again.contains("(2 groups)"), "{again}");
    assert!(!s.spec.join("groups/things-things.yaml").exists());
    assert!(read("groups/other-operations.yaml").contains("- action: DeleteThing"));
}

#[test]
fn scaffold_groups_never_overwrites_curated_files() {
    let s = Scratch::new();
    s.write_metadata(&tree_metadata());
    std::fs::create_dir_all(s.spec.join("groups")).unwrap();
    std::fs::write(s.spec.join("groups/things.yaml"), "id: things\n").unwrap();
    let refused = s.import(&["--all", "--published", "2025-12-19", "--scaffold-groups"]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("would overwrite curated files it did not write")
            && message.contains("things.yaml"),
        "{message}"
    );
    assert!(!s.spec.join("imported").exists(), "nothing written");
    assert_eq!(
        std::fs::read_to_string(s.spec.join("groups/things.yaml")).unwrap(),
        "id: things\n"
    );
}

#[test]
fn scaffold_groups_refuses_the_workspace_spec() {
    // A throwaway workspace, so a broken refusal could damage nothing real.
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
    std::fs::create_dir_all(dir.path().join("xtask")).unwrap();
    std::fs::write(dir.path().join("xtask/Cargo.toml"), "").unwrap();
    let spec = dir.path().join("spec");
    std::fs::create_dir_all(&spec).unwrap();
    for file in ["service.yaml", "errors.yaml", "shared.yaml"] {
        std::fs::copy(workspace_spec().join(file), spec.join(file)).unwrap();
    }
    let meta = dir.path().join("vpc-test.json");
    std::fs::write(&meta, tree_metadata()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir.path())
        .args(["import-openapi", "--metadata", meta.to_str().unwrap()])
        .args(["--all", "--published", "2025-12-19", "--scaffold-groups"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("it refuses the workspace's own spec"),
        "{}",
        stderr(&out)
    );
    assert!(!spec.join("groups").exists() && !spec.join("imported").exists());
}
