//! Property tests of the signing encodings: Alibaba's RFC 3986 percent-encoding, parameter
//! order independence, and sign/verify round trips for both versions.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use proptest::prelude::*;
use vpn_gateway_runtime::signing::{v1, v3};

/// Strings mixing ASCII specials, spaces, Chinese text and arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[a-zA-Z0-9 *~/+=&%._-]{0,24}",
        "[\u{4e00}-\u{9fa5} a-z]{0,12}",
        any::<String>(),
    ]
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map("[A-Za-z][A-Za-z0-9.]{0,12}", text(), 0..12)
        .prop_map(|m| m.into_iter().collect())
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

proptest! {
    #[test]
    fn encoding_keeps_only_unreserved_and_round_trips(s in text()) {
        let encoded = v1::percent_encode(&s);
        let bytes = encoded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'%' {
                let hex = &encoded[i + 1..i + 3];
                prop_assert!(hex.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)));
                i += 3;
            } else {
                prop_assert!(b.is_ascii_alphanumeric() || b"-_.~".contains(&b));
                i += 1;
            }
        }
        prop_assert_eq!(percent_decode(&encoded), s);
    }

    #[test]
    fn v1_signature_ignores_parameter_order(mut p in params(), seed in any::<u64>()) {
        let signature = v1::sign("POST", &p, "secret");
        let len = p.len();
        if len > 1 {
            p.rotate_left((seed as usize) % len);
            p.reverse();
        }
        prop_assert_eq!(v1::sign("POST", &p, "secret"), signature);
    }

    #[test]
    fn v1_sign_then_verify(mut p in params(), secret in "[ -~]{1,40}") {
        let signature = v1::sign("GET", &p, &secret);
        p.push(("Signature".into(), signature));
        prop_assert!(v1::verify("GET", &p, &secret).is_ok());
        let wrong = format!("{secret}x");
        prop_assert!(v1::verify("GET", &p, &wrong).is_err());
    }

    #[test]
    fn v3_sign_then_verify(query in params(), body in any::<Vec<u8>>(), secret in "[ -~]{1,40}") {
        let hash = v3::hashed_payload(&body);
        let mut headers: Vec<(String, String)> = vec![
            ("Host".into(), "vpc.aliyuncs.com".into()),
            ("x-acs-action".into(), "DescribeVpnGateways".into()),
            ("x-acs-version".into(), "2016-04-28".into()),
            ("x-acs-date".into(), "2024-01-02T03:04:05Z".into()),
            ("x-acs-signature-nonce".into(), "n".into()),
            ("x-acs-content-sha256".into(), hash.clone()),
            ("User-Agent".into(), "unsigned".into()),
        ];
        let borrowed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let signature = v3::sign(
            &v3::SignableRequest { method: "POST", path: "/", query: &query, headers: &borrowed, hashed_payload: &hash },
            &secret,
        );
        headers.push(("Authorization".into(), signature.authorization("id")));
        prop_assert!(v3::verify("POST", "/", &query, &headers, &body, &secret).is_ok());
        prop_assert!(v3::verify("GET", "/", &query, &headers, &body, &secret).is_err());
    }
}

#[test]
fn tag_10_sorts_before_tag_2() {
    let p: Vec<(String, String)> = ["Tag.2.Key", "Tag.10.Key", "Tag.1.Key"]
        .iter()
        .map(|k| (k.to_string(), "v".to_string()))
        .collect();
    assert_eq!(
        v1::canonicalized_query(&p),
        "Tag.1.Key=v&Tag.10.Key=v&Tag.2.Key=v"
    );
    assert_eq!(
        v3::canonical_query(&p),
        "Tag.1.Key=v&Tag.10.Key=v&Tag.2.Key=v"
    );
}

#[test]
fn specials_encode_as_alibaba_documents() {
    assert_eq!(
        v1::percent_encode("中 *~/+=&%"),
        "%E4%B8%AD%20%2A~%2F%2B%3D%26%25"
    );
}
