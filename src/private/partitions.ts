// SPDX-License-Identifier: Apache-2.0
//
// AWS partitions by region name, with no aws-cdk-lib import: the construct
// uses them for regions newer than its aws-cdk-lib, and the command-line tool
// (which runs without aws-cdk-lib) for the audience of a recorded lookup.

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

/** The partition and DNS suffix a region name implies (commercial when no prefix matches). */
export function partitionOfRegionName(region: string): { partition: string; dnsSuffix: string } {
  return PARTITIONS.find((p) => region.startsWith(p.prefix)) ?? COMMERCIAL;
}

/** Every partition's region prefix and DNS suffix (the commercial one last, with an empty prefix). */
export function knownPartitions(): Array<{ prefix: string; partition: string; dnsSuffix: string }> {
  return [...PARTITIONS, COMMERCIAL];
}
