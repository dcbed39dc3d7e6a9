//! What the STS-based providers share: their common settings and builder methods, endpoint
//! resolution, the common request parameters, the call itself and the parsing of its answer.
//!
//! STS is an RPC API (version `2015-04-01`). Requests are POSTed with the common parameters in
//! the query string and the business parameters — including the OIDC token and any source
//! security token — in a form body, so that no secret ends up in a URL (and so in access logs
//! or error messages).

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

use super::cache::CredentialsCache;
use super::host::Env;
use super::http::{HttpClient, Request};
use super::provider_config::{endpoint_url, Clock, ProviderConfig};
use super::{Credentials, CredentialsError};
use crate::redact::{Redactor, MAX_ID_CHARS, MAX_MESSAGE_CHARS};
use crate::signing::v1::percent_encode;

/// The variable of the optional role session name, read for every STS session (`AssumeRole` and
/// `AssumeRoleWithOIDC`).
pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// STS API version.
pub(crate) const API_VERSION: &str = "2015-04-01";
/// Default session duration, as the official SDKs.
const DEFAULT_DURATION: Duration = Duration::from_secs(3600);
/// The shortest session STS grants.
const MIN_DURATION: Duration = Duration::from_secs(900);
/// Default STS timeouts, as the official SDKs.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The global STS endpoint, used when no region is configured.
const GLOBAL_ENDPOINT: &str = "sts.aliyuncs.com";

/// How a provider was told to reach STS; resolved by [`EndpointSettings::resolve`].
#[derive(Clone, Debug, Default)]
pub(crate) struct EndpointSettings {
    /// An explicit host or URL; wins over everything else.
    pub(crate) endpoint: Option<String>,
    /// A region for `sts.<region>.aliyuncs.com`.
    pub(crate) region: Option<String>,
    /// Use the VPC endpoint variant `sts-vpc.<region>.aliyuncs.com`.
    pub(crate) vpc: Option<bool>,
}

impl EndpointSettings {
    /// The base URL, resolved as the official SDKs do: explicit endpoint; else the regional
    /// endpoint for the configured region or `ALIBABA_CLOUD_STS_REGION` (VPC variant when
    /// configured or `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`); else `sts.aliyuncs.com`.
    pub(crate) fn resolve(&self, env: &Env) -> String {
        if let Some(endpoint) = &self.endpoint {
            return endpoint_url(endpoint, "https");
        }
        let vpc = self
            .vpc
            .unwrap_or_else(|| env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"));
        let prefix = if vpc { "sts-vpc" } else { "sts" };
        let region = self
            .region
            .clone()
            .or_else(|| env.get("ALIBABA_CLOUD_STS_REGION"));
        match region {
            Some(region) => format!("https://{prefix}.{region}.aliyuncs.com"),
            None => format!("https://{GLOBAL_ENDPOINT}"),
        }
    }
}

/// The settings every STS-based provider's builder collects besides its role-specific ones.
///
/// A builder holds them in a field named `session`, and [`session_setters!`] gives it the
/// builder methods that set them.
#[derive(Debug, Default)]
pub(crate) struct SessionSettings {
    pub(crate) role_session_name: Option<String>,
    pub(crate) duration: Option<Duration>,
    pub(crate) policy: Option<String>,
    pub(crate) endpoint: EndpointSettings,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) config: ProviderConfig,
}

impl SessionSettings {
    /// Checks the settings and fills in the defaults: the session name from
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME` (else [`default_session_name`]), a one-hour session,
    /// the endpoint from the [`ProviderConfig`] override (else [`EndpointSettings::resolve`])
    /// and the STS timeouts.
    pub(crate) fn build(self) -> Result<StsSession, CredentialsError> {
        let env = &self.config.env;
        let clock = self.config.clock.clone();
        let role_session_name = self
            .role_session_name
            .filter(|name| !name.is_empty())
            .or_else(|| env.get(ROLE_SESSION_NAME))
            .unwrap_or_else(|| default_session_name(clock.now()));
        let duration = check_duration(self.duration.unwrap_or(DEFAULT_DURATION))?;
        let mut endpoint = self.endpoint;
        if endpoint.endpoint.is_none() {
            endpoint.endpoint = self.config.sts_endpoint.clone();
        }
        Ok(StsSession {
            role_session_name,
            duration,
            policy: self.policy.filter(|p| !p.is_empty()),
            endpoint: endpoint.resolve(env),
            http: HttpClient::new(
                self.connect_timeout.unwrap_or(CONNECT_TIMEOUT),
                self.read_timeout.unwrap_or(READ_TIMEOUT),
            ),
            cache: CredentialsCache::new(clock.clone()),
            clock,
        })
    }
}

/// The builder methods for [`SessionSettings`], for a builder that holds them in `session`.
macro_rules! session_setters {
    () => {
        /// The session name recorded in ActionTrail (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`,
        /// else `credentials-rust-<unix time>`).
        pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
            self.session.role_session_name = Some(name.into());
            self
        }

        /// How long the temporary credentials last (default one hour, at least 15 minutes).
        pub fn duration(mut self, duration: std::time::Duration) -> Self {
            self.session.duration = Some(duration);
            self
        }

        /// A policy that further restricts the session's permissions (JSON).
        pub fn policy(mut self, policy: impl Into<String>) -> Self {
            self.session.policy = Some(policy.into());
            self
        }

        /// Calls the regional STS endpoint `sts.<region>.aliyuncs.com` (default:
        /// `ALIBABA_CLOUD_STS_REGION`, else the global endpoint).
        pub fn sts_region(mut self, region: impl Into<String>) -> Self {
            self.session.endpoint.region = Some(region.into());
            self
        }

        /// Uses the VPC variant of the regional endpoint, `sts-vpc.<region>.aliyuncs.com`
        /// (default: `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
        pub fn sts_vpc_endpoint(mut self, enabled: bool) -> Self {
            self.session.endpoint.vpc = Some(enabled);
            self
        }

        /// Calls this STS endpoint: a host (HTTPS) or a full URL such as `http://127.0.0.1:8080`.
        pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.session.endpoint.endpoint = Some(endpoint.into());
            self
        }

        /// The connect timeout for STS calls (default 5 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.session.connect_timeout = Some(timeout);
            self
        }

        /// The read timeout for STS calls (default 10 s).
        pub fn read_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.session.read_timeout = Some(timeout);
            self
        }

        /// Replaces all the session settings, the [`ProviderConfig`] included (for providers
        /// that a profile describes).
        pub(crate) fn session_settings(
            mut self,
            session: $crate::credentials::sts::SessionSettings,
        ) -> Self {
            self.session = session;
            self
        }
    };
}
pub(crate) use session_setters;

/// What every STS-based provider holds: the resolved session settings, the HTTP client and the
/// cache of the temporary credentials.
pub(crate) struct StsSession {
    pub(crate) role_session_name: String,
    pub(crate) duration: Duration,
    pub(crate) policy: Option<String>,
    /// The base URL calls go to.
    pub(crate) endpoint: String,
    /// Holds the temporary credentials until shortly before they expire.
    pub(crate) cache: CredentialsCache,
    http: HttpClient,
    clock: Clock,
}

impl StsSession {
    /// A request for `action` with the common parameters, timestamped now.
    pub(crate) fn request(&self, action: &str) -> Result<StsRequest, CredentialsError> {
        StsRequest::new(action, self.clock.now())
    }

    /// Adds `RoleSessionName`, `DurationSeconds` and, when set, `Policy` to the form.
    pub(crate) fn add_session_params(&self, request: &mut StsRequest) {
        request.form("RoleSessionName", &self.role_session_name);
        request.form("DurationSeconds", self.duration.as_secs().to_string());
        if let Some(policy) = &self.policy {
            request.form("Policy", policy);
        }
    }

    /// Sends `request` for `action`, assuming `role_arn`, and returns the temporary credentials.
    pub(crate) async fn send(
        &self,
        request: StsRequest,
        action: &str,
        role_arn: &str,
    ) -> Result<Credentials, CredentialsError> {
        tracing::debug!(role_arn = %role_arn, endpoint = %self.endpoint, "calling STS {action}");
        request.send(&self.http, &self.endpoint, action).await
    }
}

/// Checks a requested session duration against STS's minimum.
fn check_duration(duration: Duration) -> Result<Duration, CredentialsError> {
    if duration < MIN_DURATION {
        return Err(CredentialsError::new(format!(
            "the STS session duration must be at least {} seconds, got {}",
            MIN_DURATION.as_secs(),
            duration.as_secs()
        )));
    }
    Ok(duration)
}

/// A role session name when none is configured: `credentials-rust-<unix seconds>`.
fn default_session_name(now: SystemTime) -> String {
    let seconds = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("credentials-rust-{seconds}")
}

/// The `Timestamp` common parameter: ISO 8601 in UTC, `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn timestamp(now: SystemTime) -> Result<String, CredentialsError> {
    OffsetDateTime::from(now)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .map_err(|e| CredentialsError::with_source("cannot format the request timestamp", e))
}

/// A fresh `SignatureNonce`: 128 random bits in hex.
pub(crate) fn nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Parses an Alibaba Cloud expiration time such as `2015-04-09T11:52:19Z`.
pub(crate) fn parse_expiration(value: &str) -> Result<SystemTime, CredentialsError> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map(SystemTime::from)
        .map_err(|e| CredentialsError::with_source(format!("invalid expiration time {value:?}"), e))
}

/// Encodes parameters as an `application/x-www-form-urlencoded` body or query string.
pub(crate) fn encode_params(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// One STS call: common parameters go in the query, the rest in the form body.
#[derive(Default)]
pub(crate) struct StsRequest {
    pub(crate) query: Vec<(String, String)>,
    pub(crate) form: Vec<(String, String)>,
    /// Values the call carries that are secret (the source credentials' secret and security
    /// token, an OIDC token, an external ID): removed from whatever STS sends back before it
    /// reaches an error. A v1 `SignatureDoesNotMatch` echoes every parameter.
    pub(crate) secrets: Vec<String>,
}

impl StsRequest {
    /// A request for `action` with the common parameters every STS call carries.
    pub(crate) fn new(action: &str, now: SystemTime) -> Result<Self, CredentialsError> {
        let mut request = StsRequest::default();
        request.query("Action", action);
        request.query("Format", "JSON");
        request.query("Version", API_VERSION);
        request.query("Timestamp", timestamp(now)?);
        Ok(request)
    }

    pub(crate) fn query(&mut self, name: &str, value: impl Into<String>) {
        self.query.push((name.to_owned(), value.into()));
    }

    pub(crate) fn form(&mut self, name: &str, value: impl Into<String>) {
        self.form.push((name.to_owned(), value.into()));
    }

    /// Declares `value` secret (see [`StsRequest::secrets`]).
    pub(crate) fn secret(&mut self, value: impl Into<String>) {
        self.secrets.push(value.into());
    }

    /// Every parameter, as the server sees them (what a v1 signature covers).
    pub(crate) fn all_params(&self) -> Vec<(String, String)> {
        self.query.iter().chain(&self.form).cloned().collect()
    }

    /// Sends the request to `base_url` and returns the temporary credentials from the answer.
    pub(crate) async fn send(
        &self,
        http: &HttpClient,
        base_url: &str,
        action: &str,
    ) -> Result<Credentials, CredentialsError> {
        let url = format!("{base_url}/?{}", encode_params(&self.query));
        let response = http
            .send(
                action,
                Request {
                    method: reqwest::Method::POST,
                    url: &url,
                    headers: &[],
                    form: Some(encode_params(&self.form)),
                },
            )
            .await?;
        let redactor = Redactor::new(self.secrets.iter().map(String::as_str));
        parse_response(action, response.status, &response.body, &redactor)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SuccessBody {
    credentials: Option<CredentialsBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialsBody {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

/// Turns an STS answer into credentials or an error that carries the service's code, message
/// and request id — never the body itself, which on success holds secrets.
fn parse_response(
    action: &str,
    status: u16,
    body: &str,
    redactor: &Redactor,
) -> Result<Credentials, CredentialsError> {
    if !(200..300).contains(&status) {
        return Err(service_error(action, status, body, redactor));
    }
    let parsed: SuccessBody = serde_json::from_str(body).map_err(|e| {
        CredentialsError::new(format!(
            "{action}: the response is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let fields = parsed.credentials.ok_or_else(|| {
        CredentialsError::new(format!("{action}: the response has no Credentials object"))
    })?;
    credentials_from_fields(
        action,
        fields.access_key_id,
        fields.access_key_secret,
        fields.security_token,
        fields.expiration,
    )
}

/// Builds temporary credentials from the four fields STS and the metadata service return.
pub(crate) fn credentials_from_fields(
    action: &str,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
) -> Result<Credentials, CredentialsError> {
    let missing =
        |field: &str| CredentialsError::new(format!("{action}: the response has no {field}"));
    let access_key_id = access_key_id.ok_or_else(|| missing("AccessKeyId"))?;
    let access_key_secret = access_key_secret.ok_or_else(|| missing("AccessKeySecret"))?;
    let security_token = security_token.ok_or_else(|| missing("SecurityToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Expiration"))?;
    Ok(Credentials::new(access_key_id, access_key_secret)
        .with_security_token(security_token)
        .with_expiration(parse_expiration(&expiration)?))
}

/// The error for a failed STS answer: its code, message and request ID, each redacted and
/// bounded like the texts of a service error.
fn service_error(action: &str, status: u16, body: &str, redactor: &Redactor) -> CredentialsError {
    let mut message = format!("{action} failed with HTTP {status}");
    if let Ok(error) = serde_json::from_str::<ErrorBody>(body) {
        if let Some(code) = error.code {
            let code = redactor.redact_bounded(code, MAX_ID_CHARS);
            message.push_str(&format!(", Code: {code}"));
        }
        if let Some(text) = error.message {
            let text = redactor.redact_bounded(text, MAX_MESSAGE_CHARS);
            message.push_str(&format!(", Message: {text}"));
        }
        if let Some(request_id) = error.request_id {
            let request_id = redactor.redact_bounded(request_id, MAX_ID_CHARS);
            message.push_str(&format!(" (RequestId: {request_id})"));
        }
    }
    CredentialsError::new(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_resolution_follows_the_official_order() {
        let none = Env::from_vars::<_, String, String>([]);
        let settings = EndpointSettings::default();
        assert_eq!(settings.resolve(&none), "https://sts.aliyuncs.com");

        let env = Env::from_vars([
            ("ALIBABA_CLOUD_STS_REGION", "cn-hangzhou"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]);
        assert_eq!(
            settings.resolve(&env),
            "https://sts-vpc.cn-hangzhou.aliyuncs.com"
        );

        let regional = EndpointSettings {
            region: Some("cn-shanghai".into()),
            vpc: Some(false),
            ..EndpointSettings::default()
        };
        assert_eq!(
            regional.resolve(&env),
            "https://sts.cn-shanghai.aliyuncs.com"
        );

        let explicit = EndpointSettings {
            endpoint: Some("http://127.0.0.1:1234".into()),
            ..regional
        };
        assert_eq!(explicit.resolve(&env), "http://127.0.0.1:1234");
    }

    #[test]
    fn timestamps_are_utc_iso8601() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(timestamp(at).ok().as_deref(), Some("2016-02-23T12:46:24Z"));
        assert_eq!(parse_expiration("2016-02-23T12:46:24Z").ok(), Some(at));
        assert!(parse_expiration("yesterday").is_err());
    }

    #[test]
    fn nonces_are_fresh() {
        assert_ne!(nonce(), nonce());
        assert_eq!(nonce().len(), 32);
    }

    #[test]
    fn durations_below_the_minimum_are_rejected() {
        assert!(check_duration(Duration::from_secs(899)).is_err());
        assert!(check_duration(Duration::from_secs(900)).is_ok());
    }

    #[test]
    fn success_bodies_become_credentials() {
        let body = r#"{"RequestId":"r","Credentials":{"AccessKeyId":"STS.id",
            "AccessKeySecret":"sec","SecurityToken":"tok","Expiration":"2030-01-01T00:00:00Z"}}"#;
        let credentials = parse_response("AssumeRole", 200, body, &Redactor::default());
        let credentials = credentials.ok();
        assert_eq!(
            credentials.as_ref().map(Credentials::access_key_id),
            Some("STS.id")
        );
        assert_eq!(
            credentials.as_ref().and_then(Credentials::security_token),
            Some("tok")
        );
        assert!(credentials.and_then(|c| c.expiration()).is_some());
    }

    #[test]
    fn errors_carry_code_message_and_request_id_but_never_the_body() {
        let body =
            r#"{"RequestId":"req-1","Code":"NoPermission","Message":"You are not authorized."}"#;
        let error = parse_response("AssumeRole", 403, body, &Redactor::default())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("AssumeRole failed with HTTP 403, Code: NoPermission, Message: You are not authorized. (RequestId: req-1)")
        );

        // A success status with an incomplete body must not echo the secret it did contain.
        let partial = r#"{"Credentials":{"AccessKeyId":"id","AccessKeySecret":"leaked-secret"}}"#;
        let error = parse_response("AssumeRole", 200, partial, &Redactor::default())
            .err()
            .map(|e| e.to_string());
        assert!(error
            .as_deref()
            .is_some_and(|e| e.contains("no SecurityToken") && !e.contains("leaked-secret")));

        let html = "<html>502 Bad Gateway</html>";
        let error = parse_response("AssumeRole", 502, html, &Redactor::default())
            .err()
            .map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("AssumeRole failed with HTTP 502"));
        let error = parse_response("AssumeRole", 200, html, &Redactor::default())
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("not valid JSON")));
    }

    #[test]
    fn error_texts_are_redacted_and_bounded() {
        let huge = "m".repeat(50 * 1024 * 1024);
        let body = format!(
            r#"{{"RequestId":"req-1","Code":"SignatureDoesNotMatch","Message":"string to sign: SecurityToken%3Dsrc-tok {huge}"}}"#
        );
        let error = parse_response("AssumeRole", 400, &body, &Redactor::new(["src-tok"]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("SignatureDoesNotMatch"), "{error}");
        assert!(!error.contains("src-tok"), "{error}");
        assert!(error.len() < 4096, "{} bytes", error.len());
    }

    #[test]
    fn params_are_encoded_per_rfc3986() {
        let params = vec![
            ("RoleSessionName".to_owned(), "a b*~".to_owned()),
            ("Policy".to_owned(), "{\"x\":\"/\"}".to_owned()),
        ];
        assert_eq!(
            encode_params(&params),
            "RoleSessionName=a%20b%2A~&Policy=%7B%22x%22%3A%22%2F%22%7D"
        );
    }
}
