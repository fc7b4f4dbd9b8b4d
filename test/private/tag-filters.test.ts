import { Lazy } from 'aws-cdk-lib';
import { releaseTagFilters } from '../../src/private/tag-filters';

describe('releaseTagFilters', () => {
  test.each([
    [['v*'], ['v*']],
    [['v*', 'release-*'], ['v*', 'release-*']],
    // docker/metadata-action turns "/" (and other characters image tags cannot hold) into "-"
    [['release/*'], ['release-*']],
    [['v1.0+build*'], ['v1.0-build*']],
    [['Stable_1.x'], ['Stable_1.x']],
  ])('maps the git tag patterns %j to the image-tag filters %j', (tags, expected) => {
    expect(releaseTagFilters(tags)).toEqual(expected);
  });

  test('leaves out patterns of only "*", which would make latest and branch tags immutable too', () => {
    expect(releaseTagFilters(['*', '**', 'v*'])).toEqual(['v*']);
    expect(releaseTagFilters(['*'])).toEqual([]);
  });

  test('removes patterns that become equal after mapping', () => {
    expect(releaseTagFilters(['a/b*', 'a-b*'])).toEqual(['a-b*']);
  });

  test('cuts filters to the 128 characters of an image tag', () => {
    // GIVEN
    const long = 'v' + 'x'.repeat(200);

    // WHEN
    const [filter] = releaseTagFilters([long]);

    // THEN
    expect(filter).toHaveLength(128);
    expect(filter).toBe(long.slice(0, 128));
  });

  test('skips unresolved tokens (their value is unknown at synth time)', () => {
    expect(releaseTagFilters([Lazy.string({ produce: () => 'v*' }), 'rel-*'])).toEqual(['rel-*']);
  });

  test('returns an empty list for no tags', () => {
    expect(releaseTagFilters([])).toEqual([]);
  });
});
