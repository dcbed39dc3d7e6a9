//! What a spec change means for the SDK's users: the API surface before and after, compared.
//!
//! `cargo xtask codegen` compares the checked-in `generated-sdk/api-surface.txt` (read before
//! anything is written) with the surface it generates ([`generator::codegen`]); `cargo xtask
//! api-diff` compares the surfaces of two spec directories, e.g. a worktree of the base branch
//! and this one.

use generator::codegen::surface_of;
use generator::surface;
use std::path::Path;

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
