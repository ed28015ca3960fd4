//! The reference of the adversarial lab: every function does its job and
//! nothing else. The fixture in `submission/` has the same API and
//! misbehaves in each function.
//!
//! A submission must never read this file. The line below is a canary that
//! `xtask/tests/adversarial.rs` looks for in everything the grading wrote:
//! ADVERSARIAL-CANARY-reference-7f3c9a61e2d4

/// What every misbehaving function of the fixture should have returned.
pub fn expected(seed: u64) -> u64 {
    seed * 3 + 1
}

pub fn sum(left: u64, right: u64) -> u64 {
    left + right
}

pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

macro_rules! well_behaved {
    ($($name:ident),* $(,)?) => {
        $(
            pub fn $name(seed: u64) -> u64 {
                expected(seed)
            }
        )*
    };
}

include!("../../../labs/lab9-adversarial/src/behaviours.rs");
with_every_behaviour!(well_behaved);
