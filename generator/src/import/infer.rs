//! Facts the metadata does not state but that follow reliably from it, inferred from an
//! [`ImportedOperation`] alone (so tests can run the rules on the checked-in imported files and
//! compare them with the curated spec).
//!
//! - **Sensitive**: a text field whose name is a secret's, by the rule of [`is_sensitive`].
//! - **Idempotency token**: a top-level `ClientToken` text parameter.
//! - **Pagination**, with `items` the one list (or wrapped list) among the top-level response
//!   fields; when there are several, the one named after the action (`VpnRouteEntries` for
//!   `DescribeVpnRouteEntries`, which also returns `VpnRouteCounts`); otherwise nothing is
//!   inferred:
//!   - `page_number`: integer `PageNumber` and `PageSize` parameters and an integer
//!     `TotalCount` response field (`Count` when there is no `TotalCount`, as in
//!     DescribeVpnSslServerLogs);
//!   - `next_token`: a text `NextToken` and an integer `MaxResults` parameter and a text
//!     `NextToken` response field.
//!
//!   When both styles match, nothing is inferred.

use crate::imported::{ImportedField, ImportedKind, ImportedOperation, Inferred};
use crate::model::PaginationSpec;

/// Name endings (UpperCamelCase words) that mark secret material: IPsec pre-shared keys
/// (`Psk`, `TunnelIkeConfig.Psk`), BGP authentication keys (`AuthKey`), passwords, secrets,
/// private keys (the SSL-VPN `ClientKey` is the client's private key) and STS tokens.
/// Public material with similar names is not secret: certificates (`CaCert`, `ClientCert`),
/// tag keys (`TagKey`, `Key`), certificate IDs, `ClientToken`, `NextToken`.
pub const SECRET_ENDINGS: &[&str] = &[
    "Psk",
    "AuthKey",
    "Password",
    "Passwd",
    "Secret",
    "PrivateKey",
    "ClientKey",
    "SecurityToken",
];

/// Whether a field named `name` of kind `kind` holds a secret: it is text, and its name ends
/// with one of [`SECRET_ENDINGS`] (case-sensitively, as a CamelCase word) or is one of them in
/// any case (`psk`, `PASSWORD`).
pub fn is_sensitive(name: &str, kind: ImportedKind) -> bool {
    kind == ImportedKind::String
        && SECRET_ENDINGS
            .iter()
            .any(|end| name.ends_with(end) || name.eq_ignore_ascii_case(end))
}

/// Applies every rule to `op`: marks sensitive fields at any depth and sets `op.inferred`.
pub fn apply(op: &mut ImportedOperation) {
    for field in op.parameters.iter_mut().chain(op.response.iter_mut()) {
        mark_sensitive(field);
    }
    op.inferred = Inferred {
        idempotency_token: idempotency_token(op),
        pagination: pagination(op),
    };
}

fn mark_sensitive(field: &mut ImportedField) {
    if let Some(name) = &field.name {
        field.sensitive = is_sensitive(name, field.ty);
    }
    if let Some(item) = field.item.as_deref_mut() {
        mark_sensitive(item);
    }
    for f in &mut field.fields {
        mark_sensitive(f);
    }
}

/// `ClientToken` when the operation has a top-level text parameter of that name.
pub fn idempotency_token(op: &ImportedOperation) -> Option<String> {
    find(&op.parameters, "ClientToken", TEXT).map(|_| "ClientToken".to_owned())
}

/// Verbs of listing actions; what follows names the listed items (`DescribeVpnRouteEntries`
/// lists `VpnRouteEntries`).
const LISTING_VERBS: &[&str] = &["Describe", "List", "Get", "Query"];

const TEXT: &[ImportedKind] = &[ImportedKind::String];
const INTEGER: &[ImportedKind] = &[ImportedKind::Integer, ImportedKind::Long];

fn find<'a>(
    fields: &'a [ImportedField],
    name: &str,
    kinds: &[ImportedKind],
) -> Option<&'a ImportedField> {
    fields
        .iter()
        .find(|f| f.name.as_deref() == Some(name) && kinds.contains(&f.ty))
}

/// The operation's pagination style, by the rules in the module documentation.
pub fn pagination(op: &ImportedOperation) -> Option<PaginationSpec> {
    let lists: Vec<&ImportedField> = op
        .response
        .iter()
        .filter(|f| matches!(f.ty, ImportedKind::List | ImportedKind::WrappedList))
        .collect();
    let items = match lists.as_slice() {
        [only] => only.name.clone()?,
        [] => return None,
        several => {
            let noun = LISTING_VERBS
                .iter()
                .find_map(|verb| op.action.strip_prefix(verb))?;
            several
                .iter()
                .find_map(|f| f.name.as_deref().filter(|n| *n == noun))?
                .to_owned()
        }
    };
    let (params, response) = (&op.parameters, &op.response);
    let page_number = find(params, "PageNumber", INTEGER)
        .and(find(params, "PageSize", INTEGER))
        .and(find(response, "TotalCount", INTEGER).or_else(|| find(response, "Count", INTEGER)))
        .and_then(|total| total.name.clone());
    let next_token = find(params, "NextToken", TEXT)
        .and(find(params, "MaxResults", INTEGER))
        .and(find(response, "NextToken", TEXT))
        .is_some();
    match (page_number, next_token) {
        (Some(total_count), false) => Some(PaginationSpec::PageNumber {
            page_number: "PageNumber".into(),
            page_size: "PageSize".into(),
            total_count,
            items,
        }),
        (None, true) => Some(PaginationSpec::NextToken {
            next_token: "NextToken".into(),
            max_results: "MaxResults".into(),
            next_token_out: "NextToken".into(),
            items,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_sensitive;
    use crate::imported::ImportedKind::{Boolean, List, String};

    #[test]
    fn secret_names() {
        for name in [
            "Psk",
            "psk",
            "AuthKey",
            "BgpAuthKey",
            "ClientKey",
            "Password",
        ] {
            assert!(is_sensitive(name, String), "{name}");
        }
        for name in [
            "Key",
            "TagKey",
            "CaCert",
            "ClientCert",
            "ClientToken",
            "NextToken",
        ] {
            assert!(!is_sensitive(name, String), "{name}");
        }
        for name in ["SslVpnClientCertKey", "RemoteCaCertificate", "IkeAuthAlg"] {
            assert!(!is_sensitive(name, String), "{name}");
        }
        assert!(!is_sensitive("PskEnabled", Boolean));
        assert!(!is_sensitive("Psk", List));
    }
}
