//! The generated Rust client against the emulator, with both signature versions and methods.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use vpn_gateway::runtime::{RequestMethod, SignatureVersion};
use vpn_gateway::types::VpnGatewayStatus;
use vpn_gateway::Credentials;

#[tokio::test]
async fn create_describe_tag_and_delete_with_every_signature_and_method() {
    let emulator = emulator().await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        for method in [RequestMethod::Get, RequestMethod::Post] {
            let client = client_with(
                &emulator,
                version,
                method,
                Credentials::new("testid", "testsecret"),
            );
            let id = gateway(&client).await;
            let described = client
                .describe_vpn_gateway()
                .region_id(REGION)
                .vpn_gateway_id(&id)
                .send()
                .await
                .unwrap();
            assert_eq!(
                described.status,
                Some(VpnGatewayStatus::Active),
                "{version:?} {method:?}"
            );
            tag(&client, &id, "env", "test").await;
            let tags = tags_of(&client, &id).await;
            assert_eq!(tags.len(), 1);
            assert_eq!(tags[0].tag_value.as_deref(), Some("test"));
            client
                .delete_vpn_gateway()
                .region_id(REGION)
                .vpn_gateway_id(&id)
                .send()
                .await
                .unwrap();
            let gone = client
                .describe_vpn_gateway()
                .region_id(REGION)
                .vpn_gateway_id(&id)
                .send()
                .await;
            assert_eq!(code(gone), "InvalidVpnGatewayInstanceId.NotFound");
        }
    }
    emulator.stop().await;
}
