//! Authentication: signature v1 (`Signature` parameter) and V3 (`Authorization` header),
//! credentials, STS tokens, timestamps and nonces.

use crate::config::{Credential, Limits};
use crate::error::ApiError;
use crate::protocol::RpcRequest;
use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vpn_gateway::runtime::signing::{v1, v3};

/// Remembers every nonce until the timestamp it was signed with leaves the tolerance window, so
/// a replay is refused for as long as its timestamp would be accepted.
///
/// Nonces are kept per AccessKey ID, as keyed 64-bit hashes (a collision would refuse one fresh
/// request as a replay, about once in 2^64 / N requests; nothing is ever wrongly accepted). When a
/// key, or the store as a whole, holds as many unexpired nonces as its limit allows, new requests
/// are refused with a throttling error instead of forgetting nonces that could still be replayed.
#[derive(Debug)]
pub struct NonceStore {
    inner: Mutex<NonceInner>,
    hasher: RandomState,
    per_key: usize,
    total: usize,
}

#[derive(Debug, Default)]
struct NonceInner {
    keys: HashMap<String, KeyNonces>,
    total: usize,
}

#[derive(Debug, Default)]
struct KeyNonces {
    seen: HashSet<u64>,
    /// (expiry in UNIX seconds, nonce hash), earliest expiry first.
    by_expiry: BinaryHeap<Reverse<(i64, u64)>>,
}

impl KeyNonces {
    /// Forgets the nonces whose timestamps can no longer be accepted; returns how many.
    fn expire(&mut self, now: i64) -> usize {
        let mut removed = 0;
        while let Some(Reverse((expiry, hash))) = self.by_expiry.peek().copied() {
            if expiry >= now {
                break;
            }
            self.by_expiry.pop();
            self.seen.remove(&hash);
            removed += 1;
        }
        removed
    }
}

/// Why a nonce was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceRefusal {
    /// The nonce was used already within its window.
    Used,
    /// The key holds as many unexpired nonces as it may.
    KeyFull,
    /// The store holds as many unexpired nonces as it may.
    StoreFull,
}

impl NonceStore {
    /// A store holding at most `per_key` unexpired nonces per AccessKey ID and `total` overall.
    pub fn new(per_key: usize, total: usize) -> Self {
        NonceStore {
            inner: Mutex::new(NonceInner::default()),
            hasher: RandomState::new(),
            per_key,
            total,
        }
    }

    /// A store sized by `limits`.
    pub fn with_limits(limits: &Limits) -> Self {
        NonceStore::new(limits.nonces_per_key, limits.nonces_total)
    }

    /// How many nonces are remembered now.
    pub fn len(&self) -> usize {
        self.lock().total
    }

    /// True when no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NonceInner> {
        match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Records `nonce` for `access_key_id` until `expiry` (UNIX seconds); `now` is the current
    /// time in UNIX seconds.
    pub fn insert(
        &self,
        access_key_id: &str,
        nonce: &str,
        now: i64,
        expiry: i64,
    ) -> Result<(), NonceRefusal> {
        let hash = self.hasher.hash_one(nonce);
        let mut inner = self.lock();
        let inner = &mut *inner;
        let key = match inner.keys.get_mut(access_key_id) {
            Some(key) => key,
            None => inner.keys.entry(access_key_id.to_owned()).or_default(),
        };
        inner.total -= key.expire(now);
        if key.seen.contains(&hash) {
            return Err(NonceRefusal::Used);
        }
        if key.seen.len() >= self.per_key {
            return Err(NonceRefusal::KeyFull);
        }
        if inner.total >= self.total {
            // Other keys may hold expired nonces: sweep them before refusing.
            let mut removed = 0;
            for other in inner.keys.values_mut() {
                removed += other.expire(now);
            }
            inner.total -= removed;
            if inner.total >= self.total {
                return Err(NonceRefusal::StoreFull);
            }
        }
        let key = match inner.keys.get_mut(access_key_id) {
            Some(key) => key,
            None => return Err(NonceRefusal::StoreFull),
        };
        key.seen.insert(hash);
        key.by_expiry.push(Reverse((expiry, hash)));
        inner.total += 1;
        Ok(())
    }
}

/// The signature scheme a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Signature` parameter, HMAC-SHA1.
    V1,
    /// `Authorization: ACS3-HMAC-SHA256 ...`.
    V3,
}

/// Checks the request's credentials, signature, timestamp, nonce and STS token; returns the
/// credential that signed it.
pub fn authenticate<'a>(
    request: &RpcRequest,
    credentials: &'a [Credential],
    nonces: &NonceStore,
    tolerance: Duration,
) -> Result<&'a Credential, ApiError> {
    let scheme = if request.header("authorization").is_some() {
        Scheme::V3
    } else {
        Scheme::V1
    };
    let access_key_id = match scheme {
        Scheme::V1 => {
            check_v1_common_parameters(request)?;
            request
                .param("AccessKeyId")
                .ok_or_else(|| missing("AccessKeyId"))?
                .to_owned()
        }
        Scheme::V3 => {
            let header = request.header("authorization").unwrap_or_default();
            let authorization = v3::Authorization::parse(header)
                .map_err(|e| ApiError::new(400, "IncompleteSignature", e.to_string()))?;
            authorization.access_key_id
        }
    };
    let credential = credentials
        .iter()
        .find(|c| c.access_key_id == access_key_id)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            )
        })?;
    verify_signature(scheme, request, &credential.access_key_secret)?;
    let (timestamp, nonce, token) = match scheme {
        Scheme::V1 => (
            request
                .param("Timestamp")
                .ok_or_else(|| missing("Timestamp"))?,
            request
                .param("SignatureNonce")
                .ok_or_else(|| missing("SignatureNonce"))?,
            request.param("SecurityToken"),
        ),
        Scheme::V3 => (
            request
                .header("x-acs-date")
                .ok_or_else(|| missing("x-acs-date"))?,
            request
                .header("x-acs-signature-nonce")
                .ok_or_else(|| missing("x-acs-signature-nonce"))?,
            request.header("x-acs-security-token"),
        ),
    };
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let at = OffsetDateTime::parse(timestamp, &Rfc3339)
        .map_err(|_| {
            ApiError::new(
                400,
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            )
        })?
        .unix_timestamp();
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(at).saturating_abs() > tolerance {
        return Err(ApiError::new(
            400,
            "InvalidTimeStamp.Expired",
            format!("Specified time stamp or date value is expired. The timestamp {timestamp} is more than 15 minutes from the server time."),
        ));
    }
    if credential.security_token.as_deref() != token {
        return Err(ApiError::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        ));
    }
    // A replay is refused by the timestamp check once `at + tolerance` has passed; until then
    // the nonce must be remembered.
    match nonces.insert(
        &credential.access_key_id,
        nonce,
        now,
        at.saturating_add(tolerance),
    ) {
        Ok(()) => Ok(credential),
        Err(NonceRefusal::Used) => Err(ApiError::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        )),
        Err(NonceRefusal::KeyFull) => Err(ApiError::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control: too many requests signed with this AccessKey within the timestamp window.",
        )),
        // Flow control, like the per-key refusal: the request was refused before it ran, which
        // is what lets clients retry it whatever the operation.
        Err(NonceRefusal::StoreFull) => Err(ApiError::new(
            400,
            "Throttling",
            "Request was denied due to request throttling: too many requests within the timestamp window.",
        )),
    }
}

/// The v1 common parameters: each present once the scheme is known, with the values the
/// protocol defines (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`; `Format`, optional,
/// `JSON` or `XML`).
fn check_v1_common_parameters(request: &RpcRequest) -> Result<(), ApiError> {
    for name in [
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        if request.param(name).is_none_or(str::is_empty) {
            return Err(missing(name));
        }
    }
    if let Some(method) = request.param("SignatureMethod") {
        if method != v1::SIGNATURE_METHOD {
            return Err(ApiError::new(
                400,
                "InvalidSignatureMethod",
                format!(
                    "Specified signature method \"{}\" is not supported; signature version 1.0 uses {}.",
                    printable(method),
                    v1::SIGNATURE_METHOD
                ),
            ));
        }
    }
    if let Some(version) = request.param("SignatureVersion") {
        if version != v1::SIGNATURE_VERSION {
            return Err(ApiError::new(
                400,
                "InvalidSignatureVersion",
                format!(
                    "Specified signature version \"{}\" is not supported; use {}.",
                    printable(version),
                    v1::SIGNATURE_VERSION
                ),
            ));
        }
    }
    if let Some(format) = request.param("Format") {
        if !format.eq_ignore_ascii_case("json") && !format.eq_ignore_ascii_case("xml") {
            return Err(ApiError::new(
                400,
                "InvalidParameter",
                format!(
                    "The specified parameter \"Format\" is not valid: \"{}\" is neither JSON nor XML.",
                    printable(format)
                ),
            ));
        }
    }
    Ok(())
}

fn incomplete(why: &str) -> ApiError {
    ApiError::new(
        400,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {why}."),
    )
}

/// At most 64 characters of client-supplied text, for messages (never a secret: only common
/// parameter values and header names go through here).
fn printable(text: &str) -> String {
    text.chars().take(64).collect()
}

fn verify_signature(scheme: Scheme, request: &RpcRequest, secret: &str) -> Result<(), ApiError> {
    let mismatch = |string_to_sign: &str| {
        ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
        )
    };
    match scheme {
        Scheme::V1 => {
            if request.param("Signature").is_none() {
                return Err(missing("Signature"));
            }
            let params: Vec<(String, String)> = request.params().cloned().collect();
            v1::verify(&request.method, &params, secret).map_err(|m| mismatch(&m.string_to_sign))
        }
        Scheme::V3 => v3::verify(
            &request.method,
            &request.path,
            &request.query,
            &request.headers,
            &request.body,
            secret,
        )
        .map_err(|e| match e {
            v3::VerifyError::Mismatch(m) => mismatch(&m.string_to_sign),
            v3::VerifyError::IncompleteSignature(why) => incomplete(&why),
            other => ApiError::new(400, "IncompleteSignature", other.to_string()),
        }),
    }
}

fn missing(what: &str) -> ApiError {
    let code = match what {
        "Signature" => "MissingSignature",
        "AccessKeyId" => "MissingAccessKeyId",
        "SignatureMethod" => "MissingSignatureMethod",
        "SignatureVersion" => "MissingSignatureVersion",
        "Timestamp" | "x-acs-date" => "MissingTimestamp",
        "SignatureNonce" | "x-acs-signature-nonce" => "MissingSignatureNonce",
        _ => "MissingParameter",
    };
    ApiError::new(
        400,
        code,
        format!("The input parameter \"{what}\" that is mandatory for processing this request is not supplied."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_single_use_until_they_expire() {
        let store = NonceStore::new(10, 10);
        assert_eq!(store.insert("k", "a", 100, 110), Ok(()));
        assert_eq!(store.insert("k", "a", 105, 115), Err(NonceRefusal::Used));
        assert_eq!(store.insert("k", "b", 105, 115), Ok(()));
        // At its expiry `a` is still remembered; after it, forgotten.
        assert_eq!(store.insert("k", "a", 110, 120), Err(NonceRefusal::Used));
        assert_eq!(store.insert("k", "a", 111, 121), Ok(()));
    }

    #[test]
    fn nonces_are_scoped_per_access_key() {
        let store = NonceStore::new(10, 10);
        assert_eq!(store.insert("one", "n", 100, 110), Ok(()));
        assert_eq!(store.insert("two", "n", 100, 110), Ok(()));
        assert_eq!(store.insert("one", "n", 100, 110), Err(NonceRefusal::Used));
    }

    #[test]
    fn a_full_key_is_refused_and_never_forgets_an_unexpired_nonce() {
        let store = NonceStore::new(3, 100);
        for n in ["a", "b", "c"] {
            assert_eq!(store.insert("k", n, 100, 200), Ok(()));
        }
        assert_eq!(store.insert("k", "d", 100, 200), Err(NonceRefusal::KeyFull));
        // Another key is not affected, and nothing of the full key was forgotten.
        assert_eq!(store.insert("other", "d", 100, 200), Ok(()));
        for n in ["a", "b", "c"] {
            assert_eq!(store.insert("k", n, 150, 250), Err(NonceRefusal::Used));
        }
        // Once their window has passed, room is made.
        assert_eq!(store.insert("k", "d", 201, 300), Ok(()));
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn a_full_store_is_refused_and_one_key_cannot_flush_another() {
        let store = NonceStore::new(3, 4);
        for n in ["a", "b", "c"] {
            assert_eq!(store.insert("victim", n, 100, 200), Ok(()));
        }
        assert_eq!(store.insert("attacker", "x", 100, 300), Ok(()));
        assert_eq!(
            store.insert("attacker", "y", 100, 300),
            Err(NonceRefusal::StoreFull)
        );
        for n in ["a", "b", "c"] {
            assert_eq!(store.insert("victim", n, 100, 200), Err(NonceRefusal::Used));
        }
        // Expired nonces of any key are swept before refusing: the victim's have expired at
        // 201, the attacker's first one has not.
        assert_eq!(store.insert("attacker", "y", 201, 300), Ok(()));
        assert_eq!(
            store.insert("attacker", "x", 201, 300),
            Err(NonceRefusal::Used)
        );
        assert_eq!(store.len(), 2);
    }
}
