// The trust-policy size budget: IAM counts a role's trust policy without
// whitespace against a quota (2,048 by default, 4,096 at most), and
// CloudFormation would only fail at deploy time. The construct must fail at
// synth instead, name the count and the quota, and admit more once the user
// declares a raised quota. Sizes are measured here independently, from the
// synthesized template.
import { Stack, Token } from 'aws-cdk-lib';
import { GitHubEcrPublisherProps, GitHubIssuer } from '../../src';
import { stsAudienceOf } from '../../src/private/env';
import { policySize } from '../../src/private/trust-policy';
import { trustPolicySize, worstCaseSize } from '../../src/private/trust-policy-size';
import { GHES } from '../fixtures/lint/configurations';
import { errorOf, GITHUB_COM_HOST, newPublisher, newStack, PROVIDER_ARN } from '../helpers/fixture';
import { trustPolicyOf } from '../helpers/iam-evaluator';

/** Typical branch names for the boundary: `release-01`, `release-02`, ... (10 characters). */
const branches = (n: number) => Array.from({ length: n }, (_, i) => `release-${String(i + 1).padStart(2, '0')}`);

function publish(props: Partial<GitHubEcrPublisherProps>): Stack {
  return newPublisher(props).stack;
}

/** IAM's count: the synthesized trust policy with every whitespace character removed. */
function measuredSize(stack: Stack): number {
  return JSON.stringify(trustPolicyOf(stack)).replace(/\s/g, '').length;
}

/** The synthesized size under the largest quota (fails the test if even that refuses it). */
const synthesizedSize = (props: Partial<GitHubEcrPublisherProps>) => measuredSize(publish({ ...props, trustPolicySizeQuota: 4096 }));

/** The message synth fails with when the policy is over `quota`; `pin` the characters the job_workflow_ref pin takes. */
const overQuota = (quota: number, size: number, pin = 0) =>
  `Stack/Publisher: trustPolicySizeQuota: ${quota} is smaller than the role's trust policy, ${size} non-whitespace characters ` +
  '(IAM\'s default quota is 2,048' + (pin > 0 ? `; the job_workflow_ref pin of the workflow file and reusable workflows takes ${pin} of them` : '') + '). ' +
  'Trust fewer branches, tags or environments (a pattern such as "release/*" replaces many names), ' +
  (pin > 0 ? 'trust fewer refs for environment jobs (the pin lists each trusted branch and tag when environments are trusted), ' : '') +
  'or raise the IAM quota "Role trust policy length" (L-C07B4B0D, up to 4,096) and set trustPolicySizeQuota to it';

/** What the job_workflow_ref key costs in a policy of these props (measured: with it minus without the pin and the reusable workflows). */
const pinCost = (props: Partial<GitHubEcrPublisherProps>) =>
  props.issuer === GHES || props.pinWorkflowFile === false ? 0
    : synthesizedSize({ ...props, trustPolicySizeQuota: 4096 })
      - synthesizedSize({ ...props, trustPolicySizeQuota: 4096, pinWorkflowFile: false, jobWorkflowRefs: undefined });

// The largest number of `release-NN` branches of octo-org/chatgpt-web that fits
// each quota, and the policy's size with that many and with one more. On
// github.com every branch is trusted in two subject forms (name and immutable),
// 112 characters per branch, and the workflow file is pinned with one
// job_workflow_ref value; with environments the pin lists every trusted branch
// (199 characters per branch in all). GitHub Enterprise Server has one subject
// form and no claim conditions (54). Changing the rendering changes these
// numbers: update them and docs/security-model.md together.
interface Boundary {
  readonly name: string;
  readonly quota: number;
  readonly props: Partial<GitHubEcrPublisherProps>;
  /** Branches that fit, the size with them, and the size with one more. */
  readonly fit: number;
  readonly sizeAtFit: number;
  readonly sizeAbove: number;
}

const BOUNDARIES: Boundary[] = [
  { name: 'default quota', quota: 2048, props: {}, fit: 13, sizeAtFit: 2009, sizeAbove: 2121 },
  { name: 'quota 3,000', quota: 3000, props: { trustPolicySizeQuota: 3000 }, fit: 21, sizeAtFit: 2905, sizeAbove: 3017 },
  { name: 'quota 4,096', quota: 4096, props: { trustPolicySizeQuota: 4096 }, fit: 31, sizeAtFit: 4025, sizeAbove: 4137 },
  // With ownerId/repoId: both forms again, a repository_id pin instead of the repository pin.
  { name: 'ownerId and repoId', quota: 2048, props: { ownerId: 123, repoId: 456 }, fit: 13, sizeAtFit: 2047, sizeAbove: 2163 },
  // Without the workflow-file pin: the size before the pin existed.
  { name: 'pinWorkflowFile: false', quota: 2048, props: { pinWorkflowFile: false }, fit: 14, sizeAtFit: 1994, sizeAbove: 2106 },
  // With an environment the pin lists each trusted branch.
  { name: 'an environment', quota: 2048, props: { environments: ['production'] }, fit: 7, sizeAtFit: 1982, sizeAbove: 2181 },
  { name: 'an environment, quota 4,096', quota: 4096, props: { environments: ['production'], trustPolicySizeQuota: 4096 }, fit: 17, sizeAtFit: 3972, sizeAbove: 4171 },
  { name: 'GitHub Enterprise Server', quota: 2048, props: { issuer: GHES }, fit: 31, sizeAtFit: 2010, sizeAbove: 2064 },
];

describe.each(BOUNDARIES.map((b) => [b.name, b] as const))('%s', (_name, b) => {
  test(`GIVEN ${b.fit} branches THEN synth passes and the policy is ${b.sizeAtFit} characters`, () => {
    const size = measuredSize(publish({ ...b.props, branches: branches(b.fit) }));
    expect(size).toBe(b.sizeAtFit);
    expect(size).toBeLessThanOrEqual(b.quota);
  });

  test(`GIVEN ${b.fit + 1} branches THEN synth fails naming the quota and the size, ${b.sizeAbove}`, () => {
    expect(b.sizeAbove).toBeGreaterThan(b.quota);
    const props = { ...b.props, branches: branches(b.fit + 1) };
    // (above 4,096 the pin's cost is measured one branch lower: it grows by the branch's pin value)
    const pin = b.sizeAbove <= 4096 ? pinCost(props) : pinCost({ ...b.props, branches: branches(b.fit) }) + (b.props.environments ? 87 : 0);
    expect(errorOf(() => publish(props))).toBe(overQuota(b.quota, b.sizeAbove, pin));
  });

  test('THEN the reported size is the synthesized one (one branch adds as much as the one before)', () => {
    // Below 4,096 the same policy synthesizes under the largest quota; above it,
    // the last branch must add what the branch before it added.
    const size = (n: number) => synthesizedSize({ ...b.props, branches: branches(n) });
    const atFit = size(b.fit);
    const perBranch = atFit - size(b.fit - 1);
    expect(b.sizeAtFit).toBe(atFit);
    expect(b.sizeAbove).toBe(b.sizeAbove <= 4096 ? size(b.fit + 1) : b.sizeAtFit + perBranch);
  });
});

test('GIVEN the default quota WHEN raised to 4,096 THEN the first failing count passes', () => {
  expect(errorOf(() => publish({ branches: branches(14) }))).toBe(overQuota(2048, 2121, 127));
  expect(measuredSize(publish({ branches: branches(14), trustPolicySizeQuota: 4096 }))).toBe(2121);
});

test('the pin costs 127 characters without environments (one value, whatever the branches), 87 more per branch with one', () => {
  expect(pinCost({ branches: branches(1) })).toBe(127);
  expect(pinCost({ branches: branches(10) })).toBe(127);
  expect(pinCost({ branches: branches(3), environments: ['production'] }) - pinCost({ branches: branches(2), environments: ['production'] })).toBe(87);
});

test('GIVEN a policy of exactly the quota THEN it passes, one character more THEN it fails', () => {
  // GitHub Enterprise Server has one subject per branch, so one more character in a
  // branch name is one more character of policy: 30 branches and a last one of
  // 2048 - 2010 + 10 = 48 characters land on 2,048.
  const withLast = (name: string) => ({ issuer: GHES, branches: [...branches(30), name] });
  expect(measuredSize(publish(withLast('x'.repeat(48))))).toBe(2048);
  expect(errorOf(() => publish(withLast('x'.repeat(49))))).toBe(overQuota(2048, 2049));
});

describe('the size the construct computes', () => {
  // The construct sizes the policy from the values it renders rather than by
  // resolving the role (faster); its count must be the synthesized document's.
  test.each<[string, Partial<GitHubEcrPublisherProps>, number]>([
    ['branches, tags, environments', { branches: ['main', 'release/*', ...branches(6)], tags: ['v*'], environments: ['prod-eu'] }, 2326],
    ['immutable IDs and a reusable workflow', { branches: branches(16), ownerId: 1, repoId: 2, jobWorkflowRefs: ['octo-org/ci/.github/workflows/b.yml@refs/heads/main'] }, 2385],
    ['GHES', { branches: branches(36), issuer: GHES }, 2280],
  ])('equals the synthesized size: %s', (_name, props, size) => {
    // GIVEN the size of the synthesized policy
    expect(synthesizedSize(props)).toBe(size);

    // THEN the construct reports the same size under the default quota
    expect(errorOf(() => publish(props))).toBe(overQuota(2048, size, pinCost(props)));
  });
});

describe('trustPolicySize', () => {
  test('counts deploy-time values at their longest: partition aws-us-gov, a 12-digit account, amazonaws.com.cn', () => {
    // GIVEN an environment-agnostic stack: the audience and the provider ARN are tokens
    const stack = newStack({ env: null });
    const conditions = { StringEquals: { [`${GITHUB_COM_HOST}:aud`]: stsAudienceOf(stack) } };
    const providerArn = Token.asString({ Ref: 'Provider' });

    // WHEN
    const size = trustPolicySize(stack, providerArn, conditions, GitHubIssuer.GITHUB_COM);

    // THEN
    expect(size).toBe(policySize({
      Statement: [{
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${GITHUB_COM_HOST}:aud`]: 'sts.amazonaws.com.cn' } },
        Effect: 'Allow',
        Principal: { Federated: `arn:aws-us-gov:iam::123456789012:oidc-provider/${GITHUB_COM_HOST}` },
      }],
      Version: '2012-10-17',
    }));
    expect(size).toBe(305);
  });

  test('counts literal values as they are (aws instead of aws-us-gov, no .cn)', () => {
    const stack = newStack();
    const conditions = { StringEquals: { [`${GITHUB_COM_HOST}:aud`]: 'sts.amazonaws.com' } };
    expect(trustPolicySize(stack, PROVIDER_ARN, conditions, GitHubIssuer.GITHUB_COM)).toBe(305 - '-us-gov'.length - '.cn'.length);
  });
});

describe('worstCaseSize', () => {
  test('expands every deploy-time value of a synthesized document to its longest', () => {
    // GIVEN a resolved document with each kind of deploy-time value
    const longestArn = `arn:aws-us-gov:iam::123456789012:oidc-provider/${GITHUB_COM_HOST}`;
    const resolved = {
      Principal: { Federated: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
      Provider: { Ref: 'GitHubOidcProvider' },
      Imported: { 'Fn::ImportValue': 'ProviderArn' },
      Audience: { 'Fn::Join': ['', ['sts.', { Ref: 'AWS::URLSuffix' }]] },
      Where: [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Partition' }, 'literal', 7],
    };

    // THEN
    expect(worstCaseSize(resolved, GitHubIssuer.GITHUB_COM)).toBe(policySize({
      Principal: { Federated: longestArn },
      Provider: longestArn,
      Imported: longestArn,
      Audience: 'sts.amazonaws.com.cn',
      Where: ['ap-southeast-7xx', '123456789012', 'aws-us-gov', 'literal', 7],
    }));
  });

  test('the provider ARN follows the issuer', () => {
    const issuer = GitHubIssuer.enterpriseServer('github.example.com');
    expect(worstCaseSize({ Ref: 'Provider' }, issuer))
      .toBe(JSON.stringify(`arn:aws-us-gov:iam::123456789012:oidc-provider/${issuer.hostPath}`).length);
  });
});
