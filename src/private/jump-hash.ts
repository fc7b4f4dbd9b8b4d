// SPDX-License-Identifier: Apache-2.0
//
// Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent
// Hash Algorithm", 2014): maps a key to one of n buckets so that going from n
// to n + 1 buckets moves only about 1/(n + 1) of the keys, all of them into the
// new bucket, and no key ever moves between old buckets. Shards of a fleet use
// it so that a growing fleet never moves a repository between existing stacks.
/* eslint-disable no-bitwise -- the algorithm is defined on 64-bit unsigned integers */
import { createHash } from 'crypto';

const MASK_64 = (1n << 64n) - 1n;
const MULTIPLIER = 2862933555777941757n;

/** The bucket, in [0, buckets), of a 64-bit key. */
export function jumpHash(key: bigint, buckets: number): number {
  let k = key & MASK_64;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * MULTIPLIER + 1n) & MASK_64;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** A stable 64-bit key for a name: the first 8 bytes of its SHA-256, big-endian. */
export function nameKey(name: string): bigint {
  return createHash('sha256').update(name, 'utf8').digest().readBigUInt64BE(0);
}
