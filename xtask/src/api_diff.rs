//! What a spec change means for the SDK's users: the API surface before and after, compared.
//!
//! `cargo xtask codegen` compares the checked-in `generated-sdk/api-surface.txt` (read before
//! anything is written) with the surface it generates; `cargo xtask api-diff` compares the
//! surfaces of two spec directories, e.g. a worktree of the base branch and this one.

use generator::surface::{self, ApiSurface, SURFACE_FILE};
use generator::Spec;
use std::path::Path;

/// The surface the SDK generated from `spec` has.
pub fn surface_of(spec: &Spec) -> Result<ApiSurface, String> {
    generator::ir::lower(spec)
        .map(|ir| ApiSurface::from_ir(&ir))
        .map_err(|e| e.to_string())
}

/// The change summary from the surface checked in below `out_dir` to `new`. A missing or
/// unreadable file is said so instead (codegen rewrites it either way).
pub fn against_checked_in(out_dir: &Path, new: &ApiSurface) -> String {
    let path = out_dir.join(SURFACE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return format!(
                "API surface: no previous {} to compare with.",
                path.display()
            )
        }
        Err(e) => {
            return format!(
                "API surface not compared: cannot read {}: {e}",
                path.display()
            )
        }
    };
    match ApiSurface::parse(&text) {
        Ok(old) => surface::summary(&surface::diff(&old, new)),
        Err(e) => format!(
            "API surface not compared: {}",
            e.in_file(path.display().to_string())
        ),
    }
}

/// `cargo xtask api-diff`: the change summary from the spec in `old_dir` to the one in
/// `new_dir`, and whether any change is breaking.
pub fn run(old_dir: &Path, new_dir: &Path) -> Result<(String, bool), String> {
    let load = |dir: &Path| {
        let spec = generator::load_spec(dir)
            .map_err(|d| format!("the spec in {} is invalid:\n{d}", dir.display()))?;
        surface_of(&spec)
    };
    let changes = surface::diff(&load(old_dir)?, &load(new_dir)?);
    Ok((
        surface::summary(&changes),
        changes.iter().any(|c| c.breaking),
    ))
}
