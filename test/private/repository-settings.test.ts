// The ECR repository's defaults: which tags are immutable, which images the lifecycle policy keeps.
import { Duration, Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { defaultLifecycleRules, tagMutabilityOf } from '../../src/private/repository-settings';

const wildcards = (...patterns: string[]) => patterns.map((p) => ecr.ImageTagMutabilityExclusionFilter.wildcard(p));

describe('tagMutabilityOf', () => {
  test('no release tags: MUTABLE, nothing to protect', () => {
    expect(tagMutabilityOf(undefined, undefined, [])).toEqual({ mutability: ecr.TagMutability.MUTABLE });
    expect(tagMutabilityOf(undefined, undefined, ['*'])).toEqual({ mutability: ecr.TagMutability.MUTABLE });
  });

  test('release tags: MUTABLE_WITH_EXCLUSION with one filter per tag pattern', () => {
    expect(tagMutabilityOf(undefined, undefined, ['v*', 'release/*']))
      .toEqual({ mutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION, filters: wildcards('v*', 'release-*') });
  });

  test('five release tag patterns fit ECR\'s five filters', () => {
    expect(tagMutabilityOf(undefined, undefined, ['a*', 'b*', 'c*', 'd*', 'e*']).filters).toEqual(wildcards('a*', 'b*', 'c*', 'd*', 'e*'));
  });

  test('six release tag patterns are refused, naming tags', () => {
    expect(() => tagMutabilityOf(undefined, undefined, ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'])).toThrow(
      'tags: ["a*","b*","c*","d*","e*","f*"] give 6 release tag patterns, more than the 5 immutable-tag filters ECR allows. ' +
      'Set imageTagMutability and imageTagMutabilityExclusionFilters explicitly');
  });

  test('an explicit setting is used as it is, even with six tags (aws-cdk-lib checks the combination)', () => {
    const latest = wildcards('latest');
    const tags = ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'];
    expect(tagMutabilityOf(ecr.TagMutability.IMMUTABLE, undefined, tags)).toEqual({ mutability: ecr.TagMutability.IMMUTABLE, filters: undefined });
    expect(tagMutabilityOf(undefined, latest, tags)).toEqual({ mutability: undefined, filters: latest });
  });

  test('tag patterns that are tokens are left out', () => {
    expect(tagMutabilityOf(undefined, undefined, [Lazy.string({ produce: () => 'v*' })])).toEqual({ mutability: ecr.TagMutability.MUTABLE });
  });
});

describe('defaultLifecycleRules', () => {
  test('keep the last N images', () => {
    expect(defaultLifecycleRules(10)).toEqual([{ description: 'Keep the last 10 images', tagStatus: ecr.TagStatus.ANY, maxImageCount: 10 }]);
  });

  test('an untagged-image expiry comes first', () => {
    const expiry = Duration.days(7);
    expect(defaultLifecycleRules(25, expiry)).toEqual([
      { description: 'Expire untagged images after 7 days', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: expiry },
      { description: 'Keep the last 25 images', tagStatus: ecr.TagStatus.ANY, maxImageCount: 25 },
    ]);
  });
});
