//! Tags: TagResources, UnTagResources and ListTagResources (NextToken pagination).

use crate::error::ApiError;
use crate::state::Cx;
use std::collections::BTreeMap;
use vpn_gateway::operation::{
    list_tag_resources::ListTagResourcesOutput, tag_resources::TagResourcesOutput,
    un_tag_resources::UnTagResourcesOutput,
};
use vpn_gateway::server::{ListTagResourcesRequest, TagResourcesRequest, UnTagResourcesRequest};
use vpn_gateway::types::{Tag, TagResource, TagResourceType};
use vpn_gateway::ErrorCode;

/// Tags a resource may carry.
const MAX_TAGS: usize = 20;

/// The resource type IPsec-VPN connections' tags are kept under.
pub(crate) const CONNECTION_TAG_TYPE: &str = "VPNCONNECTION";

/// The resource type customer gateways' tags are kept under.
pub(crate) const CUSTOMER_GATEWAY_TAG_TYPE: &str = "CUSTOMERGATEWAY";

/// Whether a tag text uses a reserved prefix or embeds a link.
fn reserved(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("aliyun")
        || lower.starts_with("acs:")
        || lower.contains("http://")
        || lower.contains("https://")
}

fn check_key(key: Option<&str>) -> Result<String, ApiError> {
    match key {
        Some(key) if !key.is_empty() && key.chars().count() <= 128 && !reserved(key) => {
            Ok(key.to_owned())
        }
        _ => Err(ApiError::catalogue(ErrorCode::InvalidParameterTagKey)),
    }
}

/// The tags given to a new resource (`Tags` of a Create request), checked: at most
/// [`MAX_TAGS`], keys unique, keys and values without reserved prefixes.
pub(crate) fn check_new_tags(tags: &[Tag]) -> Result<Vec<(String, String)>, ApiError> {
    if tags.len() > MAX_TAGS {
        return Err(ApiError::catalogue_with(
            ErrorCode::SizeLimitExceededTagNum,
            format!("A resource can have at most {MAX_TAGS} tags."),
        ));
    }
    let mut checked: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let key = check_key(tag.key.as_deref())?;
        let value = tag.value.clone().unwrap_or_default();
        if value.chars().count() > 128 || reserved(&value) {
            return Err(ApiError::catalogue(ErrorCode::InvalidParameterTagValue));
        }
        if checked.iter().any(|(k, _)| *k == key) {
            return Err(ApiError::catalogue(ErrorCode::DuplicatedTagKey));
        }
        checked.push((key, value));
    }
    Ok(checked)
}

/// Tag filters of a listing, checked like new tags; a filter without a value matches any value.
pub(crate) fn check_tag_filters<'a>(
    filters: impl ExactSizeIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Result<Vec<(String, Option<String>)>, ApiError> {
    if filters.len() > MAX_TAGS {
        return Err(ApiError::catalogue_with(
            ErrorCode::SizeLimitExceededTagNum,
            format!("At most {MAX_TAGS} tag filters can be given."),
        ));
    }
    let mut checked: Vec<(String, Option<String>)> = Vec::new();
    for (key, value) in filters {
        let key = check_key(key)?;
        if checked.iter().any(|(k, _)| *k == key) {
            return Err(ApiError::catalogue(ErrorCode::DuplicatedTagKey));
        }
        checked.push((key, value.map(str::to_owned)));
    }
    Ok(checked)
}

/// Attaches checked tags to connection `id`.
pub(crate) fn store_tags(cx: &mut Cx<'_>, id: &str, tags: Vec<(String, String)>) {
    store_tags_as(cx, id, CONNECTION_TAG_TYPE, tags);
}

/// Attaches checked tags to resource `id` of the resource type `kind`.
pub(crate) fn store_tags_as(cx: &mut Cx<'_>, id: &str, kind: &str, tags: Vec<(String, String)>) {
    if tags.is_empty() {
        return;
    }
    cx.region
        .tags
        .insert(id.to_owned(), (kind.to_owned(), tags.into_iter().collect()));
}

/// Whether resource `id` carries every tag of `wanted` (a filter without a value matches any).
pub(crate) fn has_tags(cx: &Cx<'_>, id: &str, wanted: &[(String, Option<String>)]) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let tags = tags_of(cx, id);
    wanted.iter().all(|(k, v)| {
        tags.iter()
            .any(|(key, value)| key == k && v.as_ref().is_none_or(|v| v == value))
    })
}

/// The tags of resource `id` as a response's generated tag type (each has `key` and `value`),
/// sorted by key.
macro_rules! tag_views {
    ($cx:expr, $id:expr, $ty:ty) => {
        $crate::handlers::tags::tags_of($cx, $id)
            .into_iter()
            .map(|(key, value)| {
                let mut t = <$ty>::default();
                t.key = Some(key);
                t.value = Some(value);
                t
            })
            .collect()
    };
}
pub(crate) use tag_views;

/// The tags of resource `id`, sorted by key.
pub(crate) fn tags_of(cx: &Cx<'_>, id: &str) -> Vec<(String, String)> {
    cx.region
        .tags
        .get(id)
        .map(|(_, tags)| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Checks that every resource exists (gateways) or is a well-formed ID (resources of other
/// APIs, which the emulator does not model).
fn check_resources(cx: &Cx<'_>, kind: &TagResourceType, ids: &[String]) -> Result<(), ApiError> {
    let prefix = match kind {
        TagResourceType::Vpc => "vpc-",
        TagResourceType::Vswitch => "vsw-",
        TagResourceType::Routetable => "vtb-",
        TagResourceType::Eip => "eip-",
        _ => "vpn-",
    };
    for id in ids {
        let known = match kind {
            TagResourceType::VpnGateway => cx.region.gateways.contains_key(id),
            _ => id.len() > prefix.len() && id.starts_with(prefix),
        };
        if !known {
            return Err(ApiError::not_found("resource", "ResourceId", id));
        }
    }
    Ok(())
}

pub fn tag_resources(
    cx: &mut Cx<'_>,
    input: TagResourcesRequest,
) -> Result<TagResourcesOutput, ApiError> {
    let kind = input.resource_type;
    check_resources(cx, &kind, &input.resource_id)?;
    let tags: Vec<(String, String)> = input
        .tag
        .into_iter()
        .filter_map(|t| t.key.map(|k| (k, t.value.unwrap_or_default())))
        .collect();
    for id in &input.resource_id {
        let existing = cx
            .region
            .tags
            .get(id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let mut merged = existing;
        merged.extend(tags.iter().cloned());
        if merged.len() > MAX_TAGS {
            return Err(ApiError::new(
                400,
                "QuotaExceed.TagNum",
                format!("A resource can have at most {MAX_TAGS} tags."),
            ));
        }
    }
    for id in input.resource_id {
        let entry = cx
            .region
            .tags
            .entry(id)
            .or_insert_with(|| (kind.as_str().to_owned(), BTreeMap::new()));
        entry.1.extend(tags.iter().cloned());
    }
    Ok(TagResourcesOutput::default())
}

pub fn un_tag_resources(
    cx: &mut Cx<'_>,
    input: UnTagResourcesRequest,
) -> Result<UnTagResourcesOutput, ApiError> {
    let kind = input.resource_type;
    check_resources(cx, &kind, &input.resource_id)?;
    for id in &input.resource_id {
        if let Some((_, tags)) = cx.region.tags.get_mut(id) {
            for key in &input.tag_key {
                tags.remove(key);
            }
            if tags.is_empty() {
                cx.region.tags.remove(id);
            }
        }
    }
    Ok(UnTagResourcesOutput::default())
}

/// The opaque token for "continue at `offset`".
fn next_token(offset: usize) -> String {
    let offset = offset as u64;
    format!(
        "{offset:016x}{:016x}",
        crate::ids::mix(offset ^ 0x7461_6773)
    )
}

fn token_offset(token: &str) -> Option<usize> {
    if token.len() != 32 {
        return None;
    }
    let offset = u64::from_str_radix(token.get(..16)?, 16).ok()?;
    let check = u64::from_str_radix(token.get(16..)?, 16).ok()?;
    (check == crate::ids::mix(offset ^ 0x7461_6773)).then(|| usize::try_from(offset).ok())?
}

pub fn list_tag_resources(
    cx: &mut Cx<'_>,
    input: ListTagResourcesRequest,
) -> Result<ListTagResourcesOutput, ApiError> {
    let kind = input.resource_type;
    let wanted: Vec<(String, Option<String>)> = input
        .tag
        .iter()
        .filter_map(|t| t.key.clone().map(|k| (k, t.value.clone())))
        .collect();
    let mut rows = Vec::new();
    for (id, (resource_type, tags)) in &cx.region.tags {
        if resource_type != kind.as_str() {
            continue;
        }
        if !input.resource_id.is_empty() && !input.resource_id.contains(id) {
            continue;
        }
        let matches = wanted.iter().all(|(k, v)| {
            tags.get(k)
                .is_some_and(|value| v.as_ref().is_none_or(|v| v == value))
        });
        if !matches {
            continue;
        }
        for (key, value) in tags {
            let mut row = TagResource::default();
            row.resource_id = Some(id.clone());
            row.resource_type = Some(kind.clone());
            row.tag_key = Some(key.clone());
            row.tag_value = Some(value.clone());
            rows.push(row);
        }
    }
    let start = match input.next_token.as_deref() {
        None | Some("") => 0,
        Some(token) => token_offset(token).ok_or_else(|| {
            ApiError::new(
                400,
                "InvalidNextToken",
                "The specified NextToken is invalid.",
            )
        })?,
    };
    let max = usize::try_from(input.max_results.unwrap_or(50)).unwrap_or(50);
    let end = start.saturating_add(max).min(rows.len());
    let mut out = ListTagResourcesOutput::default();
    out.next_token = Some(if end < rows.len() {
        next_token(end)
    } else {
        String::new()
    });
    out.tag_resources = rows
        .get(start.min(rows.len())..end)
        .unwrap_or_default()
        .to_vec();
    Ok(out)
}
