//! No secret — AccessKey secret, STS token, sensitive parameter values — appears in any Debug
//! output, error message or log line; and the tracing spans carry action, attempt, request id
//! and latency.
//!
//! This file holds a single test on purpose: tracing caches callsite interest process-wide,
//! so a concurrent test without the subscriber can hide the spans this test asserts on.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{
    create_vpn_connection, fast_retries, invoke, unreachable_config, Reply, TestServer, PSK,
    SECRET, TOKEN, VPC,
};
use tracing_subscriber::fmt::format::FmtSpan;
use vpn_gateway_runtime::credentials::Credentials;
use vpn_gateway_runtime::transport::test_util::ReplayTransport;
use vpn_gateway_runtime::{Config, RequestMethod, RetryPolicy, RpcClient, SignatureVersion};

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [SECRET, TOKEN, PSK] {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_errors_or_logs() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Every error kind, through both signature versions and both methods.
    let server = TestServer::start(|n, _| match n % 4 {
        0 => Reply::error(503, "ServiceUnavailable", "R-503"),
        1 => Reply::Drop,
        2 => Reply::json(502, "<html>bad gateway</html>"),
        _ => Reply::error(400, "InvalidParameter", "R-400"),
    })
    .await;
    let mut rendered = Vec::new();
    for (version, method) in [
        (SignatureVersion::V3, RequestMethod::Post),
        (SignatureVersion::V1, RequestMethod::Get),
        (SignatureVersion::V1, RequestMethod::Post),
    ] {
        let config = server
            .config()
            .signature_version(version)
            .request_method(method)
            .retry_policy(fast_retries().with_max_attempts(4))
            .build()
            .unwrap();
        let client = RpcClient::new(&VPC, config.clone());
        rendered.push(format!(
            "{config:?} {client:?} {:?}",
            create_vpn_connection()
        ));
        let err = client.invoke(create_vpn_connection()).await.unwrap_err();
        rendered.push(format!("{err} {err:?}"));
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            rendered.push(cause.to_string());
            source = cause.source();
        }
    }

    // Transport errors from reqwest (connection refused on a v1 GET, whose URL carries the token).
    let config = unreachable_config()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = invoke(config, create_vpn_connection()).await.unwrap_err();
    rendered.push(format!("{err} {err:?}"));

    // Captured requests and responses.
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        format!(r#"{{"RequestId":"R","IkeConfig":{{"Psk":"{PSK}"}}}}"#),
    );
    let config = Config::builder()
        .credentials(Credentials::new("id", SECRET).with_security_token(TOKEN))
        .transport(transport.clone())
        .build()
        .unwrap();
    let response = invoke(config, create_vpn_connection()).await.unwrap();
    rendered.push(format!(
        "{response:?} {:?} {transport:?}",
        transport.requests()
    ));

    for text in &rendered {
        assert_clean("output", text);
    }
    let log = logs.text();
    assert_clean("log", &log);

    // The spans carry what an operator needs.
    assert!(
        log.contains("action=\"CreateVpnConnection\"")
            || log.contains("action=CreateVpnConnection"),
        "{log}"
    );
    assert!(log.contains("attempt=2"), "{log}");
    assert!(
        log.contains("request_id=R-400") || log.contains("request_id=\"R-400\""),
        "{log}"
    );
    assert!(log.contains("latency_ms="), "{log}");
    assert!(log.contains("retrying"), "{log}");
}
