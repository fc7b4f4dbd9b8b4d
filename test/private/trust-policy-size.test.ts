// The trust-policy size budget: IAM counts a role's trust policy without
// whitespace against a quota (2,048 by default, 4,096 at most), and
// CloudFormation would only fail at deploy time. The construct must fail at
// synth instead, name the count and the quota, and admit more once the user
// declares a raised quota. Sizes are measured here independently, from the
// synthesized template.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher, GitHubEcrPublisherProps, GitHubIssuer } from '../src';

/** Typical branch names for the boundary: `release-01`, `release-02`, ... (10 characters). */
const branches = (n: number) => Array.from({ length: n }, (_, i) => `release-${String(i + 1).padStart(2, '0')}`);

function publish(props: Partial<GitHubEcrPublisherProps>): Stack {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  new GitHubEcrPublisher(stack, 'Publisher', { repo: 'octo-org/chatgpt-web', ...props });
  return stack;
}

/** IAM's count: the synthesized trust policy with every whitespace character removed. */
function measuredSize(stack: Stack): number {
  const [role] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  return JSON.stringify(role.Properties.AssumeRolePolicyDocument).replace(/\s/g, '').length;
}

const sizeOf = (n: number, extra: Partial<GitHubEcrPublisherProps> = {}) =>
  measuredSize(publish({ branches: branches(n), trustPolicySizeQuota: 4096, ...extra }));

// Largest number of `release-NN` branches of octo-org/chatgpt-web that fits each quota.
// On github.com every branch is trusted in two subject forms (name and immutable),
// about 112 characters per branch; GitHub Enterprise Server has one form.
// Changing the rendering changes these numbers: update them and the README together.
const FIT_2048 = 14;
const FIT_3000 = 22;
const FIT_4096 = 32;
// With ownerId/repoId (both forms again, a repository_id pin instead of the repository pin).
const FIT_2048_WITH_IDS = 14;
const FIT_2048_GHES = 31;

describe('trust policy size budget', () => {
  test.each([
    [2048, FIT_2048],
    [3000, FIT_3000],
    [4096, FIT_4096],
  ])('GIVEN quota %d WHEN %d branches THEN synth passes and the policy fits', (quota, fit) => {
    const stack = publish({ branches: branches(fit), ...(quota === 2048 ? {} : { trustPolicySizeQuota: quota }) });
    expect(measuredSize(stack)).toBeLessThanOrEqual(quota);
  });

  test.each([
    [2048, FIT_2048 + 1],
    [3000, FIT_3000 + 1],
    [4096, FIT_4096 + 1],
  ])('GIVEN quota %d WHEN %d branches THEN synth fails naming the count and the quota', (quota, n) => {
    // The count must be the real one: measure the same policy with room to spare (4,096 is the largest quota).
    const expected = quota === 4096 ? undefined : sizeOf(n);
    expect(expected === undefined || expected > quota).toBe(true);
    let message = '';
    try {
      publish({ branches: branches(n), ...(quota === 2048 ? {} : { trustPolicySizeQuota: quota }) });
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /trustPolicySizeQuota: .* is (\d+) non-whitespace characters, above the quota of (\d+)/.exec(message);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(quota);
    expect(Number(m![1])).toBeGreaterThan(quota);
    if (expected !== undefined) {
      expect(Number(m![1])).toBe(expected);
    }
    // The message says how to get out.
    expect(message).toMatch(/L-C07B4B0D/);
  });

  test('GIVEN the default quota WHEN raised to 4,096 THEN the first failing count passes', () => {
    expect(() => publish({ branches: branches(FIT_2048 + 1) })).toThrow(/above the quota of 2048/);
    expect(() => publish({ branches: branches(FIT_2048 + 1), trustPolicySizeQuota: 4096 })).not.toThrow();
  });

  test('GIVEN ownerId and repoId THEN the same budget holds', () => {
    const ids = { ownerId: 123, repoId: 456 };
    expect(measuredSize(publish({ branches: branches(FIT_2048_WITH_IDS), ...ids }))).toBeLessThanOrEqual(2048);
    expect(() => publish({ branches: branches(FIT_2048_WITH_IDS + 1), ...ids })).toThrow(/above the quota of 2048/);
  });

  test('GIVEN a policy of exactly the quota THEN it passes, one character more THEN it fails', () => {
    // GitHub Enterprise Server has one subject per branch, so one more character in a
    // branch name is one more character of policy: search the name that lands on 2,048.
    const ghes = { issuer: GitHubIssuer.enterpriseServer('github.example.com') };
    const withLast = (name: string) => [...branches(FIT_2048_GHES - 1), name];
    let exact: string | undefined;
    for (let len = 1; len <= 120 && exact === undefined; len++) {
      if (sizeOf(0, { ...ghes, branches: withLast('x'.repeat(len)) }) === 2048) exact = 'x'.repeat(len);
    }
    expect(exact).toBeDefined();
    expect(() => publish({ ...ghes, branches: withLast(exact!) })).not.toThrow();
    expect(() => publish({ ...ghes, branches: withLast(`${exact}y`) })).toThrow(/is 2049 non-whitespace characters, above the quota of 2048/);
  });
});

test('the boundary numbers are the measured ones', () => {
  // Recomputes the boundaries by measurement, so the constants above cannot drift.
  const size = (n: number, extra: Partial<GitHubEcrPublisherProps>) => {
    try {
      return sizeOf(n, extra);
    } catch {
      return Infinity; // above 4,096
    }
  };
  const largest = (quota: number, extra: Partial<GitHubEcrPublisherProps> = {}) => {
    let n = 1;
    while (size(n + 1, extra) <= quota) n++;
    return n;
  };
  expect([largest(2048), largest(3000), largest(4096), largest(2048, { ownerId: 123, repoId: 456 }),
    largest(2048, { issuer: GitHubIssuer.enterpriseServer('github.example.com') })])
    .toEqual([FIT_2048, FIT_3000, FIT_4096, FIT_2048_WITH_IDS, FIT_2048_GHES]);
});

describe('the size the construct computes', () => {
  // The construct sizes the policy from the values it renders rather than by
  // resolving the role (faster); its count must be the synthesized document's.
  test.each<[string, Partial<GitHubEcrPublisherProps>]>([
    ['branches, tags, environments', { branches: ['main', 'release/*', ...branches(16)], tags: ['v*'], environments: ['prod:eu'] }],
    ['immutable IDs and a reusable workflow', { branches: branches(16), ownerId: 1, repoId: 2, jobWorkflowRefs: ['octo-org/ci/.github/workflows/b.yml@refs/heads/main'] }],
    ['GHES', { branches: branches(36), issuer: GitHubIssuer.enterpriseServer('github.example.com') }],
  ])('equals the synthesized size: %s', (_name, props) => {
    // GIVEN
    const synthesized = measuredSize(publish({ ...props, trustPolicySizeQuota: 4096 }));

    // WHEN
    let reported: number | undefined;
    try {
      publish(props);
    } catch (e) {
      reported = Number(/is (\d+) non-whitespace characters/.exec((e as Error).message)?.[1]);
    }

    // THEN
    expect(synthesized).toBeGreaterThan(2048);
    expect(reported).toBe(synthesized);
  });
});
