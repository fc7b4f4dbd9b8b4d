// SPDX-License-Identifier: Apache-2.0
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { partitionFromRegionName, partitionOfRegionName } from './partitions';

export { knownPartitions, partitionFromRegionName } from './partitions';

/**
 * The stack's partition: a literal when the region is literal (a smaller,
 * readable template), `AWS::Partition` otherwise.
 */
export function partitionOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.region)) {
    return RegionInfo.get(stack.region).partition ?? partitionFromRegionName(stack.region);
  }
  return Aws.PARTITION;
}

/** The stack's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...), literal when the region is. */
export function urlSuffixOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.region)) {
    return RegionInfo.get(stack.region).domainSuffix ?? partitionOfRegionName(stack.region).dnsSuffix;
  }
  return Aws.URL_SUFFIX;
}

/**
 * The audience `aws-actions/configure-aws-credentials` is told to request:
 * `sts.<DNS suffix>` (`sts.amazonaws.com`, `sts.amazonaws.com.cn` in China).
 */
export function stsAudienceOf(stack: Stack): string {
  return `sts.${urlSuffixOf(stack)}`;
}

/** The account's provider ARN for an issuer, partition-aware. */
export function providerArnOf(stack: Stack, issuerHostPath: string): string {
  return `arn:${partitionOf(stack)}:iam::${stack.account}:oidc-provider/${issuerHostPath}`;
}

/** Whether account and region are both concrete (lookups need both). */
export function hasConcreteEnv(stack: Stack): boolean {
  return !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
}
