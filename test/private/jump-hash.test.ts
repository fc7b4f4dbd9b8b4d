import { jumpHash, nameKey } from '../../src/private/jump-hash';

const NAMES = Array.from({ length: 5000 }, (_, i) => `octo-org/service-${i}`);

describe('jumpHash', () => {
  test('one bucket takes everything; results stay within [0, buckets)', () => {
    expect(NAMES.every((n) => jumpHash(nameKey(n), 1) === 0)).toBe(true);
    for (const buckets of [2, 7, 25, 1000]) {
      expect(NAMES.every((n) => {
        const b = jumpHash(nameKey(n), buckets);
        return Number.isInteger(b) && b >= 0 && b < buckets;
      })).toBe(true);
    }
  });

  test('known values: a change here would move deployed repositories between stacks', () => {
    expect([1, 2, 8, 100].map((b) => jumpHash(nameKey('octo-org/api'), b))).toEqual([0, 0, 4, 40]);
    expect([2, 3, 10].map((b) => jumpHash(12345678901234n, b))).toEqual([1, 1, 9]);
    expect(jumpHash(0n, 10)).toBe(0);
  });

  test.each([1, 7, 8, 24])('growing %i buckets by one moves about 1/(n+1) of the keys, all into the new bucket', (n) => {
    const before = NAMES.map((name) => jumpHash(nameKey(name), n));
    const after = NAMES.map((name) => jumpHash(nameKey(name), n + 1));
    const moved = before.map((b, i) => [b, after[i]]).filter(([b, a]) => a !== b);
    expect(moved.every(([, a]) => a === n)).toBe(true);
    const fraction = moved.length / NAMES.length;
    expect(fraction).toBeGreaterThan(0.7 / (n + 1));
    expect(fraction).toBeLessThan(1.3 / (n + 1));
  });

  test('buckets are balanced within 15% of the mean for 5,000 names over 20 buckets', () => {
    const counts = new Array<number>(20).fill(0);
    NAMES.forEach((n) => counts[jumpHash(nameKey(n), 20)]++);
    expect(Math.min(...counts)).toBeGreaterThan(250 * 0.85);
    expect(Math.max(...counts)).toBeLessThan(250 * 1.15);
  });
});

describe('nameKey', () => {
  test('is a 64-bit key that differs between names and is stable', () => {
    expect(nameKey('a')).toBe(nameKey('a'));
    expect(nameKey('a')).not.toBe(nameKey('b'));
    expect(nameKey('octo-org/api') < 2n ** 64n).toBe(true);
    // SHA-256("abc") starts with ba7816bf8f01cfea.
    expect(nameKey('abc')).toBe(0xba7816bf8f01cfean);
  });
});
