//! Tidy: the invariants of `ARCHITECTURE.md` that can be read off the source tree.
//!
//! Each test walks part of the workspace (hidden entries and `target` directories skipped),
//! collects every violation, and fails with one line per violation naming the file (and line,
//! where there is one) and the rule. The checks read source text, not compiled code, so they
//! work on comment- and literal-free text where it matters: `code_only` blanks comments and
//! string and character literals, and `without_quoted_code` blanks what the emitters'
//! `quote!` invocations write, which is generated code and not the emitter's own.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root: this crate's parent directory.
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

/// Every file under `dir`, sorted, skipping hidden entries and build and cache directories.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || ["target", "__pycache__", "node_modules"].contains(&&*name)
            {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn rust_files_under(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `path` relative to the workspace root, with `/` separators.
fn shown(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Violations, one line each: `file[:line]: rule`.
#[derive(Debug, Default)]
struct Failures(Vec<String>);

impl Failures {
    fn add(&mut self, path: &Path, line: Option<usize>, rule: &str) {
        let location = match line {
            Some(line) => format!("{}:{line}", shown(path)),
            None => shown(path),
        };
        self.0.push(format!("{location}: {rule}"));
    }

    fn finish(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "\n{what}: {} violation(s)\n  {}\n",
            self.0.len(),
            self.0.join("\n  ")
        );
    }
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

// ---------------------------------------------------------------------------------------------
// Reading Rust source as text
// ---------------------------------------------------------------------------------------------

/// `source` with comments (doc comments included), string literals and character literals
/// replaced by spaces; newlines and byte offsets are kept, so line numbers stay right.
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            // Block comments nest in Rust.
            let (mut depth, mut j) = (0usize, i);
            while j < bytes.len() {
                if bytes[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if bytes[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if let Some(end) = raw_string_end(bytes, i) {
            blank(&mut out, i, end);
            i = end;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            blank(&mut out, i, end);
            i = end;
        } else if bytes[i] == b'\''
            && (i == 0
                || !is_ident(bytes[i - 1])
                || (bytes[i - 1] == b'b' && (i < 2 || !is_ident(bytes[i - 2]))))
        {
            // A character literal ('x', b'x', '\n', '\u{..}') or a lifetime ('a), which stays.
            if rest.get(1) == Some(&b'\\') {
                let end = rest
                    .iter()
                    .skip(3)
                    .position(|&b| b == b'\'')
                    .map_or(bytes.len(), |n| i + 3 + n + 1);
                blank(&mut out, i, end);
                i = end;
            } else if let Some(len) = source[i + 1..].chars().next().map(char::len_utf8) {
                if rest.get(1 + len) == Some(&b'\'') {
                    blank(&mut out, i, i + len + 2);
                    i += len + 2;
                } else {
                    i += 1;
                }
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("only ASCII bytes were replaced, by ASCII spaces")
}

/// The end of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting at `i`, if one does.
fn raw_string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if i > 0 && is_ident(bytes[i - 1]) {
        return None;
    }
    let mut j = i;
    if bytes.get(j) == Some(&b'b') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = bytes[j..].iter().take_while(|&&b| b == b'#').count();
    j += hashes;
    if bytes.get(j) != Some(&b'"') {
        return None;
    }
    let closing: Vec<u8> = std::iter::once(b'"')
        .chain(std::iter::repeat_n(b'#', hashes))
        .collect();
    let body = j + 1;
    let end = bytes[body..]
        .windows(closing.len())
        .position(|w| w == closing.as_slice())
        .map_or(bytes.len(), |n| body + n + closing.len());
    Some(end)
}

/// The offset just past the delimiter group opening at `open` (`(`, `[` or `{`), counting
/// all three kinds; `code` must be [`code_only`] text.
fn group_end(code: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, &b) in code.iter().enumerate().skip(open) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// [`code_only`] text with the arguments of every `quote!` / `quote_spanned!` invocation
/// blanked: the code an emitter writes is not code the emitter runs.
fn without_quoted_code(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    for name in ["quote!", "quote_spanned!"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(name).map(|n| from + n) {
            let after = at + name.len();
            let open = code[after..]
                .find(|c: char| !c.is_whitespace())
                .map(|n| after + n);
            from = after;
            let Some(open) = open.filter(|&o| matches!(code.as_bytes()[o], b'(' | b'[' | b'{'))
            else {
                continue;
            };
            let end = group_end(code.as_bytes(), open);
            for b in &mut out[open + 1..end.saturating_sub(1)] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            from = end;
        }
    }
    String::from_utf8(out).expect("only ASCII bytes were replaced")
}

/// [`code_only`] text with every `#[cfg(test)]` item blanked (a `mod tests { … }`, a
/// `use`, a function), and the names of `#[cfg(test)] mod name;` files, which are test code
/// as a whole.
fn without_test_items(code: &str) -> (String, Vec<String>) {
    let mut out = code.as_bytes().to_vec();
    let mut test_modules = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]").map(|n| from + n) {
        let bytes = code.as_bytes();
        let mut j = at;
        // The item ends at its first `;` outside any group, or with its body's group.
        let mut end = code.len();
        while j < bytes.len() {
            match bytes[j] {
                b';' => {
                    end = j + 1;
                    break;
                }
                b'{' => {
                    end = group_end(bytes, j);
                    break;
                }
                b'(' | b'[' => j = group_end(bytes, j),
                _ => j += 1,
            }
        }
        let item = &code[at..end];
        if item.ends_with(';') {
            let words = words(item);
            if let Some(pos) = words.iter().position(|w| *w == "mod") {
                if let Some(name) = words.get(pos + 1) {
                    test_modules.push((*name).to_owned());
                }
            }
        }
        for b in &mut out[at..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        from = end.max(at + 1);
    }
    (
        String::from_utf8(out).expect("only ASCII bytes were replaced"),
        test_modules,
    )
}

/// The first segment of every path `code` names through `crate::`, with its offset:
/// `crate::a::b` gives `a`, and `crate::{a::X, b}` gives `a` and `b`.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::").map(|n| from + n) {
        from = at + "crate::".len();
        if !at_word_start(code, at) || at > 0 && bytes[at - 1] == b'$' {
            continue; // `$crate::` (a macro's), `my_crate::`
        }
        let rest = code[from..].trim_start();
        let start = code.len() - rest.len();
        if rest.starts_with('{') {
            let end = group_end(bytes, start);
            let mut depth = 0usize;
            let mut item = String::new();
            for c in code[start + 1..end - 1].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let name: String = item
                            .trim_start()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            out.push((at, name));
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((at, name));
            }
        }
    }
    out
}

/// Whether `at` starts a word: the byte before it is no identifier character.
fn at_word_start(code: &str, at: usize) -> bool {
    at == 0 || {
        let b = code.as_bytes()[at - 1];
        !(b.is_ascii_alphanumeric() || b == b'_')
    }
}

/// The offsets at which `pattern` occurs in `code` as the start of a word (`File::` in
/// `File::open` but not in `GeneratedFile::new`, `println!` but not inside `eprintln!`).
fn word_matches(code: &str, pattern: &str) -> Vec<usize> {
    code.match_indices(pattern)
        .map(|(at, _)| at)
        .filter(|&at| at_word_start(code, at))
        .collect()
}

/// The identifier-like words of `text`, in order.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The first cycle in `edges`, as the list of its nodes (the first repeated at the end).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

/// The crates `cargo xtask codegen` writes: the SDK and the feature fixture's. Everything in
/// them is generated but their hand-written `tests/`.
const GENERATED_CRATES: &[&str] = &["generated-sdk", "generator/tests/fixture-sdk"];

/// True for a file of a generated crate that the generator writes (not under its `tests/`).
fn is_generated_crate_file(path: &Path) -> bool {
    let root = root();
    GENERATED_CRATES.iter().any(|krate| {
        let krate = root.join(krate);
        path.starts_with(&krate) && !path.starts_with(krate.join("tests"))
    })
}

/// ARCHITECTURE.md, Invariants: "The runtime never depends on generated code."
#[test]
fn the_runtime_never_names_generated_code() {
    let names = [
        "vpn_gateway::",
        "vpn-gateway-sdk",
        "vpn_gateway_fixture",
        "vpn-gateway-fixture-sdk",
    ];
    let rule = "the runtime never names generated code (`vpn_gateway::`, `vpn-gateway-sdk`, the \
                fixture crate)";
    let mut failures = Failures::default();
    for path in files_under(&root().join("runtime")) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue; // not text
        };
        for (n, line) in text.lines().enumerate() {
            if names.iter().any(|name| line.contains(name)) {
                failures.add(&path, Some(n + 1), rule);
            }
        }
    }
    failures.finish("runtime independence");
}

/// What an emitter must not run: file, process, network and terminal I/O.
const IO: &[&str] = &[
    "std::fs",
    "std::io",
    "std::env",
    "std::net",
    "std::process",
    "tokio::",
    "File::",
    "OpenOptions",
    "read_to_string",
    "read_dir",
    "print!",
    "println!",
    "eprint!",
    "eprintln!",
];

/// ARCHITECTURE.md, Invariants: "Emitters do no I/O and never see YAML types" (the model
/// types the IR carries are named through `crate::ir`, which re-exports them).
#[test]
fn emitters_do_no_io_and_see_only_the_ir() {
    let mut failures = Failures::default();
    for path in rust_files_under(&root().join("generator/src/emit")) {
        let code = without_quoted_code(&code_only(&read(&path)));
        for pattern in IO {
            for at in word_matches(&code, pattern) {
                failures.add(
                    &path,
                    Some(line_of(&code, at)),
                    &format!("emitters do no I/O (`{pattern}`)"),
                );
            }
        }
        for at in word_matches(&code, "model::") {
            failures.add(
                &path,
                Some(line_of(&code, at)),
                "emitters never use the YAML model types (name them through `crate::ir`)",
            );
        }
    }
    failures.finish("emitter purity");
}

/// Every Rust file of the hand-written crates opens with a `//!` module doc.
#[test]
fn hand_written_modules_start_with_a_module_doc() {
    let mut failures = Failures::default();
    let root = root();
    for krate in [
        "runtime",
        "generator",
        "emulator",
        "xtask",
        "formats",
        "tests",
    ] {
        for path in rust_files_under(&root.join(krate)) {
            if is_generated_crate_file(&path) {
                continue;
            }
            let text = read(&path);
            if !text.starts_with("//!") {
                failures.add(&path, Some(1), "a module starts with a `//!` doc");
            }
        }
    }
    failures.finish("module docs");
}

/// ARCHITECTURE.md, Invariants: "Generated files start with an `@generated` line" (which is
/// also how `cargo xtask codegen` and `import-openapi` recognise the files they may remove).
#[test]
fn generated_files_carry_the_generated_marker() {
    let mut failures = Failures::default();
    let root = root();
    let generated = GENERATED_CRATES
        .iter()
        .flat_map(|krate| files_under(&root.join(krate)))
        .filter(|path| is_generated_crate_file(path))
        .chain(files_under(&root.join("spec/imported")));
    for path in generated {
        let first = fs::read_to_string(&path)
            .ok()
            .and_then(|text| text.lines().next().map(str::to_owned));
        if !first.is_some_and(|line| line.contains("@generated")) {
            failures.add(
                &path,
                Some(1),
                "a generated file carries `@generated` in its first line",
            );
        }
    }
    failures.finish("generated markers");
}

/// ARCHITECTURE.md, runtime: module dependencies point one way (test code aside).
#[test]
fn runtime_modules_depend_on_each_other_one_way() {
    let src = root().join("runtime/src");
    let lib = code_only(&read(&src.join("lib.rs")));
    // Names re-exported at the crate root, by the module they come from.
    let mut root_names: BTreeMap<String, String> = BTreeMap::new();
    let mut modules: BTreeSet<String> = BTreeSet::new();
    for statement in lib.split(';') {
        let words = words(statement);
        if let Some(pos) = words.iter().position(|w| *w == "mod") {
            modules.extend(words.get(pos + 1).map(|m| (*m).to_owned()));
        } else if let Some(pos) = words.iter().position(|w| *w == "use") {
            let Some(module) = words.get(pos + 1) else {
                continue;
            };
            for name in &words[pos + 1..] {
                root_names.insert((*name).to_owned(), (*module).to_owned());
            }
        }
    }

    let files = rust_files_under(&src);
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    let mut stripped: BTreeMap<PathBuf, String> = BTreeMap::new();
    for path in &files {
        let (code, test_modules) = without_test_items(&code_only(&read(path)));
        let dir = if path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            path.parent().map(Path::to_path_buf)
        } else {
            path.with_extension("").into()
        };
        for name in test_modules {
            if let Some(dir) = &dir {
                test_only.insert(dir.join(format!("{name}.rs")));
                test_only.insert(dir.join(&name).join("mod.rs"));
            }
        }
        stripped.insert(path.clone(), code);
    }

    // Module → module it uses → the first file (and line) that does.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut witness: BTreeMap<(String, String), (PathBuf, usize)> = BTreeMap::new();
    for (path, code) in &stripped {
        if test_only.contains(path) {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under runtime/src");
        let top = relative
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .unwrap_or_default();
        if !modules.contains(&top) {
            continue; // lib.rs
        }
        for (at, name) in crate_paths(code) {
            let target = if modules.contains(&name) {
                name
            } else if let Some(module) = root_names.get(&name) {
                module.clone()
            } else {
                continue;
            };
            if target != top {
                edges.entry(top.clone()).or_default().insert(target.clone());
                witness
                    .entry((top.clone(), target))
                    .or_insert_with(|| (path.clone(), line_of(code, at)));
            }
        }
    }
    assert!(
        edges.contains_key("client") && edges.contains_key("error"),
        "the dependency reader found no edges: has the runtime's layout changed?"
    );

    let mut failures = Failures::default();
    if let Some(cycle) = find_cycle(&edges) {
        for pair in cycle.windows(2) {
            let (path, line) = &witness[&(pair[0].clone(), pair[1].clone())];
            failures.add(
                path,
                Some(*line),
                &format!(
                    "runtime modules depend on each other one way: `{}` uses `{}` in the cycle {}",
                    pair[0],
                    pair[1],
                    cycle.join(" → ")
                ),
            );
        }
    }
    failures.finish("runtime layering");
}

// ---------------------------------------------------------------------------------------------
// The readers above, on small inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn code_only_blanks_comments_and_literals_but_keeps_lines() {
    let source =
        "a // std::fs\nb /* x /* y */ std::fs */ c\n\"std::fs\" r#\"std::fs\"# 'x' '\\n' &'a d";
    let code = code_only(source);
    assert!(!code.contains("std::fs"), "{code}");
    assert_eq!(code.lines().count(), source.lines().count());
    assert!(code.contains("&'a d"), "{code}");
    assert!(code.contains('c'), "{code}");
}

#[test]
fn quoted_code_is_not_the_emitters_own() {
    let code = code_only("let t = quote! { std::fs::write(p, x) };\nstd::fs::read(p);\n");
    let own = without_quoted_code(&code);
    assert_eq!(own.matches("std::fs").count(), 1);
    assert_eq!(line_of(&own, own.find("std::fs").unwrap_or(0)), 2);
}

#[test]
fn test_items_and_test_modules_are_set_aside() {
    let code = code_only(
        "use crate::a::X;\n#[cfg(test)]\nmod helpers;\n#[cfg(test)]\n#[allow(x)]\nmod tests {\n    use crate::b::Y;\n}\n",
    );
    let (code, test_modules) = without_test_items(&code);
    assert_eq!(test_modules, ["helpers"]);
    let names: Vec<String> = crate_paths(&code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["a"]);
}

#[test]
fn grouped_crate_paths_name_each_module() {
    let names: Vec<String> = crate_paths("use crate::{a::{X, Y}, b, c::Z};\n$crate::d::e")
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn a_cycle_is_found_and_a_layering_is_not_one() {
    let graph = |pairs: &[(&str, &str)]| {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            edges
                .entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
        }
        edges
    };
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("a", "c"), ("b", "c")])),
        None
    );
}
