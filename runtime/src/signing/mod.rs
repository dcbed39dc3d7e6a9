//! Request signing and verification for Alibaba Cloud RPC APIs.
//!
//! Two schemes are supported, both as pure functions so that the client, the local emulator and
//! the benchmarks share one implementation:
//!
//! - [`v1`]: the classic RPC signature (`HMAC-SHA1`, `SignatureVersion=1.0`) computed over the
//!   sorted, percent-encoded request parameters.
//! - [`v3`]: `ACS3-HMAC-SHA256`, header based, as used by the current official SDKs.
//!
//! Each module also exposes a verifier that recomputes the signature server-side and, on mismatch,
//! reports the string-to-sign the server computed (as the real service does in its
//! `SignatureDoesNotMatch` message), so that a client developer can diff it against their own.

use std::fmt;

pub mod v1;
pub mod v3;

/// The signature carried by a request did not match the one recomputed from its contents.
///
/// Carries the server-side string-to-sign, which contains no secret material: it is built only
/// from what travelled on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureMismatch {
    /// The string-to-sign the verifier computed from the request.
    pub string_to_sign: String,
    /// The signature the request carried (empty when it carried none).
    pub provided_signature: String,
    /// For V3, the canonical request the verifier built (the step before the string-to-sign).
    pub canonical_request: Option<String>,
}

impl fmt::Display for SignatureMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request signature does not match; server string to sign is: {}",
            self.string_to_sign
        )
    }
}

impl std::error::Error for SignatureMismatch {}

/// Owned name/value pairs, as the signers take them, from string literals.
#[cfg(test)]
fn owned_pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters, which Alibaba's encoding keeps as they are.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `s` percent-encoded the Alibaba way (RFC 3986, UTF-8, uppercase hex) to `out`.
fn encode_into(out: &mut String, s: &str) {
    encode_with_space(out, s, "%20");
}

/// Appends `s` encoded as Python's `urlencode` (`quote_plus`) writes a form body, which is how
/// the official SDKs send form-body parameters: like [`encode_into`], but a space is `+`.
fn form_encode_into(out: &mut String, s: &str) {
    encode_with_space(out, s, "+");
}

fn encode_with_space(out: &mut String, s: &str, space: &str) {
    let mut run_start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !is_unreserved(b) {
            // Runs hold only unreserved ASCII, so a non-empty run starts and ends on char
            // boundaries; inside a multi-byte character the run is always empty.
            if run_start < i {
                out.push_str(&s[run_start..i]);
            }
            if b == b' ' {
                out.push_str(space);
            } else {
                out.push('%');
                out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
                out.push(char::from(HEX_UPPER[usize::from(b & 0xF)]));
            }
            run_start = i + 1;
        }
    }
    out.push_str(&s[run_start..]);
}

/// `k=v&k=v`, sorted by name then value, each part written by `encode`.
fn join_sorted<'a>(
    params: impl Iterator<Item = (&'a str, &'a str)>,
    encode: fn(&mut String, &str),
) -> String {
    let pairs = sorted_pairs(params);
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() * 2 + 2).sum());
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(&mut out, k);
        out.push('=');
        encode(&mut out, v);
    }
    out
}

/// The sorted, RFC 3986 encoded query string of `params` (the V3 canonical query; also the
/// v1 query string when the signed parameters are not all sent in the URL).
pub(crate) fn sorted_query<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    join_sorted(params, encode_into)
}

/// The `application/x-www-form-urlencoded` body of `params`: sorted by name then value,
/// encoded by [`form_encode_into`].
pub(crate) fn sorted_form<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    join_sorted(params, form_encode_into)
}

/// Appends `s` encoded once to `once` and encoded twice to `twice` in a single pass: what v1
/// needs for the query string and for the string-to-sign (which encodes the query again).
fn encode_once_and_twice(once: &mut String, twice: &mut String, s: &str) {
    let mut run_start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !is_unreserved(b) {
            if run_start < i {
                let run = &s[run_start..i];
                once.push_str(run);
                twice.push_str(run);
            }
            let hi = char::from(HEX_UPPER[usize::from(b >> 4)]);
            let lo = char::from(HEX_UPPER[usize::from(b & 0xF)]);
            once.push('%');
            once.push(hi);
            once.push(lo);
            twice.push_str("%25");
            twice.push(hi);
            twice.push(lo);
            run_start = i + 1;
        }
    }
    let run = &s[run_start..];
    once.push_str(run);
    twice.push_str(run);
}

/// Borrows and sorts parameters by name, then value (byte order of the raw names, as the
/// official SDKs sort; `Tag.10` before `Tag.2`).
fn sorted_pairs<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<(&str, &str)> = params.collect();
    pairs.sort_unstable();
    pairs
}

/// Compares two byte strings in time independent of where they first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
