//! Where generation time goes, on the real spec: loading (parse, merge, validate), lowering,
//! the whole generation, and, side by side, only the formatting step of the Rust files — the
//! generated files parsed with `syn` and printed with prettyplease again, which is what the
//! generator does with every emitted token stream.
//!
//! `cargo bench -p vpn-gateway-generator --bench generate`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

fn phases(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec_dir = root.join("spec");
    let spec = match generator::load_spec(&spec_dir) {
        Ok(spec) => spec,
        Err(e) => panic!("the spec is invalid: {e}"),
    };
    let templates = generator::builtin_templates();
    let files = match generator::generate(&spec, &templates) {
        Ok(files) => files,
        Err(e) => panic!("generation failed: {e}"),
    };
    // The Rust files without their generated-marker line, as the formatter receives them.
    let rust: Vec<String> = files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| {
            f.contents
                .split_once('\n')
                .map_or("", |(_, rest)| rest)
                .to_owned()
        })
        .collect();

    let mut group = c.benchmark_group("real spec");
    group.sample_size(20);
    group.bench_function("load (parse, merge, validate)", |b| {
        b.iter(|| generator::load_spec(black_box(&spec_dir)))
    });
    group.bench_function("lower", |b| {
        b.iter(|| generator::ir::lower(black_box(&spec)))
    });
    group.bench_function("generate (lower, emit, format, docs)", |b| {
        b.iter(|| generator::generate(black_box(&spec), &templates))
    });
    group.bench_function(
        "format only: syn parse + prettyplease of the Rust files",
        |b| {
            b.iter(|| {
                for text in &rust {
                    if let Ok(file) = syn::parse_file(black_box(text)) {
                        black_box(prettyplease::unparse(&file));
                    }
                }
            })
        },
    );
    group.finish();
}

criterion_group!(benches, phases);
criterion_main!(benches);
