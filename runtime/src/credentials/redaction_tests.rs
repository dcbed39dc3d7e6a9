//! Proof that secrets never leak: every provider, builder and error is formatted, and every
//! log line captured, while real flows run with recognisable secret values.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use super::test_server::{expiration_in, metadata_success, sts_success, Received, TestServer};
use super::*;

/// Every secret used below contains this marker, so one search finds any leak.
const MARKER: &str = "SECRET-MARKER";

fn secret(name: &str) -> String {
    format!("{MARKER}-{name}")
}

/// A log sink for `tracing_subscriber`.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// STS and metadata that hand out secret-bearing credentials, and STS errors whose bodies
/// carry secrets too.
async fn server() -> TestServer {
    TestServer::start(|request: &Received| {
        let temporary = || {
            sts_success(
                "STS.temp",
                &secret("temp-secret"),
                &secret("temp-token"),
                &expiration_in(3600),
            )
        };
        match request.path.as_str() {
            "/latest/api/token" => (200, secret("imds-token")),
            "/latest/meta-data/ram/security-credentials/Role" => (
                200,
                metadata_success(
                    "ecs",
                    &secret("ecs-secret"),
                    &secret("ecs-token"),
                    &expiration_in(3600),
                ),
            ),
            _ if request
                .param("RoleArn")
                .is_some_and(|arn| arn.ends_with("/denied")) =>
            {
                (
                    200,
                    // A success status with a body missing SecurityToken but holding a secret.
                    format!(
                        r#"{{"Credentials":{{"AccessKeyId":"x","AccessKeySecret":"{}"}}}}"#,
                        secret("partial")
                    ),
                )
            }
            _ => (200, temporary()),
        }
    })
    .await
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_debug_output_errors_or_logs() {
    let logs = CapturedLogs::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    let static_credentials =
        Credentials::new("id", secret("static-secret")).with_security_token(secret("static-token"));
    let cli_config = format!(
        r#"{{"current":"p","profiles":[{{"name":"p","mode":"RamRoleArn","access_key_id":"a",
        "access_key_secret":"{}","ram_role_arn":"acs:ram::1:role/r","external_id":"{}"}}]}}"#,
        secret("cli-secret"),
        secret("external-id")
    );
    let ini = format!(
        "[default]\ntype = sts\naccess_key_id = a\naccess_key_secret = {}\nsecurity_token = {}\n",
        secret("ini-secret"),
        secret("ini-token")
    );
    let config = ProviderConfig::new()
        .with_env(Env::from_vars([
            ("HOME", "/home/me".to_owned()),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret("env-secret")),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", secret("env-token")),
            ("ALIBABA_CLOUD_ECS_METADATA", "Role".to_owned()),
        ]))
        .with_fs(Fs::from_files([
            ("/home/me/.aliyun/config.json", cli_config),
            ("/home/me/.alibabacloud/credentials.ini", ini),
            ("/token", secret("oidc-token")),
        ]))
        .with_sts_endpoint(&server.url)
        .with_metadata_endpoint(&server.url);

    let ram_role = RamRoleArnCredentialsProvider::builder()
        .source_credentials(static_credentials.clone())
        .role_arn("acs:ram::1:role/r")
        .external_id(secret("external-id"))
        .configure(&config);
    let ram_role_debug = format!("{ram_role:?}");
    let ram_role = ram_role.build().expect("provider");
    let denied = RamRoleArnCredentialsProvider::builder()
        .source_credentials(static_credentials.clone())
        .role_arn("acs:ram::1:role/denied")
        .configure(&config)
        .build()
        .expect("provider");
    let oidc = OidcRoleArnCredentialsProvider::builder()
        .role_arn("acs:ram::1:role/r")
        .oidc_provider_arn("acs:ram::1:oidc-provider/p")
        .token_file("/token")
        .configure(&config)
        .build()
        .expect("provider");
    let ecs = EcsRamRoleCredentialsProvider::builder()
        .configure(&config)
        .build();
    let cli = CliProfileCredentialsProvider::builder()
        .configure(&config)
        .build();
    let ini = ProfileFileCredentialsProvider::builder()
        .configure(&config)
        .build();
    let env = EnvironmentCredentialsProvider::with_env(config.env().clone());
    let chain = DefaultCredentialsChain::builder()
        .configure(config.clone())
        .build();

    let providers: Vec<&dyn ProvideCredentials> = vec![
        &static_credentials,
        &ram_role,
        &oidc,
        &ecs,
        &cli,
        &ini,
        &chain,
    ];
    let mut shown = vec![ram_role_debug, format!("{config:?}")];
    for provider in &providers {
        // Other tests register the same callsites concurrently, and tracing can cache a stale
        // "never" interest for a callsite registered while this subscriber was being installed;
        // recompute it right before each flow so the log capture is dependable.
        tracing::callsite::rebuild_interest_cache();
        let result = provider.provide_credentials().await;
        let credentials = result.expect("credentials");
        shown.push(format!("{credentials:?}"));
    }
    // Debug after first use, when inner providers and caches are populated.
    for provider in &providers {
        shown.push(format!("{provider:?}"));
    }
    // Errors: missing variables (with secrets present in others) and an STS answer that
    // holds a secret but is incomplete.
    for error in [
        env.provide_credentials().await.expect_err("no id"),
        denied.provide_credentials().await.expect_err("incomplete"),
    ] {
        shown.push(format!("{error} / {error:?}"));
    }

    let logs = logs.text();
    assert!(
        logs.contains("AssumeRole"),
        "the flows above should have logged something: {logs}"
    );
    for text in shown.iter().chain([&logs]) {
        assert!(!text.contains(MARKER), "secret leaked in: {text}");
    }
}
