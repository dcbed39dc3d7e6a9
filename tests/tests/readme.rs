//! The README's quick start is the code in `examples/readme.rs`, which `cargo test` compiles.

#[test]
fn the_readme_quick_start_is_the_compiled_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/readme.rs"))
            .unwrap();
    let start = readme
        .find("```rust,no_run\n")
        .expect("README has a Rust quick start")
        + 15;
    let end = start + readme[start..].find("```").unwrap();
    let code = &readme[start..end];
    assert!(
        example.ends_with(code),
        "README quick start and tests/examples/readme.rs differ; keep them identical"
    );
}
