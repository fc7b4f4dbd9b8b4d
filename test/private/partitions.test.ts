// Partitions by region name (no aws-cdk-lib): they must agree with what
// aws-cdk-lib's RegionInfo knows, region by region.
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { knownPartitions, partitionOfRegionName } from '../../src/private/partitions';

test('every region aws-cdk-lib knows gets its partition and DNS suffix from its name alone', () => {
  const known = RegionInfo.regions.filter((r) => r.partition && r.domainSuffix);
  expect(known.length).toBeGreaterThan(20);
  for (const r of known) {
    const { partition, dnsSuffix } = partitionOfRegionName(r.name);
    expect([r.name, partition, dnsSuffix]).toEqual([r.name, r.partition, r.domainSuffix]);
  }
});

test('an unknown name is commercial; every partition has one entry', () => {
  expect(partitionOfRegionName('ap-newregion-9').partition).toBe('aws');
  expect(new Set(knownPartitions().map((p) => p.partition)).size).toBe(knownPartitions().length);
});
