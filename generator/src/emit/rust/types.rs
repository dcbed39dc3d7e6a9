//! `src/types.rs`: every enum and struct the spec defines.

use super::features::cfg;
use super::{doc, field_doc, ident, is_list, runtime_path, value_type};
use crate::ir::{EnumIr, EnumWireType, ServiceIr, StructIr};
use proc_macro2::TokenStream;
use quote::quote;

/// The shared types module.
pub(super) fn emit_types(ir: &ServiceIr) -> TokenStream {
    // Each type is compiled when a group feature that needs it is enabled.
    let reach = crate::ir::group_reach(ir);
    let enums = ir
        .enums
        .iter()
        .map(|e| emit_enum(e, &cfg(reach.of_type(&e.name))));
    let structs = ir.structs.iter().map(|s| {
        let (used, sent) = (reach.of_type(&s.name), reach.of_request_type(&s.name));
        let request_cfg = if sent == used { quote!() } else { cfg(sent) };
        emit_struct(s, &cfg(used), &request_cfg)
    });
    let rt = super::runtime_import();
    quote! {
        //! Enums and structs shared by the operations.
        #[allow(unused_imports)]
        use ::core::fmt;
        #[allow(unused_imports)]
        #rt
        #(#enums)*
        #(#structs)*
    }
}

/// An enum with one variant per documented value plus `Unknown`, so values the service adds
/// later still deserialize.
fn emit_enum(e: &EnumIr, cfg: &TokenStream) -> TokenStream {
    let name = ident(&e.name);
    let mut text = e.doc.clone();
    if let Some(n) = &e.note {
        text.push_str(&format!("\n\nNote: {n}"));
    }
    let docs = doc(&text);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let variant_docs = e
        .values
        .iter()
        .map(|v| doc(&format!("`{}`: {}", v.wire, v.doc)));
    let integer = e.wire_type != EnumWireType::String;
    let (unknown_ty, wire_fn, from_ty) = if integer {
        (quote!(i64), quote!(as_i64), quote!(i64))
    } else {
        (quote!(String), quote!(as_str), quote!(&str))
    };
    let wires: Vec<TokenStream> = e
        .values
        .iter()
        .map(|v| {
            if integer {
                let n: i64 = v.wire.parse().unwrap_or_default();
                quote!(#n)
            } else {
                let s = &v.wire;
                quote!(#s)
            }
        })
        .collect();
    let accessor = if integer {
        quote! {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(v) => *v,
                }
            }
        }
    } else {
        quote! {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(v) => v,
                }
            }
        }
    };
    let unknown_from = if integer {
        quote!(Self::Unknown(v))
    } else {
        quote!(Self::Unknown(v.to_owned()))
    };
    let codec = runtime_path("codec");
    let (ser, de) = if integer {
        (
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(#codec::scalar::<_, i64>(deserializer).map(Self::from)),
        )
    } else {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(#codec::scalar::<_, String>(deserializer).map(|v| Self::from(v.as_str()))),
        )
    };
    // Case-insensitive enums compare upper-cased text; the known value keeps its spelling.
    let (scrutinee, match_wires): (TokenStream, Vec<TokenStream>) = if e.case_insensitive {
        let upper = e.values.iter().map(|v| {
            let u = v.wire.to_ascii_uppercase();
            quote!(#u)
        });
        (quote!(v.to_ascii_uppercase().as_str()), upper.collect())
    } else {
        (quote!(v), wires.clone())
    };
    let from_wire = runtime_path("wire_params::decode::FromWire");
    let from_wire_body = if integer {
        quote!(text
            .trim()
            .parse::<i64>()
            .map(Self::from)
            .map_err(|_| "must be an integer".to_owned()))
    } else {
        quote!(Ok(Self::from(text)))
    };
    quote! {
        #docs
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the SDK does not know; kept as received.
            Unknown(#unknown_ty),
        }
        #cfg
        impl #name {
            /// Every documented value.
            pub const VALUES: &'static [#name] = &[#(Self::#variants),*];
            #accessor
            /// False for a value this version of the SDK does not know.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        #cfg
        impl From<#from_ty> for #name {
            fn from(v: #from_ty) -> Self {
                match #scrutinee {
                    #(#match_wires => Self::#variants,)*
                    _ => #unknown_from,
                }
            }
        }
        #cfg
        impl #from_wire for #name {
            fn from_wire(text: &str) -> Result<Self, String> {
                #from_wire_body
            }
        }
        #cfg
        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.#wire_fn(), f)
            }
        }
        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #ser
            }
        }
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #de
            }
        }
    }
}

/// A struct. Request-side structs get builder-style setters; response-side structs get
/// accessors; serde derives follow how the struct travels.
fn emit_struct(s: &StructIr, cfg: &TokenStream, request_cfg: &TokenStream) -> TokenStream {
    let name = ident(&s.name);
    let mut text = s.doc.clone();
    if let Some(n) = &s.note {
        text.push_str(&format!("\n\nNote: {n}"));
    }
    let docs = doc(&text);
    let request = s.uses.flat_request || s.uses.json_request;
    let response = s.uses.response || !request;
    let mut derives = vec![quote!(Clone), quote!(Default), quote!(PartialEq)];
    if !s.has_sensitive() {
        derives.push(quote!(Debug));
    }
    // Both directions always: JSON parameters serialize, responses deserialize, and
    // capture/replay tests and the emulator use the other direction.
    derives.push(quote!(::serde::Serialize));
    derives.push(quote!(::serde::Deserialize));
    let codecs: Vec<FieldCodec> = s
        .fields
        .iter()
        .map(|f| field_codec(&s.name, f, false))
        .collect();
    let fields = s.fields.iter().zip(&codecs).map(|(f, codec)| {
        let fname = ident(&f.names.snake);
        let wire = &f.names.wire;
        let ty = value_type(&f.ty);
        let fdoc = doc(&field_doc(f, request && !response));
        let read = &codec.read;
        let (ty, write) = if let Some(path) = &codec.serialize_with {
            (ty, quote!(#[serde(serialize_with = #path)]))
        } else if is_list(&f.ty) {
            (ty, quote!(#[serde(skip_serializing_if = "Vec::is_empty")]))
        } else {
            (
                quote!(Option<#ty>),
                quote!(#[serde(skip_serializing_if = "Option::is_none")]),
            )
        };
        let rename = rename_and_read(wire, read);
        quote! {
            #fdoc
            #rename
            #write
            pub #fname: #ty,
        }
    });
    let serializers = codecs.iter().flat_map(|codec| &codec.functions);
    let debug = super::redacted_debug(&s.name, &s.fields, false);
    let methods = s.fields.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let ty = value_type(&f.ty);
        let list = is_list(&f.ty);
        let mut out = TokenStream::new();
        if request {
            let setter = if response {
                ident(&f.names.with_setter())
            } else {
                fname.clone()
            };
            let sdoc = doc(&format!("Sets `{}`.", f.names.wire));
            out.extend(if list {
                quote! {
                    #sdoc
                    pub fn #setter(mut self, value: #ty) -> Self { self.#fname = value; self }
                }
            } else {
                quote! {
                    #sdoc
                    pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                        self.#fname = Some(value.into());
                        self
                    }
                }
            });
        }
        if response && !request {
            out.extend(accessor(&fname, &f.ty, list, false));
        }
        out
    });
    let request_impls = if request {
        let validation_error = runtime_path("ValidationError");
        let checks = s.fields.iter().map(|f| {
            let wire = &f.names.wire;
            super::operation::field_checks(
                f,
                &quote!(&format!("{}.{}", path, #wire)),
                &quote!(self),
            )
        });
        let encode = if s.uses.flat_request {
            let params = runtime_path("wire_params::encode::StructParams");
            let pushes = s.fields.iter().map(super::operation::encode_field);
            let wire_params = runtime_path("wire_params::decode::WireParams");
            let validation_error = runtime_path("ValidationError");
            let reads = s.fields.iter().map(super::operation::decode_field);
            quote! {
                /// Pushes this value's fields as `Field=value`; the caller's scope adds the
                /// `Name.N.` or `Name.` prefix.
                pub(crate) fn encode_into(&self, p: &mut #params<'_>) { #(#pushes)* }

                /// Reads one value from parameters already scoped to `Name.N.` or `Name.` (the
                /// inverse of the wire encoding; used by servers such as the local emulator).
                pub fn from_wire_params(r: &#wire_params) -> Result<Self, #validation_error> {
                    Ok(Self { #(#reads)* })
                }
            }
        } else {
            quote!()
        };
        let secrets = super::secret_collector(&s.fields);
        let known = s.fields.iter().map(|f| {
            let wire = &f.names.wire;
            super::operation::known_checks(
                f,
                &quote!(&format!("{}.{}", path, #wire)),
                &quote!(self),
            )
        });
        quote! {
            /// Checks that every enum value is a documented one, naming fields as `path.Field`.
            pub fn check_known_values_at(&self, path: &str) -> Result<(), #validation_error> {
                #(#known)*
                let _ = path;
                Ok(())
            }
            /// Checks every documented constraint, naming fields as `path.Field`.
            pub(crate) fn validate_at(&self, path: &str) -> Result<(), #validation_error> {
                #(#checks)*
                let _ = path;
                Ok(())
            }
            #encode
            #secrets
        }
    } else {
        quote!()
    };
    let ctor = if request {
        quote! {
            /// An empty value, to fill with the setters.
            pub fn new() -> Self { Self::default() }
        }
    } else {
        quote!()
    };
    // The crate-private request methods go in an impl of their own when fewer groups send
    // the struct than use it, so a group that only receives it compiles without dead code.
    let (request_impls, separate_request_impls) =
        if request_cfg.is_empty() || request_impls.is_empty() {
            (request_impls, quote!())
        } else {
            (quote!(), quote!(#request_cfg impl #name { #request_impls }))
        };
    let debug = if debug.is_empty() {
        debug
    } else {
        quote!(#cfg #debug)
    };
    quote! {
        #docs
        #cfg
        #[derive(#(#derives),*)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #cfg
        impl #name {
            #ctor
            #(#methods)*
            #request_impls
        }
        #separate_request_impls
        #debug
        #(#cfg #serializers)*
    }
}

/// `#[serde(rename = "Wire", default, deserialize_with = "...")]`, as two attributes when one
/// would not fit on a line (the formatter would spread it over five), so each field's attributes
/// stay short.
pub(super) fn rename_and_read(wire: &str, read: &Reader) -> TokenStream {
    let with = &read.deserialize_with;
    let args = if read.default {
        quote!(default, deserialize_with = #with)
    } else {
        quote!(deserialize_with = #with)
    };
    // The formatter keeps an attribute on one line up to about 87 columns: `    #[serde(rename
    // = "", )]` takes 26 around the name and the arguments, `default, ` 9 and
    // `deserialize_with = ""` 21 around the path.
    let args_len = if read.default { 9 } else { 0 } + 21 + with.len();
    if 26 + wire.len() + args_len <= 87 {
        quote!(#[serde(rename = #wire, #args)])
    } else {
        quote!(#[serde(rename = #wire)] #[serde(#args)])
    }
}

/// How a field is read from the service's JSON.
pub(super) struct Reader {
    /// Absent means empty (`None`, no items); required fields have no default.
    default: bool,
    /// The function that reads the value.
    deserialize_with: String,
}

/// How one field travels through serde, worked out once per field.
pub(super) struct FieldCodec {
    /// How the field is read.
    pub(super) read: Reader,
    /// The `serialize_with` path of a wrapped list.
    pub(super) serialize_with: Option<String>,
    /// The functions those arguments name, to emit beside the type.
    pub(super) functions: Vec<TokenStream>,
}

/// The serde treatment of field `f` of type `owner` (see [`field_decoder`] for `required`).
pub(super) fn field_codec(owner: &str, f: &crate::ir::FieldIr, required: bool) -> FieldCodec {
    let (read, read_fn) = field_decoder(owner, f, required);
    let (serialize_with, write_fn) = wrapped_serializer(owner, f).unzip();
    FieldCodec {
        read,
        serialize_with,
        functions: write_fn.into_iter().chain(read_fn).collect(),
    }
}

/// For a wrapped-list field: the `serialize_with` path and the function it names, which puts
/// the `{"Key": [...]}` wrapper back so serialized values match the service's JSON.
fn wrapped_serializer(owner: &str, f: &crate::ir::FieldIr) -> Option<(String, TokenStream)> {
    let crate::ir::TypeIr::WrappedList { key, item } = &f.ty else {
        return None;
    };
    let name = format!(
        "serialize_{}_{}",
        crate::naming::snake_name(owner),
        f.names.snake.trim_end_matches('_')
    );
    let fn_name = ident(&name);
    let item = super::item_type(item);
    let codec = runtime_path("codec");
    let tokens = quote! {
        fn #fn_name<S: ::serde::Serializer>(items: &[#item], serializer: S) -> Result<S::Ok, S::Error> {
            #codec::serialize_wrapped(#key, items, serializer)
        }
    };
    Some((name, tokens))
}

/// How a field is read from the service's JSON and, for a wrapped list, the function that reads
/// it. Every scalar goes through
/// the runtime's drift-tolerant readers and every list through its one-pass list readers, so
/// all generated types accept the same representations. `required` fields are held without
/// `Option` and have no default: their absence makes the response invalid.
fn field_decoder(
    owner: &str,
    f: &crate::ir::FieldIr,
    required: bool,
) -> (Reader, Option<TokenStream>) {
    use crate::ir::{ItemIr, TypeIr};
    // Short paths keep each attribute on one line; every generated module imports `rt`.
    let codec = "rt::codec";
    let reader = |default: bool, function: &str| Reader {
        default,
        deserialize_with: format!("{codec}::{function}"),
    };
    let with = |function: &str| reader(true, function);
    match &f.ty {
        TypeIr::WrappedList { key, item } => {
            let name = format!(
                "deserialize_{}_{}",
                crate::naming::snake_name(owner),
                f.names.snake.trim_end_matches('_')
            );
            let fn_name = ident(&name);
            let item_ty = super::item_type(item);
            let list_reader = match item {
                ItemIr::Scalar(_) => quote!(wrapped_scalar_list),
                ItemIr::Enum(_) | ItemIr::Struct(_) => quote!(wrapped_list),
            };
            let codec = runtime_path("codec");
            let glue = quote! {
                fn #fn_name<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<#item_ty>, D::Error> {
                    #codec::#list_reader(#key, deserializer)
                }
            };
            let read = Reader {
                default: true,
                deserialize_with: name,
            };
            (read, Some(glue))
        }
        TypeIr::List(ItemIr::Scalar(_)) | TypeIr::CommaList(ItemIr::Scalar(_)) => {
            (with("scalar_list"), None)
        }
        TypeIr::CommaList(_) => (with("list"), None),
        TypeIr::List(_) => (with("list"), None),
        // A required text may not be empty (an empty element is no value); a required object
        // is never read from an array, which a derived struct would read by position.
        TypeIr::Scalar(s) if required => {
            let function = match s {
                crate::ir::ScalarIr::String => "required_text",
                _ => "scalar",
            };
            (reader(false, function), None)
        }
        TypeIr::Scalar(_) => (with("optional_scalar"), None),
        TypeIr::Enum(..) | TypeIr::Json(_) | TypeIr::Object(_) if required => {
            (reader(false, "value"), None)
        }
        TypeIr::Enum(..) | TypeIr::Json(_) | TypeIr::Object(_) => (with("optional_value"), None),
    }
}

/// A borrowing accessor for a response field: `&str` for strings, `&[T]` for lists, copies
/// for numbers and booleans, references otherwise. `required` fields are not `Option`.
pub(super) fn accessor(
    fname: &proc_macro2::Ident,
    ty: &crate::ir::TypeIr,
    list: bool,
    required: bool,
) -> TokenStream {
    use crate::ir::{ScalarIr, TypeIr};
    let adoc = doc(&format!("Returns `{fname}`."));
    let body = if list {
        let t = match ty {
            TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } => super::item_type(i),
            _ => value_type(ty),
        };
        quote!(pub fn #fname(&self) -> &[#t] { &self.#fname })
    } else {
        match (ty, required) {
            (TypeIr::Scalar(ScalarIr::String), false) => {
                quote!(pub fn #fname(&self) -> Option<&str> { self.#fname.as_deref() })
            }
            (TypeIr::Scalar(ScalarIr::String), true) => {
                quote!(pub fn #fname(&self) -> &str { &self.#fname })
            }
            (TypeIr::Scalar(_), false) => {
                let t = value_type(ty);
                quote!(pub fn #fname(&self) -> Option<#t> { self.#fname })
            }
            (TypeIr::Scalar(_), true) => {
                let t = value_type(ty);
                quote!(pub fn #fname(&self) -> #t { self.#fname })
            }
            (_, false) => {
                let t = value_type(ty);
                quote!(pub fn #fname(&self) -> Option<&#t> { self.#fname.as_ref() })
            }
            (_, true) => {
                let t = value_type(ty);
                quote!(pub fn #fname(&self) -> &#t { &self.#fname })
            }
        }
    };
    quote! { #adoc #body }
}
