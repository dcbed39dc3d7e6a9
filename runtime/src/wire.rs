//! Builds the signed HTTP request for one RPC attempt: common parameters, signature, headers.
//!
//! Pure apart from the clock and nonce helpers, so the benchmark and tests can pin both.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderMap, Method};

use crate::config::{RequestMethod, SignatureVersion};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{TransportError, TransportErrorKind};
use crate::signing::{v1, v3};
use crate::transport::{HttpRequest, Timeouts};

/// The response format requested from the service; the runtime only parses JSON.
pub const FORMAT: &str = "JSON";

/// Everything needed to build one signed attempt.
#[derive(Debug, Clone, Copy)]
pub struct WireRequest<'a> {
    /// Where the request goes.
    pub endpoint: &'a Endpoint,
    /// API version, e.g. `2016-04-28`.
    pub api_version: &'static str,
    /// Action, e.g. `DescribeVpnGateways`.
    pub action: &'static str,
    /// Operation parameters, already flattened.
    pub params: &'a [(String, String)],
    /// Credentials to sign with.
    pub credentials: &'a Credentials,
    /// Signature scheme.
    pub signature_version: SignatureVersion,
    /// HTTP method.
    pub method: RequestMethod,
    /// `YYYY-MM-DDThh:mm:ssZ`, UTC; see [`timestamp_now`].
    pub timestamp: &'a str,
    /// A value never used before; see [`new_nonce`].
    pub nonce: &'a str,
    /// The User-Agent header value (built once per client).
    pub user_agent: &'a HeaderValue,
    /// Timeouts for the attempt.
    pub timeouts: Timeouts,
}

/// The current UTC time as `YYYY-MM-DDThh:mm:ssZ`.
pub fn timestamp_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// A fresh 128-bit random nonce as 32 hex digits.
pub fn new_nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Header values come from credentials and configuration; reject bad ones without echoing them.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, TransportError> {
    HeaderValue::from_str(value).map_err(|_| {
        TransportError::new(
            TransportErrorKind::InvalidRequest,
            format!("the value for header {name} contains characters not allowed in HTTP headers"),
        )
    })
}

/// A header value from static text, without copying it.
fn static_value(name: &str, value: &'static str) -> Result<HeaderValue, TransportError> {
    HeaderValue::from_maybe_shared(Bytes::from_static(value.as_bytes())).map_err(|_| {
        TransportError::new(
            TransportErrorKind::InvalidRequest,
            format!("the value for header {name} contains characters not allowed in HTTP headers"),
        )
    })
}

/// `scheme://authority/` followed by `?query` when there is one, in a single allocation.
fn url_with_query(endpoint: &Endpoint, query: &str) -> String {
    let scheme = endpoint.scheme().as_str();
    let authority = endpoint.authority();
    let mut url = String::with_capacity(scheme.len() + authority.len() + query.len() + 5);
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(authority);
    url.push('/');
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Builds and signs the HTTP request for one attempt.
pub fn build_signed_request(request: &WireRequest<'_>) -> Result<HttpRequest, TransportError> {
    match request.signature_version {
        SignatureVersion::V1 => build_v1(request),
        SignatureVersion::V3 => build_v3(request),
    }
}

fn base_headers(request: &WireRequest<'_>) -> Result<HeaderMap, TransportError> {
    let mut headers = HeaderMap::with_capacity(12);
    headers.insert(HOST, header_value("host", request.endpoint.authority())?);
    headers.insert(USER_AGENT, request.user_agent.clone());
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    Ok(headers)
}

fn http_method(method: RequestMethod) -> Method {
    match method {
        RequestMethod::Get => Method::GET,
        RequestMethod::Post => Method::POST,
    }
}

fn build_v1(request: &WireRequest<'_>) -> Result<HttpRequest, TransportError> {
    let credentials = request.credentials;
    let method = http_method(request.method);
    // Borrowed pairs: no per-parameter allocation on the signing path.
    let mut common: [(&str, &str); 9] = [
        ("Action", request.action),
        ("Version", request.api_version),
        ("Format", FORMAT),
        ("AccessKeyId", credentials.access_key_id()),
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
        ("SignatureNonce", request.nonce),
        ("Timestamp", request.timestamp),
        ("SecurityToken", ""),
    ];
    let common_len = match credentials.security_token() {
        Some(token) => {
            common[8].1 = token;
            9
        }
        None => 8,
    };
    let operation = request.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let canonical = v1::canonicalize(
        method.as_str(),
        common[..common_len].iter().copied().chain(operation),
    );
    let signature = v1::sign_string(&canonical.string_to_sign, credentials.access_key_secret());
    // The canonicalized query is already a valid, encoded query string: reuse it.
    let mut encoded = canonical.query;
    encoded.push_str("&Signature=");
    encoded.push_str(&v1::percent_encode(&signature));

    let mut headers = base_headers(request)?;
    let (url, body) = match request.method {
        RequestMethod::Get => (url_with_query(request.endpoint, &encoded), Bytes::new()),
        RequestMethod::Post => {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            (url_with_query(request.endpoint, ""), Bytes::from(encoded))
        }
    };
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
        timeouts: request.timeouts,
        max_response_body: crate::transport::DEFAULT_MAX_RESPONSE_BODY,
    })
}

fn build_v3(request: &WireRequest<'_>) -> Result<HttpRequest, TransportError> {
    let credentials = request.credentials;
    let method = http_method(request.method);
    // RPC calls send their parameters in the query: the body is always empty.
    let payload_hash = v3::EMPTY_PAYLOAD_SHA256;

    // The signed headers, as (lowercase name, value) pairs for the signer; `host` first.
    let mut signed: [(&str, &str); 7] = [
        ("host", request.endpoint.authority()),
        (v3::HEADER_ACTION, request.action),
        (v3::HEADER_VERSION, request.api_version),
        (v3::HEADER_DATE, request.timestamp),
        (v3::HEADER_NONCE, request.nonce),
        (v3::HEADER_CONTENT_SHA256, payload_hash),
        (v3::HEADER_SECURITY_TOKEN, ""),
    ];
    let signed_len = match credentials.security_token() {
        Some(token) => {
            signed[6].1 = token;
            7
        }
        None => 6,
    };
    let signed = &signed[..signed_len];
    let query = v3::canonical_query(request.params);
    let signature = v3::sign_with_query(
        &v3::SignableRequest {
            method: method.as_str(),
            path: "/",
            query: request.params,
            headers: signed,
            hashed_payload: payload_hash,
        },
        &query,
        credentials.access_key_secret(),
    );

    let mut headers = base_headers(request)?;
    headers.insert(
        HeaderName::from_static(v3::HEADER_ACTION),
        static_value(v3::HEADER_ACTION, request.action)?,
    );
    headers.insert(
        HeaderName::from_static(v3::HEADER_VERSION),
        static_value(v3::HEADER_VERSION, request.api_version)?,
    );
    headers.insert(
        HeaderName::from_static(v3::HEADER_CONTENT_SHA256),
        HeaderValue::from_static(v3::EMPTY_PAYLOAD_SHA256),
    );
    for name in [v3::HEADER_DATE, v3::HEADER_NONCE, v3::HEADER_SECURITY_TOKEN] {
        if let Some(&(_, value)) = signed.iter().find(|(n, _)| *n == name) {
            headers.insert(HeaderName::from_static(name), header_value(name, value)?);
        }
    }
    headers.insert(
        http::header::AUTHORIZATION,
        header_value(
            "authorization",
            &signature.authorization(credentials.access_key_id()),
        )?,
    );

    let url = url_with_query(request.endpoint, &query);
    Ok(HttpRequest {
        method,
        url,
        headers,
        body: Bytes::new(),
        timeouts: request.timeouts,
        max_response_body: crate::transport::DEFAULT_MAX_RESPONSE_BODY,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    static USER_AGENT: HeaderValue = HeaderValue::from_static("test");

    fn sample<'a>(
        endpoint: &'a Endpoint,
        credentials: &'a Credentials,
        params: &'a [(String, String)],
        version: SignatureVersion,
        method: RequestMethod,
    ) -> WireRequest<'a> {
        WireRequest {
            endpoint,
            api_version: "2016-04-28",
            action: "DescribeVpnGateways",
            params,
            credentials,
            signature_version: version,
            method,
            timestamp: "2024-01-02T03:04:05Z",
            nonce: "0123456789abcdef0123456789abcdef",
            user_agent: &USER_AGENT,
            timeouts: Timeouts::DEFAULT,
        }
    }

    fn params() -> Vec<(String, String)> {
        vec![
            ("RegionId".into(), "cn-hangzhou".into()),
            ("Name".into(), "网关 1*~".into()),
        ]
    }

    #[test]
    fn timestamp_and_nonce_shapes() {
        let ts = timestamp_now();
        assert_eq!(ts.len(), 20);
        assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T');
        let (a, b) = (new_nonce(), new_nonce());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn v1_requests_verify_with_get_and_post() {
        let endpoint = Endpoint::https("vpc.aliyuncs.com");
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let params = params();
        for method in [RequestMethod::Get, RequestMethod::Post] {
            let built = build_signed_request(&sample(
                &endpoint,
                &credentials,
                &params,
                SignatureVersion::V1,
                method,
            ))
            .unwrap();
            let received = built.params();
            assert!(received.contains(&("SecurityToken".into(), "tok".into())));
            assert!(received.contains(&("Format".into(), "JSON".into())));
            assert!(received.contains(&("Name".into(), "网关 1*~".into())));
            v1::verify(built.method.as_str(), &received, "secret").unwrap();
        }
    }

    #[test]
    fn v3_requests_verify() {
        let endpoint = Endpoint::parse("http://127.0.0.1:8080", true).unwrap();
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let params = params();
        let built = build_signed_request(&sample(
            &endpoint,
            &credentials,
            &params,
            SignatureVersion::V3,
            RequestMethod::Post,
        ))
        .unwrap();
        assert_eq!(built.header("host"), Some("127.0.0.1:8080"));
        assert_eq!(built.header("x-acs-security-token"), Some("tok"));
        let headers: Vec<(String, String)> = built
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        v3::verify(
            "POST",
            "/",
            &built.query_params(),
            &headers,
            &built.body,
            "secret",
        )
        .unwrap();
    }
}
