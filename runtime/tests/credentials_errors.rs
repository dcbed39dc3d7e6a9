//! A failing credentials provider stops the call before anything is sent, and the error
//! names the cause.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use std::sync::Arc;

use common::{create_vpn_connection, invoke};
use vpn_gateway_runtime::transport::test_util::ReplayTransport;
use vpn_gateway_runtime::{Config, TransportErrorKind};

#[tokio::test]
async fn credentials_errors_are_not_retried_and_name_the_cause() {
    #[derive(Debug)]
    struct Failing;
    impl vpn_gateway_runtime::credentials::ProvideCredentials for Failing {
        fn provide_credentials(&self) -> vpn_gateway_runtime::credentials::CredentialsFuture<'_> {
            Box::pin(async {
                Err(vpn_gateway_runtime::credentials::CredentialsError::new(
                    "the metadata service is unreachable",
                ))
            })
        }
    }
    let transport = ReplayTransport::new();
    transport.push_error(TransportErrorKind::Connect);
    let config = Config::builder()
        .credentials_provider(Arc::new(Failing))
        .transport(transport.clone())
        .build()
        .unwrap();
    let err = invoke(config, create_vpn_connection()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not obtain credentials: the metadata service is unreachable"
    );
    assert!(transport.requests().is_empty());
}
