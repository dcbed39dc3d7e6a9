//! Emitters: pure functions from the IR to file contents. No I/O happens here.
//!
//! One module per artifact. Rust is built as token streams with `quote` and formatted
//! in-process with `prettyplease`; Markdown comes from minijinja templates.

mod docs;
mod rust;

use crate::ir::ServiceIr;
use std::fmt;

/// The first line of every generated file, in that file's comment syntax.
pub const GENERATED_MARKER: &str = "@generated";

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// Full contents, header included.
    pub contents: String,
}

/// A failure inside an emitter: a bug in the generator or a broken template, never a
/// problem in the spec (the validator catches those first).
#[derive(Debug)]
pub struct EmitError {
    /// The file being produced.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "generating {}: {}", self.path, self.message)
    }
}

impl std::error::Error for EmitError {}

/// Templates the docs emitter renders, keyed by name; normally `templates/*.md.j2`.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// (name, source) pairs.
    pub sources: Vec<(String, String)>,
}

/// Every artifact for `ir`, sorted by path.
pub fn generate(ir: &ServiceIr, templates: &Templates) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut files = rust::emit_crate(ir)?;
    files.extend(docs::emit_docs(ir, templates)?);
    files.push(crate::surface::emit_file(ir));
    files.sort();
    Ok(files)
}

/// The header line for a file, chosen by its extension.
pub(crate) fn header(path: &str) -> String {
    let text = format!(
        "{GENERATED_MARKER} by vpn-gateway-generator from spec/. Do not edit: change the spec, a template or the generator, then run `cargo xtask codegen`."
    );
    if path.ends_with(".md") {
        format!("<!-- {text} -->\n")
    } else if path.ends_with(".toml") {
        format!("# {text}\n")
    } else {
        format!("// {text}\n")
    }
}

/// Maps `f` over `items` on all available cores, keeping the input order so output stays
/// deterministic. Threads take the next unclaimed item as they finish, so one large item does
/// not hold up a fixed share of the others. Formatting with prettyplease dominates generation
/// time and is per file.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                let r = f(item);
                results
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push((i, r));
            });
        }
    });
    let mut results = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
