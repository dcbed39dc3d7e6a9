//! Project automation: `cargo xtask codegen [--check] [--spec DIR] [--out DIR]`.

mod codegen;
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
    /// Load and validate the spec and regenerate the SDK crate, its docs and the spec schema.
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
    match Cli::parse().command {
        Command::Codegen { check, spec, out } => {
            let root = workspace_root();
            let options = codegen::Options {
                spec_dir: spec.unwrap_or_else(|| root.join("spec")),
                out_dir: out.unwrap_or_else(|| root.join("generated-sdk")),
                templates_dir: root.join("templates"),
                check,
            };
            report(codegen::run(&options))
        }
        Command::SynthSpec { operations, out } => {
            report(synth::run(&workspace_root().join("spec"), &out, operations))
        }
    }
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

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
