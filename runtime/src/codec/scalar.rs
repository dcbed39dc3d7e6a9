//! Scalars as the service sends them.
//!
//! The service's JSON is converted from XML, where every value is text, so a scalar's JSON type
//! drifts: numbers arrive as strings (`"TotalCount":"1"`, `"CreateTime":"1495382400000"`) and
//! back, booleans as `"true"`. [`WireScalar`] reads each scalar from any representation that
//! means the same value, and refuses (with a message that never repeats the value, which may be
//! secret) anything that does not.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A scalar the generated types hold: `String`, `bool`, `i32`, `i64` or `f64`.
pub trait WireScalar: Sized {
    /// What the value must look like, for error messages.
    const EXPECTED: &'static str;

    /// Reads the value from whatever JSON type carries it.
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// True for a value that, in an optional field, means "absent": an empty XML element becomes
    /// `""`, which is no number and no boolean.
    fn empty_means_absent() -> bool {
        true
    }
}

/// The value was of the right kind but could not be represented (an integer too large).
fn out_of_range<E: de::Error>(expected: &'static str) -> E {
    E::custom(format_args!("number out of range for {expected}"))
}

/// Below 2^52 in magnitude an `f64` is precise to half a unit, so an integral `f64` read from
/// an integral number is that number. From there on it may not be: beyond 2^53 the number
/// written may have been rounded to a neighbour (2^53 + 1 reads as 2^53), and serde_json's
/// fast float parsing may be a unit off from 2^52 (`9007199254740991.0` reads as
/// `9007199254740990`). Such a number is refused rather than read as different digits.
const EXACT_F64_INTEGER: f64 = 4_503_599_627_370_496.0;

/// A JSON number with a fraction or exponent (`5.0`, `1e3`) read as an integer: exact only
/// when it is integral and below [`EXACT_F64_INTEGER`].
fn integral<E: de::Error>(v: f64, expected: &'static str) -> Result<i64, E> {
    if v.fract() != 0.0 || !v.is_finite() {
        return Err(wrong_kind(Unexpected::Float(v), expected));
    }
    if v.abs() >= EXACT_F64_INTEGER {
        return Err(E::custom(format_args!(
            "a number too large to be read exactly as {expected}"
        )));
    }
    Ok(v as i64)
}

/// The value had the wrong kind. `what` describes it without repeating it.
fn wrong_kind<E: de::Error>(what: Unexpected<'_>, expected: &'static str) -> E {
    let what = match what {
        Unexpected::Str(_) => Unexpected::Other("a string"),
        Unexpected::Char(_) => Unexpected::Other("a character"),
        Unexpected::Bytes(_) => Unexpected::Other("bytes"),
        Unexpected::Signed(_) | Unexpected::Unsigned(_) => Unexpected::Other("an integer"),
        Unexpected::Float(_) => Unexpected::Other("a number"),
        other => other,
    };
    E::invalid_type(what, &expected)
}

struct ScalarVisitor<T>(PhantomData<T>);

macro_rules! integer_scalar {
    ($ty:ty, $expected:literal) => {
        impl WireScalar for $ty {
            const EXPECTED: &'static str = $expected;

            fn deserialize_wire<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_any(ScalarVisitor::<$ty>(PhantomData))
            }
        }

        impl<'de> Visitor<'de> for ScalarVisitor<$ty> {
            type Value = $ty;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expected)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| out_of_range($expected))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| out_of_range($expected))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                // `5.0` is the integer 5 (XML-to-JSON conversion sometimes emits it); `5.5` is
                // not, and neither is a number whose digits rounding may have changed.
                self.visit_i64(integral(v, $expected)?)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                // The same numbers as text, read by the same rules as unquoted ones.
                let text = v.trim();
                if let Ok(n) = text.parse::<i64>() {
                    return self.visit_i64(n);
                }
                if let Ok(n) = text.parse::<u64>() {
                    return self.visit_u64(n);
                }
                match text.parse::<f64>() {
                    Ok(n) if n.is_finite() && looks_numeric(text) => self.visit_f64(n),
                    _ => Err(E::custom(concat!("a string that is not ", $expected))),
                }
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<$ty, E> {
                Err(wrong_kind(Unexpected::Bool(v), $expected))
            }
        }
    };
}

/// True for text written as a JSON number would be (`5.0`, `-1e3`), which excludes what Rust's
/// float parser also takes (`inf`, `NaN`, `infinity`).
fn looks_numeric(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
}

integer_scalar!(i32, "a 32-bit integer");
integer_scalar!(i64, "a 64-bit integer");

impl WireScalar for f64 {
    const EXPECTED: &'static str = "a number";

    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<f64>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<f64> {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(f64::EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::custom("a string that is not a number")),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Err(wrong_kind(Unexpected::Bool(v), f64::EXPECTED))
    }
}

impl WireScalar for bool {
    const EXPECTED: &'static str = "a boolean";

    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<bool>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<bool> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(bool::EXPECTED)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        // The service reads and writes booleans case-insensitively (`true`, `True`, `TRUE`), and
        // XML text may carry them as `1`/`0`.
        let text = v.trim();
        if text.eq_ignore_ascii_case("true") || text == "1" {
            Ok(true)
        } else if text.eq_ignore_ascii_case("false") || text == "0" {
            Ok(false)
        } else {
            Err(E::custom("a string that is not a boolean"))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(wrong_kind(Unexpected::Signed(v), bool::EXPECTED)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(wrong_kind(Unexpected::Unsigned(v), bool::EXPECTED)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        Err(wrong_kind(Unexpected::Float(v), bool::EXPECTED))
    }
}

impl WireScalar for String {
    const EXPECTED: &'static str = "a string";

    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<String>(PhantomData))
    }

    fn empty_means_absent() -> bool {
        false
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<String> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(String::EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    // A text field the service sent as a number or boolean keeps its JSON spelling.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // An integer beyond `u64` (a long numeric ID) arrives here rounded to 17 digits:
        // refusing it names the field, where keeping the rounded digits would be wrong data.
        if v.abs() >= EXACT_F64_INTEGER {
            return Err(E::custom(
                "a number too large to be kept exactly as a string",
            ));
        }
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// A scalar that must be present and readable.
pub fn scalar<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: WireScalar,
{
    T::deserialize_wire(deserializer)
}

/// A text that must be present and not empty: an empty XML element (`""`) carries no value, and
/// a response whose required identifier is empty is as incomplete as one without it.
pub fn required_text<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize_wire(deserializer)?;
    if text.trim().is_empty() {
        return Err(de::Error::custom("empty where a value is required"));
    }
    Ok(text)
}

/// An optional scalar: `null` is absent, and so is `""` for anything but a string.
pub fn optional_scalar<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireScalar,
{
    deserializer.deserialize_any(OptionalVisitor::<T>(PhantomData))
}

struct OptionalVisitor<T>(PhantomData<T>);

impl<'de, T: WireScalar> Visitor<'de> for OptionalVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} or null", T::EXPECTED)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        optional_scalar(deserializer)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() && T::empty_means_absent() {
            return Ok(None);
        }
        T::deserialize_wire(de::value::StrDeserializer::<E>::new(v)).map(Some)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Option<T>, E> {
        if v.trim().is_empty() && T::empty_means_absent() {
            return Ok(None);
        }
        T::deserialize_wire(de::value::StringDeserializer::<E>::new(v)).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        T::deserialize_wire(de::value::I64Deserializer::<E>::new(v)).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        T::deserialize_wire(de::value::U64Deserializer::<E>::new(v)).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        T::deserialize_wire(de::value::F64Deserializer::<E>::new(v)).map(Some)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        T::deserialize_wire(de::value::BoolDeserializer::<E>::new(v)).map(Some)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Option<T>, A::Error> {
        Err(wrong_kind(Unexpected::Seq, T::EXPECTED))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Option<T>, A::Error> {
        Err(wrong_kind(Unexpected::Map, T::EXPECTED))
    }
}

/// A list item or field value read through [`WireScalar`]; lets the list decoders treat
/// scalar items like any other `Deserialize` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire<T>(pub T);

impl<'de, T: WireScalar> serde::Deserialize<'de> for Wire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_wire(deserializer).map(Wire)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    fn read<T: WireScalar>(json: &str) -> Result<T, String> {
        scalar(&mut serde_json::Deserializer::from_str(json)).map_err(|e| e.to_string())
    }

    fn read_opt<T: WireScalar>(json: &str) -> Result<Option<T>, String> {
        optional_scalar(&mut serde_json::Deserializer::from_str(json)).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_from_numbers_numeric_strings_and_integral_floats() {
        assert_eq!(read::<i32>("1"), Ok(1));
        assert_eq!(read::<i32>("\"1\""), Ok(1));
        assert_eq!(read::<i32>("\" -7 \""), Ok(-7));
        assert_eq!(read::<i64>("\"1495382400000\""), Ok(1_495_382_400_000));
        assert_eq!(read::<i64>("1495382400000"), Ok(1_495_382_400_000));
        assert_eq!(read::<i64>("5.0"), Ok(5));
        assert!(read::<i32>("5.5").is_err());
        assert!(read::<i32>("\"x\"").is_err());
        assert!(read::<i32>("true").is_err());
        assert!(read::<i32>("{}").is_err());
        // The same numbers as text follow the same rules.
        assert_eq!(read::<i32>("\"5.0\""), Ok(5));
        assert_eq!(read::<i32>("\" 1e3 \""), Ok(1000));
        assert_eq!(read::<i64>("\"-2.0E2\""), Ok(-200));
        assert!(read::<i32>("\"5.5\"").is_err());
        assert!(read::<i32>("\"inf\"").is_err());
        assert!(read::<i32>("\"NaN\"").is_err());
        // A float beyond 2^53 may have been rounded: refused, never a nearby or saturated
        // value (`9.223372036854775807e18` would otherwise become `i64::MAX`).
        assert!(read::<i64>("9.223372036854775807e18").is_err());
        assert!(read::<i64>("9007199254740993.0").is_err());
        assert!(read::<i64>("\"9007199254740993.0\"").is_err());
        assert!(read::<i64>("9007199254740991.0").is_err());
        assert!(read::<i64>("4503599627370496.0").is_err());
        assert_eq!(read::<i64>("4503599627370495.0"), Ok(4_503_599_627_370_495));
        assert_eq!(read::<i64>("1495382400000.0"), Ok(1_495_382_400_000));
        assert_eq!(read::<i64>("9007199254740993"), Ok(9_007_199_254_740_993));
        assert!(read::<i32>("-1e300").is_err());
        // Too large for the type: an error, never a wrapped or truncated value.
        assert!(read::<i32>("\"1495382400000\"").is_err());
        assert!(read::<i32>("4294967296").is_err());
        assert!(read::<i64>("18446744073709551615").is_err());
    }

    #[test]
    fn booleans_from_any_case_and_zero_one() {
        assert_eq!(read::<bool>("true"), Ok(true));
        assert_eq!(read::<bool>("\"true\""), Ok(true));
        assert_eq!(read::<bool>("\"True\""), Ok(true));
        assert_eq!(read::<bool>("\"FALSE\""), Ok(false));
        assert_eq!(read::<bool>("1"), Ok(true));
        assert_eq!(read::<bool>("\"0\""), Ok(false));
        assert!(read::<bool>("2").is_err());
        assert!(read::<bool>("\"yes\"").is_err());
    }

    #[test]
    fn strings_from_strings_numbers_and_booleans() {
        assert_eq!(read::<String>("\"a\""), Ok("a".to_owned()));
        assert_eq!(read::<String>("12"), Ok("12".to_owned()));
        assert_eq!(read::<String>("-3"), Ok("-3".to_owned()));
        assert_eq!(read::<String>("1.5"), Ok("1.5".to_owned()));
        assert_eq!(read::<String>("false"), Ok("false".to_owned()));
        assert_eq!(
            read::<String>("18446744073709551615"),
            Ok("18446744073709551615".to_owned())
        );
        // Beyond u64 a JSON integer is parsed as a rounded float: refused, not misspelled.
        assert!(read::<String>("12345678901234567890123").is_err());
        assert!(read::<String>("[]").is_err());
        assert!(read::<String>("{}").is_err());
    }

    #[test]
    fn floats_from_numbers_and_strings() {
        assert_eq!(read::<f64>("1.5"), Ok(1.5));
        assert_eq!(read::<f64>("\"1.5\""), Ok(1.5));
        assert_eq!(read::<f64>("2"), Ok(2.0));
        assert!(read::<f64>("\"NaN\"").is_err());
    }

    #[test]
    fn required_text_is_never_empty() {
        let read = |json: &str| {
            required_text(&mut serde_json::Deserializer::from_str(json)).map_err(|e| e.to_string())
        };
        assert_eq!(read("\"vpn-1\""), Ok("vpn-1".to_owned()));
        assert_eq!(read("7"), Ok("7".to_owned()));
        for empty in ["\"\"", "\" \"", "null"] {
            assert!(read(empty).is_err(), "{empty}");
        }
    }

    #[test]
    fn optional_null_and_empty_text() {
        assert_eq!(read_opt::<i32>("null"), Ok(None));
        assert_eq!(read_opt::<i32>("\"\""), Ok(None));
        assert_eq!(read_opt::<bool>("\"\""), Ok(None));
        assert_eq!(read_opt::<String>("\"\""), Ok(Some(String::new())));
        assert_eq!(read_opt::<i32>("\"3\""), Ok(Some(3)));
        assert!(read_opt::<i32>("[1]").is_err());
    }

    #[test]
    fn errors_never_repeat_the_value() {
        for (json, secret) in [
            ("\"psk-SECRET-4242\"", "psk-SECRET-4242"),
            ("\"4242psk\"", "4242psk"),
        ] {
            let e = read::<i64>(json).unwrap_err();
            assert!(!e.contains(secret), "{e}");
            let e = read::<bool>(json).unwrap_err();
            assert!(!e.contains(secret), "{e}");
        }
    }
}
