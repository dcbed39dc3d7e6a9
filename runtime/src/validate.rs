//! Client-side checks of documented parameter constraints; each returns a
//! [`ValidationError`] naming the parameter and the rule.

use crate::error::{ValidationError, ValidationErrorKind as Kind};

/// Textual formats the spec can require of a string parameter. Defined once, in
/// `vpn-gateway-formats`, so the generator holds the spec's own examples to the same rules.
pub use vpn_gateway_formats::Format;

/// A required parameter must be set.
pub fn required(param: &str, present: bool) -> Result<(), ValidationError> {
    if present {
        Ok(())
    } else {
        Err(missing(param))
    }
}

/// The value of a required parameter, or the error that it is missing: how a server turns an
/// input whose fields are all optional into a request whose required fields are plain values.
pub fn present<T>(param: &str, value: Option<T>) -> Result<T, ValidationError> {
    value.ok_or_else(|| missing(param))
}

fn missing(param: &str) -> ValidationError {
    ValidationError::new(Kind::Missing, param, "is required")
}

/// Length in characters (not bytes) within `[min, max]`.
pub fn length(
    param: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    let len = value.chars().count();
    let too_short = min.is_some_and(|min| len < min);
    let too_long = max.is_some_and(|max| len > max);
    if !too_short && !too_long {
        return Ok(());
    }
    let rule = match (min, max) {
        (Some(min), Some(max)) => format!("must be {min} to {max} characters long (got {len})"),
        (Some(min), None) => format!("must be at least {min} characters long (got {len})"),
        (None, Some(max)) => format!("must be at most {max} characters long (got {len})"),
        (None, None) => unreachable!("no bound, so no violation"),
    };
    Err(ValidationError::new(Kind::Length, param, rule))
}

/// A number within `[min, max]`.
pub fn range(
    param: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), ValidationError> {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if !below && !above {
        return Ok(());
    }
    let rule = match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max} (got {value})"),
        (Some(min), None) => format!("must be at least {min} (got {value})"),
        (None, Some(max)) => format!("must be at most {max} (got {value})"),
        (None, None) => unreachable!("no bound, so no violation"),
    };
    Err(ValidationError::new(Kind::Range, param, rule))
}

/// The value must not start with any of `prefixes` (e.g. `http://`, `https://`).
pub fn forbidden_prefix(
    param: &str,
    value: &str,
    prefixes: &[&str],
) -> Result<(), ValidationError> {
    match prefixes.iter().find(|p| value.starts_with(**p)) {
        Some(prefix) => Err(ValidationError::new(
            Kind::Forbidden,
            param,
            format!("must not start with `{prefix}`"),
        )),
        None => Ok(()),
    }
}

/// The value must not be any of `values`.
pub fn forbidden_value(param: &str, value: &str, values: &[&str]) -> Result<(), ValidationError> {
    if values.contains(&value) {
        Err(ValidationError::new(
            Kind::Forbidden,
            param,
            format!("must not be `{value}`"),
        ))
    } else {
        Ok(())
    }
}

/// A list with between `min` and `max` items.
pub fn items(
    param: &str,
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        let rule = match (min, max) {
            (Some(min), Some(max)) => format!("must have {min} to {max} items (got {len})"),
            (Some(min), None) => format!("must have at least {min} items (got {len})"),
            (None, Some(max)) => format!("must have at most {max} items (got {len})"),
            (None, None) => unreachable!("no bound, so no violation"),
        };
        return Err(ValidationError::new(Kind::ItemCount, param, rule));
    }
    Ok(())
}

/// The value must have `format`.
pub fn format(param: &str, value: &str, format: Format) -> Result<(), ValidationError> {
    if format.matches(value) {
        Ok(())
    } else {
        Err(ValidationError::new(Kind::Format, param, format.rule()))
    }
}

/// A conditional rule between parameters (`Period` is required when `InstanceChargeType` is
/// `PREPAY`): fails, naming `param` and the documented rule, when `satisfied` is false.
pub fn rule(param: &str, rule: &str, satisfied: bool) -> Result<(), ValidationError> {
    if satisfied {
        Ok(())
    } else {
        Err(ValidationError::new(Kind::Rule, param, rule))
    }
}

/// A value must be one of the documented ones. Clients accept values added later (enums keep
/// an `Unknown` variant); a server checks this to reject them as the service does.
pub fn known(param: &str, known: bool) -> Result<(), ValidationError> {
    if known {
        Ok(())
    } else {
        Err(ValidationError::new(
            Kind::UnknownValue,
            param,
            "must be one of the documented values",
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn required_length_range_items() {
        assert!(required("VpcId", true).is_ok());
        assert_eq!(
            required("VpcId", false).unwrap_err().to_string(),
            "parameter `VpcId` is required"
        );
        assert!(length("Name", "网关网关", Some(2), Some(4)).is_ok());
        let err = length("Name", "a", Some(2), Some(128)).unwrap_err();
        assert_eq!(err.parameter(), "Name");
        assert!(err.rule().contains("2 to 128"));
        assert!(range("Bandwidth", 5, Some(5), Some(1000)).is_ok());
        assert!(range("Bandwidth", 1001, Some(5), Some(1000)).is_err());
        assert!(range("Period", 0, Some(1), None).is_err());
        assert!(items("ResourceId", 21, Some(1), Some(20)).is_err());
        assert!(items("ResourceId", 20, Some(1), Some(20)).is_ok());
    }

    #[test]
    fn forbidden_prefixes_and_values() {
        let prefixes = ["http://", "https://"];
        assert!(forbidden_prefix("Name", "https://x", &prefixes).is_err());
        assert!(forbidden_prefix("Name", "gw-http://", &prefixes).is_ok());
        assert!(forbidden_value("RouteDest", "0.0.0.0/0", &["0.0.0.0/0"]).is_err());
    }

    #[test]
    fn formats() {
        let ok = |v, f| format("P", v, f).is_ok();
        assert!(ok("10.0.0.1", Format::Ipv4));
        assert!(!ok("10.0.0.256", Format::Ipv4));
        assert!(!ok("10.0.0", Format::Ipv4));
        assert!(ok("10.0.0.0/8", Format::Ipv4Cidr));
        assert!(!ok("10.0.0.0/33", Format::Ipv4Cidr));
        assert!(!ok("10.0.0.0", Format::Ipv4Cidr));
        assert!(ok("10.0.0.0/8,192.168.1.0/24", Format::Ipv4CidrList));
        assert!(!ok("10.0.0.0/8,", Format::Ipv4CidrList));
        assert!(ok("vpn-gw_1.a", Format::Name));
        assert!(ok("网关-1", Format::Name));
        assert!(!ok("1gw", Format::Name));
        assert!(!ok("gw 1", Format::Name));
        assert!(ok("Gateway for 办公室", Format::Description));
        assert!(!ok("-desc", Format::Description));
        assert!(ok("2024-01-02T03:04:05Z", Format::Timestamp));
        assert!(ok("2024-01-02T03:04Z", Format::Timestamp));
        assert!(!ok("2024-13-02T03:04:05Z", Format::Timestamp));
        assert!(ok("abc!~", Format::Ascii));
        assert!(!ok("abc !~", Format::Ascii));
        assert!(!ok("中", Format::Ascii));
    }

    #[test]
    fn rules_name_the_parameter_and_the_rule() {
        assert!(rule("Period", "required when PREPAY", true).is_ok());
        let e = rule("Period", "required when PREPAY", false).unwrap_err();
        assert_eq!(e.parameter(), "Period");
        assert_eq!(e.rule(), "required when PREPAY");
    }
}
