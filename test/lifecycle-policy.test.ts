// Which images survive the lifecycle policy the publisher synthesizes: the
// policy text from the template, evaluated by ECR's documented rules
// (test/helpers/lifecycle-evaluator.ts) over many runs of the workflow.
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { BuildCache, GitHubEcrPublisherProps, ImageSigning } from '../src';
import { addPublisher, newPublisher, newStack } from './helpers/fixture';
import { Build, evaluateLifecyclePolicy, PolicyRule, RegistryImage, rulesOfTemplate, SimulatedRepository } from './helpers/lifecycle-evaluator';
import { defaultLifecycleRules, SIGNED_UNTAGGED_PER_IMAGE } from '../src/private/repository-settings';

/** The lifecycle rules of the only ECR repository of a stack's template. */
function rulesOf(template: Template): PolicyRule[] {
  const repositories = Object.values(template.findResources('AWS::ECR::Repository'));
  expect(repositories).toHaveLength(1);
  return rulesOfTemplate(repositories[0]);
}

/** The rules aws-cdk-lib renders for `rules` (the JSON ECR receives). */
function rendered(rules: ecr.LifecycleRule[]): PolicyRule[] {
  const stack = newStack();
  new ecr.Repository(stack, 'Repository', { lifecycleRules: rules });
  return rulesOf(Template.fromStack(stack));
}

const CACHE_TAG = 'buildcache';
/** The earlier default: one rule over every image. */
const OLD_DEFAULT = (count: number) => rendered([{ tagStatus: ecr.TagStatus.ANY, maxImageCount: count }]);

/** A branch run of `main`: the tags the workflow pushes. */
const mainRun = (i: number, extra: Partial<Build> = {}): Build => ({ tags: ['latest', 'main', `sha-${i}`], ...extra });

/** Runs `runs` builds and checks after each one that the newest `keep` runs' images are all there, complete. */
function survivors(rules: PolicyRule[], runs: number, build: (i: number) => Build): { kept: number[]; cachePresent: boolean[] } {
  const repository = new SimulatedRepository(rules);
  const kept: number[] = [];
  const cachePresent: boolean[] = [];
  for (let i = 0; i < runs; i++) {
    const b = build(i);
    repository.push(b);
    kept.push(repository.deployable().filter((img) => repository.isComplete(img, b.signed)).length);
    if (b.cacheTag) {
      cachePresent.push(repository.cache(b.cacheTag) !== undefined);
    }
  }
  return { kept, cachePresent };
}

/** After the first `count` runs, exactly `count` deployable images stay; before, every run's. */
const expectedKept = (runs: number, count: number) => Array.from({ length: runs }, (_, i) => Math.min(i + 1, count));

describe('the evaluator follows ECR\'s documented rules', () => {
  const image = (digest: string, pushedAt: number, tags: string[], extra: Partial<RegistryImage> = {}): RegistryImage =>
    ({ digest, kind: 'image', pushedAt, tags, build: pushedAt, ...extra });
  const rule = (rulePriority: number, selection: Partial<PolicyRule['selection']>): PolicyRule => ({
    rulePriority,
    action: { type: 'expire' },
    selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1, ...selection },
  });

  test('a lower rule still counts an image a higher rule protects', () => {
    const rules = [
      rule(1, { tagStatus: 'tagged', tagPatternList: ['cache'], countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPatternList: ['*'], countNumber: 2 }),
    ];
    const images = [image('a', 1, ['a']), image('b', 2, ['b']), image('c', 3, ['cache'])];
    expect([...evaluateLifecyclePolicy(rules, images, 3)]).toEqual(['a']);
  });

  test('an image that meets a higher rule\'s tagging requirements is not expired by a lower rule', () => {
    const rules = [
      rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countNumber: 5 }),
      rule(2, { tagStatus: 'any', countNumber: 1 }),
    ];
    const images = [image('v1', 1, ['v1']), image('x', 2, ['x']), image('y', 3, ['y'])];
    expect([...evaluateLifecyclePolicy(rules, images, 3)]).toEqual(['x']);
  });

  test('a tag list matches when every entry matches one of the image\'s tags', () => {
    const rules = [rule(1, { tagStatus: 'tagged', tagPatternList: ['prod', 'v*'], countNumber: 1 })];
    const images = [image('both-old', 1, ['prod', 'v1']), image('one', 2, ['prod']), image('both-new', 3, ['v2', 'prod'])];
    expect([...evaluateLifecyclePolicy(rules, images, 3)]).toEqual(['both-old']);
  });

  test('sinceImagePushed marks images older than the count of days', () => {
    const rules = [rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 })];
    const images = [image('old', 1, []), image('new', 5, [])];
    expect([...evaluateLifecyclePolicy(rules, images, 10)]).toEqual(['old']);
  });

  test('a kept manifest list keeps the manifests it references; a reference artifact goes with its subject', () => {
    const rules = [rule(1, { tagStatus: 'untagged', countNumber: 1 })];
    const images = [
      image('child-kept', 1, []), image('index-kept', 1, ['t'], { kind: 'index', children: ['child-kept'] }),
      image('orphan', 2, []), image('sig-of-orphan', 2, [], { kind: 'signature', subject: 'orphan' }),
      image('newest', 3, []),
    ];
    expect([...evaluateLifecyclePolicy(rules, images, 3)].sort()).toEqual(['orphan', 'sig-of-orphan']);
  });

  test.each<[string, PolicyRule[]]>([
    ['two rules for untagged images', [rule(1, { tagStatus: 'untagged' }), rule(2, { tagStatus: 'untagged' })]],
    ['an any rule that is not the last', [rule(1, { tagStatus: 'any' }), rule(2, { tagStatus: 'untagged' })]],
    ['a tagged rule without a list', [rule(1, { tagStatus: 'tagged' })]],
    ['a count of 0', [rule(1, { countNumber: 0 })]],
  ])('refuses a policy ECR refuses: %s', (_, rules) => {
    expect(() => evaluateLifecyclePolicy(rules, [], 0)).toThrow();
  });
});

describe('"keep the last N images" keeps N deployable images', () => {
  test('the earlier single rule over every image kept 3 or 4 of 10 with BuildKit\'s default provenance (why the rules changed)', () => {
    const { kept } = survivors(OLD_DEFAULT(10), 30, (i) => mainRun(i));
    expect(Math.max(...kept.slice(10))).toBeLessThanOrEqual(4);
  });

  /** The renderings of platforms and buildAttestations (render-time options: the synthesized rules must fit all). */
  const RENDERINGS: Array<[string, Partial<Build>]> = [
    ['one platform, BuildKit\'s default provenance', {}],
    ['one platform, no attestations (a single manifest)', { attestations: false }],
    ['two platforms with attestations (buildAttestations)', { platforms: 2 }],
    ['three platforms without attestations', { platforms: 3, attestations: false }],
  ];
  /** Each build cache, as the publisher's prop gives it. */
  const CACHES: Array<[string, BuildCache | undefined]> = [
    ['the default (registry cache)', undefined],
    ['BuildCache.registry({ tag: \'cache-main\' })', BuildCache.registry({ tag: 'cache-main' })],
    ['BuildCache.githubActions()', BuildCache.githubActions()],
    ['BuildCache.none()', BuildCache.none()],
  ];
  const MATRIX = CACHES.flatMap(([cacheName, buildCache]) =>
    RENDERINGS.map(([renderingName, rendering]) => [cacheName, renderingName, buildCache, rendering] as const));

  test.each(MATRIX)('the publisher\'s template over 40 runs, %s, %s', (_c, _r, buildCache, rendering) => {
    const { publisher, template } = newPublisher({ buildCache, allowPullRequests: true, branches: ['main'], tags: ['v*'] });
    const rules = rulesOf(template());
    const cacheTag = publisher.buildCache.tag;
    expect(cacheTag === undefined).toBe(buildCache !== undefined && buildCache.tag === undefined);
    // Branch and release runs write the cache; pull-request runs (every fourth) push an image but only read it.
    const run = (i: number): Build => {
      if (i % 4 === 3) {
        return { tags: [`pr-${i}`, `sha-${i}`], ...rendering };
      }
      return i % 5 === 0 ? { tags: [`v1.${i}.0`, `sha-${i}`], cacheTag, ...rendering } : mainRun(i, { cacheTag, ...rendering });
    };
    const result = survivors(rules, 40, run);
    expect(result.kept).toEqual(expectedKept(40, 10));
    expect(result.cachePresent.every(Boolean)).toBe(true);
  });

  test('maxImageCount 3 with untaggedImageExpiry 7 days, runs every 2 days', () => {
    const rules = rulesOf(newPublisher({ maxImageCount: 3, untaggedImageExpiry: Duration.days(7) }).template());
    expect(survivors(rules, 30, (i) => mainRun(i, { platforms: 2, daysLater: 2, cacheTag: CACHE_TAG })).kept).toEqual(expectedKept(30, 3));
  });

  test('branch and release runs: every run\'s image counts once, whatever its tags', () => {
    const rules = rulesOf(newPublisher({ tags: ['v*'] }).template());
    const run = (i: number): Build => (i % 3 === 0 ? { tags: [`v1.${i}.0`, `sha-${i}`], cacheTag: CACHE_TAG } : mainRun(i, { cacheTag: CACHE_TAG }));
    expect(survivors(rules, 40, run).kept).toEqual(expectedKept(40, 10));
  });

  test.each<[string, string | undefined]>([
    ['a registry build cache in the repository', CACHE_TAG],
    ['no cache in the repository (GitHub Actions cache, or none)', undefined],
  ])('with %s: the cache stays and does not take an image\'s place', (_, cacheTag) => {
    const rules = rendered(defaultLifecycleRules(10, undefined, cacheTag));
    const result = survivors(rules, 40, (i) => mainRun(i, { platforms: 2, cacheTag }));
    expect(result.kept).toEqual(expectedKept(40, 10));
    expect(result.cachePresent.every(Boolean)).toBe(true);
  });

  test('a cache last written long ago is still kept, and the count then keeps one image more (never one less)', () => {
    const rules = rendered(defaultLifecycleRules(10, undefined, CACHE_TAG));
    const repository = new SimulatedRepository(rules);
    repository.push(mainRun(0, { cacheTag: CACHE_TAG }));
    for (let i = 1; i < 30; i++) {
      repository.push(mainRun(i));
    }
    expect(repository.cache(CACHE_TAG)).toBeDefined();
    expect(repository.deployable()).toHaveLength(11);
  });

  test('replaced cache manifests and the manifests of expired images are expired, not kept forever', () => {
    const rules = rendered(defaultLifecycleRules(10, undefined, CACHE_TAG));
    const repository = new SimulatedRepository(rules);
    for (let i = 0; i < 60; i++) {
      repository.push(mainRun(i, { platforms: 2, cacheTag: CACHE_TAG }));
    }
    // 10 images of 5 manifests each (list, 2 platforms, 2 attestations), the cache, and at most 10 other untagged manifests.
    const stored = repository.images.length;
    expect(stored).toBeGreaterThanOrEqual(10 * 5 + 1);
    expect(stored).toBeLessThanOrEqual(10 * 5 + 1 + 10);
    expect(repository.expiredImages.filter((i) => i.kind === 'cache')).not.toHaveLength(0);
  });

  /** The README's keep-releases rules, with the rule for the registry cache when `cacheRule`. */
  const keepReleases = (cacheRule: boolean): ecr.LifecycleRule[] => [
    ...(cacheRule ? [{ rulePriority: 1, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: [CACHE_TAG], maxImageCount: 1 }] : []),
    { rulePriority: 2, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['v*'], maxImageCount: 1000 },
    { rulePriority: 3, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: cacheRule ? 11 : 10 },
    { rulePriority: 4, tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 10 },
  ];

  /** The README example's repository after 60 runs (every fifth a release, the newest at run 56), and the warnings of its publisher. */
  function keepReleasesAfter60(rules: ecr.LifecycleRule[], props: Partial<GitHubEcrPublisherProps> = {}) {
    const stack = newStack();
    const cacheTag = addPublisher(stack, { tags: ['v*'], lifecycleRules: rules, ...props }, 'KeepReleases').buildCache.tag;
    const repository = new SimulatedRepository(rulesOf(Template.fromStack(stack)));
    const runs = 60;
    for (let i = 0; i < runs; i++) {
      repository.push(i % 5 === 1 ? { tags: [`v1.${i}.0`, `sha-${i}`], cacheTag } : mainRun(i, { cacheTag }));
    }
    const images = repository.deployable();
    return {
      releases: images.filter((img) => img.tags.some((t) => t.startsWith('v'))).length,
      lastTen: images.filter((img) => img.build >= runs - 10).length,
      cache: cacheTag !== undefined && repository.cache(cacheTag) !== undefined,
      warnings: Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('lifecycleRulesCount')).length,
    };
  }

  test('the README\'s keep-releases rules keep every release, the last 10 images and the cache, without a warning', () => {
    expect(keepReleasesAfter60(keepReleases(true))).toEqual({ releases: 12, lastTen: 10, cache: true, warnings: 0 });
  });

  test('without the cache rule they keep one image less, and the publisher warns (why the README has the rule)', () => {
    expect(keepReleasesAfter60(keepReleases(false))).toEqual({ releases: 12, lastTen: 9, cache: true, warnings: 1 });
  });

  test('without a registry cache the earlier three rules keep their promise', () => {
    const { releases, lastTen, warnings } = keepReleasesAfter60(keepReleases(false), { buildCache: BuildCache.none() });
    expect({ releases, lastTen, warnings }).toEqual({ releases: 12, lastTen: 10, warnings: 0 });
  });
});

describe('with signing, "keep the last N images" keeps N signed images', () => {
  // survivors() counts an image of a signed run only when its index and each
  // platform manifest still have their signature.
  // The default publisher's workflow also writes the registry cache.
  const signedRun = (extra: Partial<Build> = {}) => (i: number) => mainRun(i, { signed: true, cacheTag: CACHE_TAG, ...extra });

  test.each<[string, Partial<Build>]>([
    ['one platform, BuildKit\'s default provenance', {}],
    ['one platform, no attestations (a single manifest)', { attestations: false }],
    ['two platforms with attestations', { platforms: 2 }],
    ['five platforms with attestations (3 x 5 + 1 = 16 untagged manifests a run)', { platforms: 5 }],
  ])('a signing publisher over 40 runs: %s', (_, extra) => {
    const rules = rulesOf(newPublisher({ imageSigning: ImageSigning.managed() }).template());
    expect(survivors(rules, 40, signedRun(extra)).kept).toEqual(expectedKept(40, 10));
  });

  test('five platforms with attestations and a registry cache (its rule protects it; a replaced cache manifest is untagged)', () => {
    const rules = rendered(defaultLifecycleRules(10, undefined, CACHE_TAG, true));
    const result = survivors(rules, 40, signedRun({ platforms: 5, cacheTag: CACHE_TAG }));
    expect(result.kept).toEqual(expectedKept(40, 10));
    expect(result.cachePresent.every(Boolean)).toBe(true);
  });

  test('maxImageCount 3, runs every 2 days, two platforms', () => {
    const rules = rulesOf(newPublisher({ imageSigning: ImageSigning.managed(), maxImageCount: 3 }).template());
    expect(survivors(rules, 30, signedRun({ platforms: 2, daysLater: 2 })).kept).toEqual(expectedKept(30, 3));
  });

  test('the rules without signing would strip the signatures of kept images (why the untagged count grows)', () => {
    const kept = survivors(rendered(defaultLifecycleRules(10, undefined, CACHE_TAG)), 40, signedRun({ platforms: 2 })).kept;
    expect(Math.min(...kept.slice(10))).toBeLessThan(10);
  });

  test('the bound is the constant: more untagged manifests a run than it allows strip old signatures', () => {
    expect(SIGNED_UNTAGGED_PER_IMAGE).toBe(16);
    const rules = rendered(defaultLifecycleRules(10, undefined, undefined, true));
    const kept = survivors(rules, 40, signedRun({ platforms: 6, cacheTag: undefined })).kept;
    expect(Math.min(...kept.slice(10))).toBeLessThan(10);
  });

  test('signatures of expired images go with them: the repository does not grow', () => {
    const rules = rulesOf(newPublisher({ imageSigning: ImageSigning.managed() }).template());
    const repository = new SimulatedRepository(rules);
    for (let i = 0; i < 80; i++) {
      repository.push(mainRun(i, { signed: true, platforms: 2, cacheTag: CACHE_TAG }));
    }
    const signatures = repository.images.filter((img) => img.kind === 'signature');
    expect(signatures.every((sig) => repository.images.some((img) => img.digest === sig.subject))).toBe(true);
    // 10 images of 5 manifests and 3 signatures each, the cache, and at most 170 untagged manifests in all.
    expect(repository.images.length).toBeLessThanOrEqual(10 + 1 + 170);
    expect(repository.deployable().filter((img) => repository.isComplete(img, true))).toHaveLength(10);
  });
});

describe('the new rules never expire an image the earlier rule kept', () => {
  const pick = <T>(r: number, choices: [number, T][], otherwise: T): T => choices.find(([p]) => r < p)?.[1] ?? otherwise;
  // A small deterministic generator: the same repositories on every machine.
  function* states(seed: number, count: number): Generator<SimulatedRepository> {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let s = 0; s < count; s++) {
      const repository = new SimulatedRepository([]);
      const runs = 1 + Math.floor(next() * 30);
      // Repositories with few, some or mostly untagged pushes (by digest, or runs whose tagging failed).
      const untagged = [0, 0.15, 0.9][s % 3];
      for (let i = 0; i < runs; i++) {
        repository.add({
          tags: pick(next(), [[untagged, []], [untagged + 0.3, [`v${i}`]]], ['latest', 'main', `sha-${i}`]),
          platforms: 1 + Math.floor(next() * 3),
          attestations: next() < 0.6,
          cacheTag: next() < 0.5 ? CACHE_TAG : undefined,
          daysLater: Math.floor(next() * 4),
        });
      }
      yield repository;
    }
  }

  test.each<[string, number, Duration | undefined, string | undefined]>([
    ['maxImageCount 10', 10, undefined, undefined],
    ['maxImageCount 3', 3, undefined, undefined],
    ['maxImageCount 10 with untaggedImageExpiry', 10, Duration.days(7), undefined],
    ['maxImageCount 10 with the registry cache', 10, undefined, CACHE_TAG],
  ])('%s, over 300 generated repositories', (_, count, expiry, cacheTag) => {
    const before = rendered(expiry
      ? [
        { rulePriority: 1, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: expiry },
        { rulePriority: 2, tagStatus: ecr.TagStatus.ANY, maxImageCount: count },
      ]
      : [{ tagStatus: ecr.TagStatus.ANY, maxImageCount: count }]);
    const after = rendered(defaultLifecycleRules(count, expiry, cacheTag));
    let compared = 0;
    for (const repository of states(count * 7 + (expiry ? 1 : 0) + (cacheTag ? 2 : 0), 300)) {
      const images = repository.images;
      const expiredBefore = evaluateLifecyclePolicy(before, images, repository.now + 3);
      const expiredAfter = evaluateLifecyclePolicy(after, images, repository.now + 3);
      const newlyExpired = [...expiredAfter].filter((d) => !expiredBefore.has(d));
      expect(newlyExpired).toEqual([]);
      compared += images.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('custom lifecycleRules that count the registry cache as an image', () => {
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('lifecycleRulesCountCache'));
  const rules = [{ rulePriority: 1, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: 10 }];

  test('rules that do not keep the cache tag apart warn, naming the rule to add', () => {
    const warnings = warningsOf(newPublisher({ lifecycleRules: rules }).stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/build cache \(tag buildcache\).*tagPatternList: \['buildcache'\], maxImageCount: 1 \}/s);
  });

  test('a rule for the cache tag after the rule that counts every tagged image comes too late (ECR gives the cache to the first)', () => {
    const late = [{ ...rules[0], rulePriority: 1 }, { rulePriority: 2, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['buildcache'], maxImageCount: 1 }];
    expect(warningsOf(newPublisher({ lifecycleRules: late }).stack)).toHaveLength(1);
  });

  test('no warning with a rule for the cache tag, without a registry cache, or with the default rules', () => {
    const cacheRule = { rulePriority: 1, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['cache-*'], maxImageCount: 1 };
    expect(warningsOf(newPublisher({ lifecycleRules: [cacheRule, { ...rules[0], rulePriority: 2 }], buildCache: BuildCache.registry({ tag: 'cache-x' }) }).stack)).toHaveLength(0);
    expect(warningsOf(newPublisher({ lifecycleRules: rules, buildCache: BuildCache.none() }).stack)).toHaveLength(0);
    expect(warningsOf(newPublisher().stack)).toHaveLength(0);
  });
});

describe('custom lifecycleRules that count the manifests of an image', () => {
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('lifecycleRulesCountManifests'));

  test('an any rule with a count gets an acknowledgeable warning naming the fix', () => {
    const { stack } = newPublisher({ lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageCount: 10 }] });
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/counts the untagged manifests.*tagPatternList: \['\*'\]/s);
  });

  test('tagged and untagged rules get none, nor does the default', () => {
    expect(warningsOf(newPublisher({
      lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: 10 }, { tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(400) }],
    }).stack)).toHaveLength(0);
    expect(warningsOf(newPublisher().stack)).toHaveLength(0);
  });
});
