// SPDX-License-Identifier: Apache-2.0
//
// The ECR repository's defaults, derived from the trust scope: which tags are
// immutable and which images the lifecycle policy keeps.
import { Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
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

/** "Keep the last N images", plus an optional expiry for untagged images. */
export function defaultLifecycleRules(maxImageCount: number, untaggedImageExpiry?: Duration): ecr.LifecycleRule[] {
  const rules: ecr.LifecycleRule[] = [];
  if (untaggedImageExpiry) {
    rules.push({
      description: `Expire untagged images after ${untaggedImageExpiry.toDays()} days`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: untaggedImageExpiry,
    });
  }
  rules.push({
    description: `Keep the last ${maxImageCount} images`,
    tagStatus: ecr.TagStatus.ANY,
    maxImageCount,
  });
  return rules;
}
