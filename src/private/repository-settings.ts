// SPDX-License-Identifier: Apache-2.0
//
// The ECR repository's defaults, derived from the trust scope: which tags are
// immutable and which images the lifecycle policy keeps.
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { stringLike } from './claims-check';
import { MAX_IMAGE_COUNT, WARNING_PREFIX } from './constants';
import { invalid } from './errors';
import { releaseTagFilters } from './tag-filters';
import { BuildCache } from '../build-cache';

/** ECR accepts at most five tag-mutability exclusion filters. */
const MAX_EXCLUSION_FILTERS = 5;

export interface TagMutabilitySettings {
  readonly mutability?: ecr.TagMutability;
  readonly filters?: ecr.ImageTagMutabilityExclusionFilter[];
}

/**
 * The explicit setting when there is one; otherwise the release tags (the
 * `tags` patterns) immutable and every other tag mutable, because the
 * generated workflow re-pushes `latest`, branch and `sha-` tags on every run.
 * Without release tags there is nothing to protect: MUTABLE.
 */
export function tagMutabilityOf(
  mutability: ecr.TagMutability | undefined, filters: ecr.ImageTagMutabilityExclusionFilter[] | undefined, tags: string[],
): TagMutabilitySettings {
  if (mutability !== undefined || filters !== undefined) {
    return { mutability, filters };
  }
  const patterns = releaseTagFilters(tags);
  if (patterns.length === 0) {
    return { mutability: ecr.TagMutability.MUTABLE };
  }
  if (patterns.length > MAX_EXCLUSION_FILTERS) {
    throw invalid('tags', tags, `give ${patterns.length} release tag patterns, more than the ${MAX_EXCLUSION_FILTERS} immutable-tag filters ECR allows`,
      'Set imageTagMutability and imageTagMutabilityExclusionFilters explicitly');
  }
  return {
    mutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
    filters: patterns.map((f) => ecr.ImageTagMutabilityExclusionFilter.wildcard(f)),
  };
}

/**
 * The untagged manifests one signed run may push, that the untagged rule keeps
 * per kept image: with P platforms, P platform manifests, P attestation
 * manifests and P + 1 signatures (the index's and each platform's), 3P + 1:
 * up to 5 platforms. A registry build cache adds one per run (the manifest it
 * replaced, untagged), counted on top.
 */
export const SIGNED_UNTAGGED_PER_IMAGE = 16;

function signedUntagged(maxImageCount: number, cache: boolean): number {
  return Math.min(maxImageCount * (SIGNED_UNTAGGED_PER_IMAGE + (cache ? 1 : 0)), MAX_IMAGE_COUNT);
}

/**
 * "Keep the last N images": N images a user can deploy, whatever else the
 * workflow stores in the repository.
 *
 * A deployable image is what one run pushes under its tags: a manifest list
 * (BuildKit writes one for every build with attestations, its default, or
 * several platforms) with its per-platform and attestation manifests, or a
 * single manifest. ECR counts each manifest as an image, and the manifests a
 * list references are untagged, so a rule over `any` image would spend its
 * count on them (three runs' worth of "10 images" with one platform and
 * BuildKit's default provenance). Hence:
 *
 * 1. with a registry build cache, its tag is protected by a rule of its own
 *    (a rule of higher priority keeps every image whose tags it matches from
 *    the rules below, which still count it);
 * 2. the last N tagged images are kept (N + 1 with the cache, which rule 2
 *    counts although rule 1 protects it);
 * 3. one rule for untagged images (ECR allows one): after
 *    `untaggedImageExpiry`, or beyond the newest N untagged. The manifests of
 *    a kept list are never expired before the list, whatever this rule says;
 *    what it removes are the manifests of expired lists and the cache
 *    manifests a newer cache replaced.
 *
 * Every image the earlier single rule (`any`, N) kept, these rules keep too:
 * a tagged image among the newest N images is among the newest N tagged, an
 * untagged one among the newest N untagged.
 *
 * With signing (`signed`), each kept image also has signatures: untagged
 * reference artifacts, one per signed manifest. ECR documents that they go
 * within 24 hours of their subject, not whether an untagged rule counts and
 * expires them while their subject stays; the rules assume it does. So the
 * untagged rule keeps the newest `SIGNED_UNTAGGED_PER_IMAGE` x N untagged
 * manifests, which holds every signature of the N kept images as long as a
 * run pushes at most that many untagged manifests (see the constant).
 */
export function defaultLifecycleRules(maxImageCount: number, untaggedImageExpiry?: Duration, cacheTag?: string, signed = false): ecr.LifecycleRule[] {
  const rules: ecr.LifecycleRule[] = [];
  if (cacheTag !== undefined) {
    rules.push({
      rulePriority: 1,
      description: `Keep the build cache (tag ${cacheTag})`,
      tagStatus: ecr.TagStatus.TAGGED,
      tagPatternList: [cacheTag],
      maxImageCount: 1,
    });
  }
  rules.push({
    rulePriority: 2,
    description: cacheTag === undefined
      ? `Keep the last ${maxImageCount} images`
      : `Keep the last ${maxImageCount} images (${maxImageCount + 1} tagged images with the build cache)`,
    tagStatus: ecr.TagStatus.TAGGED,
    tagPatternList: ['*'],
    maxImageCount: cacheTag === undefined ? maxImageCount : maxImageCount + 1,
  });
  rules.push(untaggedImageExpiry
    ? {
      rulePriority: 3,
      description: `Expire untagged images after ${untaggedImageExpiry.toDays()} days`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: untaggedImageExpiry,
    }
    : signed ? {
      rulePriority: 3,
      // Capped at ECR's images per repository: a larger count could never bind.
      description: `Keep the last ${signedUntagged(maxImageCount, cacheTag !== undefined)} untagged manifests (the signatures of the kept images among them)`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageCount: signedUntagged(maxImageCount, cacheTag !== undefined),
    } : {
      rulePriority: 3,
      description: `Keep the last ${maxImageCount} untagged manifests (those of kept images stay regardless)`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageCount,
    });
  return rules;
}

/**
 * With signing, custom rules that select untagged images (or any image) by
 * count or age may count and expire the signatures of the images they keep
 * (signatures are untagged reference artifacts; ECR does not document that
 * rules leave them alone while their image stays).
 */
export function warnIfRulesExpireSignatures(scope: IConstruct, rules: ecr.LifecycleRule[] | undefined, signed: boolean): void {
  const untagged = (rules ?? []).filter((r) => r.tagStatus === ecr.TagStatus.UNTAGGED || r.tagStatus === ecr.TagStatus.ANY);
  if (!signed || untagged.length === 0) {
    return;
  }
  Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}:lifecycleRulesExpireSignatures`,
    `lifecycleRules: the rule over ${untagged[0].tagStatus} images may count and expire the signatures of the images the policy keeps ` +
    '(signatures are untagged reference artifacts of their image). Keep enough untagged manifests for them, as the default rules do with signing ' +
    `(${SIGNED_UNTAGGED_PER_IMAGE} per kept image), and no untagged rule by age.`);
}

/**
 * Custom rules that count `any` image spend their count on the untagged
 * manifests each run pushes with its image (one per platform, one per
 * attestation): "keep 10" then keeps three or four images a user can deploy.
 */
export function warnIfRulesCountManifests(scope: IConstruct, rules: ecr.LifecycleRule[] | undefined): void {
  const counting = (rules ?? []).filter((r) => r.tagStatus === ecr.TagStatus.ANY && r.maxImageCount !== undefined);
  if (counting.length === 0) {
    return;
  }
  Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}:lifecycleRulesCountManifests`,
    `lifecycleRules: the rule over any image with maxImageCount ${counting[0].maxImageCount} counts the untagged manifests each image brings ` +
    '(one per platform and per attestation, and BuildKit adds a provenance attestation by default), so it keeps fewer images than that. ' +
    'Count tagged images instead ({ tagStatus: TagStatus.TAGGED, tagPatternList: [\'*\'], maxImageCount }) plus one rule for untagged manifests, as the default rules do.');
}

/** The refs whose names the workflow pushes as image tags. */
export interface PushedRefs {
  readonly branches: string[];
  readonly tags: string[];
}

// Docker's tag grammar.
const IMAGE_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The build cache and the tag mutability that goes with it. The default is
 * the registry cache, except with exactly IMMUTABLE tags, where no tag can be
 * rewritten and so no registry cache refreshed: no cache. With
 * IMMUTABLE_WITH_EXCLUSION the cache tag becomes one of the exclusions
 * (mutable), unless a filter already matches it.
 */
export function resolveBuildCache(
  choice: BuildCache | undefined, mutability: TagMutabilitySettings, refs: PushedRefs,
): { cache: BuildCache; mutability: TagMutabilitySettings } {
  const immutable = mutability.mutability === ecr.TagMutability.IMMUTABLE;
  const cache = choice ?? (immutable ? BuildCache.none() : BuildCache.registry());
  if (cache._kind !== 'registry' || cache.tag === undefined) {
    return { cache, mutability };
  }
  const tag = cache.tag;
  checkCacheTag(tag, refs);
  if (immutable) {
    throw invalid('buildCache', `BuildCache.registry({ tag: '${tag}' })`, 'cannot be refreshed with imageTagMutability IMMUTABLE (its tag could be written once, never again)',
      'Use IMMUTABLE_WITH_EXCLUSION (the publisher then makes the cache tag alone mutable) or BuildCache.none()');
  }
  const filters = mutability.filters ?? [];
  const matching = filters.map((f) => f._render().imageTagMutabilityExclusionFilterValue).find((f): f is string => typeof f === 'string' && !Token.isUnresolved(f) && stringLike(f, tag));
  if (mutability.mutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION && matching !== undefined) {
    throw invalid('buildCache', tag, `is matched by the immutable-tag filter "${matching}" (MUTABLE_WITH_EXCLUSION makes the tags its filters match immutable), so the cache could never be refreshed`,
      'Give BuildCache.registry() a tag no filter matches, or change imageTagMutabilityExclusionFilters');
  }
  if (mutability.mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION && matching === undefined) {
    if (filters.length > MAX_EXCLUSION_FILTERS) {
      // aws-cdk-lib refuses more than five filters with its own message.
      return { cache, mutability };
    }
    if (filters.length === MAX_EXCLUSION_FILTERS) {
      throw invalid('buildCache', tag, `needs an exclusion filter of its own to stay mutable, and imageTagMutabilityExclusionFilters already has the ${MAX_EXCLUSION_FILTERS} ECR allows`,
        'Drop a filter, give the cache a tag one of the filters matches, or use BuildCache.none()');
    }
    return { cache, mutability: { ...mutability, filters: [...filters, ecr.ImageTagMutabilityExclusionFilter.wildcard(tag)] } };
  }
  return { cache, mutability };
}

/**
 * The cache tag must never be a tag the workflow pushes an image under: an
 * image would replace the cache, or the cache an image.
 */
function checkCacheTag(tag: string, refs: PushedRefs): void {
  if (Token.isUnresolved(tag)) {
    throw invalid('buildCache', tag, 'is an unresolved token', 'The workflow file holds the cache tag: give a literal tag');
  }
  if (!IMAGE_TAG_RE.test(tag)) {
    throw invalid('buildCache', tag, 'is not an image tag', 'Use 1-128 letters, digits, "_", "." or "-", not starting with "." or "-" (e.g. "buildcache")');
  }
  if (tag === 'latest' || /^sha-[0-9a-f]+$/.test(tag) || /^pr-[0-9]+$/.test(tag)) {
    throw invalid('buildCache', tag, 'is a tag the workflow pushes images under (latest, sha-<commit>, pr-<number>)', 'Use a tag of its own, e.g. "buildcache"');
  }
  for (const [prop, patterns] of [['branches', refs.branches], ['tags', refs.tags]] as const) {
    // The workflow tags an image with the branch or git tag name, "/" and other
    // characters tags cannot hold turned into "-". A pattern of "*" alone is left
    // out (any name would match; its own warning says anyone may push).
    const pattern = patterns.find((p) => !Token.isUnresolved(p) && !/^\*+$/.test(p) && stringLike(p.replace(/[^0-9A-Za-z._*?-]/g, '-'), tag));
    if (pattern !== undefined) {
      throw invalid('buildCache', tag, `is the image tag of a ${prop === 'branches' ? 'branch' : 'git tag'} the publisher trusts ("${pattern}" in ${prop}): its runs would push an image under the cache tag`,
        'Give BuildCache.registry() a tag no trusted branch or git tag can be named');
    }
  }
}

/**
 * Custom rules that do not keep the registry cache apart count its manifest
 * as one of their images (the cache is rewritten by every build, so it is
 * always among the newest), and may expire it.
 */
export function warnIfRulesCountCache(scope: IConstruct, rules: ecr.LifecycleRule[] | undefined, cache: BuildCache): void {
  const tag = cache.tag;
  if (rules === undefined || tag === undefined) {
    return;
  }
  // ECR gives each image to the first rule (by priority) whose tagging it
  // meets: the cache is kept apart when that rule is one of its own, which
  // no tag the workflow pushes images under meets.
  const meets = (r: ecr.LifecycleRule, t: string) => r.tagStatus === ecr.TagStatus.ANY
    || (r.tagPatternList !== undefined && r.tagPatternList.every((p) => stringLike(p, t)))
    || (r.tagPrefixList !== undefined && r.tagPrefixList.every((p) => t.startsWith(p)));
  const byPriority = [...rules].sort((a, b) => (a.rulePriority ?? Infinity) - (b.rulePriority ?? Infinity));
  const decider = byPriority.find((r) => meets(r, tag));
  if (decider !== undefined && !['latest', 'main', 'sha-0123abc', 'v1.2.3'].some((t) => meets(decider, t))) {
    return;
  }
  Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}:lifecycleRulesCountCache`,
    `lifecycleRules: no rule keeps the build cache (tag ${tag}) apart, so a rule that counts tagged images counts it as one of them, and a rule may expire it. ` +
    `Add { rulePriority: 1, tagStatus: TagStatus.TAGGED, tagPatternList: ['${tag}'], maxImageCount: 1 } before the others and count one image more, as the default rules do.`);
}
