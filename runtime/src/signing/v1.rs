//! Signature version 1.0 (`HMAC-SHA1`) for RPC-style requests.
//!
//! The algorithm, as Alibaba Cloud documents it:
//! 1. sort all parameters except `Signature` by name (byte order, so `Tag.10` sorts before `Tag.2`);
//! 2. percent-encode names and values per RFC 3986 (see [`percent_encode`]) and join them as
//!    `k=v&k=v` — the canonicalized query string;
//! 3. string-to-sign = `METHOD&%2F&` + percent-encode(canonicalized query string);
//! 4. signature = base64(HMAC-SHA1(secret + `&`, string-to-sign)).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::SignatureMismatch;

/// Value of the `SignatureMethod` common parameter for this scheme.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// Value of the `SignatureVersion` common parameter for this scheme.
pub const SIGNATURE_VERSION: &str = "1.0";
/// Name of the parameter that carries the signature (excluded from what is signed).
pub const SIGNATURE_PARAM: &str = "Signature";

/// Percent-encodes `s` the way Alibaba Cloud signatures expect: RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) stay as they are, every other byte of the UTF-8 encoding becomes
/// `%XX` with uppercase hex (space → `%20`, `*` → `%2A`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    super::encode_into(&mut out, s);
    out
}

/// The canonicalized query string and the string-to-sign, built together in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// Sorted, encoded `k=v&k=v`; also a valid query string or form body.
    pub query: String,
    /// `METHOD&%2F&` + percent-encode(query).
    pub string_to_sign: String,
}

/// Canonicalizes borrowed parameters (the `Signature` parameter, if present, is left out).
pub fn canonicalize<'a>(
    method: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Canonical {
    let pairs = super::sorted_pairs(
        params
            .into_iter()
            .filter(|(name, _)| *name != SIGNATURE_PARAM),
    );
    let estimate: usize = pairs.iter().map(|(k, v)| k.len() + v.len() * 2 + 2).sum();
    let mut query = String::with_capacity(estimate);
    let mut string_to_sign = String::with_capacity(estimate * 5 / 4 + method.len() + 5);
    for c in method.chars() {
        string_to_sign.push(c.to_ascii_uppercase());
    }
    string_to_sign.push_str("&%2F&");
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            query.push('&');
            string_to_sign.push_str("%26");
        }
        super::encode_once_and_twice(&mut query, &mut string_to_sign, name);
        query.push('=');
        string_to_sign.push_str("%3D");
        super::encode_once_and_twice(&mut query, &mut string_to_sign, value);
    }
    Canonical {
        query,
        string_to_sign,
    }
}

fn borrowed(params: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// Builds the canonicalized query string: sorted by name, encoded, `&`-joined.
/// The `Signature` parameter, if present, is left out.
pub fn canonicalized_query(params: &[(String, String)]) -> String {
    canonicalize("GET", borrowed(params)).query
}

/// The string that is signed: `METHOD&%2F&` + percent-encode(canonicalized query).
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    canonicalize(method, borrowed(params)).string_to_sign
}

/// Signs an already built string-to-sign.
pub fn sign_string(string_to_sign: &str, access_key_secret: &str) -> String {
    let mut key = Vec::with_capacity(access_key_secret.len() + 1);
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha1>::new_from_slice(&key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Computes the base64 signature over all `params` except `Signature`.
pub fn sign(method: &str, params: &[(String, String)], access_key_secret: &str) -> String {
    sign_string(&string_to_sign(method, params), access_key_secret)
}

/// Verifies the `Signature` parameter of a received v1 request.
///
/// `params` are the decoded query (GET) or query plus form (POST) parameters, including
/// `Signature`. On mismatch the server-side string-to-sign is returned in the error.
pub fn verify(
    method: &str,
    params: &[(String, String)],
    access_key_secret: &str,
) -> Result<(), SignatureMismatch> {
    let provided = params
        .iter()
        .find(|(name, _)| name == SIGNATURE_PARAM)
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    let string_to_sign = string_to_sign(method, params);
    let expected = sign_string(&string_to_sign, access_key_secret);
    if super::constant_time_eq(expected.as_bytes(), provided.as_bytes()) {
        Ok(())
    } else {
        Err(SignatureMismatch {
            string_to_sign,
            provided_signature: provided.to_owned(),
            canonical_request: None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use crate::signing::owned_pairs;

    /// Alibaba's published DescribeRegions example.
    fn published_example() -> Vec<(String, String)> {
        owned_pairs(&[
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Version", "2014-05-26"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
        ])
    }

    #[test]
    fn published_describe_regions_vector() {
        let params = published_example();
        assert_eq!(
            string_to_sign("GET", &params),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            sign("GET", &params, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn signature_param_is_not_signed() {
        let mut params = published_example();
        params.push(("Signature".into(), "anything".into()));
        assert_eq!(
            sign("GET", &params, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn encoding_follows_alibaba_rfc3986() {
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("~-_."), "~-_.");
        assert_eq!(percent_encode("/+=&%"), "%2F%2B%3D%26%25");
        assert_eq!(percent_encode("中文"), "%E4%B8%AD%E6%96%87");
        assert_eq!(percent_encode("AZaz09"), "AZaz09");
    }

    #[test]
    fn names_sort_in_byte_order() {
        let params = owned_pairs(&[("Tag.2.Key", "b"), ("Tag.10.Key", "a"), ("Action", "X")]);
        assert_eq!(
            canonicalized_query(&params),
            "Action=X&Tag.10.Key=a&Tag.2.Key=b"
        );
    }

    #[test]
    fn verifier_accepts_and_reports_mismatch() {
        let mut params = published_example();
        params.push(("Signature".into(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".into()));
        assert_eq!(verify("GET", &params, "testsecret"), Ok(()));
        let err = verify("GET", &params, "wrongsecret").unwrap_err();
        assert!(err
            .string_to_sign
            .starts_with("GET&%2F&AccessKeyId%3Dtestid"));
        assert!(!err.to_string().contains("wrongsecret"));
    }
}
