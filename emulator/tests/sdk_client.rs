//! The generated Rust client against the emulator, with both signature versions and methods.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use vpn_gateway::runtime::{RequestMethod, SignatureVersion};
use vpn_gateway::types::{Tag, TagResourceType, VpnGatewayStatus};
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
            let mut tag = Tag::default();
            tag.key = Some("env".into());
            tag.value = Some("test".into());
            client
                .tag_resources()
                .region_id(REGION)
                .resource_type(TagResourceType::VpnGateway)
                .resource_id(id.clone())
                .tag(tag)
                .send()
                .await
                .unwrap();
            let tags = client
                .list_tag_resources()
                .region_id(REGION)
                .resource_type(TagResourceType::VpnGateway)
                .resource_id(id.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(tags.tag_resources.len(), 1);
            assert_eq!(tags.tag_resources[0].tag_value.as_deref(), Some("test"));
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
