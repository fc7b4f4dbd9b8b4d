// SPDX-License-Identifier: Apache-2.0
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

// Regions newer than this aws-cdk-lib (or test placeholders) are not in
// RegionInfo; their name still tells the partition, and the partition its DNS
// suffix, so ARNs, the registry host and the STS audience stay literal.
const PARTITIONS: Array<{ prefix: string; partition: string; dnsSuffix: string }> = [
  { prefix: 'cn-', partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' },
  { prefix: 'us-gov-', partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' },
  { prefix: 'us-isob-', partition: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov' },
  { prefix: 'us-isof-', partition: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov' },
  { prefix: 'eu-isoe-', partition: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk' },
  { prefix: 'us-iso-', partition: 'aws-iso', dnsSuffix: 'c2s.ic.gov' },
  { prefix: 'eusc-', partition: 'aws-eusc', dnsSuffix: 'amazonaws.eu' },
];
const COMMERCIAL = { prefix: '', partition: 'aws', dnsSuffix: 'amazonaws.com' };

function partitionOfRegionName(region: string): { partition: string; dnsSuffix: string } {
  return PARTITIONS.find((p) => region.startsWith(p.prefix)) ?? COMMERCIAL;
}

/** The partition a region name implies (commercial when no prefix matches). */
export function partitionFromRegionName(region: string): string {
  return partitionOfRegionName(region).partition;
}

/** Every partition's region prefix and DNS suffix (the commercial one last, with an empty prefix). */
export function knownPartitions(): Array<{ prefix: string; partition: string; dnsSuffix: string }> {
  return [...PARTITIONS, COMMERCIAL];
}

/**
 * The stack's partition: a literal when the region is literal (a smaller,
 * readable template), `AWS::Partition` otherwise.
 */
export function partitionOf(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? Aws.PARTITION : regionFacts(stack.region).partition;
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
