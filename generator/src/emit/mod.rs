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

/// Maps `f` over `items` on all available cores, keeping the input order, so output stays
/// deterministic. Formatting with prettyplease dominates generation time and is per file.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // A panicking emitter is a generator bug; surface it unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}
