//! The memory budget of one [`super::decode`]: list items may take at most
//! [`super::DECODE_BUDGET_FACTOR`] times the body's size, plus a small allowance.
//!
//! Decoding is synchronous, so the budget lives in a thread-local for the duration of the
//! call; deserializing the generated types outside [`super::decode`] is unbudgeted.

use std::cell::Cell;

use serde::de;

/// What even a tiny body may decode to.
const ALLOWANCE: usize = 1 << 20;

thread_local! {
    static REMAINING: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Installs the budget for one body; restores the previous one when dropped.
pub(super) struct Scope {
    previous: Option<usize>,
}

impl Scope {
    pub(super) fn for_body(body_len: usize) -> Scope {
        let budget = body_len
            .saturating_mul(super::DECODE_BUDGET_FACTOR)
            .saturating_add(ALLOWANCE);
        Scope {
            previous: REMAINING.with(|r| r.replace(Some(budget))),
        }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        REMAINING.with(|r| r.set(self.previous));
    }
}

/// Charges one more item of type `T` to a list already holding `held` items. A `Vec` may hold
/// up to twice its length while growing, so an item costs its size once more whenever the
/// length reaches a power of two.
pub(super) fn charge<T, E: de::Error>(held: usize) -> Result<(), E> {
    let size = std::mem::size_of::<T>().max(1);
    let cost = if held.is_power_of_two() {
        size.saturating_mul(held.saturating_add(1))
    } else {
        size
    };
    REMAINING.with(|r| match r.get() {
        None => Ok(()),
        Some(left) if left >= cost => {
            r.set(Some(left - cost));
            Ok(())
        }
        Some(_) => Err(E::custom(format_args!(
            "the response's lists decode to more than {} times the size of the body; \
             refused rather than exhaust memory",
            super::DECODE_BUDGET_FACTOR
        ))),
    })
}
