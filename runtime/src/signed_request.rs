//! Builds the signed HTTP request for one RPC attempt: common parameters, signature, headers.
//!
//! Pure apart from the clock and nonce helpers, so the benchmark and tests can pin both.
//!
//! Where parameters travel:
//!
//! | request | signature | URL query | body |
//! |---|---|---|---|
//! | no body parameters, GET | v1 | everything, `Signature` last | empty |
//! | no body parameters, POST | v1 | empty | everything, form-encoded |
//! | body parameters (always POST) | v1 | common + query parameters, `Signature` last | body parameters |
//! | no body parameters | V3 | query parameters | empty |
//! | body parameters (always POST) | V3 | query parameters | body parameters |
//!
//! Body parameters (the API metadata's `in: formData`) are sent as Alibaba's official SDKs send
//! them: an `application/x-www-form-urlencoded` body, sorted by name, RFC 3986 percent-encoding
//! with `+` for a space (Python's `urlencode`). v1 signs them with every other parameter, as
//! `aliyunsdkcore` does; V3 signs their bytes through `x-acs-content-sha256` and signs the
//! `content-type` header, as `alibabacloud_tea_openapi` does.

use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderMap, Method};

use crate::config::{RequestMethod, SignatureVersion};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::signing::{v1, v3};
use crate::transport::{HttpRequest, Timeouts, TransportError, TransportErrorKind};

/// The response format requested from the service; the runtime only parses JSON.
pub const FORMAT: &str = "JSON";

/// The content type of a request body carrying parameters, exactly as the official SDKs send
/// it (no `charset`; the body is ASCII once encoded).
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Everything needed to build one signed attempt.
///
/// `Debug` shows parameter names only: values may be secrets.
#[derive(Clone, Copy)]
pub struct WireRequest<'a> {
    /// Where the request goes.
    pub endpoint: &'a Endpoint,
    /// API version, e.g. `2016-04-28`.
    pub api_version: &'static str,
    /// Action, e.g. `DescribeVpnGateways`.
    pub action: &'static str,
    /// Operation parameters, already flattened, sent in the query (or, for v1 POST without
    /// body parameters, in the body with the common parameters).
    pub params: &'a [(String, String)],
    /// Form-body parameters (`in: formData`), already flattened; usually empty. When there
    /// are any the request is a POST whatever [`method`](Self::method) says, and they travel
    /// in an `application/x-www-form-urlencoded` body (see the module documentation).
    pub body: &'a [(String, String)],
    /// Credentials to sign with.
    pub credentials: &'a Credentials,
    /// Signature scheme.
    pub signature_version: SignatureVersion,
    /// HTTP method for requests without body parameters.
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

impl fmt::Debug for WireRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |params: &[(String, String)]| -> Vec<String> {
            params.iter().map(|(name, _)| name.clone()).collect()
        };
        f.debug_struct("WireRequest")
            .field("endpoint", self.endpoint)
            .field("api_version", &self.api_version)
            .field("action", &self.action)
            .field("params", &names(self.params))
            .field("body", &names(self.body))
            .field("credentials", &self.credentials)
            .field("signature_version", &self.signature_version)
            .field("method", &self.method)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl WireRequest<'_> {
    /// The method actually sent: POST whenever there are body parameters. A GET request's body
    /// has no defined meaning (RFC 9110 §9.3.1): servers and proxies may ignore or refuse it.
    /// The official SDKs declare every operation with form-body parameters as POST.
    pub fn effective_method(&self) -> RequestMethod {
        if self.body.is_empty() {
            self.method
        } else {
            RequestMethod::Post
        }
    }
}

/// The `application/x-www-form-urlencoded` body of `params` as the official SDKs write it:
/// sorted by name (then value), names and values percent-encoded per RFC 3986 with uppercase
/// hex, except a space, which is `+` (`a b*~` → `a+b%2A~`).
pub fn form_body(params: &[(String, String)]) -> String {
    crate::signing::sorted_form(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
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
    let method = http_method(request.effective_method());
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
    let common = &common[..common_len];
    let operation = || request.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let body = request.body.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    // Every parameter is signed, wherever it travels.
    let canonical = v1::canonicalize(
        method.as_str(),
        common.iter().copied().chain(operation()).chain(body),
    );
    let signature = v1::sign_string(&canonical.string_to_sign, credentials.access_key_secret());

    let mut headers = base_headers(request)?;
    let (url, body) = if request.body.is_empty() {
        // The canonicalized query is already a valid, encoded query string: reuse it.
        let mut encoded = canonical.query;
        push_signature(&mut encoded, &signature);
        match request.method {
            RequestMethod::Get => (url_with_query(request.endpoint, &encoded), Bytes::new()),
            RequestMethod::Post => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(FORM_CONTENT_TYPE));
                (url_with_query(request.endpoint, ""), Bytes::from(encoded))
            }
        }
    } else {
        // As `aliyunsdkcore` sends an RpcRequest with body parameters: the common and query
        // parameters and the signature in the URL, the body parameters alone in the body.
        let mut query = crate::signing::sorted_query(common.iter().copied().chain(operation()));
        push_signature(&mut query, &signature);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(FORM_CONTENT_TYPE));
        (
            url_with_query(request.endpoint, &query),
            Bytes::from(form_body(request.body)),
        )
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

/// Appends `&Signature=<encoded signature>` to an encoded query.
fn push_signature(query: &mut String, signature: &str) {
    query.push_str("&Signature=");
    query.push_str(&v1::percent_encode(signature));
}

fn build_v3(request: &WireRequest<'_>) -> Result<HttpRequest, TransportError> {
    let credentials = request.credentials;
    let method = http_method(request.effective_method());
    // Query parameters go in the URL and the canonical query; body parameters, when there are
    // any, in a form body whose hash is signed (`alibabacloud_tea_openapi`'s `formData`).
    let body = (!request.body.is_empty()).then(|| form_body(request.body));
    let body_hash = body
        .as_deref()
        .map(|body| v3::hashed_payload(body.as_bytes()));
    let payload_hash = body_hash.as_deref().unwrap_or(v3::EMPTY_PAYLOAD_SHA256);

    // The signed headers, as (lowercase name, value) pairs for the signer; `host` first, the
    // optional ones after the six every request has.
    let mut signed: [(&str, &str); 8] = [
        ("host", request.endpoint.authority()),
        (v3::HEADER_ACTION, request.action),
        (v3::HEADER_VERSION, request.api_version),
        (v3::HEADER_DATE, request.timestamp),
        (v3::HEADER_NONCE, request.nonce),
        (v3::HEADER_CONTENT_SHA256, payload_hash),
        ("", ""),
        ("", ""),
    ];
    let mut signed_len = 6;
    if let Some(token) = credentials.security_token() {
        signed[signed_len] = (v3::HEADER_SECURITY_TOKEN, token);
        signed_len += 1;
    }
    if body.is_some() {
        // The official SDK signs the content type too: it is part of what the body means.
        signed[signed_len] = ("content-type", FORM_CONTENT_TYPE);
        signed_len += 1;
    }
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
        match &body_hash {
            Some(hash) => header_value(v3::HEADER_CONTENT_SHA256, hash)?,
            None => HeaderValue::from_static(v3::EMPTY_PAYLOAD_SHA256),
        },
    );
    for name in [v3::HEADER_DATE, v3::HEADER_NONCE, v3::HEADER_SECURITY_TOKEN] {
        if let Some(&(_, value)) = signed.iter().find(|(n, _)| *n == name) {
            headers.insert(HeaderName::from_static(name), header_value(name, value)?);
        }
    }
    if body.is_some() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(FORM_CONTENT_TYPE));
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
        body: body.map(Bytes::from).unwrap_or_default(),
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
            body: &[],
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

    /// Method, URL, headers (in order) and body of a built request.
    fn dump(built: &HttpRequest) -> String {
        let mut out = format!("{} {}\n", built.method, built.url);
        for (name, value) in &built.headers {
            out.push_str(&format!("{name}: {}\n", value.to_str().unwrap()));
        }
        out.push_str(std::str::from_utf8(&built.body).unwrap());
        out
    }

    #[test]
    fn requests_without_body_parameters_keep_their_bytes() {
        // Recorded before body parameters existed: adding them changed none of these bytes.
        let expected = [
            "GET https://vpc.aliyuncs.com/?AccessKeyId=id&Action=DescribeVpnGateways&Format=JSON&Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou&SecurityToken=tok&SignatureMethod=HMAC-SHA1&SignatureNonce=0123456789abcdef0123456789abcdef&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2016-04-28&Signature=4S6MpveDSZeuYMDGluDYgQhgMsA%3D\n\
             host: vpc.aliyuncs.com\nuser-agent: test\naccept: application/json\n",
            "POST https://vpc.aliyuncs.com/\n\
             host: vpc.aliyuncs.com\nuser-agent: test\naccept: application/json\n\
             content-type: application/x-www-form-urlencoded\n\
             AccessKeyId=id&Action=DescribeVpnGateways&Format=JSON&Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou&SecurityToken=tok&SignatureMethod=HMAC-SHA1&SignatureNonce=0123456789abcdef0123456789abcdef&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2016-04-28&Signature=jN0LTfrtnW4xd6puFehhYr0rHCk%3D",
            "GET https://vpc.aliyuncs.com/?Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou\n\
             host: vpc.aliyuncs.com\nuser-agent: test\naccept: application/json\n\
             x-acs-action: DescribeVpnGateways\nx-acs-version: 2016-04-28\n\
             x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date: 2024-01-02T03:04:05Z\nx-acs-signature-nonce: 0123456789abcdef0123456789abcdef\n\
             x-acs-security-token: tok\n\
             authorization: ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=cad2a6eb96083f252431b178bdf5ffa56886086b7cb00389d37a0db6f61cb30a\n",
            "POST https://vpc.aliyuncs.com/?Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou\n\
             host: vpc.aliyuncs.com\nuser-agent: test\naccept: application/json\n\
             x-acs-action: DescribeVpnGateways\nx-acs-version: 2016-04-28\n\
             x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date: 2024-01-02T03:04:05Z\nx-acs-signature-nonce: 0123456789abcdef0123456789abcdef\n\
             x-acs-security-token: tok\n\
             authorization: ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=1574544799abc8c216f047d9c78044fd1aec569c0d63515f90bb39e4f9c2ca95\n",
        ];
        let endpoint = Endpoint::https("vpc.aliyuncs.com");
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let params = params();
        let cases = [
            (SignatureVersion::V1, RequestMethod::Get),
            (SignatureVersion::V1, RequestMethod::Post),
            (SignatureVersion::V3, RequestMethod::Get),
            (SignatureVersion::V3, RequestMethod::Post),
        ];
        for ((version, method), expected) in cases.into_iter().zip(expected) {
            let built =
                build_signed_request(&sample(&endpoint, &credentials, &params, version, method))
                    .unwrap();
            assert_eq!(dump(&built), expected, "{version:?} {method:?}");
        }
    }

    /// Form-body parameters, with a pre-shared key that needs every kind of encoding.
    fn body() -> Vec<(String, String)> {
        vec![
            (
                "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk".into(),
                "p/s k*~1 中".into(),
            ),
            ("TunnelOptionsSpecification.1.Role".into(), "master".into()),
            ("TunnelOptionsSpecification.2.Role".into(), "slave".into()),
        ]
    }

    /// `Utils.to_form` of `alibabacloud_tea_openapi` 0.4.6 on [`body`]: sorted, `+` for space.
    const OFFICIAL_FORM: &str = "TunnelOptionsSpecification.1.Role=master\
        &TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=p%2Fs+k%2A~1+%E4%B8%AD\
        &TunnelOptionsSpecification.2.Role=slave";

    #[test]
    fn form_bodies_are_encoded_as_the_official_sdks_encode_them() {
        assert_eq!(form_body(&body()), OFFICIAL_FORM);
        assert_eq!(form_body(&[]), "");
        // Decoding gives the values back.
        let mut decoded = crate::transport::decode_form(OFFICIAL_FORM);
        decoded.sort();
        let mut original = body();
        original.sort();
        assert_eq!(decoded, original);
    }

    #[test]
    fn v3_body_parameters_travel_in_a_signed_form_body() {
        let endpoint = Endpoint::https("vpc.aliyuncs.com");
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let params = params();
        let body = body();
        // Configured for GET: a request with body parameters is a POST all the same.
        let request = WireRequest {
            action: "CreateVpnConnection",
            body: &body,
            ..sample(
                &endpoint,
                &credentials,
                &params,
                SignatureVersion::V3,
                RequestMethod::Get,
            )
        };
        let built = build_signed_request(&request).unwrap();
        assert_eq!(built.method, Method::POST);
        assert_eq!(
            built.url,
            "https://vpc.aliyuncs.com/?Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou"
        );
        assert_eq!(&built.body[..], OFFICIAL_FORM.as_bytes());
        assert_eq!(
            built.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        // hashlib.sha256 of the official SDK's form string.
        assert_eq!(
            built.header("x-acs-content-sha256"),
            Some("ec95ef4c34fc5ca30faa76afc107e47830bfbe6f9ec1dec234707915be9f850f")
        );
        // `Utils.get_authorization` of the official SDK over the same headers: content-type
        // is signed.
        assert_eq!(
            built.header("authorization"),
            Some(
                "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=content-type;host;x-acs-action;\
                 x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;\
                 x-acs-version,Signature=0b1071ac521d297e95436aab4c3c3a9795f18e59cc8c54d6929d2469e99f08a4"
            )
        );
        // Body parameters are not in the query, and the server-side verifier accepts the
        // request with its body and refuses it with another one.
        let mut query = built.query_params();
        query.sort();
        assert_eq!(query, [&params[1], &params[0]].map(Clone::clone));
        let headers: Vec<(String, String)> = built
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let query = built.query_params();
        v3::verify("POST", "/", &query, &headers, &built.body, "secret").unwrap();
        let tampered = OFFICIAL_FORM.replace("master", "slave");
        assert!(v3::verify("POST", "/", &query, &headers, tampered.as_bytes(), "secret").is_err());
    }

    #[test]
    fn v1_body_parameters_are_signed_with_the_rest_and_sent_in_the_body() {
        let endpoint = Endpoint::https("vpc.aliyuncs.com");
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let params = params();
        let body = body();
        for method in [RequestMethod::Get, RequestMethod::Post] {
            let request = WireRequest {
                action: "CreateVpnConnection",
                body: &body,
                ..sample(
                    &endpoint,
                    &credentials,
                    &params,
                    SignatureVersion::V1,
                    method,
                )
            };
            let built = build_signed_request(&request).unwrap();
            assert_eq!(built.method, Method::POST, "{method:?}");
            // As aliyunsdkcore sends it: common and query parameters with the signature in the
            // URL; the signature is the one `rpc_signature_composer` computes over URL and body
            // parameters together.
            assert_eq!(
                built.url,
                "https://vpc.aliyuncs.com/?AccessKeyId=id&Action=CreateVpnConnection&Format=JSON\
                 &Name=%E7%BD%91%E5%85%B3%201%2A~&RegionId=cn-hangzhou&SecurityToken=tok\
                 &SignatureMethod=HMAC-SHA1&SignatureNonce=0123456789abcdef0123456789abcdef\
                 &SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2016-04-28\
                 &Signature=vwxTIpYPUTeDVO7z26LTbSMN9v8%3D"
            );
            assert_eq!(&built.body[..], OFFICIAL_FORM.as_bytes());
            assert_eq!(
                built.header("content-type"),
                Some("application/x-www-form-urlencoded")
            );
            let received = built.params();
            assert_eq!(
                v1::string_to_sign("POST", &received),
                "POST&%2F&AccessKeyId%3Did%26Action%3DCreateVpnConnection%26Format%3DJSON\
                 %26Name%3D%25E7%25BD%2591%25E5%2585%25B3%25201%252A~%26RegionId%3Dcn-hangzhou\
                 %26SecurityToken%3Dtok%26SignatureMethod%3DHMAC-SHA1\
                 %26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0\
                 %26Timestamp%3D2024-01-02T03%253A04%253A05Z\
                 %26TunnelOptionsSpecification.1.Role%3Dmaster\
                 %26TunnelOptionsSpecification.1.TunnelIkeConfig.Psk%3Dp%252Fs%2520k%252A~1%2520%25E4%25B8%25AD\
                 %26TunnelOptionsSpecification.2.Role%3Dslave%26Version%3D2016-04-28"
            );
            v1::verify("POST", &received, "secret").unwrap();
        }
    }

    #[test]
    fn debug_shows_parameter_names_only() {
        let endpoint = Endpoint::https("vpc.aliyuncs.com");
        let credentials = Credentials::new("id", "sk-VALUE").with_security_token("sts-VALUE");
        let params = params();
        let body = body();
        let request = WireRequest {
            body: &body,
            ..sample(
                &endpoint,
                &credentials,
                &params,
                SignatureVersion::V3,
                RequestMethod::Post,
            )
        };
        let shown = format!("{request:?}");
        assert!(
            shown.contains("TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"),
            "{shown}"
        );
        assert!(shown.contains("RegionId"), "{shown}");
        for secret in [
            "p/s",
            "master",
            "cn-hangzhou",
            "网关",
            "sk-VALUE",
            "sts-VALUE",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        let built = build_signed_request(&request).unwrap();
        let shown = format!("{built:?}");
        assert!(!shown.contains("ec95ef4c"), "{shown}");
    }
}
