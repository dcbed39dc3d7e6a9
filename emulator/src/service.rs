//! The emulator as a [`VpnGatewayService`]: each method runs its handler over the model in the
//! request's region, honouring the request's idempotency token.

use crate::error::ApiError;
use crate::handlers;
use crate::state::{Cx, Model, TokenRecord};
use std::sync::Arc;
use vpn_gateway::operation::{
    associate_vpn_gateway_with_certificate::AssociateVpnGatewayWithCertificateOutput,
    check_vpn_bgp_enabled::CheckVpnBgpEnabledOutput,
    create_customer_gateway::CreateCustomerGatewayOutput,
    create_ipsec_server::CreateIpsecServerOutput,
    create_ssl_vpn_client_cert::CreateSslVpnClientCertOutput,
    create_ssl_vpn_server::CreateSslVpnServerOutput,
    create_vco_route_entry::CreateVcoRouteEntryOutput,
    create_vpn_attachment::CreateVpnAttachmentOutput,
    create_vpn_connection::CreateVpnConnectionOutput, create_vpn_gateway::CreateVpnGatewayOutput,
    create_vpn_pbr_route_entry::CreateVpnPbrRouteEntryOutput,
    create_vpn_route_entry::CreateVpnRouteEntryOutput,
    delete_customer_gateway::DeleteCustomerGatewayOutput,
    delete_ipsec_server::DeleteIpsecServerOutput,
    delete_ssl_vpn_client_cert::DeleteSslVpnClientCertOutput,
    delete_ssl_vpn_server::DeleteSslVpnServerOutput,
    delete_vco_route_entry::DeleteVcoRouteEntryOutput,
    delete_vpn_attachment::DeleteVpnAttachmentOutput,
    delete_vpn_connection::DeleteVpnConnectionOutput, delete_vpn_gateway::DeleteVpnGatewayOutput,
    delete_vpn_pbr_route_entry::DeleteVpnPbrRouteEntryOutput,
    delete_vpn_route_entry::DeleteVpnRouteEntryOutput,
    describe_customer_gateway::DescribeCustomerGatewayOutput,
    describe_customer_gateways::DescribeCustomerGatewaysOutput,
    describe_ssl_vpn_client_cert::DescribeSslVpnClientCertOutput,
    describe_ssl_vpn_client_certs::DescribeSslVpnClientCertsOutput,
    describe_ssl_vpn_clients::DescribeSslVpnClientsOutput,
    describe_ssl_vpn_servers::DescribeSslVpnServersOutput,
    describe_vco_route_entries::DescribeVcoRouteEntriesOutput,
    describe_vpn_attachments::DescribeVpnAttachmentsOutput,
    describe_vpn_connection::DescribeVpnConnectionOutput,
    describe_vpn_connection_logs::DescribeVpnConnectionLogsOutput,
    describe_vpn_connections::DescribeVpnConnectionsOutput,
    describe_vpn_cross_account_authorizations::DescribeVpnCrossAccountAuthorizationsOutput,
    describe_vpn_gateway::DescribeVpnGatewayOutput,
    describe_vpn_gateway_available_zones::DescribeVpnGatewayAvailableZonesOutput,
    describe_vpn_gateways::DescribeVpnGatewaysOutput,
    describe_vpn_pbr_route_entries::DescribeVpnPbrRouteEntriesOutput,
    describe_vpn_route_entries::DescribeVpnRouteEntriesOutput,
    describe_vpn_ssl_server_logs::DescribeVpnSslServerLogsOutput,
    diagnose_vpn_connections::DiagnoseVpnConnectionsOutput,
    diagnose_vpn_gateway::DiagnoseVpnGatewayOutput,
    dissociate_vpn_gateway_with_certificate::DissociateVpnGatewayWithCertificateOutput,
    download_vpn_connection_config::DownloadVpnConnectionConfigOutput,
    get_vpn_gateway_diagnose_result::GetVpnGatewayDiagnoseResultOutput,
    list_ipsec_server_logs::ListIpsecServerLogsOutput, list_ipsec_servers::ListIpsecServersOutput,
    list_tag_resources::ListTagResourcesOutput,
    list_vpn_certificate_associations::ListVpnCertificateAssociationsOutput,
    modify_customer_gateway_attribute::ModifyCustomerGatewayAttributeOutput,
    modify_ssl_vpn_client_cert::ModifySslVpnClientCertOutput,
    modify_ssl_vpn_server::ModifySslVpnServerOutput,
    modify_tunnel_attribute::ModifyTunnelAttributeOutput,
    modify_vco_route_entry_weight::ModifyVcoRouteEntryWeightOutput,
    modify_vpn_attachment_attribute::ModifyVpnAttachmentAttributeOutput,
    modify_vpn_connection_attribute::ModifyVpnConnectionAttributeOutput,
    modify_vpn_gateway_attribute::ModifyVpnGatewayAttributeOutput,
    modify_vpn_pbr_route_entry_attribute::ModifyVpnPbrRouteEntryAttributeOutput,
    modify_vpn_pbr_route_entry_priority::ModifyVpnPbrRouteEntryPriorityOutput,
    modify_vpn_pbr_route_entry_weight::ModifyVpnPbrRouteEntryWeightOutput,
    modify_vpn_route_entry_weight::ModifyVpnRouteEntryWeightOutput,
    move_vpn_resource_group::MoveVpnResourceGroupOutput,
    publish_vpn_route_entry::PublishVpnRouteEntryOutput, tag_resources::TagResourcesOutput,
    un_tag_resources::UnTagResourcesOutput, update_ipsec_server::UpdateIpsecServerOutput,
};
use vpn_gateway::runtime::server::{ErrorResponse, OperationFacts};
use vpn_gateway::runtime::wire_params::decode::WireParams;
use vpn_gateway::server::VpnGatewayService;
use vpn_gateway::server::{
    AssociateVpnGatewayWithCertificateRequest, CheckVpnBgpEnabledRequest,
    CreateCustomerGatewayRequest, CreateIpsecServerRequest, CreateSslVpnClientCertRequest,
    CreateSslVpnServerRequest, CreateVcoRouteEntryRequest, CreateVpnAttachmentRequest,
    CreateVpnConnectionRequest, CreateVpnGatewayRequest, CreateVpnPbrRouteEntryRequest,
    CreateVpnRouteEntryRequest, DeleteCustomerGatewayRequest, DeleteIpsecServerRequest,
    DeleteSslVpnClientCertRequest, DeleteSslVpnServerRequest, DeleteVcoRouteEntryRequest,
    DeleteVpnAttachmentRequest, DeleteVpnConnectionRequest, DeleteVpnGatewayRequest,
    DeleteVpnPbrRouteEntryRequest, DeleteVpnRouteEntryRequest, DescribeCustomerGatewayRequest,
    DescribeCustomerGatewaysRequest, DescribeSslVpnClientCertRequest,
    DescribeSslVpnClientCertsRequest, DescribeSslVpnClientsRequest, DescribeSslVpnServersRequest,
    DescribeVcoRouteEntriesRequest, DescribeVpnAttachmentsRequest,
    DescribeVpnConnectionLogsRequest, DescribeVpnConnectionRequest, DescribeVpnConnectionsRequest,
    DescribeVpnCrossAccountAuthorizationsRequest, DescribeVpnGatewayAvailableZonesRequest,
    DescribeVpnGatewayRequest, DescribeVpnGatewaysRequest, DescribeVpnPbrRouteEntriesRequest,
    DescribeVpnRouteEntriesRequest, DescribeVpnSslServerLogsRequest, DiagnoseVpnConnectionsRequest,
    DiagnoseVpnGatewayRequest, DissociateVpnGatewayWithCertificateRequest,
    DownloadVpnConnectionConfigRequest, GetVpnGatewayDiagnoseResultRequest,
    ListIpsecServerLogsRequest, ListIpsecServersRequest, ListTagResourcesRequest,
    ListVpnCertificateAssociationsRequest, ModifyCustomerGatewayAttributeRequest,
    ModifySslVpnClientCertRequest, ModifySslVpnServerRequest, ModifyTunnelAttributeRequest,
    ModifyVcoRouteEntryWeightRequest, ModifyVpnAttachmentAttributeRequest,
    ModifyVpnConnectionAttributeRequest, ModifyVpnGatewayAttributeRequest,
    ModifyVpnPbrRouteEntryAttributeRequest, ModifyVpnPbrRouteEntryPriorityRequest,
    ModifyVpnPbrRouteEntryWeightRequest, ModifyVpnRouteEntryWeightRequest,
    MoveVpnResourceGroupRequest, PublishVpnRouteEntryRequest, TagResourcesRequest,
    UnTagResourcesRequest, UpdateIpsecServerRequest,
};
use vpn_gateway::ErrorCode;

/// What the emulator passes along with a request: its region and its idempotency token.
#[derive(Debug, Clone)]
pub struct CallContext {
    action: &'static str,
    region_id: String,
    /// The idempotency token and a fingerprint of the request's parameters, for a write that
    /// carries one.
    client_token: Option<(String, u64)>,
}

impl CallContext {
    /// The context of a request for the operation `facts` with `params`. A request without a
    /// `RegionId` runs in `cn-hangzhou` (the operations that take none are not regional).
    pub fn new(facts: &OperationFacts<ErrorCode>, params: &WireParams) -> Self {
        let client_token = if facts.read_only() {
            None
        } else {
            facts
                .idempotency_token()
                .and_then(|name| params.raw(name))
                .filter(|token| !token.is_empty())
                .map(|token| (token.to_owned(), fingerprint(params)))
        };
        CallContext {
            action: facts.action(),
            region_id: params
                .raw("RegionId")
                .filter(|r| !r.is_empty())
                .unwrap_or("cn-hangzhou")
                .to_owned(),
            client_token,
        }
    }
}

/// Parameters that differ between retries of the same request (signing, transport).
const PER_ATTEMPT: &[&str] = &[
    "AccessKeyId",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
];

/// A hash of the request's own parameters (sorted by name), for `ClientToken` replays.
fn fingerprint(params: &WireParams) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for name in params.names().filter(|n| !PER_ATTEMPT.contains(n)) {
        (name, params.raw(name)).hash(&mut hasher);
    }
    hasher.finish()
}

impl Model {
    /// Runs `handler` in the request's region. A write with an idempotency token already
    /// answered gets the same answer again without running; the same token on a different
    /// request is an `IdempotentParameterMismatch`. Checking, running and remembering happen
    /// under one lock, so two concurrent requests with one token run once.
    fn run<O: Clone + Send + Sync + 'static>(
        &self,
        call: &CallContext,
        handler: impl FnOnce(&mut Cx<'_>) -> Result<O, ApiError>,
    ) -> Result<O, ErrorResponse> {
        self.with_region(&call.region_id, |cx| {
            let key = call.client_token.as_ref().map(|(token, fingerprint)| {
                (
                    (cx.region_id.to_owned(), call.action, token.clone()),
                    *fingerprint,
                )
            });
            if let Some((key, fingerprint)) = &key {
                cx.tokens.expire(cx.now);
                if let Some(seen) = cx.tokens.get(key, cx.now) {
                    return if seen.fingerprint == *fingerprint {
                        seen.output.downcast_ref::<O>().cloned().ok_or_else(|| {
                            ApiError::new(
                                500,
                                "InternalError",
                                "The request processing has failed due to some unknown error.",
                            )
                        })
                    } else {
                        Err(ApiError::new(
                            400,
                            "IdempotentParameterMismatch",
                            "The request uses the same client token as a previous, but non-identical request.",
                        ))
                    };
                }
                // Without room to remember the token, running the request would give up the
                // protection the token promises: a retry could repeat it.
                if !cx.tokens.has_room() {
                    return Err(ApiError::new(
                        400,
                        "Throttling",
                        "Request was denied due to request throttling: too many ClientToken requests within the retention time.",
                    ));
                }
            }
            let output = handler(cx)?;
            if let Some((key, fingerprint)) = key {
                let record = TokenRecord {
                    fingerprint,
                    output: Arc::new(output.clone()),
                };
                cx.tokens.insert(key, record, cx.now);
            }
            Ok(output)
        })
        .map_err(ErrorResponse::from)
    }
}

impl VpnGatewayService for Model {
    type Context = CallContext;

    async fn create_vpn_gateway(
        &self,
        cx: &CallContext,
        request: CreateVpnGatewayRequest,
    ) -> Result<CreateVpnGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vpn_gateway(m, request))
    }

    async fn modify_vpn_gateway_attribute(
        &self,
        cx: &CallContext,
        request: ModifyVpnGatewayAttributeRequest,
    ) -> Result<ModifyVpnGatewayAttributeOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_vpn_gateway_attribute(m, request))
    }

    async fn describe_vpn_gateways(
        &self,
        cx: &CallContext,
        request: DescribeVpnGatewaysRequest,
    ) -> Result<DescribeVpnGatewaysOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_gateways(m, request))
    }

    async fn describe_vpn_gateway(
        &self,
        cx: &CallContext,
        request: DescribeVpnGatewayRequest,
    ) -> Result<DescribeVpnGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_gateway(m, request))
    }

    async fn delete_vpn_gateway(
        &self,
        cx: &CallContext,
        request: DeleteVpnGatewayRequest,
    ) -> Result<DeleteVpnGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vpn_gateway(m, request))
    }

    async fn tag_resources(
        &self,
        cx: &CallContext,
        request: TagResourcesRequest,
    ) -> Result<TagResourcesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::tag_resources(m, request))
    }

    async fn list_tag_resources(
        &self,
        cx: &CallContext,
        request: ListTagResourcesRequest,
    ) -> Result<ListTagResourcesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::list_tag_resources(m, request))
    }

    async fn un_tag_resources(
        &self,
        cx: &CallContext,
        request: UnTagResourcesRequest,
    ) -> Result<UnTagResourcesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::un_tag_resources(m, request))
    }

    async fn associate_vpn_gateway_with_certificate(
        &self,
        cx: &CallContext,
        request: AssociateVpnGatewayWithCertificateRequest,
    ) -> Result<AssociateVpnGatewayWithCertificateOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::associate_vpn_gateway_with_certificate(m, request)
        })
    }

    async fn dissociate_vpn_gateway_with_certificate(
        &self,
        cx: &CallContext,
        request: DissociateVpnGatewayWithCertificateRequest,
    ) -> Result<DissociateVpnGatewayWithCertificateOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::dissociate_vpn_gateway_with_certificate(m, request)
        })
    }

    async fn list_vpn_certificate_associations(
        &self,
        cx: &CallContext,
        request: ListVpnCertificateAssociationsRequest,
    ) -> Result<ListVpnCertificateAssociationsOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::list_vpn_certificate_associations(m, request)
        })
    }

    async fn move_vpn_resource_group(
        &self,
        cx: &CallContext,
        request: MoveVpnResourceGroupRequest,
    ) -> Result<MoveVpnResourceGroupOutput, ErrorResponse> {
        self.run(cx, |m| handlers::move_vpn_resource_group(m, request))
    }

    async fn diagnose_vpn_gateway(
        &self,
        cx: &CallContext,
        request: DiagnoseVpnGatewayRequest,
    ) -> Result<DiagnoseVpnGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::diagnose_vpn_gateway(m, request))
    }

    async fn get_vpn_gateway_diagnose_result(
        &self,
        cx: &CallContext,
        request: GetVpnGatewayDiagnoseResultRequest,
    ) -> Result<GetVpnGatewayDiagnoseResultOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::get_vpn_gateway_diagnose_result(m, request)
        })
    }

    async fn describe_vpn_gateway_available_zones(
        &self,
        cx: &CallContext,
        request: DescribeVpnGatewayAvailableZonesRequest,
    ) -> Result<DescribeVpnGatewayAvailableZonesOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::describe_vpn_gateway_available_zones(m, request)
        })
    }

    async fn check_vpn_bgp_enabled(
        &self,
        cx: &CallContext,
        request: CheckVpnBgpEnabledRequest,
    ) -> Result<CheckVpnBgpEnabledOutput, ErrorResponse> {
        self.run(cx, |m| handlers::check_vpn_bgp_enabled(m, request))
    }

    async fn create_customer_gateway(
        &self,
        cx: &CallContext,
        request: CreateCustomerGatewayRequest,
    ) -> Result<CreateCustomerGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_customer_gateway(m, request))
    }

    async fn modify_customer_gateway_attribute(
        &self,
        cx: &CallContext,
        request: ModifyCustomerGatewayAttributeRequest,
    ) -> Result<ModifyCustomerGatewayAttributeOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_customer_gateway_attribute(m, request)
        })
    }

    async fn describe_customer_gateways(
        &self,
        cx: &CallContext,
        request: DescribeCustomerGatewaysRequest,
    ) -> Result<DescribeCustomerGatewaysOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_customer_gateways(m, request))
    }

    async fn describe_customer_gateway(
        &self,
        cx: &CallContext,
        request: DescribeCustomerGatewayRequest,
    ) -> Result<DescribeCustomerGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_customer_gateway(m, request))
    }

    async fn delete_customer_gateway(
        &self,
        cx: &CallContext,
        request: DeleteCustomerGatewayRequest,
    ) -> Result<DeleteCustomerGatewayOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_customer_gateway(m, request))
    }

    async fn create_vpn_route_entry(
        &self,
        cx: &CallContext,
        request: CreateVpnRouteEntryRequest,
    ) -> Result<CreateVpnRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vpn_route_entry(m, request))
    }

    async fn create_vpn_pbr_route_entry(
        &self,
        cx: &CallContext,
        request: CreateVpnPbrRouteEntryRequest,
    ) -> Result<CreateVpnPbrRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vpn_pbr_route_entry(m, request))
    }

    async fn publish_vpn_route_entry(
        &self,
        cx: &CallContext,
        request: PublishVpnRouteEntryRequest,
    ) -> Result<PublishVpnRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::publish_vpn_route_entry(m, request))
    }

    async fn describe_vpn_route_entries(
        &self,
        cx: &CallContext,
        request: DescribeVpnRouteEntriesRequest,
    ) -> Result<DescribeVpnRouteEntriesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_route_entries(m, request))
    }

    async fn describe_vpn_pbr_route_entries(
        &self,
        cx: &CallContext,
        request: DescribeVpnPbrRouteEntriesRequest,
    ) -> Result<DescribeVpnPbrRouteEntriesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_pbr_route_entries(m, request))
    }

    async fn modify_vpn_route_entry_weight(
        &self,
        cx: &CallContext,
        request: ModifyVpnRouteEntryWeightRequest,
    ) -> Result<ModifyVpnRouteEntryWeightOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_vpn_route_entry_weight(m, request))
    }

    async fn modify_vpn_pbr_route_entry_weight(
        &self,
        cx: &CallContext,
        request: ModifyVpnPbrRouteEntryWeightRequest,
    ) -> Result<ModifyVpnPbrRouteEntryWeightOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_vpn_pbr_route_entry_weight(m, request)
        })
    }

    async fn delete_vpn_route_entry(
        &self,
        cx: &CallContext,
        request: DeleteVpnRouteEntryRequest,
    ) -> Result<DeleteVpnRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vpn_route_entry(m, request))
    }

    async fn delete_vpn_pbr_route_entry(
        &self,
        cx: &CallContext,
        request: DeleteVpnPbrRouteEntryRequest,
    ) -> Result<DeleteVpnPbrRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vpn_pbr_route_entry(m, request))
    }

    async fn describe_vco_route_entries(
        &self,
        cx: &CallContext,
        request: DescribeVcoRouteEntriesRequest,
    ) -> Result<DescribeVcoRouteEntriesOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vco_route_entries(m, request))
    }

    async fn delete_vco_route_entry(
        &self,
        cx: &CallContext,
        request: DeleteVcoRouteEntryRequest,
    ) -> Result<DeleteVcoRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vco_route_entry(m, request))
    }

    async fn modify_vpn_pbr_route_entry_priority(
        &self,
        cx: &CallContext,
        request: ModifyVpnPbrRouteEntryPriorityRequest,
    ) -> Result<ModifyVpnPbrRouteEntryPriorityOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_vpn_pbr_route_entry_priority(m, request)
        })
    }

    async fn modify_vpn_pbr_route_entry_attribute(
        &self,
        cx: &CallContext,
        request: ModifyVpnPbrRouteEntryAttributeRequest,
    ) -> Result<ModifyVpnPbrRouteEntryAttributeOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_vpn_pbr_route_entry_attribute(m, request)
        })
    }

    async fn create_vco_route_entry(
        &self,
        cx: &CallContext,
        request: CreateVcoRouteEntryRequest,
    ) -> Result<CreateVcoRouteEntryOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vco_route_entry(m, request))
    }

    async fn modify_vco_route_entry_weight(
        &self,
        cx: &CallContext,
        request: ModifyVcoRouteEntryWeightRequest,
    ) -> Result<ModifyVcoRouteEntryWeightOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_vco_route_entry_weight(m, request))
    }

    async fn create_vpn_connection(
        &self,
        cx: &CallContext,
        request: CreateVpnConnectionRequest,
    ) -> Result<CreateVpnConnectionOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vpn_connection(m, request))
    }

    async fn modify_vpn_connection_attribute(
        &self,
        cx: &CallContext,
        request: ModifyVpnConnectionAttributeRequest,
    ) -> Result<ModifyVpnConnectionAttributeOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_vpn_connection_attribute(m, request)
        })
    }

    async fn describe_vpn_connections(
        &self,
        cx: &CallContext,
        request: DescribeVpnConnectionsRequest,
    ) -> Result<DescribeVpnConnectionsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_connections(m, request))
    }

    async fn describe_vpn_connection(
        &self,
        cx: &CallContext,
        request: DescribeVpnConnectionRequest,
    ) -> Result<DescribeVpnConnectionOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_connection(m, request))
    }

    async fn download_vpn_connection_config(
        &self,
        cx: &CallContext,
        request: DownloadVpnConnectionConfigRequest,
    ) -> Result<DownloadVpnConnectionConfigOutput, ErrorResponse> {
        self.run(cx, |m| handlers::download_vpn_connection_config(m, request))
    }

    async fn delete_vpn_connection(
        &self,
        cx: &CallContext,
        request: DeleteVpnConnectionRequest,
    ) -> Result<DeleteVpnConnectionOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vpn_connection(m, request))
    }

    async fn modify_tunnel_attribute(
        &self,
        cx: &CallContext,
        request: ModifyTunnelAttributeRequest,
    ) -> Result<ModifyTunnelAttributeOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_tunnel_attribute(m, request))
    }

    async fn describe_vpn_connection_logs(
        &self,
        cx: &CallContext,
        request: DescribeVpnConnectionLogsRequest,
    ) -> Result<DescribeVpnConnectionLogsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_connection_logs(m, request))
    }

    async fn diagnose_vpn_connections(
        &self,
        cx: &CallContext,
        request: DiagnoseVpnConnectionsRequest,
    ) -> Result<DiagnoseVpnConnectionsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::diagnose_vpn_connections(m, request))
    }

    async fn create_vpn_attachment(
        &self,
        cx: &CallContext,
        request: CreateVpnAttachmentRequest,
    ) -> Result<CreateVpnAttachmentOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_vpn_attachment(m, request))
    }

    async fn modify_vpn_attachment_attribute(
        &self,
        cx: &CallContext,
        request: ModifyVpnAttachmentAttributeRequest,
    ) -> Result<ModifyVpnAttachmentAttributeOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::modify_vpn_attachment_attribute(m, request)
        })
    }

    async fn describe_vpn_attachments(
        &self,
        cx: &CallContext,
        request: DescribeVpnAttachmentsRequest,
    ) -> Result<DescribeVpnAttachmentsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_attachments(m, request))
    }

    async fn describe_vpn_cross_account_authorizations(
        &self,
        cx: &CallContext,
        request: DescribeVpnCrossAccountAuthorizationsRequest,
    ) -> Result<DescribeVpnCrossAccountAuthorizationsOutput, ErrorResponse> {
        self.run(cx, |m| {
            handlers::describe_vpn_cross_account_authorizations(m, request)
        })
    }

    async fn delete_vpn_attachment(
        &self,
        cx: &CallContext,
        request: DeleteVpnAttachmentRequest,
    ) -> Result<DeleteVpnAttachmentOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_vpn_attachment(m, request))
    }

    async fn create_ssl_vpn_server(
        &self,
        cx: &CallContext,
        request: CreateSslVpnServerRequest,
    ) -> Result<CreateSslVpnServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_ssl_vpn_server(m, request))
    }

    async fn modify_ssl_vpn_server(
        &self,
        cx: &CallContext,
        request: ModifySslVpnServerRequest,
    ) -> Result<ModifySslVpnServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_ssl_vpn_server(m, request))
    }

    async fn describe_ssl_vpn_servers(
        &self,
        cx: &CallContext,
        request: DescribeSslVpnServersRequest,
    ) -> Result<DescribeSslVpnServersOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_ssl_vpn_servers(m, request))
    }

    async fn delete_ssl_vpn_server(
        &self,
        cx: &CallContext,
        request: DeleteSslVpnServerRequest,
    ) -> Result<DeleteSslVpnServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_ssl_vpn_server(m, request))
    }

    async fn create_ssl_vpn_client_cert(
        &self,
        cx: &CallContext,
        request: CreateSslVpnClientCertRequest,
    ) -> Result<CreateSslVpnClientCertOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_ssl_vpn_client_cert(m, request))
    }

    async fn modify_ssl_vpn_client_cert(
        &self,
        cx: &CallContext,
        request: ModifySslVpnClientCertRequest,
    ) -> Result<ModifySslVpnClientCertOutput, ErrorResponse> {
        self.run(cx, |m| handlers::modify_ssl_vpn_client_cert(m, request))
    }

    async fn describe_ssl_vpn_client_certs(
        &self,
        cx: &CallContext,
        request: DescribeSslVpnClientCertsRequest,
    ) -> Result<DescribeSslVpnClientCertsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_ssl_vpn_client_certs(m, request))
    }

    async fn describe_vpn_ssl_server_logs(
        &self,
        cx: &CallContext,
        request: DescribeVpnSslServerLogsRequest,
    ) -> Result<DescribeVpnSslServerLogsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_vpn_ssl_server_logs(m, request))
    }

    async fn delete_ssl_vpn_client_cert(
        &self,
        cx: &CallContext,
        request: DeleteSslVpnClientCertRequest,
    ) -> Result<DeleteSslVpnClientCertOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_ssl_vpn_client_cert(m, request))
    }

    async fn describe_ssl_vpn_client_cert(
        &self,
        cx: &CallContext,
        request: DescribeSslVpnClientCertRequest,
    ) -> Result<DescribeSslVpnClientCertOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_ssl_vpn_client_cert(m, request))
    }

    async fn describe_ssl_vpn_clients(
        &self,
        cx: &CallContext,
        request: DescribeSslVpnClientsRequest,
    ) -> Result<DescribeSslVpnClientsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::describe_ssl_vpn_clients(m, request))
    }

    async fn create_ipsec_server(
        &self,
        cx: &CallContext,
        request: CreateIpsecServerRequest,
    ) -> Result<CreateIpsecServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::create_ipsec_server(m, request))
    }

    async fn update_ipsec_server(
        &self,
        cx: &CallContext,
        request: UpdateIpsecServerRequest,
    ) -> Result<UpdateIpsecServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::update_ipsec_server(m, request))
    }

    async fn list_ipsec_servers(
        &self,
        cx: &CallContext,
        request: ListIpsecServersRequest,
    ) -> Result<ListIpsecServersOutput, ErrorResponse> {
        self.run(cx, |m| handlers::list_ipsec_servers(m, request))
    }

    async fn list_ipsec_server_logs(
        &self,
        cx: &CallContext,
        request: ListIpsecServerLogsRequest,
    ) -> Result<ListIpsecServerLogsOutput, ErrorResponse> {
        self.run(cx, |m| handlers::list_ipsec_server_logs(m, request))
    }

    async fn delete_ipsec_server(
        &self,
        cx: &CallContext,
        request: DeleteIpsecServerRequest,
    ) -> Result<DeleteIpsecServerOutput, ErrorResponse> {
        self.run(cx, |m| handlers::delete_ipsec_server(m, request))
    }
}
