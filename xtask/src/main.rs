//! Project automation: `cargo xtask codegen [--check]`.

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
    /// Load and validate the spec and regenerate every derived file.
    Codegen {
        /// Regenerate in memory and fail if any checked-in file differs.
        #[arg(long)]
        check: bool,
        /// Spec directory.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check, spec } => {
            let root = workspace_root();
            let spec_dir = spec.unwrap_or_else(|| root.join("spec"));
            codegen(&spec_dir, check)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(spec_dir: &Path, check: bool) -> ExitCode {
    let spec = match generator::load_spec(spec_dir) {
        Ok(spec) => spec,
        Err(diags) => {
            eprintln!("{diags}");
            return ExitCode::FAILURE;
        }
    };
    let ops: usize = spec
        .raw()
        .groups
        .iter()
        .map(|(_, g)| g.operations.len())
        .sum();
    let schema_path = spec_dir.join(generator::schema::SCHEMA_FILE);
    let schema = generator::schema::render_schema();
    let current = std::fs::read_to_string(&schema_path).unwrap_or_default();
    if current != schema {
        if check {
            eprintln!(
                "{} is stale; run `cargo xtask codegen`",
                schema_path.display()
            );
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::write(&schema_path, schema) {
            eprintln!("cannot write {}: {e}", schema_path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("updated {}", schema_path.display());
    }
    eprintln!("spec OK: {ops} operations");
    ExitCode::SUCCESS
}
