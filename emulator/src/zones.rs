//! The emulator's availability zones and where vSwitches are. The emulator has no VPC model:
//! every well-formed vSwitch ID exists, and its zone follows from the ID by a fixed rule, so a
//! test can choose two vSwitches in different zones (or in the same one) without setup.

/// How many zones each region has in the emulator: `<region>-a`, `<region>-b`, `<region>-c`.
const ZONES_PER_REGION: u8 = 3;

/// The zones of `region_id`, in order.
pub fn zones(region_id: &str) -> Vec<String> {
    (0..ZONES_PER_REGION)
        .map(|i| format!("{region_id}-{}", char::from(b'a' + i)))
        .collect()
}

/// The zone of the vSwitch `v_switch_id` in `region_id`: the FNV-1a hash of the ID picks one of
/// the region's [`zones`]. Deterministic across runs and machines.
pub fn vswitch_zone(region_id: &str, v_switch_id: &str) -> String {
    let hash = v_switch_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let index = u8::try_from(hash % u64::from(ZONES_PER_REGION)).unwrap_or_default();
    format!("{region_id}-{}", char::from(b'a' + index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vswitch_is_in_one_of_the_regions_zones_and_they_differ() {
        let zones = zones("cn-hangzhou");
        let seen: std::collections::BTreeSet<String> = (0..50)
            .map(|i| vswitch_zone("cn-hangzhou", &format!("vsw-{i}")))
            .collect();
        assert!(seen.iter().all(|z| zones.contains(z)), "{seen:?}");
        assert_eq!(
            seen.len(),
            zones.len(),
            "the rule spreads vSwitches over every zone"
        );
        assert_eq!(
            vswitch_zone("cn-hangzhou", "vsw-1"),
            vswitch_zone("cn-hangzhou", "vsw-1")
        );
    }
}
