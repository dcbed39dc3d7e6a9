//! Resource IDs shaped like the service's: a prefix, a region-derived infix, 21 characters in all
//! characters (`vpn-bp1q8bgx4xnkm2ogj0a7e`).

use std::sync::atomic::{AtomicU64, Ordering};

/// A fast, well-distributed 64-bit mixer (splitmix64 finalizer).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Generates IDs and pseudo-random numbers; deterministic for a given seed.
#[derive(Debug)]
pub struct IdGenerator {
    seed: u64,
    counter: AtomicU64,
}

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

impl IdGenerator {
    /// A generator seeded from `seed`.
    pub fn new(seed: u64) -> Self {
        IdGenerator {
            seed,
            counter: AtomicU64::new(1),
        }
    }

    /// The next pseudo-random 64-bit number.
    pub fn next_u64(&self) -> u64 {
        mix(self.seed
            ^ self
                .counter
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_mul(0xA24B_AED4_963E_E407))
    }

    /// A pseudo-random number in `[0, 1)`.
    pub fn next_f64(&self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A new resource ID: `prefix-` + the region's three-character infix + 18 base-36 characters.
    pub fn resource_id(&self, prefix: &str, region: &str) -> String {
        let mut id = String::with_capacity(prefix.len() + 22);
        id.push_str(prefix);
        id.push('-');
        id.push_str(region_infix(region));
        let mut bits = self.next_u64() as u128 | ((self.next_u64() as u128) << 64);
        for _ in 0..18 {
            id.push(char::from(ALPHABET[(bits % 36) as usize]));
            bits /= 36;
        }
        id
    }
}

/// The infix the service puts after the prefix for a region (`bp` for Hangzhou, ...).
fn region_infix(region: &str) -> &'static str {
    match region {
        "cn-hangzhou" => "bp1",
        "cn-shanghai" => "uf6",
        "cn-beijing" => "2ze",
        "cn-shenzhen" => "wz9",
        "cn-qingdao" => "m5e",
        "cn-zhangjiakou" => "8vb",
        "cn-hongkong" => "j6c",
        "ap-southeast-1" => "t4n",
        "us-west-1" => "rj9",
        "eu-central-1" => "gw8",
        _ => "0xi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_the_service_ones_and_do_not_repeat() {
        let ids = IdGenerator::new(1);
        let a = ids.resource_id("vpn", "cn-hangzhou");
        let b = ids.resource_id("vpn", "cn-hangzhou");
        assert!(a.starts_with("vpn-bp1"));
        assert_eq!(a.len(), "vpn-bp1q8bgx4xnkm2ogj0a7e".len());
        assert_ne!(a, b);
        let x = ids.next_f64();
        assert!((0.0..1.0).contains(&x));
    }
}
