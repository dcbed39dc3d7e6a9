//! The reserved-name lists in `naming::reserved` are complete: every method and variant the
//! emitters define, other than those derived from a spec name, is on the list the validator
//! refuses spec names against. Parses the generated Rust of the real spec and the fixture, so
//! an emitter that gains a method fails here until the list (and so the check) knows it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests: a panic is the failure report.

use generator::ir::{self, ItemIr, ServiceIr, TypeIr};
use generator::naming::reserved;
use generator::{generate, load_spec, read_templates};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Inherent methods and enum variants per type name, over every generated `.rs` file.
fn survey(spec_dir: &Path) -> (ServiceIr, BTreeMap<String, BTreeSet<String>>) {
    let spec = load_spec(spec_dir).unwrap();
    let templates = read_templates(&root().join("templates")).unwrap();
    let files = generate(&spec, &templates).unwrap();
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let file = syn::parse_file(&f.contents).unwrap();
        for item in file.items {
            match item {
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let syn::Type::Path(p) = &*i.self_ty else {
                        continue;
                    };
                    let ty = p.path.segments.last().unwrap().ident.to_string();
                    for it in i.items {
                        if let syn::ImplItem::Fn(m) = it {
                            names
                                .entry(ty.clone())
                                .or_default()
                                .insert(m.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Enum(e) => {
                    let entry = names.entry(e.ident.to_string()).or_default();
                    entry.extend(e.variants.iter().map(|v| v.ident.to_string()));
                }
                _ => {}
            }
        }
    }
    (ir::lower(&spec).unwrap(), names)
}

fn is_list(ty: &TypeIr) -> bool {
    matches!(
        ty,
        TypeIr::List(ItemIr::Scalar(_) | ItemIr::Enum(_) | ItemIr::Struct(_))
    )
}

/// Names of `ty` that come neither from the spec (`derived`) nor from `fixed`.
fn unexplained(
    names: &BTreeMap<String, BTreeSet<String>>,
    ty: &str,
    derived: &BTreeSet<String>,
    fixed: &[&str],
    prefix: Option<&str>,
) -> Vec<String> {
    names
        .get(ty)
        .into_iter()
        .flatten()
        .filter(|n| !derived.contains(*n) && !fixed.contains(&n.as_str()))
        .filter(|n| !prefix.is_some_and(|p| n.starts_with(p)))
        .map(|n| format!("{ty}::{n}"))
        .collect()
}

fn check(spec_dir: &Path) {
    let (ir, names) = survey(spec_dir);
    let mut missing = Vec::new();
    let mut client = BTreeSet::new();
    let ops = ir.groups.iter().flat_map(|g| &g.operations);
    for op in ops {
        client.insert(op.names.snake.clone());
        let mut setters = BTreeSet::new();
        for p in &op.params {
            setters.insert(p.names.snake.clone());
            if is_list(&p.ty) {
                setters.insert(p.names.list_setter());
            }
        }
        missing.extend(unexplained(
            &names,
            &op.items.builder,
            &setters,
            reserved::BUILDER_METHODS,
            Some(reserved::WAITER_PREFIX),
        ));
        missing.extend(unexplained(
            &names,
            &op.items.input,
            &BTreeSet::new(),
            reserved::INPUT_METHODS,
            None,
        ));
        let getters = op.response.iter().map(|f| f.names.snake.clone()).collect();
        missing.extend(unexplained(
            &names,
            &op.items.output,
            &getters,
            reserved::OUTPUT_METHODS,
            None,
        ));
        let error_names: BTreeSet<String> =
            op.errors.iter().map(|e| e.error.variant.clone()).collect();
        missing.extend(unexplained(
            &names,
            &op.items.error_kind,
            &error_names,
            reserved::ERROR_KIND_VARIANTS,
            None,
        ));
    }
    missing.extend(unexplained(
        &names,
        "Client",
        &client,
        reserved::CLIENT_METHODS,
        None,
    ));
    for s in &ir.structs {
        let mut fields: BTreeSet<String> = s.fields.iter().map(|f| f.names.snake.clone()).collect();
        // A struct both sent and received gets `with_<field>` setters beside its getters.
        if (s.uses.flat_request || s.uses.json_request) && s.uses.response {
            let setters: Vec<String> = fields.iter().map(|f| format!("with_{f}")).collect();
            fields.extend(setters);
        }
        missing.extend(unexplained(
            &names,
            &s.name,
            &fields,
            reserved::STRUCT_METHODS,
            None,
        ));
    }
    for e in &ir.enums {
        let variants: BTreeSet<String> = e.values.iter().map(|v| v.variant.clone()).collect();
        // Enum methods (`as_str`, `is_known`) are not per value, so only variants can collide.
        let found: BTreeSet<String> = names
            .get(&e.name)
            .into_iter()
            .flatten()
            .filter(|n| n.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .cloned()
            .collect();
        let only = BTreeMap::from([(e.name.clone(), found)]);
        missing.extend(unexplained(
            &only,
            &e.name,
            &variants,
            reserved::ENUM_VARIANTS,
            None,
        ));
    }
    assert!(
        missing.is_empty(),
        "generated names missing from naming::reserved: {missing:#?}"
    );
    // The survey saw the generated types at all (a renamed type would make it vacuous).
    assert!(names.contains_key("Client"));
    assert!(names.keys().any(|k| k.ends_with("FluentBuilder")));
}

#[test]
fn every_name_the_real_spec_generates_is_derived_or_reserved() {
    check(&root().join("spec"));
}

#[test]
fn every_name_the_fixture_generates_is_derived_or_reserved() {
    check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"));
}
