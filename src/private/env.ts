// SPDX-License-Identifier: Apache-2.0
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The stack's partition: a literal when the region is known (a smaller,
 * readable template), `AWS::Partition` otherwise.
 */
export function partitionOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.region)) {
    return RegionInfo.get(stack.region).partition ?? partitionFromRegionName(stack.region);
  }
  return Aws.PARTITION;
}

// Regions newer than this aws-cdk-lib (or test placeholders) are not in
// RegionInfo; their name still tells the partition, and a lookup needs a
// literal ARN.
const PARTITION_PREFIXES: Array<[string, string]> = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['eusc-', 'aws-eusc'],
];

export function partitionFromRegionName(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** The stack's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...), literal when the region is known. */
export function urlSuffixOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.region)) {
    const suffix = RegionInfo.get(stack.region).domainSuffix;
    if (suffix) {
      return suffix;
    }
  }
  return Aws.URL_SUFFIX;
}

/**
 * The audience `aws-actions/configure-aws-credentials` requests: `sts.amazonaws.com`,
 * or `sts.amazonaws.com.cn` in the China partition.
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
