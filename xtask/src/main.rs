//! Project automation: `cargo xtask codegen [--check] [--spec DIR] [--out DIR]`,
//! `cargo xtask api-diff --old-spec DIR [--new-spec DIR]` and
//! `cargo xtask import-openapi --metadata FILE [...]`, `cargo xtask feature-check`,
//! `cargo xtask scale-proof` and `cargo xtask build-cost`.

mod api_diff;
mod build_cost;
mod features;
mod scale;
mod synth;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(about = "Project automation for the VPN Gateway SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load and validate the spec and regenerate the SDK crate, its docs and the spec schema;
    /// without `--spec` and `--out`, the crate of the generator's feature fixture too.
    Codegen {
        /// Regenerate in memory and fail, listing stale files, if anything on disk differs.
        #[arg(long)]
        check: bool,
        /// Spec directory (default: `spec/`).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Output directory for the generated crate (default: `generated-sdk/`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print what changes between the APIs two spec directories generate, breaking changes
    /// first (e.g. `--old-spec` from a `git worktree` of the base branch).
    ApiDiff {
        /// The spec before the change.
        #[arg(long)]
        old_spec: PathBuf,
        /// The spec after the change (default: `spec/`).
        #[arg(long)]
        new_spec: Option<PathBuf>,
        /// Exit with failure when a change is breaking.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// Import Alibaba's API metadata into the imported layer of the spec (`spec/imported/`).
    ImportOpenapi {
        /// The metadata file (`vpc-2016-04-28.en_us.json`).
        #[arg(long)]
        metadata: PathBuf,
        /// Operations to add to the scope, comma-separated.
        #[arg(long, value_delimiter = ',')]
        operations: Vec<String>,
        /// Metadata directory titles whose operations (recursively) to add, comma-separated.
        #[arg(long, value_delimiter = ',')]
        directories: Vec<String>,
        /// Import every operation of the metadata (for experiments in a scratch `--spec`).
        #[arg(long)]
        all: bool,
        /// Publication date of the metadata, YYYY-MM-DD (required for a first import or a new
        /// file; otherwise the manifest's).
        #[arg(long)]
        published: Option<String>,
        /// Spec directory (default: `spec/`).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Import in memory and fail, listing stale files, if anything on disk differs.
        #[arg(long)]
        check: bool,
        /// Print the metadata's description of each changed element (terminal only).
        #[arg(long)]
        show_docs: bool,
        /// Also write minimal curated files into the (scratch) `--spec` directory: service,
        /// errors and shared files from `--scaffold-from` and one group per metadata directory,
        /// each operation with a mechanical summary. Refused for the workspace's own `spec/`.
        #[arg(long, conflicts_with = "check")]
        scaffold_groups: bool,
        /// Where the scaffold's `service.yaml`, `errors.yaml` and `shared.yaml` come from
        /// (default: `spec/`).
        #[arg(long, requires = "scaffold_groups")]
        scaffold_from: Option<PathBuf>,
    },
    /// Check that the generated crate compiles without warnings (clippy's included) with each
    /// operation group's feature alone (and with none).
    FeatureCheck {
        /// Spec directory whose groups to check (default: `spec/`).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The generated crate's manifest (default: `generated-sdk/Cargo.toml`).
        #[arg(long)]
        manifest_path: Option<PathBuf>,
    },
    /// Import every operation of the metadata into a scratch spec with placeholder groups,
    /// generate the crate, and `cargo check` it in a scratch workspace, with timings, peak
    /// memory and generated lines.
    ScaleProof {
        /// The metadata file (`vpc-2016-04-28.en_us.json`).
        #[arg(long)]
        metadata: PathBuf,
        /// Scratch directory, outside the workspace (spec, workspace and target go there).
        #[arg(long)]
        out: PathBuf,
        /// Publication date of the metadata (default: the one `spec/imported/import.yaml`
        /// records).
        #[arg(long)]
        published: Option<String>,
        /// Timed `cargo check` runs of the generated crate.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Keep the scratch target directory (about 1 GB) afterwards.
        #[arg(long)]
        keep_target: bool,
        /// Also run `feature-check` on the generated crate: each group alone, no warning.
        #[arg(long)]
        each_group: bool,
    },
    /// Clean debug build of a hello world on the generated crate (only the named groups)
    /// against one on the same third-party dependencies alone, alternating, medians compared.
    BuildCost {
        /// Scratch directory, outside the workspace.
        #[arg(long)]
        out: PathBuf,
        /// Group features the SDK hello world enables, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "vpn-gateways")]
        features: Vec<String>,
        /// Clean builds of each.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// One more build of each with `cargo build --timings`.
        #[arg(long)]
        timings: bool,
    },
    /// Write a synthetic spec of at least N operations (the real spec's groups, repeated and
    /// renamed) for measuring the generator.
    SynthSpec {
        /// Minimum number of operations.
        #[arg(long, default_value_t = 4000)]
        operations: usize,
        /// Output spec directory.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    let root = match std::env::current_dir()
        .map_err(|e| format!("cannot read the current directory: {e}"))
        .and_then(|dir| workspace_root(&dir))
    {
        Ok(root) => root,
        Err(message) => return report(Err(message)),
    };
    match command {
        Command::Codegen { check, spec, out } => {
            let targets = if spec.is_none() && out.is_none() {
                generator::codegen::workspace_targets(&root, check)
            } else {
                vec![generator::codegen::Options {
                    spec_dir: spec.unwrap_or_else(|| root.join("spec")),
                    out_dir: out.unwrap_or_else(|| root.join("generated-sdk")),
                    templates_dir: Some(root.join("templates")),
                    check,
                    schema: true,
                }]
            };
            report(generator::codegen::run_all(&targets))
        }
        Command::ApiDiff {
            old_spec,
            new_spec,
            deny_breaking,
        } => match api_diff::run(&old_spec, &new_spec.unwrap_or_else(|| root.join("spec"))) {
            Ok((summary, breaking)) => {
                println!("{summary}");
                if deny_breaking && breaking {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(message) => report(Err(message)),
        },
        Command::ImportOpenapi {
            metadata,
            operations,
            directories,
            all,
            published,
            spec,
            check,
            show_docs,
            scaffold_groups,
            scaffold_from,
        } => report(generator::import::apply::run(
            &generator::import::apply::Options {
                metadata,
                spec_dir: spec.unwrap_or_else(|| root.join("spec")),
                operations,
                directories,
                all,
                published,
                check,
                show_docs,
                scaffold_from: scaffold_groups
                    .then(|| scaffold_from.unwrap_or_else(|| root.join("spec"))),
                protected_spec: root.join("spec"),
            },
        )),
        Command::FeatureCheck {
            spec,
            manifest_path,
        } => report(features::run(
            &spec.unwrap_or_else(|| root.join("spec")),
            &manifest_path.unwrap_or_else(|| root.join("generated-sdk").join("Cargo.toml")),
            None,
        )),
        Command::ScaleProof {
            metadata,
            out,
            published,
            runs,
            keep_target,
            each_group,
        } => {
            let published = match published.map(Ok).unwrap_or_else(|| recorded_date(&root)) {
                Ok(date) => date,
                Err(message) => return report(Err(message)),
            };
            report(scale::run(&scale::Options {
                root,
                metadata,
                published,
                out,
                runs,
                keep_target,
                each_group,
            }))
        }
        Command::BuildCost {
            out,
            features,
            runs,
            timings,
        } => report(build_cost::run(&build_cost::Options {
            root,
            out,
            features,
            runs,
            timings,
        })),
        Command::SynthSpec { operations, out } => {
            report(synth::run(&root.join("spec"), &out, operations))
        }
    }
}

/// The publication date the workspace's import manifest records.
fn recorded_date(root: &Path) -> Result<String, String> {
    let path = root
        .join("spec")
        .join(generator::imported::IMPORTED_DIR)
        .join(generator::import::MANIFEST_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}; pass --published", path.display()))?;
    let manifest: generator::import::Manifest =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(manifest.published)
}

fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(report) => {
            eprintln!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace that contains `dir`: the nearest ancestor whose `Cargo.toml` declares
/// `[workspace]` and which holds `xtask/`.
///
/// Found at run time, not from the path compiled into the binary: with a target directory
/// shared by several checkouts, the binary may have been built from another tree, and it must
/// still act on the tree it is started in.
fn workspace_root(dir: &Path) -> Result<PathBuf, String> {
    dir.ancestors()
        .find(|d| {
            d.join("xtask").join("Cargo.toml").is_file()
                && std::fs::read_to_string(d.join("Cargo.toml"))
                    .is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "{} is not inside the SDK workspace (no ancestor has a `[workspace]` Cargo.toml \
                 and `xtask/`); run `cargo xtask` from the repository",
                dir.display()
            )
        })
}
