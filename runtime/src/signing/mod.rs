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

/// Compares two byte strings in time independent of where they first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
