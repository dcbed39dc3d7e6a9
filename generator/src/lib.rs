//! The VPN Gateway API spec pipeline: load → validate → (lower → emit).
//!
//! [`load_spec`] is the entry point: it reads `spec/`, parses every file into the
//! [`model`] types and runs every semantic check, returning either a validated [`Spec`] or
//! every problem found, each naming its file, operation and field.

pub mod diagnostics;
pub mod loader;
pub mod model;
pub mod naming;
pub mod schema;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};
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
