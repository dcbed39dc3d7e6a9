//! Which operation groups need which generated items, for the per-group features.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Which operation groups need which generated items: the generated crate has one cargo
/// feature per group, and an item is compiled when a group that needs it is enabled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupReach {
    /// Enum or struct name → the groups whose operations use it, directly or through other
    /// structs, in documentation order. A type no operation uses is absent (never gated).
    pub types: BTreeMap<String, Vec<String>>,
    /// The same for request parameters only: the groups that validate, encode or collect the
    /// secrets of a struct (its crate-private request methods).
    pub request_types: BTreeMap<String, Vec<String>>,
    /// Group id → the other groups its feature enables, in documentation order: the groups
    /// of the operations that hold the waiters to use after its asynchronous operations.
    pub requires: BTreeMap<String, Vec<String>>,
}

impl GroupReach {
    /// The groups that need type `name`; empty for a type no operation uses.
    pub fn of_type(&self, name: &str) -> &[String] {
        self.types.get(name).map_or(&[], Vec::as_slice)
    }

    /// The groups that send type `name` in a request.
    pub fn of_request_type(&self, name: &str) -> &[String] {
        self.request_types.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Computes [`GroupReach`] for `ir`.
pub fn group_reach(ir: &ServiceIr) -> GroupReach {
    let structs: BTreeMap<&str, &StructIr> =
        ir.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    // Every enum and struct reachable from `roots`, through struct fields at any depth
    // (`seen` also stops recursive structs).
    let reach = |roots: Vec<&TypeIr>| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending = roots;
        while let Some(ty) = pending.pop() {
            let name = match ty {
                TypeIr::Scalar(_) => continue,
                TypeIr::Enum(n, _) | TypeIr::Json(n) | TypeIr::Object(n) => n,
                TypeIr::List(i) | TypeIr::CommaList(i) | TypeIr::WrappedList { item: i, .. } => {
                    match i {
                        ItemIr::Scalar(_) => continue,
                        ItemIr::Enum(n) | ItemIr::Struct(n) => n,
                    }
                }
            };
            if seen.insert(name.clone()) {
                if let Some(s) = structs.get(name.as_str()) {
                    pending.extend(s.fields.iter().map(|f| &f.ty));
                }
            }
        }
        seen
    };
    let group_of: BTreeMap<&str, usize> = ir
        .groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.operations.iter().map(move |o| (o.names.wire.as_str(), i)))
        .collect();
    let mut types: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut request_types: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut requires: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (gi, group) in ir.groups.iter().enumerate() {
        let ops = &group.operations;
        let sent = reach(ops.iter().flat_map(|o| &o.params).map(|f| &f.ty).collect());
        let received = reach(
            ops.iter()
                .flat_map(|o| &o.response)
                .map(|f| &f.ty)
                .collect(),
        );
        for name in sent.iter().chain(&received) {
            types.entry(name.clone()).or_default().insert(gi);
        }
        for name in sent {
            request_types.entry(name).or_default().insert(gi);
        }
        for op in ops {
            let poll_group = op
                .async_completion
                .as_ref()
                .and_then(|a| group_of.get(a.poll.wire.as_str()));
            if let Some(&pg) = poll_group.filter(|&&pg| pg != gi) {
                requires.entry(group.id.clone()).or_default().insert(pg);
            }
        }
    }
    let ids = |set: BTreeSet<usize>| {
        set.into_iter()
            .filter_map(|i| ir.groups.get(i).map(|g| g.id.clone()))
            .collect()
    };
    let named = |map: BTreeMap<String, BTreeSet<usize>>| -> BTreeMap<String, Vec<String>> {
        map.into_iter().map(|(k, v)| (k, ids(v))).collect()
    };
    GroupReach {
        types: named(types),
        request_types: named(request_types),
        requires: named(requires),
    }
}
