// SPDX-License-Identifier: Apache-2.0
//
// The ECR repository's defaults, derived from the trust scope: which tags are
// immutable and which images the lifecycle policy keeps.
import { Annotations, Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { MAX_IMAGE_COUNT, WARNING_PREFIX } from './constants';
import { invalid } from './errors';
import { releaseTagFilters } from './tag-filters';

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
 * up to 5 platforms, or 4 with a registry build cache (whose replaced
 * manifest is untagged too).
 */
export const SIGNED_UNTAGGED_PER_IMAGE = 16;

function signedUntagged(maxImageCount: number): number {
  return Math.min(maxImageCount * SIGNED_UNTAGGED_PER_IMAGE, MAX_IMAGE_COUNT);
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
      description: `Keep the last ${signedUntagged(maxImageCount)} untagged manifests (the signatures of the kept images among them)`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageCount: signedUntagged(maxImageCount),
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
