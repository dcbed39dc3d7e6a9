//! The textual value formats a spec field can require (`constraints.format`), defined once.
//!
//! The SDK runtime checks parameters against these before sending, and the generator holds
//! the spec's own examples and defaults to the same definitions, so a value the spec documents
//! is always one the SDK accepts and the other way round. The crate has no dependencies so
//! both can use it without weight.

/// Textual formats the spec can require of a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// A dotted-quad IPv4 address, e.g. `10.0.0.1`.
    Ipv4,
    /// An IPv4 CIDR block, e.g. `10.0.0.0/8`: an address, `/`, and a prefix length of one or two
    /// digits from 0 to 32.
    Ipv4Cidr,
    /// Comma-separated IPv4 CIDR blocks; spaces around each block are ignored.
    Ipv4CidrList,
    /// Starts with a letter or Chinese character; then letters, Chinese characters, digits,
    /// `.`, `_` and `-`. Letters are ASCII letters: the documentation's "letters" are `a-z` and
    /// `A-Z`.
    Name,
    /// Starts with a letter or Chinese character.
    Description,
    /// `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mmZ`, UTC, with a real calendar date and time.
    Timestamp,
    /// Printable ASCII without spaces (`!` to `~`): the documented rule for pre-shared keys
    /// (no spaces) and client tokens.
    Ascii,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: &'static [Format] = &[
        Format::Ipv4,
        Format::Ipv4Cidr,
        Format::Ipv4CidrList,
        Format::Name,
        Format::Description,
        Format::Timestamp,
        Format::Ascii,
    ];

    /// The keyword that names the format in the spec (`constraints.format`).
    pub const fn keyword(self) -> &'static str {
        match self {
            Format::Ipv4 => "ipv4",
            Format::Ipv4Cidr => "ipv4_cidr",
            Format::Ipv4CidrList => "ipv4_cidr_list",
            Format::Name => "name",
            Format::Description => "description",
            Format::Timestamp => "timestamp",
            Format::Ascii => "ascii",
        }
    }

    /// The rule in words, completing "the value ...".
    pub const fn rule(self) -> &'static str {
        match self {
            Format::Ipv4 => "must be an IPv4 address such as 10.0.0.1",
            Format::Ipv4Cidr => "must be an IPv4 CIDR block such as 10.0.0.0/8",
            Format::Ipv4CidrList => {
                "must be comma-separated IPv4 CIDR blocks such as 10.0.0.0/8,192.168.0.0/16"
            }
            Format::Name => {
                "must start with a letter or Chinese character and contain only letters, \
                 Chinese characters, digits, periods (.), underscores (_) and hyphens (-)"
            }
            Format::Description => "must start with a letter or Chinese character",
            Format::Timestamp => "must be a UTC time in the form YYYY-MM-DDThh:mm:ssZ",
            Format::Ascii => "must contain only printable ASCII characters and no spaces",
        }
    }

    /// Whether `value` has this format.
    pub fn matches(self, value: &str) -> bool {
        match self {
            Format::Ipv4 => is_ipv4(value),
            Format::Ipv4Cidr => is_ipv4_cidr(value),
            Format::Ipv4CidrList => {
                !value.is_empty() && value.split(',').all(|c| is_ipv4_cidr(c.trim()))
            }
            Format::Name => is_name(value),
            Format::Description => value.chars().next().is_some_and(is_letter_or_chinese),
            Format::Timestamp => is_timestamp(value),
            Format::Ascii => value.bytes().all(|b| b.is_ascii_graphic()),
        }
    }
}

fn is_ipv4(value: &str) -> bool {
    value.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_ipv4_cidr(value: &str) -> bool {
    match value.split_once('/') {
        Some((addr, prefix)) => {
            is_ipv4(addr)
                && (1..=2).contains(&prefix.len())
                // `u8::from_str` alone would accept `+8`.
                && prefix.bytes().all(|b| b.is_ascii_digit())
                && prefix.parse::<u8>().is_ok_and(|p| p <= 32)
        }
        None => false,
    }
}

/// CJK Unified Ideographs and Extension A: what the docs mean by "Chinese characters".
fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn is_letter_or_chinese(c: char) -> bool {
    c.is_ascii_alphabetic() || is_chinese(c)
}

fn is_name(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(is_letter_or_chinese)
        && chars.all(|c| c.is_ascii_alphanumeric() || is_chinese(c) || matches!(c, '.' | '_' | '-'))
}

/// `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mmZ` with a real date (leap years included),
/// hours 00-23, minutes and seconds 00-59.
fn is_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    let seconds = match b.len() {
        20 => true,
        17 => false,
        _ => return false,
    };
    let separators_ok = b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && (!seconds || b[16] == b':')
        && b[b.len() - 1] == b'Z';
    if !separators_ok {
        return false;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = &b[from..to];
        if digits.iter().all(u8::is_ascii_digit) {
            Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) = (
        number(0, 4),
        number(5, 7),
        number(8, 10),
        number(11, 13),
        number(14, 16),
    ) else {
        return false;
    };
    let second_ok = !seconds || number(17, 19).is_some_and(|s| s < 60);
    (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second_ok
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::Format::{self, *};

    /// (format, value, accepted). Every format has members on both sides of its boundary.
    const CASES: &[(Format, &str, bool)] = &[
        (Ipv4, "10.0.0.1", true),
        (Ipv4, "0.0.0.0", true),
        (Ipv4, "255.255.255.255", true),
        (Ipv4, "10.0.0.256", false),
        (Ipv4, "10.0.0", false),
        (Ipv4, "10.0.0.1 ", false),
        (Ipv4, "+10.0.0.1", false),
        (Ipv4, "", false),
        (Ipv4Cidr, "10.0.0.0/8", true),
        (Ipv4Cidr, "0.0.0.0/0", true),
        (Ipv4Cidr, "192.168.1.0/32", true),
        (Ipv4Cidr, "10.0.0.0/33", false),
        (Ipv4Cidr, "10.0.0.0/+8", false),
        (Ipv4Cidr, "10.0.0.0/008", false),
        (Ipv4Cidr, "10.0.0.0/", false),
        (Ipv4Cidr, "10.0.0.0", false),
        (Ipv4Cidr, "10.0.0/8", false),
        (Ipv4CidrList, "10.0.0.0/8", true),
        (Ipv4CidrList, "10.0.0.0/8,192.168.1.0/24", true),
        (Ipv4CidrList, "10.0.0.0/8, 192.168.1.0/24", true),
        (Ipv4CidrList, "10.0.0.0/8,", false),
        (Ipv4CidrList, "10.0.0.0/8,+8", false),
        (Ipv4CidrList, "", false),
        (Name, "vpn-gw_1.a", true),
        (Name, "网关-1", true),
        (Name, "Gateway", true),
        (Name, "1gw", false),
        (Name, "gw 1", false),
        (Name, "gwé", false),
        (Name, "été", false),
        (Name, "-gw", false),
        (Name, "", false),
        (Description, "Gateway for 办公室", true),
        (Description, "办公室 gateway", true),
        (Description, "-desc", false),
        (Description, "éte", false),
        (Description, " desc", false),
        (Description, "", false),
        (Timestamp, "2024-01-02T03:04:05Z", true),
        (Timestamp, "2024-01-02T03:04Z", true),
        (Timestamp, "2024-02-29T23:59:59Z", true),
        (Timestamp, "2000-02-29T00:00:00Z", true),
        (Timestamp, "2024-13-02T03:04:05Z", false),
        (Timestamp, "2024-00-02T03:04:05Z", false),
        (Timestamp, "2023-02-29T03:04:05Z", false),
        (Timestamp, "1900-02-29T03:04:05Z", false),
        (Timestamp, "2024-04-31T03:04:05Z", false),
        (Timestamp, "2024-01-02T24:04:05Z", false),
        (Timestamp, "2024-01-02T03:60:05Z", false),
        (Timestamp, "2024-01-02T03:04:60Z", false),
        (Timestamp, "2024-01-02 03:04:05Z", false),
        (Timestamp, "2024-01-02T03:04:05", false),
        (Timestamp, "2024-01-02T03:04:05+08:00", false),
        (Timestamp, "2024-1-02T03:04:05Z", false),
        (Timestamp, "2024-01-02T03:04:5Z", false),
        (Timestamp, "２024-01-02T03:04:05Z", false),
        (Ascii, "abc!~", true),
        (Ascii, "02fb3da4-130e-11e9-8e44-001****", true),
        (Ascii, "", true),
        (Ascii, "abc !~", false),
        (Ascii, "tab\there", false),
        (Ascii, "中", false),
        (Ascii, "é", false),
        (Ascii, "del\u{7f}", false),
    ];

    #[test]
    fn every_case() {
        let wrong: Vec<String> = CASES
            .iter()
            .filter(|(f, v, ok)| f.matches(v) != *ok)
            .map(|(f, v, ok)| format!("{f:?} {v:?}: expected {ok}"))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn every_format_has_valid_and_invalid_cases() {
        for f in Format::ALL {
            for expected in [true, false] {
                assert!(
                    CASES.iter().any(|(g, _, ok)| g == f && *ok == expected),
                    "{f:?} lacks a case that is {expected}"
                );
            }
        }
    }

    #[test]
    fn keywords_and_rules_are_distinct() {
        let mut keywords: Vec<_> = Format::ALL.iter().map(|f| f.keyword()).collect();
        keywords.sort_unstable();
        keywords.dedup();
        assert_eq!(keywords.len(), Format::ALL.len());
        assert!(Format::ALL.iter().all(|f| f.rule().starts_with("must ")));
    }
}
