//! Customer gateways: create, describe, list, modify, delete.

use super::tags::tag_views;
use super::tags::{
    check_new_tags, check_tag_filters, has_tags, store_tags_as, CUSTOMER_GATEWAY_TAG_TYPE,
};
use crate::error::ApiError;
use crate::state::{page, CustomerGateway as Record, Cx};
use vpn_gateway::operation::{
    create_customer_gateway::CreateCustomerGatewayOutput,
    delete_customer_gateway::DeleteCustomerGatewayOutput,
    describe_customer_gateway::DescribeCustomerGatewayOutput,
    describe_customer_gateways::DescribeCustomerGatewaysOutput,
    modify_customer_gateway_attribute::ModifyCustomerGatewayAttributeOutput,
};
use vpn_gateway::server::{
    CreateCustomerGatewayRequest, DeleteCustomerGatewayRequest, DescribeCustomerGatewayRequest,
    DescribeCustomerGatewaysRequest, ModifyCustomerGatewayAttributeRequest,
};
use vpn_gateway::types::{CustomerGateway, CustomerGatewayTags};
use vpn_gateway::ErrorCode;

fn view(cx: &Cx<'_>, c: &Record) -> CustomerGateway {
    let mut v = CustomerGateway::default();
    v.tags = tag_views!(cx, &c.id, CustomerGatewayTags);
    v.customer_gateway_id = Some(c.id.clone());
    v.name = c.name.clone();
    v.description = c.description.clone();
    v.ip_address = Some(c.ip_address.clone());
    v.create_time = Some(c.create_time);
    v.resource_group_id = c.resource_group_id.clone();
    v
}

fn find<'a>(cx: &'a mut Cx<'_>, id: &str) -> Result<&'a mut Record, ApiError> {
    cx.region
        .customer_gateways
        .get_mut(id)
        .ok_or_else(ApiError::customer_gateway_not_found)
}

pub fn create_customer_gateway(
    cx: &mut Cx<'_>,
    input: CreateCustomerGatewayRequest,
) -> Result<CreateCustomerGatewayOutput, ApiError> {
    let ip_address = input.ip_address;
    let ip: std::net::Ipv4Addr = ip_address
        .parse()
        .map_err(|_| ApiError::catalogue(ErrorCode::InvalidIpAddressWrongFormat))?;
    if ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() {
        return Err(ApiError::catalogue_with(
            ErrorCode::InvalidIpAddressWrongFormat,
            format!("Specified IpAddress is invalid: {ip_address} is not a unicast IPv4 address."),
        ));
    }
    if cx
        .region
        .customer_gateways
        .values()
        .any(|c| c.ip_address == ip_address)
    {
        return Err(ApiError::catalogue(ErrorCode::InvalidIpAddressAlreadyExist));
    }
    let tags = check_new_tags(&input.tags)?;
    if cx.region.customer_gateways.len() >= cx.quotas.customer_gateways {
        return Err(ApiError::quota_full());
    }
    let id = cx.new_id("cgw");
    let record = Record {
        id: id.clone(),
        seq: cx.region.next_seq(),
        ip_address,
        name: input.name,
        description: input.description,
        asn: input.asn,
        create_time: cx.now_ms,
        resource_group_id: input.resource_group_id,
    };
    let mut out = CreateCustomerGatewayOutput::default();
    out.customer_gateway_id = id.clone();
    out.ip_address = Some(record.ip_address.clone());
    out.name = record.name.clone();
    out.description = record.description.clone();
    out.create_time = Some(record.create_time);
    cx.region.customer_gateways.insert(id.clone(), record);
    store_tags_as(cx, &id, CUSTOMER_GATEWAY_TAG_TYPE, tags);
    Ok(out)
}

pub fn describe_customer_gateway(
    cx: &mut Cx<'_>,
    input: DescribeCustomerGatewayRequest,
) -> Result<DescribeCustomerGatewayOutput, ApiError> {
    let record = find(cx, &input.customer_gateway_id)?.clone();
    let c = view(cx, &record);
    let mut out = DescribeCustomerGatewayOutput::default();
    out.customer_gateway_id = c.customer_gateway_id;
    out.name = c.name;
    out.description = c.description;
    out.ip_address = c.ip_address;
    out.create_time = c.create_time;
    out.resource_group_id = c.resource_group_id;
    Ok(out)
}

pub fn describe_customer_gateways(
    cx: &mut Cx<'_>,
    input: DescribeCustomerGatewaysRequest,
) -> Result<DescribeCustomerGatewaysOutput, ApiError> {
    let wanted = check_tag_filters(
        input
            .tag
            .iter()
            .map(|t| (t.key.as_deref(), t.value.as_deref())),
    )?;
    let mut all: Vec<&Record> = cx
        .region
        .customer_gateways
        .values()
        .filter(|c| {
            input
                .customer_gateway_id
                .as_ref()
                .is_none_or(|id| *id == c.id)
        })
        .filter(|c| {
            input.resource_group_id.is_none() || input.resource_group_id == c.resource_group_id
        })
        .filter(|c| has_tags(cx, &c.id, &wanted))
        .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.seq));
    let page = page(all, input.page_number, input.page_size);
    let mut out = DescribeCustomerGatewaysOutput::default();
    out.customer_gateways = page.items.into_iter().map(|c| view(cx, c)).collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn modify_customer_gateway_attribute(
    cx: &mut Cx<'_>,
    input: ModifyCustomerGatewayAttributeRequest,
) -> Result<ModifyCustomerGatewayAttributeOutput, ApiError> {
    let c = find(cx, &input.customer_gateway_id)?;
    if let Some(name) = input.name {
        c.name = Some(name);
    }
    if let Some(description) = input.description {
        c.description = Some(description);
    }
    let record = c.clone();
    let v = view(cx, &record);
    let mut out = ModifyCustomerGatewayAttributeOutput::default();
    out.customer_gateway_id = v.customer_gateway_id;
    out.name = v.name;
    out.description = v.description;
    out.ip_address = v.ip_address;
    out.create_time = v.create_time;
    Ok(out)
}

pub fn delete_customer_gateway(
    cx: &mut Cx<'_>,
    input: DeleteCustomerGatewayRequest,
) -> Result<DeleteCustomerGatewayOutput, ApiError> {
    let id = find(cx, &input.customer_gateway_id)?.id.clone();
    if cx
        .region
        .connections
        .values()
        .any(|c| c.uses_customer_gateway(&id))
    {
        return Err(ApiError::new(
            400,
            "DependencyViolation.VpnConnection",
            "The customer gateway is used by an IPsec-VPN connection; delete the connection first.",
        ));
    }
    cx.region.customer_gateways.remove(&id);
    cx.region.tags.remove(&id);
    Ok(DeleteCustomerGatewayOutput::default())
}
