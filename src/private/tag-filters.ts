// SPDX-License-Identifier: Apache-2.0
import { Token } from 'aws-cdk-lib';

/**
 * ECR image-tag filters for the git tag patterns the role trusts. The generated
 * workflow tags the image with the git tag name, and docker/metadata-action
 * turns characters image tags cannot hold (such as "/") into "-". A pattern of
 * only "*" is left out: it would make `latest` and branch tags immutable too.
 */
export function releaseTagFilters(tags: string[]): string[] {
  const out = tags
    .filter((t) => !Token.isUnresolved(t) && !/^\*+$/.test(t))
    .map((t) => t.replace(/[^0-9A-Za-z._*-]/g, '-').slice(0, 128));
  return [...new Set(out)];
}
