//! Signature V3, `ACS3-HMAC-SHA256`: header based, as used by the current official SDKs.
//!
//! ```text
//! CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//! StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(secret, StringToSign))
//! Authorization    = ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<sig>
//! ```
//! Signed headers are `host`, `content-type` and every `x-acs-*` header, lowercased and sorted.
//! The canonical query uses the same RFC 3986 encoding as [`super::v1::percent_encode`].

use std::borrow::Cow;
use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::SignatureMismatch;

/// The algorithm name, first word of the `Authorization` header and of the string-to-sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// Header carrying the API action.
pub const HEADER_ACTION: &str = "x-acs-action";
/// Header carrying the API version.
pub const HEADER_VERSION: &str = "x-acs-version";
/// Header carrying the request time, `YYYY-MM-DDThh:mm:ssZ` in UTC.
pub const HEADER_DATE: &str = "x-acs-date";
/// Header carrying a unique nonce that prevents replays.
pub const HEADER_NONCE: &str = "x-acs-signature-nonce";
/// Header carrying hex(sha256(body)).
pub const HEADER_CONTENT_SHA256: &str = "x-acs-content-sha256";
/// Header carrying the STS token with temporary credentials.
pub const HEADER_SECURITY_TOKEN: &str = "x-acs-security-token";

/// hex(sha256("")): the payload hash of every request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of an HTTP request that V3 signs.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// Canonical URI; `/` for RPC-style APIs.
    pub path: &'a str,
    /// Decoded query parameters.
    pub query: &'a [(String, String)],
    /// Request headers (any case); only `host`, `content-type` and `x-acs-*` are signed.
    pub headers: &'a [(&'a str, &'a str)],
    /// hex(sha256(body)), see [`hashed_payload`].
    pub hashed_payload: &'a str,
}

/// The result of signing: what goes into the `Authorization` header, plus the intermediate
/// strings for diagnostics.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The full canonical request.
    pub canonical_request: String,
    /// The string that was HMAC'd.
    pub string_to_sign: String,
    /// `;`-joined lowercase names of the signed headers.
    pub signed_headers: String,
    /// Lowercase hex signature.
    pub signature: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Nothing here is secret, but canonical requests are long: keep Debug readable.
        f.debug_struct("Signature")
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl Signature {
    /// The `Authorization` header value for `access_key_id`.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers, self.signature
        )
    }
}

/// hex(sha256(body)), the value of `x-acs-content-sha256` and the last canonical-request line.
pub fn hashed_payload(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// Sorted (by raw name, then value), encoded `k=v&k=v` query string.
pub fn canonical_query(query: &[(String, String)]) -> String {
    super::sorted_query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn is_signed_header(lower_name: &str) -> bool {
    lower_name == "host" || lower_name == "content-type" || lower_name.starts_with("x-acs-")
}

/// Canonical headers (`name:value\n` each) and the signed-header list for the headers chosen by
/// `select` (which receives lowercase names).
fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(
    headers: &[(N, V)],
    select: impl Fn(&str) -> bool,
) -> (String, String) {
    let mut chosen: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_ref();
            let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            };
            (name, value.as_ref().trim())
        })
        .filter(|(name, _)| select(name))
        .collect();
    chosen.sort_unstable();
    let mut canonical = String::with_capacity(256);
    let mut signed = String::with_capacity(128);
    for (i, (name, value)) in chosen.iter().enumerate() {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
        if i > 0 {
            signed.push(';');
        }
        signed.push_str(name);
    }
    (canonical, signed)
}

fn build_canonical_request(
    request: &SignableRequest<'_>,
    query: &str,
    canonical_headers: &str,
    signed_headers: &str,
) -> String {
    let mut out = String::with_capacity(
        request.method.len()
            + request.path.len()
            + query.len()
            + canonical_headers.len()
            + signed_headers.len()
            + request.hashed_payload.len()
            + 5,
    );
    for part in [
        request.method,
        request.path,
        query,
        canonical_headers,
        signed_headers,
    ] {
        out.push_str(part);
        out.push('\n');
    }
    out.push_str(request.hashed_payload);
    out
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical_request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    )
}

/// hex(HMAC-SHA256(secret, string_to_sign)).
pub fn sign_string(string_to_sign: &str, access_key_secret: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Signs a request: `host`, `content-type` and all `x-acs-*` headers are signed.
pub fn sign(request: &SignableRequest<'_>, access_key_secret: &str) -> Signature {
    sign_with_query(request, &canonical_query(request.query), access_key_secret)
}

/// Like [`sign`], with the [`canonical_query`] of `request.query` already computed (the caller
/// also needs it for the URL, and it is the costliest part to build).
pub fn sign_with_query(
    request: &SignableRequest<'_>,
    canonical_query: &str,
    access_key_secret: &str,
) -> Signature {
    let (canonical_headers, signed_headers) = canonical_headers(request.headers, is_signed_header);
    let canonical_request = build_canonical_request(
        request,
        canonical_query,
        &canonical_headers,
        &signed_headers,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = sign_string(&string_to_sign, access_key_secret);
    Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    }
}

/// A parsed `Authorization: ACS3-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The AccessKey ID from `Credential=`.
    pub access_key_id: String,
    /// Lowercase names from `SignedHeaders=`.
    pub signed_headers: Vec<String>,
    /// The hex signature from `Signature=`.
    pub signature: String,
}

impl Authorization {
    /// Parses an `Authorization` header value.
    pub fn parse(value: &str) -> Result<Self, VerifyError> {
        let incomplete = |why: &str| VerifyError::IncompleteSignature(why.to_owned());
        let rest = value
            .trim()
            .strip_prefix(ALGORITHM)
            .ok_or_else(|| incomplete("the Authorization header does not use ACS3-HMAC-SHA256"))?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.trim().split(',') {
            let (key, val) = part
                .trim()
                .split_once('=')
                .ok_or_else(|| incomplete("malformed Authorization header"))?;
            match key {
                "Credential" => credential = Some(val.to_owned()),
                "SignedHeaders" => {
                    signed_headers = Some(val.split(';').map(str::to_ascii_lowercase).collect())
                }
                "Signature" => signature = Some(val.to_owned()),
                _ => {}
            }
        }
        Ok(Authorization {
            access_key_id: credential.ok_or_else(|| incomplete("Credential is missing"))?,
            signed_headers: signed_headers.ok_or_else(|| incomplete("SignedHeaders is missing"))?,
            signature: signature.ok_or_else(|| incomplete("Signature is missing"))?,
        })
    }
}

/// Why a V3 request failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The `Authorization` header is missing or malformed, or a required header is missing.
    IncompleteSignature(String),
    /// The signature was well formed but wrong.
    Mismatch(SignatureMismatch),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::IncompleteSignature(why) => write!(f, "incomplete signature: {why}"),
            VerifyError::Mismatch(mismatch) => mismatch.fmt(f),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Finds the (first) value of a header, case-insensitively.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The headers ACS3-HMAC-SHA256 requires to be present and signed.
pub const REQUIRED_SIGNED_HEADERS: [&str; 6] = [
    "host",
    HEADER_ACTION,
    HEADER_VERSION,
    HEADER_DATE,
    HEADER_NONCE,
    HEADER_CONTENT_SHA256,
];

/// The signing rules on headers: every [`REQUIRED_SIGNED_HEADERS`] present and signed; every
/// other `x-acs-*` header and `content-type` the request carries signed too (an unsigned one
/// could be altered in transit); every signed header present; and `x-acs-content-sha256` the
/// hash of the body actually received.
fn check_signed_headers(
    headers: &[(String, String)],
    authorization: &Authorization,
    payload_hash: &str,
) -> Result<(), VerifyError> {
    let incomplete = |why: String| Err(VerifyError::IncompleteSignature(why));
    let signed = |name: &str| authorization.signed_headers.iter().any(|h| h == name);
    for required in REQUIRED_SIGNED_HEADERS {
        if header(headers, required).is_none() {
            return incomplete(format!("header {required} is missing"));
        }
        if !signed(required) {
            return incomplete(format!("header {required} is not signed"));
        }
    }
    for (name, _) in headers {
        let name = name.to_ascii_lowercase();
        if (name.starts_with("x-acs-") || name == "content-type") && !signed(&name) {
            return incomplete(format!("header {} is not signed", shown(&name)));
        }
    }
    for name in &authorization.signed_headers {
        if header(headers, name).is_none() {
            return incomplete(format!("header {} is signed but not sent", shown(name)));
        }
    }
    if header(headers, HEADER_CONTENT_SHA256) != Some(payload_hash) {
        return incomplete(format!(
            "header {HEADER_CONTENT_SHA256} is not the SHA-256 of the body"
        ));
    }
    Ok(())
}

/// At most 64 characters of a client-supplied header name, for messages.
fn shown(name: &str) -> String {
    name.chars().take(64).collect()
}

/// Verifies a received V3 request as the service does.
///
/// The payload hash is recomputed from `body` (a tampered body fails), the headers named in the
/// `Authorization` header are signed in the listed set, and the header rules hold: every one of
/// [`REQUIRED_SIGNED_HEADERS`] (`host` included) and every other `x-acs-*` header and
/// `content-type` sent must be signed. Use [`Authorization::parse`] first to look up the secret for the
/// request's AccessKey ID.
pub fn verify(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &[u8],
    access_key_secret: &str,
) -> Result<(), VerifyError> {
    let authorization = header(headers, "authorization")
        .ok_or_else(|| VerifyError::IncompleteSignature("Authorization is missing".into()))?;
    let authorization = Authorization::parse(authorization)?;
    let payload_hash = hashed_payload(body);
    check_signed_headers(headers, &authorization, &payload_hash)?;
    let listed = &authorization.signed_headers;
    let (canonical_headers, signed_headers) =
        canonical_headers(headers, |name| listed.iter().any(|h| h == name));
    let request = SignableRequest {
        method,
        path,
        query,
        // Only the canonical headers computed above are used.
        headers: &[],
        hashed_payload: &payload_hash,
    };
    let canonical_request = build_canonical_request(
        &request,
        &canonical_query(query),
        &canonical_headers,
        &signed_headers,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let expected = sign_string(&string_to_sign, access_key_secret);
    if super::constant_time_eq(expected.as_bytes(), authorization.signature.as_bytes()) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch(SignatureMismatch {
            string_to_sign,
            provided_signature: authorization.signature,
            canonical_request: Some(canonical_request),
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use crate::signing::owned_pairs;

    fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    type Pairs = Vec<(String, String)>;

    /// The RunInstances example from Alibaba's V3 signature documentation: (query, headers).
    fn run_instances() -> (Pairs, Pairs) {
        let query = owned_pairs(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let headers = owned_pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY_SHA256),
        ]);
        (query, headers)
    }

    /// Signs the RunInstances example, with `extra` headers added to the documented ones.
    fn sign_run_instances(extra: &[(&str, &str)]) -> Signature {
        let (query, mut headers) = run_instances();
        headers.extend(owned_pairs(extra));
        let headers = borrowed(&headers);
        let request = SignableRequest {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            hashed_payload: EMPTY_SHA256,
        };
        sign(&request, "YourAccessKeySecret")
    }

    #[test]
    fn published_run_instances_vector() {
        assert_eq!(hashed_payload(b""), EMPTY_SHA256);
        assert_eq!(EMPTY_PAYLOAD_SHA256, EMPTY_SHA256);
        let signed = sign_run_instances(&[]);
        assert_eq!(
            signed.canonical_request,
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            signed.authorization("YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn unsigned_headers_are_ignored() {
        let signed =
            sign_run_instances(&[("User-Agent", "whatever"), ("Accept", "application/json")]);
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn verifier_accepts_published_request_and_reports_mismatch() {
        let (query, mut headers) = run_instances();
        headers.push((
            "Authorization".into(),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
                .into(),
        ));
        assert_eq!(
            verify("POST", "/", &query, &headers, b"", "YourAccessKeySecret"),
            Ok(())
        );
        // A body other than the one whose hash was signed.
        assert!(matches!(
            verify(
                "POST",
                "/",
                &query,
                &headers,
                b"tampered",
                "YourAccessKeySecret"
            ),
            Err(VerifyError::IncompleteSignature(_))
        ));
        match verify("POST", "/", &query, &headers, b"", "AnotherSecret") {
            Err(VerifyError::Mismatch(m)) => {
                assert!(m.string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
                assert!(m.canonical_request.is_some());
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
    }

    #[test]
    fn verifier_requires_every_signing_header_to_be_signed() {
        let (query, headers) = run_instances();
        let all =
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
        for left_out in REQUIRED_SIGNED_HEADERS {
            let listed: Vec<&str> = all.split(';').filter(|h| *h != left_out).collect();
            let mut headers = headers.clone();
            headers.push((
                "Authorization".into(),
                format!(
                    "ACS3-HMAC-SHA256 Credential=id,SignedHeaders={},Signature=00",
                    listed.join(";")
                ),
            ));
            match verify("POST", "/", &query, &headers, b"", "s") {
                Err(VerifyError::IncompleteSignature(why)) => {
                    assert!(why.contains(left_out), "{why}")
                }
                other => panic!("{left_out} unsigned: {other:?}"),
            }
        }
        // An extra x-acs-* header or a content-type that is sent must be signed too.
        for extra in ["x-acs-security-token", "content-type"] {
            let mut headers = headers.clone();
            headers.push((extra.into(), "v".into()));
            headers.push((
                "Authorization".into(),
                format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders={all},Signature=00"),
            ));
            match verify("POST", "/", &query, &headers, b"", "s") {
                Err(VerifyError::IncompleteSignature(why)) => assert!(why.contains(extra), "{why}"),
                other => panic!("{extra} unsigned: {other:?}"),
            }
        }
    }

    #[test]
    fn verifier_rejects_incomplete_authorization() {
        let (query, mut headers) = run_instances();
        assert!(matches!(
            verify("POST", "/", &query, &headers, b"", "s"),
            Err(VerifyError::IncompleteSignature(_))
        ));
        headers.push((
            "Authorization".into(),
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=00".into(),
        ));
        assert!(matches!(
            verify("POST", "/", &query, &headers, b"", "s"),
            Err(VerifyError::IncompleteSignature(_))
        ));
    }
}
