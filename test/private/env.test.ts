// Partition, DNS suffix and audience of a stack, literal where the region is known.
import { Aws } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { partitionOf, providerArnOf, stsAudienceOf, urlSuffixOf } from '../../src/private/env';
import { knownPartitions, partitionOfRegionName } from '../../src/private/partitions';
import { ACCOUNT, GITHUB_COM_HOST, newStack } from '../helpers/fixture';

/** A stack in `region` of ACCOUNT, or an environment-agnostic one. */
const stackIn = (region?: string) => newStack({ env: region ? { account: ACCOUNT, region } : null });

describe('partition', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s -> %s (known region)', (region, partition) => {
    expect(partitionOf(stackIn(region))).toBe(partition);
  });

  test.each([
    ['test-region', 'aws'],
    ['cn-somewhere-9', 'aws-cn'],
    ['us-gov-new-1', 'aws-us-gov'],
    ['us-isob-east-9', 'aws-iso-b'],
    ['us-iso-west-9', 'aws-iso'],
    ['eu-isoe-west-9', 'aws-iso-e'],
    ['us-isof-south-9', 'aws-iso-f'],
    ['eusc-de-east-9', 'aws-eusc'],
  ])('%s -> %s (region unknown to aws-cdk-lib: inferred from its name)', (region, partition) => {
    expect(partitionOfRegionName(region).partition).toBe(partition);
    expect(partitionOf(stackIn(region))).toBe(partition);
  });

  test('environment-agnostic stack -> AWS::Partition', () => {
    expect(partitionOf(stackIn())).toBe(Aws.PARTITION);
  });
});

describe('DNS suffix and audience', () => {
  test('commercial and China regions have literal values', () => {
    expect(urlSuffixOf(stackIn('us-east-1'))).toBe('amazonaws.com');
    expect(stsAudienceOf(stackIn('us-east-1'))).toBe('sts.amazonaws.com');
    expect(stsAudienceOf(stackIn('cn-north-1'))).toBe('sts.amazonaws.com.cn');
  });

  // A region newer than this aws-cdk-lib: the audience must still be literal
  // (and right), or the rendered workflow could not name it.
  test.each([
    ['cn-southwest-9', 'sts.amazonaws.com.cn'],
    ['us-gov-new-1', 'sts.amazonaws.com'],
    ['eusc-de-east-9', 'sts.amazonaws.eu'],
    ['ap-newregion-9', 'sts.amazonaws.com'],
  ])('%s (unknown to aws-cdk-lib) -> %s, from the partition the name implies', (region, audience) => {
    expect(stsAudienceOf(stackIn(region))).toBe(audience);
  });

  test('every partition\'s region prefix maps to the DNS suffix aws-cdk-lib knows for that partition\'s regions', () => {
    const known = RegionInfo.regions.filter((r) => r.partition && r.domainSuffix);
    expect(known.length).toBeGreaterThan(20);
    for (const r of known) {
      const stack = stackIn(r.name);
      expect([r.name, partitionOfRegionName(r.name).partition, stsAudienceOf(stack)]).toEqual([r.name, r.partition, `sts.${r.domainSuffix}`]);
    }
    expect(knownPartitions().map((p) => p.partition).sort()).toEqual(['aws', 'aws-cn', 'aws-eusc', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-us-gov']);
  });

  test('environment-agnostic stack -> AWS::URLSuffix', () => {
    const stack = stackIn();
    expect(stack.resolve(stsAudienceOf(stack))).toEqual({ 'Fn::Join': ['', ['sts.', { Ref: 'AWS::URLSuffix' }]] });
  });
});

test('provider ARN is partition-aware', () => {
  expect(providerArnOf(stackIn('cn-north-1'), GITHUB_COM_HOST)).toBe(`arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${GITHUB_COM_HOST}`);
});
