//! `vpn-gateway-generator`: the generator on its own, without this workspace's xtask. A thin
//! command line over the library that `cargo xtask codegen` and `cargo xtask import-openapi`
//! call, so the two always do the same thing.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "vpn-gateway-generator",
    about = "Generates the VPN Gateway SDK from its spec, and imports Alibaba's API metadata into a spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates the crate, docs and API surface from a spec directory; files are written only
    /// when their content changed, and generated files nothing produces any more are removed.
    Generate {
        /// The spec directory (`service.yaml`, `errors.yaml`, `shared.yaml`, `groups/`,
        /// `imported/`).
        #[arg(long)]
        spec: PathBuf,
        /// Where the crate goes.
        #[arg(long)]
        out: PathBuf,
        /// The Markdown templates; the ones this generator ships by default.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Writes nothing: fails, listing every difference, when the output is stale.
        #[arg(long)]
        check: bool,
    },
    /// Imports operations from an API metadata file into the spec's imported layer
    /// (`imported/`); nothing is written unless the whole import succeeds.
    ImportOpenapi {
        /// The metadata file, e.g. `vpc-2016-04-28.en_us.json`.
        #[arg(long)]
        metadata: PathBuf,
        /// The spec directory whose `imported/` is written.
        #[arg(long)]
        spec: PathBuf,
        /// Operations to add to the recorded scope, comma-separated.
        #[arg(long, value_delimiter = ',')]
        operations: Vec<String>,
        /// Metadata directories (by title) whose operations join the scope, comma-separated.
        #[arg(long, value_delimiter = ',')]
        directories: Vec<String>,
        /// Every operation of the metadata.
        #[arg(long)]
        all: bool,
        /// The metadata's publication date (`YYYY-MM-DD`), recorded in the provenance.
        #[arg(long)]
        published: Option<String>,
        /// Writes nothing: fails, listing the stale files, when the imported layer differs.
        #[arg(long)]
        check: bool,
        /// Also prints the metadata's description of each changed element.
        #[arg(long)]
        show_docs: bool,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate {
            spec,
            out,
            templates,
            check,
        } => generator::codegen::run(&generator::codegen::Options {
            spec_dir: spec,
            out_dir: out,
            templates_dir: templates,
            check,
            schema: false,
        }),
        Command::ImportOpenapi {
            metadata,
            spec,
            operations,
            directories,
            all,
            published,
            check,
            show_docs,
        } => generator::import::apply::run(&generator::import::apply::Options {
            metadata,
            operations,
            directories,
            all,
            published,
            check,
            show_docs,
            scaffold_from: None,
            protected_spec: spec.clone(),
            spec_dir: spec,
        }),
    };
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
