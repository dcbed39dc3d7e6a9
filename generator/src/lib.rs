//! The VPN Gateway API spec pipeline: load → validate → lower → emit.
//!
//! [`load_spec`] reads `spec/`, parses every file into the [`model`] types and runs every
//! semantic check, returning a validated [`Spec`] or every problem found, each naming its file,
//! operation and field. [`generate`] lowers a spec to the [`ir`] and runs every emitter,
//! returning the files in memory; writing them is the caller's business (`cargo xtask codegen`).

pub mod codegen;
pub mod diagnostics;
pub mod emit;
pub mod import;
pub mod imported;
pub mod ir;
pub mod loader;
pub mod merge;
pub mod model;
pub mod naming;
pub mod positions;
pub mod schema;
pub mod surface;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{EmitError, GeneratedFile, Templates};
pub use loader::SpecSources;
pub use validate::Spec;

use std::path::Path;

/// Reads, parses and validates the spec in `dir`.
pub fn load_spec(dir: &Path) -> Result<Spec, Diagnostics> {
    load_sources(SpecSources::read_dir(dir)?)
}

/// Parses and validates spec files already in memory.
pub fn load_sources(sources: SpecSources) -> Result<Spec, Diagnostics> {
    validate::validate(loader::parse(sources)?)
}

/// Every generated file for `spec`, sorted by path, relative to the generated crate's root.
pub fn generate(spec: &Spec, templates: &Templates) -> Result<Vec<GeneratedFile>, GenerateError> {
    Ok(emit::generate(&ir::lower(spec)?, templates)?)
}

/// Why [`generate`] failed: never a problem the validator reports, always a gap in the
/// validator or a bug in the generator.
#[derive(Debug)]
pub enum GenerateError {
    /// A reference lowering could not resolve.
    Lower(ir::LowerError),
    /// An emitter failed.
    Emit(EmitError),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Lower(e) => e.fmt(f),
            GenerateError::Emit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<ir::LowerError> for GenerateError {
    fn from(e: ir::LowerError) -> Self {
        GenerateError::Lower(e)
    }
}

impl From<EmitError> for GenerateError {
    fn from(e: EmitError) -> Self {
        GenerateError::Emit(e)
    }
}

/// The templates this generator ships (the workspace's `templates/`), compiled in, for runs
/// that name no templates directory.
pub fn builtin_templates() -> Templates {
    let sources = [
        (
            "decisions.md.j2",
            include_str!("../../templates/decisions.md.j2"),
        ),
        ("errors.md.j2", include_str!("../../templates/errors.md.j2")),
        ("index.md.j2", include_str!("../../templates/index.md.j2")),
        (
            "operation.md.j2",
            include_str!("../../templates/operation.md.j2"),
        ),
    ];
    Templates {
        sources: sources
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect(),
    }
}

/// Reads `*.j2` templates from `dir`.
pub fn read_templates(dir: &Path) -> std::io::Result<Templates> {
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "j2") {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                sources.push((name.to_owned(), std::fs::read_to_string(&path)?));
            }
        }
    }
    sources.sort();
    Ok(Templates { sources })
}
