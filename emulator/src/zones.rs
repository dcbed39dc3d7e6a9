//! The emulator's zones: every region has the same small, fixed set of zones, and a vSwitch
//! lies in one of them, chosen from its ID by a fixed rule. No zone or vSwitch is stored, so
//! any component (DescribeVpnGatewayAvailableZones, gateways whose two vSwitches must be in
//! different zones, ...) gets the same answer for the same IDs, in every run.

/// How many zones each region has.
const ZONE_COUNT: u8 = 3;

/// The zones of `region_id`, in order: `<region>-a`, `<region>-b`, `<region>-c`.
pub fn zones(region_id: &str) -> Vec<String> {
    (0..ZONE_COUNT)
        .map(|i| format!("{region_id}-{}", char::from(b'a' + i)))
        .collect()
}

/// The zone of the vSwitch `vswitch_id` in `region_id`: the emulator's rule is the 64-bit
/// FNV-1a hash of the ID's bytes, modulo the number of zones, as an index into
/// [`zones`]. The same ID always lies in the same zone; two different IDs may share one.
pub fn vswitch_zone(region_id: &str, vswitch_id: &str) -> String {
    let index = fnv1a(vswitch_id.as_bytes()) % u64::from(ZONE_COUNT);
    // `index` < ZONE_COUNT, so the letter stays within `a`..`c`.
    let letter = b'a' + u8::try_from(index).unwrap_or(0);
    format!("{region_id}-{}", char::from(letter))
}

/// The 64-bit FNV-1a hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_three_lettered_zones() {
        assert_eq!(
            zones("cn-hangzhou"),
            ["cn-hangzhou-a", "cn-hangzhou-b", "cn-hangzhou-c"]
        );
    }

    #[test]
    fn a_vswitch_lies_in_one_of_its_regions_zones_always_the_same() {
        let zone = vswitch_zone("cn-shanghai", "vsw-uf6abc");
        assert!(zones("cn-shanghai").contains(&zone));
        assert_eq!(zone, vswitch_zone("cn-shanghai", "vsw-uf6abc"));
        // The rule is the FNV-1a hash: fixed values, so a change of rule is noticed.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let spread: std::collections::BTreeSet<String> = (0..30)
            .map(|i| vswitch_zone("cn-shanghai", &format!("vsw-{i}")))
            .collect();
        assert_eq!(spread.len(), 3, "IDs spread over every zone");
    }
}
