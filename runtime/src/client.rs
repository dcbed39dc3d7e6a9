//! [`RpcClient`]: the one non-generic send path every generated operation goes through —
//! sign, send, retry, classify.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

use crate::codec;
use crate::config::Config;
use crate::endpoint::{Endpoint, ServiceMetadata};
use crate::error::TopLevel;
use crate::error::{Error, InvalidResponseError, SdkError, ServiceError};
use crate::redact::Redactor;
use crate::retry::{self, RetryPolicy, RetryReason};
use crate::signed_request::{self, WireRequest};
use crate::transport::{HttpResponse, Timeouts, TransportError, TransportErrorKind};

/// Header carrying the request ID on every response.
pub const REQUEST_ID_HEADER: &str = "x-acs-request-id";

/// Per-request overrides of the client configuration.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Connect timeout for each attempt.
    pub connect_timeout: Option<Duration>,
    /// Read timeout for each attempt.
    pub read_timeout: Option<Duration>,
    /// Total time limit of each attempt.
    pub attempt_timeout: Option<Duration>,
    /// Deadline for the whole operation, across attempts and backoff.
    pub operation_deadline: Option<Duration>,
    /// Retry policy for this request.
    pub retry_policy: Option<RetryPolicy>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Overrides the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the read timeout.
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Overrides the total time limit of each attempt.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Overrides the operation deadline.
    pub fn with_operation_deadline(mut self, deadline: Duration) -> Self {
        self.operation_deadline = Some(deadline);
        self
    }

    /// Overrides the retry policy.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }
}

/// One RPC call, as the generated code hands it over.
///
/// Parameters travel in two places, as the API metadata places them: [`params`](Self::params)
/// (`in: query`, the usual place) and the form body ([`with_body`](Self::with_body), for
/// `in: formData`). `Debug` shows parameter names only.
#[derive(Clone)]
pub struct RpcRequest {
    /// The action, e.g. `CreateVpnGateway`.
    pub action: &'static str,
    /// Query parameters, already flattened (`Tag.1.Key`, ...).
    pub params: Vec<(String, String)>,
    /// True for reads and for writes carrying a `ClientToken`: safe to send twice.
    pub retry_safe: bool,
    /// Form-body parameters (`in: formData`), already flattened; see
    /// [`with_body`](Self::with_body).
    pub body: Vec<(String, String)>,
    /// Per-request overrides.
    pub options: RequestOptions,
    /// The values of the request's sensitive parameters (pre-shared keys, at any depth), which
    /// are removed from anything the server sends back before it reaches an error or a log.
    pub secret_values: Vec<String>,
}

impl RpcRequest {
    /// A request with default options.
    pub fn new(action: &'static str, params: Vec<(String, String)>, retry_safe: bool) -> Self {
        RpcRequest {
            action,
            params,
            body: Vec::new(),
            retry_safe,
            options: RequestOptions::default(),
            secret_values: Vec::new(),
        }
    }

    /// Declares the values of sensitive parameters (builder style); see
    /// [`secret_values`](Self::secret_values).
    pub fn with_secret_values(mut self, values: Vec<String>) -> Self {
        self.secret_values = values;
        self
    }

    /// Sets the form-body parameters (`in: formData` in the API metadata), already flattened
    /// (`TunnelOptionsSpecification.1.TunnelIkeConfig.Psk`, ...); replaces any set before.
    ///
    /// A request with body parameters is always sent as POST, whatever the configured
    /// [`RequestMethod`](crate::RequestMethod): a GET body has no defined meaning, and
    /// servers and proxies may ignore or refuse it (the official SDKs declare every such
    /// operation as POST). They travel in an
    /// `application/x-www-form-urlencoded` body and are signed with both signature versions
    /// as the official SDKs sign them (see [`crate::signed_request`]). Their sensitive values belong in
    /// [`secret_values`](Self::secret_values) like those of query parameters.
    pub fn with_body(mut self, body: Vec<(String, String)>) -> Self {
        self.body = body;
        self
    }

    /// The form-body parameters; empty unless set by [`with_body`](Self::with_body).
    pub fn body(&self) -> &[(String, String)] {
        &self.body
    }

    /// Replaces the per-request overrides (builder style).
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }
}

impl fmt::Debug for RpcRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be sensitive (pre-shared keys, inside JSON-encoded parameters too):
        // show parameter names only.
        let names = |params: &[(String, String)]| -> Vec<String> {
            params.iter().map(|(k, _)| k.clone()).collect()
        };
        f.debug_struct("RpcRequest")
            .field("action", &self.action)
            .field("params", &names(&self.params))
            .field("body", &names(self.body()))
            .field("retry_safe", &self.retry_safe)
            .field("options", &self.options)
            .field("secret_values", &self.secret_values.len())
            .finish()
    }
}

/// A successful (2xx) response, body not yet parsed.
#[derive(Clone)]
pub struct RpcResponse {
    /// HTTP status.
    pub http_status: u16,
    /// The request ID (header `x-acs-request-id`, else `RequestId` in the body).
    pub request_id: Option<String>,
    /// The raw JSON body.
    pub body: Bytes,
}

impl RpcResponse {
    /// Parses the body into `T` with [`codec::decode_body`]; a body that cannot be read is an
    /// [`InvalidResponseError`] naming the field's path, never its value.
    pub fn decode<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, SdkError<E>> {
        codec::decode_body(&self.body).map_err(|reason| {
            SdkError::from(InvalidResponseError::new(
                self.http_status,
                self.request_id.clone(),
                reason,
                b"",
            ))
        })
    }
}

impl fmt::Debug for RpcResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies can carry sensitive fields (a connection's pre-shared key): length only.
        f.debug_struct("RpcResponse")
            .field("http_status", &self.http_status)
            .field("request_id", &self.request_id)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What the send path needs to know of one operation's input: implemented by every generated
/// `XInput`. The steps that are the same for every operation are
/// [`RpcClient::send`]'s.
pub trait OperationInput: Sized {
    /// The wire action, e.g. `CreateVpnGateway`.
    const ACTION: &'static str;
    /// Safe to send twice: a read, or a write carrying an idempotency token.
    const RETRY_SAFE: bool;
    /// Top-level parameters that travel in the form body rather than the query.
    const BODY_PARAMETERS: &'static [&'static str] = &[];
    /// The decoded answer.
    type Output: serde::de::DeserializeOwned;
    /// The operation's error.
    type Error: From<ServiceError>;
    /// Sets the idempotency token to a fresh one when the caller left it unset; operations
    /// without one do nothing.
    fn fill_idempotency_token(&mut self) {}
    /// Checks every documented constraint.
    fn validate(&self) -> Result<(), crate::error::ValidationError>;
    /// The parameters as sent on the wire.
    fn to_params(&self) -> Result<Vec<(String, String)>, crate::error::ValidationError>;
    /// Adds every sensitive value to `out`, for redaction; inputs without secrets add none.
    fn collect_secrets(&self, out: &mut Vec<String>) {
        let _ = out;
    }
}

/// A cheap-to-clone (`Arc` inside), `Send + Sync` client for one service.
#[derive(Clone)]
pub struct RpcClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    metadata: &'static ServiceMetadata,
    config: Config,
    endpoint: Endpoint,
    user_agent: String,
    /// `user_agent` as a header value, built once.
    user_agent_header: http::HeaderValue,
}

impl fmt::Debug for RpcClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RpcClient")
            .field("product", &self.inner.metadata.product)
            .field("endpoint", &self.inner.endpoint.to_string())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// The outcome of one failed attempt, with what the retry loop needs to decide.
struct AttemptFailure {
    error: Error,
    reason: Option<RetryReason>,
    retry_after: Option<Duration>,
}

impl AttemptFailure {
    fn final_(error: Error) -> Self {
        AttemptFailure {
            error,
            reason: None,
            retry_after: None,
        }
    }
}

impl RpcClient {
    /// A client for the service `metadata` describes.
    pub fn new(metadata: &'static ServiceMetadata, config: Config) -> Self {
        let endpoint = config.resolve_endpoint(metadata);
        let user_agent = user_agent(metadata, config.user_agent_suffix());
        // The suffix is checked by `ConfigBuilder::build` and the rest is ASCII from metadata;
        // should a generated name ever be unusable, fall back to the runtime's own name.
        let user_agent_header = http::HeaderValue::from_str(&user_agent)
            .unwrap_or_else(|_| http::HeaderValue::from_static(env!("CARGO_PKG_NAME")));
        RpcClient {
            inner: Arc::new(ClientInner {
                metadata,
                config,
                endpoint,
                user_agent,
                user_agent_header,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service description.
    pub fn metadata(&self) -> &'static ServiceMetadata {
        self.inner.metadata
    }

    /// The resolved endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Sends one operation's input: fills its idempotency token when unset, validates it,
    /// puts its parameters on the wire (the ones the operation documents in the form body
    /// there), names its secrets for redaction, and decodes the answer into its output or
    /// error. What every operation's `send` does, written once; the operation supplies only
    /// its facts ([`OperationInput`]).
    pub async fn send<I: OperationInput>(
        &self,
        mut input: I,
        options: RequestOptions,
    ) -> Result<I::Output, SdkError<I::Error>> {
        input.fill_idempotency_token();
        input.validate()?;
        let (params, body) =
            crate::wire_params::encode::split_body(input.to_params()?, I::BODY_PARAMETERS);
        let mut secrets = Vec::new();
        input.collect_secrets(&mut secrets);
        let request = RpcRequest::new(I::ACTION, params, I::RETRY_SAFE)
            .with_body(body)
            .with_options(options)
            .with_secret_values(secrets);
        self.call(request).await
    }

    /// [`invoke`](Self::invoke), then the typed ending every generated operation shares:
    /// service errors converted into the operation's error type, the body decoded into its
    /// output. Only this thin wrapper is generic; the send path itself is not.
    pub async fn call<O, E>(&self, request: RpcRequest) -> Result<O, crate::error::SdkError<E>>
    where
        O: serde::de::DeserializeOwned,
        E: From<crate::error::ServiceError>,
    {
        let response = self
            .invoke(request)
            .await
            .map_err(|e| e.map_service(E::from))?;
        response.decode()
    }

    /// Signs, sends, retries and classifies one operation.
    ///
    /// Traced as an `operation` span (action, attempts, request id, latency) with one `attempt`
    /// span per try.
    pub async fn invoke(&self, request: RpcRequest) -> Result<RpcResponse, Error> {
        let span = tracing::info_span!(
            "operation",
            product = self.inner.metadata.product,
            action = request.action,
            attempts = Empty,
            request_id = Empty,
            latency_ms = Empty,
        );
        let started = Instant::now();
        let result = self
            .invoke_with_retries(&request)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let request_id = match &result {
            Ok(response) => response.request_id.as_deref(),
            Err(error) => error.request_id(),
        };
        if let Some(id) = request_id {
            span.record("request_id", id);
        }
        if let Err(error) = &result {
            // `Display` of every error is secret-free by construction.
            span.in_scope(|| tracing::debug!(error = %error, "operation failed"));
        }
        result
    }

    async fn invoke_with_retries(&self, request: &RpcRequest) -> Result<RpcResponse, Error> {
        let config = &self.inner.config;
        let policy = request
            .options
            .retry_policy
            .as_ref()
            .unwrap_or(config.retry_policy());
        let timeouts = Timeouts {
            connect: request
                .options
                .connect_timeout
                .unwrap_or(config.timeouts().connect),
            read: request
                .options
                .read_timeout
                .unwrap_or(config.timeouts().read),
            attempt: request
                .options
                .attempt_timeout
                .unwrap_or(config.timeouts().attempt),
        };
        let deadline_budget = request
            .options
            .operation_deadline
            .or(config.operation_deadline());
        let deadline = deadline_budget.map(|budget| Instant::now() + budget);

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempts", attempt);
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                http_status = Empty,
                request_id = Empty,
                latency_ms = Empty
            );
            let started = Instant::now();
            let bounded_attempt = async {
                tokio::time::timeout(timeouts.attempt, self.attempt(request, timeouts))
                    .await
                    .unwrap_or_else(|_| Err(attempt_timed_out(timeouts.attempt)))
            };
            let outcome = match deadline {
                Some(deadline) => match tokio::time::timeout_at(deadline, bounded_attempt).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(AttemptFailure::final_(deadline_exceeded(
                        deadline_budget,
                        attempt,
                    ))),
                },
                None => bounded_attempt.await,
            }
            .inspect_err(|failure| {
                if let Some(id) = failure.error.request_id() {
                    span.record("request_id", id);
                }
            });
            span.record("latency_ms", started.elapsed().as_millis() as u64);

            let failure = match outcome {
                Ok(response) => {
                    span.record("http_status", response.http_status);
                    if let Some(id) = &response.request_id {
                        span.record("request_id", id.as_str());
                    }
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            let Some(delay) = self.retry_delay(request, policy, attempt, &failure) else {
                return Err(failure.error);
            };
            if deadline.is_some_and(|deadline| Instant::now() + delay >= deadline) {
                // Sleeping would use up the budget: the last real error is more useful.
                return Err(failure.error);
            }
            span.in_scope(|| {
                tracing::info!(
                    reason = ?failure.reason,
                    delay_ms = delay.as_millis() as u64,
                    error = %failure.error,
                    "retrying"
                );
            });
            tokio::time::sleep(delay).await;
        }
    }

    /// `Some(delay)` when the failed attempt should be repeated.
    fn retry_delay(
        &self,
        request: &RpcRequest,
        policy: &RetryPolicy,
        attempt: u32,
        failure: &AttemptFailure,
    ) -> Option<Duration> {
        let reason = failure.reason?;
        if attempt >= policy.max_attempts() {
            return None;
        }
        if !request.retry_safe && !reason.refused_before_execution() {
            // The operation may have run: repeating a request that is not idempotent could
            // apply it twice.
            return None;
        }
        match failure.retry_after {
            Some(hint) if hint > policy.max_retry_after() => None,
            Some(hint) => Some(hint),
            None => Some(policy.backoff(attempt - 1)),
        }
    }

    /// One try: credentials, sign, send, classify. Every error it returns is free of the
    /// request's secrets, whatever the server echoed.
    async fn attempt(
        &self,
        request: &RpcRequest,
        timeouts: Timeouts,
    ) -> Result<RpcResponse, AttemptFailure> {
        let config = &self.inner.config;
        let credentials = config
            .credentials_provider()
            .provide_credentials()
            .await
            .map_err(|e| AttemptFailure::final_(SdkError::Credentials(e)))?;
        let secrets = [credentials.access_key_secret()]
            .into_iter()
            .chain(credentials.security_token())
            .chain(request.secret_values.iter().map(String::as_str));
        let redactor = Redactor::new(secrets);
        self.signed_attempt(request, timeouts, &credentials, &redactor)
            .await
            .map_err(|mut failure| {
                failure.error.redact(&redactor);
                failure
            })
    }

    async fn signed_attempt(
        &self,
        request: &RpcRequest,
        timeouts: Timeouts,
        credentials: &crate::credentials::Credentials,
        redactor: &Redactor,
    ) -> Result<RpcResponse, AttemptFailure> {
        let config = &self.inner.config;
        let timestamp = signed_request::timestamp_now();
        let nonce = signed_request::new_nonce();
        let http_request = signed_request::build_signed_request(&WireRequest {
            endpoint: &self.inner.endpoint,
            api_version: self.inner.metadata.api_version,
            action: request.action,
            params: &request.params,
            body: request.body(),
            credentials,
            signature_version: config.signature_version(),
            method: config.request_method(),
            timestamp: &timestamp,
            nonce: &nonce,
            user_agent: &self.inner.user_agent_header,
            timeouts,
        })
        .map_err(|e| AttemptFailure::final_(SdkError::Transport(e)))
        .map(|mut http_request| {
            http_request.max_response_body = config.max_response_body();
            http_request
        })?;

        let response = config
            .transport()
            .send(http_request)
            .await
            .map_err(|e| AttemptFailure {
                reason: retry::classify_transport(&e),
                error: SdkError::Transport(e),
                retry_after: None,
            })?;
        if response.body.len() > config.max_response_body() {
            // A transport that does not enforce the limit itself still cannot pass more on.
            let error = TransportError::body_too_large(config.max_response_body());
            return Err(AttemptFailure::final_(SdkError::Transport(error)));
        }
        self.classify_response(response, redactor)
    }

    /// Texts the server chose are redacted as they are taken from the response, before they
    /// are cut to length.
    fn classify_response(
        &self,
        mut response: HttpResponse,
        redactor: &Redactor,
    ) -> Result<RpcResponse, AttemptFailure> {
        // A UTF-8 byte order mark, which some servers put before a JSON body, is no part of
        // the document: left in, an error document would pass for an unreadable success.
        if response.body.starts_with(b"\xEF\xBB\xBF") {
            response.body = response.body.slice(3..);
        }
        let header_request_id = response
            .header(REQUEST_ID_HEADER)
            .map(|id| redactor.redact_bounded(id.to_owned(), crate::redact::MAX_ID_CHARS));
        // The top level is read once: it says whether the body is an error document and
        // carries the request ID, and an error is built from it.
        let top = TopLevel::read(&response.body);
        let body_request_id = top
            .as_ref()
            .and_then(TopLevel::request_id)
            .map(|id| redactor.redact_bounded(id, crate::redact::MAX_ID_CHARS));
        let has_code = top.as_ref().is_some_and(|t| t.code().is_some());
        if (200..300).contains(&response.status) && !has_code {
            return Ok(RpcResponse {
                http_status: response.status,
                request_id: header_request_id.or(body_request_id),
                body: response.body,
            });
        }
        // An error, or a success status whose body carries an error `Code`: some gateways in
        // front of the service answer 200 with the error document.
        let retry_after = retry::retry_after(&response.headers);
        match top.and_then(|t| ServiceError::from_top_level(response.status, t, redactor)) {
            Some(error) => {
                let spec_retryable = self.inner.metadata.is_retryable_code(error.code());
                let mut error = error.with_retryable(spec_retryable);
                let reason = error.retry_reason();
                if error.request_id().is_none() {
                    if let Some(id) = header_request_id {
                        error = error.with_request_id(id);
                    }
                }
                Err(AttemptFailure {
                    error: SdkError::Service(error),
                    reason,
                    retry_after,
                })
            }
            None => Err(AttemptFailure {
                reason: retry::classify_response(response.status, None, false),
                error: SdkError::InvalidResponse(InvalidResponseError::new_redacted(
                    response.status,
                    header_request_id.or(body_request_id),
                    "the error response is not a JSON error document",
                    &response.body,
                    redactor,
                )),
                retry_after,
            }),
        }
    }
}

fn attempt_timed_out(limit: Duration) -> AttemptFailure {
    let error = TransportError::new(
        TransportErrorKind::AttemptTimeout,
        format!(
            "no complete response within the attempt time limit of {:.3} s",
            limit.as_secs_f64()
        ),
    );
    AttemptFailure {
        reason: retry::classify_transport(&error),
        error: SdkError::Transport(error),
        retry_after: None,
    }
}

fn deadline_exceeded(budget: Option<Duration>, attempts: u32) -> Error {
    let budget = budget.unwrap_or_default();
    SdkError::Transport(TransportError::new(
        TransportErrorKind::OperationTimeout,
        format!(
            "no response within the operation deadline of {:.3} s ({attempts} attempt(s))",
            budget.as_secs_f64()
        ),
    ))
}

/// `<sdk>/<version> vpn-gateway-runtime/<version> (<os>; <arch>) [suffix]`.
fn user_agent(metadata: &ServiceMetadata, suffix: Option<&str>) -> String {
    let mut agent = format!(
        "{}/{} {}/{} ({}; {})",
        metadata.sdk_name,
        metadata.sdk_version,
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
    );
    if let Some(suffix) = suffix.filter(|s| !s.is_empty()) {
        agent.push(' ');
        agent.push_str(suffix);
    }
    agent
}
