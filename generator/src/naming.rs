//! Rust names derived from wire names. One place, so the validator and the emitters agree.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

/// Rust keywords (strict and reserved) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated code defines itself, per namespace a spec-derived name lands in. The
/// validator refuses spec names that would land on one of these; `tests/reserved_names.rs`
/// parses the generated crate and fails when an emitter defines a name missing here.
pub mod reserved {
    /// Methods of every operation's fluent builder besides one setter per parameter (`x`, and
    /// `set_x` for a list `X`).
    pub const BUILDER_METHODS: &[&str] = &[
        "new",
        "input",
        "as_input",
        "options",
        "send",
        "into_paginator",
        "into_items",
    ];
    /// Prefix of the waiter methods on the fluent builder of a polled operation.
    pub const WAITER_PREFIX: &str = "wait_until_";
    /// The waiter method of a polled operation that waits for a resource to be gone.
    pub const WAITER_DELETED: &str = "wait_until_deleted";
    /// Prefix of the whole-list setter a list parameter or field gets besides its item setter.
    pub const LIST_SETTER_PREFIX: &str = "set_";
    /// Methods of `Client` besides one per operation.
    pub const CLIENT_METHODS: &[&str] = &["new", "from_env", "config", "rpc"];
    /// Methods of an operation input. Its fields live in a separate namespace, so these
    /// cannot collide with a parameter; listed so the survey test knows them.
    pub const INPUT_METHODS: &[&str] = &[
        "validate",
        "check_known_values",
        "from_params",
        "to_params",
        "collect_secrets",
    ];
    /// Methods of an operation output besides one getter per response field.
    pub const OUTPUT_METHODS: &[&str] = &[];
    /// Methods of a struct type besides one setter or getter per field.
    pub const STRUCT_METHODS: &[&str] = &[
        "new",
        "check_known_values_at",
        "validate_at",
        "encode_into",
        "from_wire_params",
        "collect_secrets",
    ];
    /// Variants of an operation's error kind besides one per documented code (none: a code
    /// the operation does not document has no kind).
    pub const ERROR_KIND_VARIANTS: &[&str] = &[];
    /// Variants of an enum besides one per documented value.
    pub const ENUM_VARIANTS: &[&str] = &["Unknown"];

    /// Suffixes of the types generated per operation, appended to the action's UpperCamelCase
    /// name (`CreateVpnGateway` + `Input`). `ir::OperationItems` derives the names from these.
    pub mod suffix {
        /// The input (`crate::operation::<module>`).
        pub const INPUT: &str = "Input";
        /// The output.
        pub const OUTPUT: &str = "Output";
        /// The error type alias.
        pub const ERROR: &str = "Error";
        /// The enum of documented error codes.
        pub const ERROR_KIND: &str = "ErrorKind";
        /// The fluent builder.
        pub const FLUENT_BUILDER: &str = "FluentBuilder";
        /// The validated request of the server side (`crate::server`).
        pub const REQUEST: &str = "Request";
    }

    /// Suffixes a spec type name must not end in, so that no shared type reads as one of an
    /// operation's generated types. `ErrorKind` ends in `Kind` and needs its own entry.
    pub const TYPE_SUFFIXES: &[&str] = &[
        suffix::INPUT,
        suffix::OUTPUT,
        suffix::ERROR,
        suffix::ERROR_KIND,
        suffix::FLUENT_BUILDER,
        suffix::REQUEST,
    ];
}

/// `VpnGatewayId` → `vpn_gateway_id`; keywords get a trailing underscore (`Type` → `type_`).
pub fn field_name(wire: &str) -> String {
    let s = snake_name(wire);
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// snake_case of a wire name, digits kept with the word before them (`Ipv4` → `ipv4`).
pub fn snake_name(wire: &str) -> String {
    wire.replace(['.', '-', ' '], "_").to_snake_case()
}

/// UpperCamelCase type or variant name for any text (`ike-v1` → `IkeV1`, `5M` → `V5m`).
pub fn type_name(text: &str) -> String {
    let s = text
        .replace(['.', '-', ' ', '/'], "_")
        .to_upper_camel_case();
    match s.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("V{s}"),
        Some(_) => s,
        None => "Empty".to_owned(),
    }
}

/// The variant name of an error code: `InvalidVpnGatewayInstanceId.NotFound` →
/// `InvalidVpnGatewayInstanceIdNotFound`.
pub fn error_variant(code: &str) -> String {
    type_name(code)
}

/// The variant name of every code of a catalogue, distinct where [`error_variant`] is not.
///
/// Distinct wire codes can share a plain variant (`Internal.Error` and `InternalError`,
/// `INVALID_PARAMETER` and `InvalidParameter`): the service sends each spelling as it is, so
/// each needs its own variant. The plain name stays with the code spelt exactly like it, if
/// there is one; every other code of the clash spells its separators out as words (`.` →
/// `Dot`, `_` → `Underscore`, `-` → `Dash`: `InternalDotError`). A code's variant therefore
/// depends only on its own spelling and on whether a clash exists, never on catalogue order.
/// Codes that still clash afterwards keep their spelt names; the validator reports them.
pub fn error_variants<'a>(codes: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut by_plain: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for code in codes {
        by_plain.entry(error_variant(code)).or_default().push(code);
    }
    let mut out = BTreeMap::new();
    for (plain, mut clash) in by_plain {
        clash.sort_unstable();
        clash.dedup();
        if let [only] = clash.as_slice() {
            out.insert(*only, plain);
            continue;
        }
        for code in clash {
            let variant = if code == plain {
                plain.clone()
            } else {
                spelt_variant(code)
            };
            out.insert(code, variant);
        }
    }
    out
}

/// `Internal.Error` → `InternalDotError`: the variant with every separator as a word.
fn spelt_variant(code: &str) -> String {
    let mut words = String::with_capacity(code.len() + 16);
    for c in code.chars() {
        match c {
            '.' => words.push_str(" Dot "),
            '_' => words.push_str(" Underscore "),
            '-' => words.push_str(" Dash "),
            c => words.push(c),
        }
    }
    type_name(&words)
}

/// True for a Rust keyword, in any case the generated code could spell it (`Self`, `self`).
pub fn is_keyword(s: &str) -> bool {
    s == "Self" || KEYWORDS.contains(&s)
}

/// True for an ASCII UpperCamelCase identifier that is not a keyword (`Self` is the only
/// capitalised one).
pub fn is_upper_camel(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && s != "Self"
}

/// True for a lowercase snake_case identifier that is not a keyword.
pub fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s != "_"
        && !KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(field_name("VpnGatewayId"), "vpn_gateway_id");
        assert_eq!(field_name("Type"), "type_");
        assert_eq!(field_name("IkeConfig"), "ike_config");
        assert_eq!(type_name("ike-v1"), "IkeV1");
        assert_eq!(type_name("5M"), "V5m");
        assert_eq!(type_name("POSTPAY"), "Postpay");
        assert_eq!(
            error_variant("InvalidVpnGatewayInstanceId.NotFound"),
            "InvalidVpnGatewayInstanceIdNotFound"
        );
        let codes = [
            "InternalError",
            "Internal.Error",
            "INVALID_PARAMETER",
            "Invalid-Parameter",
            "Quota.Full",
        ];
        let v = error_variants(codes);
        assert_eq!(v["InternalError"], "InternalError");
        assert_eq!(v["Internal.Error"], "InternalDotError");
        assert_eq!(v["INVALID_PARAMETER"], "InvalidUnderscoreParameter");
        assert_eq!(v["Invalid-Parameter"], "InvalidDashParameter");
        assert_eq!(v["Quota.Full"], "QuotaFull");
        assert!(is_upper_camel("Bandwidth"));
        assert!(!is_upper_camel("Self"));
        assert!(!is_upper_camel("bandwidth"));
        assert!(is_snake_ident("type_"));
        assert!(!is_snake_ident("type"));
    }
}
