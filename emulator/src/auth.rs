//! Authentication: signature v1 (`Signature` parameter) and V3 (`Authorization` header),
//! credentials, STS tokens, timestamps and nonces.

use crate::config::Credential;
use crate::error::ApiError;
use crate::protocol::RpcRequest;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vpn_gateway::runtime::signing::{v1, v3};

/// How many nonces are remembered at most; beyond it the oldest are forgotten first, which bounds
/// memory under sustained load (a replay is still caught within the last million requests).
const NONCE_CAPACITY: usize = 1_000_000;

/// Remembers the nonces seen within the timestamp tolerance.
#[derive(Debug, Default)]
pub struct NonceStore {
    inner: Mutex<NonceInner>,
}

#[derive(Debug, Default)]
struct NonceInner {
    seen: HashSet<String>,
    by_expiry: VecDeque<(i64, String)>,
}

impl NonceStore {
    /// Records `nonce` (scoped to the AccessKey ID); false if it was already used.
    fn insert(&self, key: String, now: i64, keep_for: i64) -> bool {
        let mut inner = match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        while inner
            .by_expiry
            .front()
            .is_some_and(|(expiry, _)| *expiry < now || inner.seen.len() >= NONCE_CAPACITY)
        {
            if let Some((_, old)) = inner.by_expiry.pop_front() {
                inner.seen.remove(&old);
            }
        }
        if inner.seen.contains(&key) {
            return false;
        }
        inner.seen.insert(key.clone());
        inner
            .by_expiry
            .push_back((now.saturating_add(keep_for), key));
        true
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
        Scheme::V1 => request
            .param("AccessKeyId")
            .ok_or_else(|| missing("AccessKeyId"))?
            .to_owned(),
        Scheme::V3 => {
            let header = request.header("authorization").unwrap_or_default();
            v3::Authorization::parse(header)
                .map_err(|e| ApiError::new(400, "IncompleteSignature", e.to_string()))?
                .access_key_id
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
    if !nonces.insert(
        format!("{access_key_id}\u{0}{nonce}"),
        now,
        tolerance.saturating_mul(2),
    ) {
        return Err(ApiError::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }
    Ok(credential)
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
            other => ApiError::new(400, "IncompleteSignature", other.to_string()),
        }),
    }
}

fn missing(what: &str) -> ApiError {
    let code = match what {
        "Signature" => "MissingSignature",
        "AccessKeyId" => "MissingAccessKeyId",
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
        let store = NonceStore::default();
        assert!(store.insert("k\u{0}a".into(), 100, 10));
        assert!(!store.insert("k\u{0}a".into(), 105, 10));
        assert!(store.insert("k\u{0}b".into(), 105, 10));
        // Past its expiry (100 + 10), `a` is forgotten.
        assert!(store.insert("k\u{0}a".into(), 111, 10));
    }
}
