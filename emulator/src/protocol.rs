//! The RPC wire protocol: reading parameters from the query string and form body, and writing
//! JSON or XML responses and error bodies.

use crate::error::ApiError;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// A received RPC request, decoded but not yet authenticated.
#[derive(Debug)]
pub struct RpcRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The request path (`/`).
    pub path: String,
    /// Decoded query-string pairs, in order.
    pub query: Vec<(String, String)>,
    /// Decoded form-body pairs (POST with `application/x-www-form-urlencoded`).
    pub form: Vec<(String, String)>,
    /// Header pairs with lowercase names.
    pub headers: Vec<(String, String)>,
    /// The raw body, for V3 payload hashing.
    pub body: bytes::Bytes,
}

impl RpcRequest {
    /// Decodes the parts of an HTTP request.
    pub fn new(
        method: &str,
        path: &str,
        raw_query: Option<&str>,
        headers: &HeaderMap,
        body: bytes::Bytes,
    ) -> Self {
        let query = raw_query.map(decode_pairs).unwrap_or_default();
        let is_form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_form_content_type);
        let form = if is_form {
            std::str::from_utf8(&body)
                .map(decode_pairs)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let headers = headers
            .iter()
            .filter_map(|(name, value)| {
                value
                    .to_str()
                    .ok()
                    .map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        RpcRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            form,
            headers,
            body,
        }
    }

    /// Roughly how many bytes the request carries (decoded query and body), to decide how to
    /// schedule its work.
    pub fn size(&self) -> usize {
        self.body.len()
            + self
                .query
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>()
    }

    /// Every parameter: the query string, then the form body.
    pub fn params(&self) -> impl Iterator<Item = &(String, String)> {
        self.query.iter().chain(self.form.iter())
    }

    /// The value of parameter `name` (the form body wins over the query string).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .last()
    }

    /// The value of a header (lowercase `name`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The action, from `Action` or the V3 `x-acs-action` header.
    pub fn action(&self) -> Option<&str> {
        self.param("Action").or_else(|| self.header("x-acs-action"))
    }

    /// The API version, from `Version` or the V3 `x-acs-version` header.
    pub fn version(&self) -> Option<&str> {
        self.param("Version")
            .or_else(|| self.header("x-acs-version"))
    }

    /// The requested response format.
    pub fn format(&self) -> Format {
        match self.param("Format") {
            Some(f) if f.eq_ignore_ascii_case("xml") => Format::Xml,
            _ => Format::Json,
        }
    }
}

/// True for `application/x-www-form-urlencoded`, with or without parameters (`; charset=UTF-8`)
/// and in any case: media types are case-insensitive (RFC 9110 §8.3.1), and clients differ.
fn is_form_content_type(value: &str) -> bool {
    let media_type = value.split(';').next().unwrap_or_default().trim();
    media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

fn decode_pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The response body format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json` (the default).
    Json,
    /// `text/xml`, when `Format=XML`.
    Xml,
}

/// Request IDs shaped like the service's (uppercase UUIDs).
#[derive(Debug)]
pub struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    /// A generator seeded from `seed`.
    pub fn new(seed: u64) -> Self {
        RequestIds {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    /// The next request ID.
    pub fn next_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let a = crate::ids::mix(self.seed ^ n);
        let b = crate::ids::mix(a ^ n.rotate_left(17));
        format!(
            "{:08X}-{:04X}-4{:03X}-{:04X}-{:012X}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFF,
            0x8000 | (b >> 48 & 0x3FFF),
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

/// A successful response: the operation's output with `RequestId` set.
pub fn success(format: Format, action: &str, body: Value) -> Response {
    render(StatusCode::OK, format, &format!("{action}Response"), &body)
}

/// An error response with `RequestId`, `HostId`, `Code`, `Message` and `Recommend`.
pub fn error(format: Format, error: &ApiError, request_id: &str, host_id: &str) -> Response {
    let mut body = Map::new();
    body.insert("RequestId".into(), Value::from(request_id));
    body.insert("HostId".into(), Value::from(host_id));
    body.insert("Code".into(), Value::from(error.code.as_str()));
    body.insert("Message".into(), Value::from(error.message.as_str()));
    body.insert(
        "Recommend".into(),
        Value::from(format!(
            "https://api.aliyun.com/troubleshoot?q={}&product=Vpc&requestId={request_id}",
            error.code
        )),
    );
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    render(status, format, "Error", &Value::Object(body))
}

fn render(status: StatusCode, format: Format, root: &str, body: &Value) -> Response {
    match format {
        Format::Json => {
            let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_owned());
            (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json;charset=utf-8"),
                )],
                text,
            )
                .into_response()
        }
        Format::Xml => {
            let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            write_xml_element(&mut text, root, body);
            (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/xml;charset=utf-8"),
                )],
                text,
            )
                .into_response()
        }
    }
}

/// Writes `value` as the element `name`; arrays repeat the element, as the service's XML does
/// (`<VpnGateways><VpnGateway>..</VpnGateway><VpnGateway>..</VpnGateway></VpnGateways>`).
fn write_xml_element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                write_xml_element(out, name, item);
            }
        }
        Value::Object(fields) => {
            let _ = write!(out, "<{name}>");
            for (key, field) in fields {
                write_xml_element(out, key, field);
            }
            let _ = write!(out, "</{name}>");
        }
        Value::Null => {
            let _ = write!(out, "<{name}/>");
        }
        Value::String(s) => {
            let _ = write!(out, "<{name}>{}</{name}>", escape_xml(s));
        }
        other => {
            let _ = write!(out, "<{name}>{other}</{name}>");
        }
    }
}

fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn xml_repeats_list_items_inside_their_wrapper() {
        let mut out = String::new();
        let v: Value = serde_json::json!({"RequestId": "R", "VpnGateways": {"VpnGateway": [{"VpnGatewayId": "a"}, {"VpnGatewayId": "b&"}]}});
        write_xml_element(&mut out, "X", &v);
        assert_eq!(
            out,
            "<X><RequestId>R</RequestId><VpnGateways><VpnGateway><VpnGatewayId>a</VpnGatewayId></VpnGateway><VpnGateway><VpnGatewayId>b&amp;</VpnGatewayId></VpnGateway></VpnGateways></X>"
        );
    }

    #[test]
    fn form_bodies_are_read_whatever_the_case_and_parameters_of_their_content_type() {
        for (content_type, is_form) in [
            ("application/x-www-form-urlencoded", true),
            ("application/x-www-form-urlencoded; charset=UTF-8", true),
            ("Application/X-WWW-Form-Urlencoded;charset=utf-8", true),
            (" application/x-www-form-urlencoded ", true),
            ("application/x-www-form-urlencodedx", false),
            ("application/json", false),
            ("text/plain", false),
        ] {
            assert_eq!(
                is_form_content_type(content_type),
                is_form,
                "{content_type}"
            );
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(content_type).unwrap(),
            );
            let request = RpcRequest::new(
                "POST",
                "/",
                Some("RegionId=cn-hangzhou&Name=query"),
                &headers,
                bytes::Bytes::from_static(b"Name=a+b%2A&Psk=x"),
            );
            assert_eq!(request.param("Psk").is_some(), is_form, "{content_type}");
            // Query and body merged; the body wins a name both carry.
            assert_eq!(request.param("RegionId"), Some("cn-hangzhou"));
            let name = if is_form { "a b*" } else { "query" };
            assert_eq!(request.param("Name"), Some(name), "{content_type}");
        }
    }

    #[test]
    fn request_ids_are_uuid_shaped_and_distinct() {
        let ids = RequestIds::new(7);
        let (a, b) = (ids.next_id(), ids.next_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }
}
