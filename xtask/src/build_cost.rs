//! `cargo xtask build-cost`: what depending on the generated crate costs a user's clean debug
//! build, against the same program's dependencies without our crates.
//!
//! Two hello worlds are written to scratch directories, each its own workspace with this
//! workspace's lockfile (so every version is the same):
//! - `sdk`: depends on `generated-sdk` with `default-features = false` and only the named
//!   groups, and calls a few of their operations (the README's quick start);
//! - `baseline`: depends on exactly the runtime's third-party dependencies, with the same
//!   versions and features (reqwest with rustls, tokio, serde_json, hmac, sha1, sha2, base64,
//!   percent-encoding, time, tracing, thiserror, …), and builds an HTTP client.
//!
//! Each is built `--runs` times from an empty target directory, alternating, and the medians
//! are compared (budget: ratio ≤ 1.25). With `--timings`, one more build of each writes
//! cargo's per-crate timing report, to see what dominates.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug)]
pub struct Options {
    /// The workspace root (generated crate, runtime manifest, lockfile).
    pub root: PathBuf,
    /// Scratch directory.
    pub out: PathBuf,
    /// Group features the SDK hello world enables.
    pub features: Vec<String>,
    /// Builds of each.
    pub runs: usize,
    /// One more build of each with `--timings`.
    pub timings: bool,
}

const SDK_MAIN: &str = r#"//! Hello world on the generated SDK (the README's quick start, VPN gateways only).
use std::time::Duration;
use vpn_gateway::types::Bandwidth;
use vpn_gateway::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env().await?;
    let gw = client
        .create_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-1")
        .bandwidth(Bandwidth::Mbps5)
        .send()
        .await?;
    client
        .describe_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpn_gateway_id(gw.vpn_gateway_id())
        .wait_until_active(Duration::from_secs(600))
        .await?;
    let mut gateways = client.describe_vpn_gateways().region_id("cn-hangzhou").into_items();
    while let Some(gateway) = gateways.next().await {
        println!("{:?}", gateway?.vpn_gateway_id);
    }
    Ok(())
}
"#;

const BASELINE_MAIN: &str = r#"//! Hello world on the runtime's third-party dependencies alone.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::builder().build()?;
    let body = client.get("https://vpc.aliyuncs.com/").send().await?.text().await?;
    println!("{}", serde_json::json!({ "length": body.len() }));
    Ok(())
}
"#;

/// Builds both, alternating, and returns the report.
pub fn run(o: &Options) -> Result<String, String> {
    crate::scale::check_out_dir(
        &o.root,
        &o.out,
        &["baseline", "sdk", "baseline-timing.html", "sdk-timing.html"],
    )?;
    let root_manifest = read(&o.root.join("Cargo.toml"))?;
    let runtime_manifest = read(&o.root.join("runtime").join("Cargo.toml"))?;
    // `[workspace.dependencies]` without our path crates, for `.workspace = true` entries.
    let workspace_deps: String = section(&root_manifest, "[workspace.dependencies]")
        .lines()
        .filter(|l| !l.contains("path ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let runtime_deps: String = section(&runtime_manifest, "[dependencies]")
        .lines()
        .filter(|l| !l.trim_start().starts_with("vpn-gateway-"))
        .map(|l| format!("{l}\n"))
        .collect();
    let sdk_path = o.root.join("generated-sdk");
    let features = o
        .features
        .iter()
        .map(|f| format!("{f:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sdk_deps = format!(
        "vpn-gateway-sdk = {{ path = {:?}, default-features = false, features = [{features}] }}\n\
         tokio.workspace = true\n",
        sdk_path.display().to_string()
    );
    let projects = [
        ("baseline", runtime_deps.as_str(), BASELINE_MAIN),
        ("sdk", sdk_deps.as_str(), SDK_MAIN),
    ];
    for (name, deps, main) in projects {
        let dir = o.out.join(name);
        remove_dir(&dir)?;
        std::fs::create_dir_all(dir.join("src"))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let manifest = format!(
            "[package]\nname = \"hello-{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\n{deps}\n[workspace]\n\n\
             [workspace.dependencies]\n{workspace_deps}"
        );
        write(&dir.join("Cargo.toml"), &manifest)?;
        write(&dir.join("src/main.rs"), main)?;
        std::fs::copy(o.root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }

    let mut report = format!(
        "clean debug builds, {} run(s) each, alternating; SDK features: {features}\n",
        o.runs
    );
    let mut times: [Vec<Build>; 2] = [Vec::new(), Vec::new()];
    for run in 1..=o.runs.max(1) {
        for (i, (name, _, _)) in projects.iter().enumerate() {
            let b = build(&o.out.join(name), &[])?;
            report.push_str(&format!(
                "run {run} {name}: {:.1} s (CPU {:.1} s), {} crates, load {}\n",
                b.wall.as_secs_f64(),
                b.cpu_secs,
                b.units,
                load_average()
            ));
            times[i].push(b);
        }
    }
    let median = |v: &mut Vec<Build>| {
        v.sort_by_key(|b| b.wall);
        v.get(v.len() / 2)
            .map(|b| (b.wall.as_secs_f64(), b.cpu_secs))
    };
    let [baseline, sdk] = &mut times;
    if let (Some((bw, bc)), Some((sw, sc))) = (median(baseline), median(sdk)) {
        report.push_str(&format!(
            "median: baseline {bw:.1} s (CPU {bc:.1} s), sdk {sw:.1} s (CPU {sc:.1} s); ratio \
             {:.2} wall, {:.2} CPU (budget ≤ 1.25)\n",
            sw / bw,
            sc / bc
        ));
    }
    for (name, _, _) in projects {
        let dir = o.out.join(name);
        if o.timings {
            build(&dir, &["--timings"])?;
            let html = o.out.join(format!("{name}-timing.html"));
            std::fs::copy(dir.join("target/cargo-timings/cargo-timing.html"), &html)
                .map_err(|e| format!("cannot copy the timing report: {e}"))?;
            report.push_str(&format!("timings of {name}: {}\n", html.display()));
        }
        remove_dir(&dir.join("target"))?;
    }
    Ok(report)
}

/// One clean build.
struct Build {
    wall: Duration,
    cpu_secs: f64,
    units: usize,
}

/// `cargo build` in `dir` from an empty `dir/target`.
fn build(dir: &Path, extra: &[&str]) -> Result<Build, String> {
    let target = dir.join("target");
    remove_dir(&target)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let before = children_cpu();
    let started = Instant::now();
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .arg("build")
        .args(extra)
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "cargo build in {} failed:\n{stderr}",
            dir.display()
        ));
    }
    Ok(Build {
        wall,
        cpu_secs: children_cpu() - before,
        units: stderr
            .lines()
            .filter(|l| l.trim_start().starts_with("Compiling "))
            .count(),
    })
}

/// User plus system CPU seconds of every finished child of this process (from
/// `/proc/self/stat`: `cutime`, `cstime`), 0 where unreadable.
fn children_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // `rest` starts at field 3 (state), so field n is at index n - 3.
    (ticks(16 - 3) + ticks(17 - 3)) / 100.0
}

/// The lines of TOML table `header` in `text`, up to the next table.
fn section<'a>(text: &'a str, header: &str) -> &'a str {
    let Some(start) = text.find(&format!("{header}\n")) else {
        return "";
    };
    let body = &text[start + header.len() + 1..];
    let end = body.find("\n[").map_or(body.len(), |i| i + 1);
    &body[..end]
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
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}
