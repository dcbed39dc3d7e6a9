//! SM certificates bound to SM-standard VPN gateways: associate, dissociate, list.
//!
//! The emulator has no certificate service: a certificate ID names an existing certificate
//! when it is 1 to 64 ASCII letters, digits and hyphens (`6bfe4218-ea1d`), and none otherwise.
//! An SM-standard gateway (created with `VpnType=NationalStandard`) holds at most one
//! signature and one encryption certificate, and a certificate serves one role only.

use super::{dry_run_passed, iso_time, token_page};
use crate::error::ApiError;
use crate::state::{CertificateAssociation, CertificateType, Cx};
use vpn_gateway::operation::{
    associate_vpn_gateway_with_certificate::AssociateVpnGatewayWithCertificateOutput,
    dissociate_vpn_gateway_with_certificate::DissociateVpnGatewayWithCertificateOutput,
    list_vpn_certificate_associations::ListVpnCertificateAssociationsOutput,
};
use vpn_gateway::server::{
    AssociateVpnGatewayWithCertificateRequest, DissociateVpnGatewayWithCertificateRequest,
    ListVpnCertificateAssociationsRequest,
};
use vpn_gateway::types::ListVpnCertificateAssociationsResponseVpnCertificateRelations as Relation;
use vpn_gateway::types::VpnGatewayStatus;
use vpn_gateway::ErrorCode;

/// Ties `NextToken`s to this listing.
const TOKEN_SALT: u64 = 0x6365_7274;

fn certificate_type(value: &str) -> Result<CertificateType, ApiError> {
    CertificateType::parse(value).ok_or_else(|| {
        ApiError::catalogue_with(
            ErrorCode::IllegalParamCertificateType,
            "The specified certificate type is invalid: use Signature or Encryption.",
        )
    })
}

fn certificate_exists(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The gateway exists and is not being configured.
fn check_gateway(cx: &mut Cx<'_>, id: &str) -> Result<(), ApiError> {
    if cx.gateway(id)?.status != VpnGatewayStatus::Active {
        return Err(ApiError::catalogue(ErrorCode::VpnGatewayConfiguring));
    }
    Ok(())
}

pub fn associate_vpn_gateway_with_certificate(
    cx: &mut Cx<'_>,
    input: AssociateVpnGatewayWithCertificateRequest,
) -> Result<AssociateVpnGatewayWithCertificateOutput, ApiError> {
    let kind = certificate_type(&input.certificate_type)?;
    let gateway_id = input.vpn_gateway_id;
    let certificate_id = input.certificate_id;
    if !cx.gateway(&gateway_id)?.national_standard {
        return Err(ApiError::catalogue(
            ErrorCode::OperationFailedNotNationalStandard,
        ));
    }
    check_gateway(cx, &gateway_id)?;
    if !certificate_exists(&certificate_id) {
        return Err(ApiError::catalogue_with(
            ErrorCode::InvalidCertificateIdNotFound,
            "The specified certificate ID does not exist.",
        ));
    }
    let associations = &cx.region.certificate_associations;
    if associations.iter().any(|a| {
        a.gateway_id == gateway_id
            && a.certificate_type == kind
            && a.certificate_id == certificate_id
    }) {
        return Err(ApiError::catalogue(
            ErrorCode::OperationFailedAssociationExist,
        ));
    }
    if let Some(other) = associations
        .iter()
        .find(|a| a.gateway_id == gateway_id && a.certificate_type == kind)
    {
        return Err(ApiError::catalogue_with(
            ErrorCode::OperationFailedAnotherAssociationExist,
            format!(
                "The VPN gateway has associated with {} as its {} certificate.",
                other.certificate_id,
                kind.as_str()
            ),
        ));
    }
    if associations
        .iter()
        .any(|a| a.certificate_id == certificate_id && a.certificate_type != kind)
    {
        return Err(ApiError::catalogue_with(
            ErrorCode::OperationFailedInvalidCertificate,
            format!(
                "The specified certificate is invalid: it is bound as a certificate of another type, not as a {} certificate.",
                kind.as_str()
            ),
        ));
    }
    if input.dry_run == Some(true) {
        return Err(dry_run_passed());
    }
    let association = CertificateAssociation {
        seq: cx.region.next_seq(),
        gateway_id: gateway_id.clone(),
        certificate_type: kind,
        certificate_id,
        time_ms: cx.now_ms,
    };
    cx.region.certificate_associations.push(association);
    cx.mark_updating(&gateway_id);
    Ok(AssociateVpnGatewayWithCertificateOutput::default())
}

pub fn dissociate_vpn_gateway_with_certificate(
    cx: &mut Cx<'_>,
    input: DissociateVpnGatewayWithCertificateRequest,
) -> Result<DissociateVpnGatewayWithCertificateOutput, ApiError> {
    let kind = certificate_type(&input.certificate_type)?;
    let gateway_id = input.vpn_gateway_id;
    check_gateway(cx, &gateway_id)?;
    let index = cx
        .region
        .certificate_associations
        .iter()
        .position(|a| {
            a.gateway_id == gateway_id
                && a.certificate_type == kind
                && a.certificate_id == input.certificate_id
        })
        .ok_or_else(|| ApiError::catalogue(ErrorCode::InvalidAssociateRelationNotFound))?;
    if input.dry_run == Some(true) {
        return Err(dry_run_passed());
    }
    cx.region.certificate_associations.remove(index);
    cx.mark_updating(&gateway_id);
    Ok(DissociateVpnGatewayWithCertificateOutput::default())
}

pub fn list_vpn_certificate_associations(
    cx: &mut Cx<'_>,
    input: ListVpnCertificateAssociationsRequest,
) -> Result<ListVpnCertificateAssociationsOutput, ApiError> {
    let max_results = input.max_results.unwrap_or(1);
    if !(1..=20).contains(&max_results) {
        return Err(ApiError::invalid_parameter(
            "MaxResults",
            "must be between 1 and 20",
        ));
    }
    let kind = input.certificate_type.as_deref();
    let mut rows: Vec<&CertificateAssociation> = cx
        .region
        .certificate_associations
        .iter()
        .filter(|a| kind.is_none_or(|k| k == a.certificate_type.as_str()))
        .filter(|a| input.vpn_gateway_id.is_empty() || input.vpn_gateway_id.contains(&a.gateway_id))
        .filter(|a| {
            input.certificate_id.is_empty() || input.certificate_id.contains(&a.certificate_id)
        })
        .collect();
    rows.sort_by_key(|a| a.seq);
    let total = rows.len();
    let (rows, next_token) = token_page(
        rows,
        input.next_token.as_deref(),
        usize::try_from(max_results).unwrap_or(1),
        TOKEN_SALT,
    )
    .ok_or_else(|| ApiError::catalogue(ErrorCode::IllegalParamNextToken))?;
    let mut out = ListVpnCertificateAssociationsOutput::default();
    out.vpn_certificate_relations = rows
        .into_iter()
        .map(|a| {
            let mut r = Relation::default();
            r.vpn_gateway_id = Some(a.gateway_id.clone());
            r.certificate_type = Some(a.certificate_type.as_str().to_owned());
            r.certificate_id = Some(a.certificate_id.clone());
            r.association_time = Some(iso_time(a.time_ms));
            r.region_id = Some(cx.region_id.to_owned());
            r
        })
        .collect();
    out.total_count = Some(i32::try_from(total).unwrap_or(i32::MAX));
    out.max_results = Some(max_results);
    out.next_token = next_token;
    Ok(out)
}
