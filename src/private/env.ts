// SPDX-License-Identifier: Apache-2.0
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { partitionOfRegionName } from './partitions';

/**
 * The stack's partition: a literal when the region is literal (a smaller,
 * readable template), `AWS::Partition` otherwise.
 */
export function partitionOf(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? Aws.PARTITION : regionFacts(stack.region).partition;
}

/** The stack's ECR registry host, `<account>.dkr.ecr.<region>.<DNS suffix>`. */
export function registryHostOf(stack: Stack): string {
  return `${stack.account}.dkr.ecr.${stack.region}.${urlSuffixOf(stack)}`;
}

/** The stack's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...), literal when the region is. */
export function urlSuffixOf(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? Aws.URL_SUFFIX : regionFacts(stack.region).dnsSuffix;
}

// RegionInfo's facts never change within a process; a fleet asks for the same
// region's facts several times per publisher, thousands of times in all.
const FACTS = new Map<string, { partition: string; dnsSuffix: string }>();

function regionFacts(region: string): { partition: string; dnsSuffix: string } {
  let facts = FACTS.get(region);
  if (!facts) {
    const info = RegionInfo.get(region);
    const byName = partitionOfRegionName(region);
    facts = { partition: info.partition ?? byName.partition, dnsSuffix: info.domainSuffix ?? byName.dnsSuffix };
    FACTS.set(region, facts);
  }
  return facts;
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
