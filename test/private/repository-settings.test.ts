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
  const tagged = (priority: number, count: number, description: string) =>
    ({ rulePriority: priority, description, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: count });

  test('keep the last N tagged images, and N untagged manifests beyond those of kept images', () => {
    expect(defaultLifecycleRules(10)).toEqual([
      tagged(2, 10, 'Keep the last 10 images'),
      { rulePriority: 3, description: 'Keep the last 10 untagged manifests (those of kept images stay regardless)', tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 10 },
    ]);
  });

  test('an untagged-image expiry replaces the untagged count', () => {
    const expiry = Duration.days(7);
    expect(defaultLifecycleRules(25, expiry)).toEqual([
      tagged(2, 25, 'Keep the last 25 images'),
      { rulePriority: 3, description: 'Expire untagged images after 7 days', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: expiry },
    ]);
  });

  test('a build cache tag gets a rule of its own, and the tagged count one more place', () => {
    const rules = defaultLifecycleRules(10, undefined, 'buildcache');
    expect(rules.slice(0, 2)).toEqual([
      { rulePriority: 1, description: 'Keep the build cache (tag buildcache)', tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['buildcache'], maxImageCount: 1 },
      tagged(2, 11, 'Keep the last 10 images (11 tagged images with the build cache)'),
    ]);
  });
});
