//! Retry policy, backoff and classification.
//!
//! Retries are on by default ([`RetryPolicy::standard`]): up to 3 attempts, exponential backoff
//! with full jitter (a uniformly random wait between zero and `min(cap, base × 2^n)`), and the
//! service's `x-acs-retry-after` hint (milliseconds) honoured when present.
//!
//! What is retried, and for which requests, depends on whether the failed attempt may have run
//! the operation ([`RetryReason::refused_before_execution`]):
//!
//! - Refusals before execution are retried for **every** operation, idempotency token or not,
//!   because nothing happened on the service: throttling (`Throttling*` codes, HTTP 429), the
//!   codes the spec marks `retryable` (a busy resource such as `VpnGateway.Configuring`,
//!   `TaskConflict`), and a connection that was never established (connect error or connect
//!   timeout).
//! - Failures after which the operation may have taken effect are retried only for requests
//!   that are safe to repeat (reads, and writes carrying a `ClientToken`): HTTP 5xx and
//!   transient server codes (`InternalError`, `ServiceUnavailable`, ...), a read timeout after
//!   the request was sent, and a connection that broke mid-exchange. Repeating a create without a
//!   token after one of these could create a second resource.

use std::time::Duration;

use http::HeaderMap;

use crate::transport::TransportError;

/// Header through which the service asks the client to wait, in milliseconds.
pub const RETRY_AFTER_HEADER: &str = "x-acs-retry-after";

/// How many attempts to make and how long to wait between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::standard()
    }
}

impl RetryPolicy {
    /// 3 attempts, backoff base 200 ms capped at 20 s, server hints honoured up to 30 s.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(30),
        }
    }

    /// A single attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::standard()
        }
    }

    /// Total attempts including the first (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The base of the exponential backoff.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The cap of the exponential backoff.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The longest `x-acs-retry-after` hint honoured; a longer one ends the retries, since
    /// retrying sooner than the service asks would only be throttled again.
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Total attempts including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The cap of the exponential backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest server retry hint honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The backoff ceiling before retry number `retry` (0 for the first retry):
    /// `min(max_backoff, initial_backoff × 2^retry)`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .map_or(self.max_backoff, |d| d.min(self.max_backoff))
    }

    /// Full jitter: `unit` (uniform in `[0, 1)`) scales the ceiling.
    pub fn backoff_with_jitter(&self, retry: u32, unit: f64) -> Duration {
        self.backoff_ceiling(retry).mul_f64(unit.clamp(0.0, 1.0))
    }

    /// The wait before retry number `retry`, with random full jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_with_jitter(retry, rand::random::<f64>())
    }
}

/// Why an attempt is worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// Flow control: `Throttling*` codes or HTTP 429. The service refused the request before
    /// running it.
    Throttling,
    /// HTTP 5xx or a transient server code such as `InternalError` or `ServiceUnavailable`. The
    /// operation may have run before the failure.
    ServerError,
    /// A code the spec marks `retryable`: the service refused the request before running it
    /// because a resource is busy (a gateway still being configured, a conflicting task).
    RetryableCode,
    /// No response within the read timeout, after the request was sent. The operation may have
    /// run.
    Timeout,
    /// The connection could not be established (connect error or connect timeout): the request
    /// never reached the service.
    NotConnected,
    /// The connection broke after the request was (possibly) sent. The operation may have run.
    ConnectionError,
}

impl RetryReason {
    /// True when the failed attempt certainly did not run the operation: the service refused it
    /// before execution (throttling, a busy resource) or it never reached the service. Such an
    /// attempt may be repeated for any operation; the others only for requests that are safe to
    /// send twice (reads, writes with a `ClientToken`).
    pub fn refused_before_execution(self) -> bool {
        match self {
            RetryReason::Throttling | RetryReason::RetryableCode | RetryReason::NotConnected => {
                true
            }
            RetryReason::ServerError | RetryReason::Timeout | RetryReason::ConnectionError => false,
        }
    }
}

/// True for the throttling family of codes (`Throttling`, `Throttling.User`, `Throttling.Api`, ...).
pub fn is_throttling_code(code: &str) -> bool {
    code == "Throttling" || code.starts_with("Throttling.")
}

/// Service-wide codes that mean "try again": the service was momentarily unable to serve. None
/// of them says whether the operation ran first, so they are retried only for requests that are
/// safe to repeat.
pub fn is_transient_code(code: &str) -> bool {
    matches!(
        code,
        "ServiceUnavailable" | "InternalError" | "SystemBusy" | "UnknownError"
    ) || code.starts_with("ServiceUnavailable.")
}

/// Classifies an error response. `code` is `None` when the body was not a service error
/// document (e.g. a proxy's HTML 502).
pub fn classify_response(
    http_status: u16,
    code: Option<&str>,
    spec_retryable: bool,
) -> Option<RetryReason> {
    match code {
        Some(code) if is_throttling_code(code) => Some(RetryReason::Throttling),
        _ if http_status == 429 => Some(RetryReason::Throttling),
        _ if spec_retryable => Some(RetryReason::RetryableCode),
        Some(code) if is_transient_code(code) => Some(RetryReason::ServerError),
        _ if http_status >= 500 => Some(RetryReason::ServerError),
        _ => None,
    }
}

/// Classifies a transport failure: every kind but an invalid request is worth retrying.
pub fn classify_transport(error: &TransportError) -> Option<RetryReason> {
    use crate::transport::TransportErrorKind as Kind;
    match error.kind() {
        Kind::Connect | Kind::ConnectTimeout => Some(RetryReason::NotConnected),
        Kind::ReadTimeout | Kind::AttemptTimeout => Some(RetryReason::Timeout),
        // `Other` cannot say how far the exchange got: assume the request was sent.
        Kind::ConnectionClosed | Kind::Other => Some(RetryReason::ConnectionError),
        // The deadline covers all attempts: nothing is left for another one.
        // The same request would get the same oversized answer.
        Kind::OperationTimeout | Kind::InvalidRequest | Kind::BodyTooLarge => None,
    }
}

/// The `x-acs-retry-after` hint, if present and positive (the service sends milliseconds).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER_HEADER)?.to_str().ok()?.trim();
    let millis: u64 = value.parse().ok()?;
    (millis > 0).then(|| Duration::from_millis(millis))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use crate::transport::TransportErrorKind;

    #[test]
    fn backoff_grows_exponentially_to_the_cap() {
        let policy = RetryPolicy::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1));
        assert_eq!(policy.backoff_ceiling(0), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(policy.backoff_ceiling(4), Duration::from_secs(1));
        assert_eq!(policy.backoff_ceiling(200), Duration::from_secs(1));
    }

    #[test]
    fn full_jitter_spans_zero_to_ceiling() {
        let policy = RetryPolicy::standard();
        assert_eq!(policy.backoff_with_jitter(2, 0.0), Duration::ZERO);
        assert_eq!(
            policy.backoff_with_jitter(2, 0.5),
            Duration::from_millis(400)
        );
        for _ in 0..100 {
            assert!(policy.backoff(2) <= policy.backoff_ceiling(2));
        }
    }

    #[test]
    fn disabled_means_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::standard().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn response_classification() {
        assert_eq!(
            classify_response(400, Some("Throttling.User"), false),
            Some(RetryReason::Throttling)
        );
        assert_eq!(
            classify_response(429, None, false),
            Some(RetryReason::Throttling)
        );
        assert_eq!(
            classify_response(503, Some("ServiceUnavailable"), false),
            Some(RetryReason::ServerError)
        );
        assert_eq!(
            classify_response(502, None, false),
            Some(RetryReason::ServerError)
        );
        assert_eq!(
            classify_response(400, Some("VpnGateway.Configuring"), true),
            Some(RetryReason::RetryableCode)
        );
        assert_eq!(
            classify_response(400, Some("InvalidParameter"), false),
            None
        );
        assert_eq!(classify_response(403, Some("Forbidden.RAM"), false), None);
    }

    #[test]
    fn transport_classification() {
        let e = |k| TransportError::new(k, "");
        assert_eq!(
            classify_transport(&e(TransportErrorKind::Connect)),
            Some(RetryReason::NotConnected)
        );
        assert_eq!(
            classify_transport(&e(TransportErrorKind::ConnectTimeout)),
            Some(RetryReason::NotConnected)
        );
        assert_eq!(
            classify_transport(&e(TransportErrorKind::ConnectionClosed)),
            Some(RetryReason::ConnectionError)
        );
        assert_eq!(
            classify_transport(&e(TransportErrorKind::ReadTimeout)),
            Some(RetryReason::Timeout)
        );
        assert_eq!(
            classify_transport(&e(TransportErrorKind::OperationTimeout)),
            None
        );
    }

    #[test]
    fn only_refusals_and_unestablished_connections_are_pre_execution() {
        let refused = |status, code: Option<&str>, spec_retryable| {
            classify_response(status, code, spec_retryable)
                .map(RetryReason::refused_before_execution)
        };
        assert_eq!(refused(400, Some("Throttling.User"), false), Some(true));
        assert_eq!(refused(400, Some("Throttling"), false), Some(true));
        assert_eq!(refused(503, Some("Throttling.Api"), false), Some(true));
        assert_eq!(refused(429, None, false), Some(true));
        assert_eq!(refused(429, Some("SomethingElse"), false), Some(true));
        assert_eq!(
            refused(400, Some("VpnGateway.Configuring"), true),
            Some(true)
        );
        assert_eq!(refused(400, Some("TaskConflict"), true), Some(true));
        assert_eq!(refused(500, Some("InternalError"), false), Some(false));
        assert_eq!(refused(503, Some("ServiceUnavailable"), false), Some(false));
        assert_eq!(refused(502, None, false), Some(false));
        let transport = |k| {
            classify_transport(&TransportError::new(k, ""))
                .map(RetryReason::refused_before_execution)
        };
        assert_eq!(transport(TransportErrorKind::Connect), Some(true));
        assert_eq!(transport(TransportErrorKind::ConnectTimeout), Some(true));
        assert_eq!(transport(TransportErrorKind::ReadTimeout), Some(false));
        assert_eq!(transport(TransportErrorKind::ConnectionClosed), Some(false));
        assert_eq!(transport(TransportErrorKind::Other), Some(false));
    }

    #[test]
    fn retry_after_is_milliseconds_and_positive() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER_HEADER, " 1500 ".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(1500)));
        headers.insert(RETRY_AFTER_HEADER, "0".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER_HEADER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
