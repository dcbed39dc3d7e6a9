//! `cargo xtask synth-spec`: a large synthetic spec for measuring the generator.
//!
//! It repeats the real spec's groups, renaming every action and every type in each copy
//! (`CreateVpnGateway` → `CreateVpnGatewayS7`), so the result has the real spec's shape and
//! density at any size.

use generator::SpecSources;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Writes a spec with at least `operations` operations to `out`.
pub fn run(spec_dir: &Path, out: &Path, operations: usize) -> Result<String, String> {
    let spec = generator::load_spec(spec_dir).map_err(|d| d.to_string())?;
    let raw = spec.raw();
    let per_copy: usize = raw.groups.iter().map(|(_, g)| g.operations.len()).sum();
    if per_copy == 0 {
        return Err("the spec has no operations".into());
    }
    let copies = operations.div_ceil(per_copy);
    // Names renamed in each copy: actions and group-local types (shared ones stay shared).
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (_, g) in &raw.groups {
        names.extend(g.operations.iter().map(|o| o.action.clone()));
        names.extend(g.enums.iter().map(|e| e.name.clone()));
        names.extend(g.structs.iter().map(|s| s.name.clone()));
    }
    let sources = SpecSources::read_dir(spec_dir).map_err(|d| d.to_string())?;
    let write = |rel: &str, text: &str| -> Result<(), String> {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut group_ids = Vec::new();
    for (rel, group) in &raw.groups {
        let text = sources.get(rel).unwrap_or_default();
        for copy in 1..=copies {
            let suffix = format!("S{copy}");
            let id = format!("{}-{copy}", group.id);
            let renamed = rename_words(text, &names, &suffix).replacen(
                &format!("id: {}\n", group.id),
                &format!("id: {id}\n"),
                1,
            );
            write(&format!("groups/{id}.yaml"), &renamed)?;
            group_ids.push(id);
        }
    }
    for file in ["errors.yaml", "shared.yaml"] {
        write(file, sources.get(&PathBuf::from(file)).unwrap_or_default())?;
    }
    let service = sources.get(Path::new("service.yaml")).unwrap_or_default();
    let head = service.split("\ngroups:\n").next().unwrap_or(service);
    let tail = service
        .split("\ngroups:\n")
        .nth(1)
        .and_then(|t| {
            t.split_once("\nnotes:")
                .map(|(_, n)| format!("\nnotes:{n}"))
        })
        .unwrap_or_default();
    let listed: String = group_ids.iter().map(|g| format!("  - {g}\n")).collect();
    write("service.yaml", &format!("{head}\ngroups:\n{listed}{tail}"))?;
    Ok(format!(
        "wrote {} operations in {} groups to {}",
        copies * per_copy,
        group_ids.len(),
        out.display()
    ))
}

/// Appends `suffix` to every whole-word occurrence of any of `names`, except where the word
/// starts an error code (`VpnGateway.Configuring`): codes are shared, not copied.
fn rename_words(text: &str, names: &BTreeSet<String>, suffix: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() || chars[i] == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let starts_code = chars.get(i) == Some(&'.')
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
            let ends_code =
                start >= 2 && chars[start - 1] == '.' && chars[start - 2].is_ascii_alphabetic();
            out.push_str(&word);
            if names.contains(&word) && !starts_code && !ends_code {
                out.push_str(suffix);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
