//! No secret — the AccessKey secret, the STS token, a pre-shared key at any depth of a request
//! or a response — reaches `Display`, `Debug` or a log line at any level, whatever the server
//! sends back: the emulator's real `SignatureDoesNotMatch` (whose v1 message holds the whole
//! string-to-sign), and a server that echoes the request and the secrets in every field of its
//! error documents, in every encoding a request carries them.
//!
//! One test on purpose: tracing caches callsite interest process-wide, so a concurrent test
//! without the subscriber could hide log lines this test must see.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vpn_gateway::runtime::signing::v1::percent_encode;
use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::{RequestMethod, RetryPolicy, SignatureVersion};
use vpn_gateway::types::IkeConfig;
use vpn_gateway::{Client, Config, Credentials};
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

const SECRET: &str = "ak-SECRET-9d8c7b";
const TOKEN: &str = "sts-TOKEN-5e4f3a";
/// Pre-shared keys: the plain one from the report, and one that every encoding changes.
const PSKS: [&str; 2] = ["psk-SECRET-4242", "psk+SECRET/4242=\"x\""];

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

/// Every form of every secret that must not appear.
fn forbidden() -> Vec<String> {
    let mut all = vec![SECRET.to_owned(), TOKEN.to_owned()];
    for psk in PSKS {
        let json = serde_json::to_string(psk).unwrap();
        let json = json.trim_matches('"').to_owned();
        for plain in [psk.to_owned(), json] {
            let once = percent_encode(&plain);
            all.push(percent_encode(&once));
            all.push(once);
            all.push(plain);
        }
    }
    // The distinctive part alone, so no partial encoding slips through either.
    all.push("SECRET/4242".to_owned());
    all.push("SECRET%2F4242".to_owned());
    all.push("SECRET%252F4242".to_owned());
    all
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} shows {secret}: {text}");
    }
}

/// A server that knows every secret and puts them, with the raw request it received (once
/// and twice percent-encoded, as a v1 string-to-sign does), into every field of its answer.
async fn echoing_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut n = 0usize;
        while let Ok((mut socket, _)) = listener.accept().await {
            n += 1;
            let mut buf = vec![0u8; 256 * 1024];
            let len = socket.read(&mut buf).await.unwrap_or(0);
            let raw = String::from_utf8_lossy(&buf[..len]).into_owned();
            let echo = format!(
                "{raw} | {} | {} | {SECRET} {TOKEN} {} {}",
                percent_encode(&raw),
                percent_encode(&percent_encode(&raw)),
                PSKS.join(" "),
                serde_json::to_string(&PSKS).unwrap(),
            );
            let text = serde_json::to_string(&echo).unwrap();
            let (status, body) = if n % 2 == 0 {
                (
                    "400 Bad Request",
                    format!(
                        r#"{{"Code":"SignatureDoesNotMatch","Message":{text},"Recommend":{text},"HostId":{text},"RequestId":{text},"AccessDeniedDetail":{text}}}"#
                    ),
                )
            } else {
                ("502 Bad Gateway", format!("<html>{echo}</html>"))
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    url
}

fn client(
    url: &str,
    credentials: Credentials,
    version: SignatureVersion,
    method: RequestMethod,
) -> Client {
    Client::new(
        Config::builder()
            .region("cn-hangzhou")
            .endpoint(url)
            .allow_http(true)
            .credentials(credentials)
            .signature_version(version)
            .request_method(method)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap(),
    )
}

async fn create_connection(client: &Client, psk: &str) -> String {
    let builder = client
        .create_vpn_connection()
        .region_id("cn-hangzhou")
        .customer_gateway_id("cgw-bp1pvpl9r9adju6l5****")
        .vpn_gateway_id("vpn-bp1q8bgx4xnkm2ogj****")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .ike_config(IkeConfig::new().psk(psk));
    let shown_builder = format!("{builder:?}");
    let err = builder.send().await.unwrap_err();
    let mut shown = vec![shown_builder, format!("{err}"), format!("{err:?}")];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push(format!("{cause} {cause:?}"));
        source = cause.source();
    }
    shown.join("\n")
}

#[tokio::test]
async fn no_secret_reaches_display_debug_or_logs() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let echo = echoing_server().await;
    let schemes = [
        (SignatureVersion::V3, RequestMethod::Post),
        (SignatureVersion::V3, RequestMethod::Get),
        (SignatureVersion::V1, RequestMethod::Get),
        (SignatureVersion::V1, RequestMethod::Post),
    ];
    let mut signature_mismatches = 0;
    for (version, method) in schemes {
        for psk in PSKS {
            // The emulator, with a wrong secret: the service's own SignatureDoesNotMatch.
            let wrong = client(
                emulator.url(),
                Credentials::new("testid", SECRET),
                version,
                method,
            );
            let shown = create_connection(&wrong, psk).await;
            assert!(shown.contains("SignatureDoesNotMatch"), "{shown}");
            signature_mismatches += 1;
            assert_clean(&format!("{version:?} {method:?} mismatch"), &shown);

            // A server echoing everything, twice: an error document and an HTML page.
            let sts = Credentials::new("testid", SECRET).with_security_token(TOKEN);
            let echoing = client(&echo, sts, version, method);
            for _ in 0..2 {
                let shown = create_connection(&echoing, psk).await;
                assert_clean(&format!("{version:?} {method:?} echo"), &shown);
            }
        }
    }
    assert_eq!(signature_mismatches, 8);

    // A response carrying the pre-shared key: the output's Debug hides it.
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        format!(
            r#"{{"RequestId":"R","VpnConnectionId":"vco-1","IkeConfig":{{"Psk":{}}}}}"#,
            serde_json::to_string(PSKS[1]).unwrap()
        ),
    );
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new("testid", SECRET).with_security_token(TOKEN))
        .transport(transport.clone())
        .build()
        .unwrap();
    let out = Client::new(config)
        .describe_vpn_connection()
        .region_id("cn-hangzhou")
        .vpn_connection_id("vco-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.ike_config().and_then(|c| c.psk.as_deref()),
        Some(PSKS[1]),
        "the key is there for the caller"
    );
    assert_clean("output", &format!("{out:?} {transport:?}"));

    emulator.stop().await;
    let log = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        log.contains("CreateVpnConnection"),
        "logs were captured: {log}"
    );
    assert_clean("log", &log);
}
