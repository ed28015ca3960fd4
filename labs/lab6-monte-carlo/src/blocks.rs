//! The sample space cut into fixed blocks, each with its own random stream.
//! Provided complete.
//!
//! Every estimate in this lab draws its `n_samples` points block by block:
//! block 0 holds samples `0..65536`, block 1 holds `65536..131072`, and so
//! on; the last block may be shorter. Block `b` always draws its points
//! from the stream `block_rng(seed, b)`, whoever computes it. A thread or a
//! process is only ever given whole blocks, so the hits of every block are
//! the same whatever the number of workers, and so is their sum: one
//! thread, three threads or eight processes give bit-for-bit the same
//! estimate for the same `(n_samples, seed)`.
//!
//! The blocks are a fixed property of `n_samples`, not of the number of
//! workers. Cutting the samples into "one share per worker" instead would
//! tie the random numbers to the worker count, and the estimate would
//! change every time the worker count does.

use std::ops::Range;

use rand::SeedableRng;
use rand::rand_core::{RngCore, impls};

/// How many samples a block holds (the last block of an estimate may hold
/// fewer). 65536 samples take well under a millisecond, so even a small
/// estimate has enough blocks to share among a few workers, and creating a
/// block's random stream costs nothing next to drawing its samples.
pub const SAMPLES_PER_BLOCK: u64 = 1 << 16;

/// How many blocks `n_samples` samples fill: `n_samples / SAMPLES_PER_BLOCK`
/// rounded up.
///
/// ```
/// use lab6_monte_carlo::{SAMPLES_PER_BLOCK, block_count};
///
/// assert_eq!(block_count(0), 0);
/// assert_eq!(block_count(1), 1);
/// assert_eq!(block_count(SAMPLES_PER_BLOCK), 1);
/// assert_eq!(block_count(SAMPLES_PER_BLOCK + 1), 2);
/// ```
pub fn block_count(n_samples: u64) -> u64 {
    n_samples.div_ceil(SAMPLES_PER_BLOCK)
}

/// How many of the `n_samples` samples fall in block `block_idx`:
/// [`SAMPLES_PER_BLOCK`] for every block but the last, what is left for the
/// last, and 0 for a block past the end.
///
/// ```
/// use lab6_monte_carlo::{SAMPLES_PER_BLOCK, samples_in_block};
///
/// let n_samples = 2 * SAMPLES_PER_BLOCK + 10;
/// assert_eq!(samples_in_block(n_samples, 0), SAMPLES_PER_BLOCK);
/// assert_eq!(samples_in_block(n_samples, 2), 10);
/// assert_eq!(samples_in_block(n_samples, 3), 0);
/// ```
pub fn samples_in_block(n_samples: u64, block_idx: u64) -> u64 {
    let block_start = block_idx.saturating_mul(SAMPLES_PER_BLOCK);
    n_samples.saturating_sub(block_start).min(SAMPLES_PER_BLOCK)
}

/// How many of the `n_samples` samples fall in the blocks `blocks`.
///
/// ```
/// use lab6_monte_carlo::{SAMPLES_PER_BLOCK, samples_in_blocks};
///
/// let n_samples = 2 * SAMPLES_PER_BLOCK + 10;
/// assert_eq!(samples_in_blocks(n_samples, 0..3), n_samples);
/// assert_eq!(samples_in_blocks(n_samples, 1..3), SAMPLES_PER_BLOCK + 10);
/// ```
pub fn samples_in_blocks(n_samples: u64, blocks: Range<u64>) -> u64 {
    let first_sample = blocks
        .start
        .saturating_mul(SAMPLES_PER_BLOCK)
        .min(n_samples);
    let end_sample = blocks.end.saturating_mul(SAMPLES_PER_BLOCK).min(n_samples);
    end_sample.saturating_sub(first_sample)
}

/// The random stream of block `block_idx` of the estimate seeded with
/// `seed`.
///
/// Two different blocks of one seed get unrelated streams: the pair
/// `(seed, block_idx)` is scrambled by the finalizer of SplitMix64 (a
/// bijection of `u64` that mixes every input bit into every output bit)
/// before it seeds a fresh generator. Seeding block `b` with `seed + b`
/// instead would hand neighbouring seeds overlapping sets of streams, and
/// seeding every block with `seed` would draw the same points in every
/// block.
///
/// The stream is a [`BlockRng`]: a small, fast, non-cryptographic
/// generator.
pub fn block_rng(seed: u64, block_idx: u64) -> BlockRng {
    // Adding an odd constant before mixing keeps block 0 away from the
    // all-zero input; XOR with the seed and a second mix make every bit of
    // both numbers matter.
    const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let block_key = splitmix64_finalizer(block_idx.wrapping_add(GOLDEN_GAMMA));
    BlockRng::seed_from_u64(splitmix64_finalizer(seed ^ block_key))
}

/// The random generator of every block: wyrand (Wang Yi's generator), one
/// 64-bit addition and one 64x64-bit multiplication per number.
///
/// It implements `rand`'s `RngCore` and `SeedableRng`, so everything
/// `rand::Rng` offers works on it (`rng.random::<f64>()`, ranges), and
/// `rng.next_u64()` gives 64 random bits directly. It passes the usual
/// statistical test batteries, which is all a Monte Carlo estimate needs;
/// it is not for secrets. It is about twice as fast as `rand`'s
/// `SmallRng` (xoshiro256++), whose speed limited the reference's samples
/// per second: the generator, not the counting, is the inner loop's cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRng {
    state: u64,
}

impl RngCore for BlockRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        const INCREMENT: u64 = 0xa076_1d64_78bd_642f;
        const MIX: u64 = 0xe703_7ed1_a0b4_28db;
        self.state = self.state.wrapping_add(INCREMENT);
        let product = u128::from(self.state) * u128::from(self.state ^ MIX);
        ((product >> 64) as u64) ^ (product as u64)
    }

    fn fill_bytes(&mut self, destination: &mut [u8]) {
        impls::fill_bytes_via_next(self, destination);
    }
}

impl SeedableRng for BlockRng {
    type Seed = [u8; 8];

    fn from_seed(seed: [u8; 8]) -> BlockRng {
        BlockRng {
            state: u64::from_le_bytes(seed),
        }
    }

    /// The state is the number itself: every 64-bit seed is its own stream.
    fn seed_from_u64(state: u64) -> BlockRng {
        BlockRng { state }
    }
}

/// Cuts blocks `0..n_blocks` into at most `n_workers` contiguous ranges of
/// nearly equal length (they differ by at most one block), in order,
/// leaving out empty ranges: 10 blocks for 3 workers are `0..3`, `3..6`,
/// `6..10`; 2 blocks for 8 workers are `0..1` and `1..2`.
///
/// ```
/// use lab6_monte_carlo::worker_blocks;
///
/// assert_eq!(worker_blocks(10, 3), vec![0..3, 3..6, 6..10]);
/// assert_eq!(worker_blocks(2, 8), vec![0..1, 1..2]);
/// assert!(worker_blocks(0, 4).is_empty());
/// ```
pub fn worker_blocks(n_blocks: u64, n_workers: usize) -> Vec<Range<u64>> {
    // More workers than blocks: one block each, and the rest get nothing.
    let n_ranges = u128::from(n_blocks).min(n_workers as u128);
    // 128-bit products cannot overflow whatever the two counts are.
    let boundary = |range_idx: u128| (u128::from(n_blocks) * range_idx / n_ranges.max(1)) as u64;
    (0..n_ranges)
        .map(|range_idx| boundary(range_idx)..boundary(range_idx + 1))
        .filter(|blocks| !blocks.is_empty())
        .collect()
}

/// The output function of SplitMix64 (Steele, Lea and Flood, 2014).
fn splitmix64_finalizer(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}
