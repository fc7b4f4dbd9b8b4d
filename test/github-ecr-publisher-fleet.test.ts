import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { FleetLayout, GitHubEcrPublisherFleet, GitHubEcrPublisherFleetProps, OidcProviderSource, PushPolicy } from '../src';
import { ENV, errorOf, writeForActionlint } from './helpers/fixture';
import { evaluate, githubToken, trustPolicyOf } from './helpers/iam-evaluator';
import { fleetRoleName } from '../src/private/fleet-names';
import { jumpHash, nameKey } from '../src/private/jump-hash';

function repos(n: number, prefix = 'service'): Array<{ repo: string }> {
  return Array.from({ length: n }, (_, i) => ({ repo: `octo-org/${prefix}-${i}` }));
}

function fleet(props: Partial<GitHubEcrPublisherFleetProps> = {}, app = new App()) {
  const f = new GitHubEcrPublisherFleet(app, 'Ecr', {
    env: ENV,
    shards: 4,
    repositories: repos(40),
    defaults: { tags: ['v*'], maxImageCount: 10, providerSource: OidcProviderSource.existing() },
    ...props,
  });
  return { app, fleet: f };
}

describe('shards', () => {
  test('stable stack IDs, each repository in exactly one shard, the shard its name hashes to', () => {
    const { app, fleet: f } = fleet();
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Ecr-Shard00', 'Ecr-Shard01', 'Ecr-Shard02', 'Ecr-Shard03']);
    const roleNames = assembly.stacks.flatMap((s) => Object.values(s.template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::Role').map((r) => ({ stack: s.stackName, name: r.Properties.RoleName })));
    expect(roleNames).toHaveLength(40);
    for (let i = 0; i < 40; i++) {
      const repo = `octo-org/service-${i}`;
      const shard = jumpHash(nameKey(repo), 4);
      expect(f.shardOf(repo)).toBe(shard);
      expect(roleNames.filter((r) => r.name === fleetRoleName(repo))).toEqual([{ stack: `Ecr-Shard${String(shard).padStart(2, '0')}`, name: fleetRoleName(repo) }]);
    }
  });

  test('adding a repository moves no other; growing shards by one moves only into the new shard', () => {
    const before = fleet({ repositories: repos(200) }).fleet;
    const added = fleet({ repositories: [...repos(200), { repo: 'octo-org/new-one' }] }).fleet;
    const grown = fleet({ repositories: repos(200), shards: 5 }).fleet;
    const names = repos(200).map((r) => r.repo);
    expect(names.filter((n) => added.shardOf(n) !== before.shardOf(n))).toEqual([]);
    const moved = names.filter((n) => grown.shardOf(n) !== before.shardOf(n));
    expect(moved.every((n) => grown.shardOf(n) === 4)).toBe(true);
    expect(moved.length / names.length).toBeGreaterThan(0.1);
    expect(moved.length / names.length).toBeLessThan(0.3);
  });

  test('explicit grouping pins a repository to a shard', () => {
    const { fleet: f } = fleet({ repositories: [{ repo: 'octo-org/api', shard: 3 }, ...repos(5)] });
    expect(f.shardOf('octo-org/api')).toBe(3);
    expect(() => fleet({ repositories: [{ repo: 'octo-org/api', shard: 4 }] })).toThrow(/shard: 4 is not a shard of this fleet \(0 to 3\)/);
  });

  test('no stack for a shard without repositories (CloudFormation deploys no empty stack)', () => {
    const { app, fleet: f } = fleet({ repositories: [{ repo: 'octo-org/api' }], shards: 8 });
    expect(app.synth().stacks.map((s) => s.stackName)).toEqual([`Ecr-Shard0${f.shardOf('octo-org/api')}`]);
  });

  test('nested-stack layout: one top-level stack, a nested stack per shard', () => {
    const { app } = fleet({ layout: FleetLayout.NESTED_STACKS });
    const top = app.synth().stacks.map((s) => s.stackName);
    expect(top).toEqual(['Ecr-Fleet']);
    Template.fromStack(app.node.findChild('Ecr-Fleet') as Stack).resourceCountIs('AWS::CloudFormation::Stack', 4);
  });
});

describe('validation', () => {
  test.each<[string, Partial<GitHubEcrPublisherFleetProps>, RegExp]>([
    ['shards 0', { shards: 0 }, /Ecr: shards: 0 is not a whole number from 1 up/],
    ['shards 2.5', { shards: 2.5 }, /shards: 2.5 is not a whole number/],
    ['case-duplicates', { repositories: [{ repo: 'octo-org/API' }, { repo: 'octo-org/api' }] }, /repositories: "octo-org\/api" is listed twice \(also as "octo-org\/API"/],
    ['exact duplicates', { repositories: [{ repo: 'octo-org/api' }, { repo: 'octo-org/api' }] }, /is listed twice/],
    ['env-agnostic', { env: {} }, /env: \{\} needs a concrete account and region/],
    ['roleName in defaults', { defaults: { roleName: 'x' } }, /defaults\.roleName: "x" is set by the fleet/],
    ['createOutputs per repository', { repositories: [{ repo: 'octo-org/api', createOutputs: true }] }, /repositories\[octo-org\/api\]\.createOutputs: true is set by the fleet/],
    ['roleQuota above 5,000', { roleQuota: 5001 }, /roleQuota: 5001 is outside 1 to 5000/],
  ])('%s fails', (_, props, message) => {
    expect(() => fleet(props)).toThrow(message);
  });

  test('a valid fleet passes', () => {
    expect(() => fleet({ shards: 1, repositories: repos(3) })).not.toThrow();
  });
});

describe('limits', () => {
  test('240 publishers fit a shard with the inline push policy, 241 fail and list the repositories that would move', () => {
    expect(() => fleet({ shards: 1, repositories: repos(240), roleQuota: 5000 })).not.toThrow();
    const message = errorOf(() => fleet({ shards: 1, repositories: repos(241), roleQuota: 5000 }));
    expect(message).toMatch(/shards: 1 leaves shard Shard00 with 241 repositories, above 240 per shard/);
    const moving = repos(241).map((r) => r.repo).filter((n) => jumpHash(nameKey(n), 2) === 1);
    expect(message).toContain(`these ${moving.length} repositories move to the new Shard01 and no other repository moves: ${moving.join(', ')}`);
    expect(message).toMatch(/stack refactoring/);
  });

  test('160 per shard with the managed push policy', () => {
    const defaults = { pushPolicy: PushPolicy.MANAGED, providerSource: OidcProviderSource.existing() };
    expect(() => fleet({ shards: 1, repositories: repos(160), defaults })).not.toThrow();
    expect(() => fleet({ shards: 1, repositories: repos(161), defaults }))
      .toThrow(/above 160 per shard \(3 resources each with the managed push policy/);
  });

  test('when one more shard is not enough, says how many are', () => {
    expect(() => fleet({ shards: 1, repositories: repos(700), roleQuota: 5000 })).toThrow(/One more shard is not enough: \d+ shards keep every shard within 240/);
  });

  test('every shard template stays within 500 resources and 1 MB', () => {
    const { app } = fleet({ shards: 3, repositories: repos(600), roleQuota: 5000 });
    for (const stack of app.synth().stacks) {
      expect(Object.keys(stack.template.Resources).length).toBeLessThanOrEqual(500);
      expect(JSON.stringify(stack.template, undefined, 1).length).toBeLessThan(1_000_000);
    }
  });

  test('the role quota counts every publisher of the account in the app', () => {
    const app = new App();
    fleet({ repositories: repos(600), shards: 3 }, app);
    expect(() => app.synth()).not.toThrow();
    const app2 = new App();
    new GitHubEcrPublisherFleet(app2, 'A', { env: ENV, shards: 3, repositories: repos(600, 'a'), defaults: { providerSource: OidcProviderSource.existing() } });
    new GitHubEcrPublisherFleet(app2, 'B', { env: ENV, shards: 3, repositories: repos(450, 'b'), defaults: { providerSource: OidcProviderSource.existing() } });
    expect(() => app2.synth()).toThrow(/roleQuota: 1000 is below the 1050 roles the app's publishers create in account 111111111111/);
    const app3 = new App();
    new GitHubEcrPublisherFleet(app3, 'A', { env: ENV, shards: 5, repositories: repos(1050, 'a'), roleQuota: 1050, defaults: { providerSource: OidcProviderSource.existing() } });
    expect(() => app3.synth()).not.toThrow();
  });
});

describe('provider', () => {
  test('lookup-or-create once: the first shard creates it, the other shards depend on that shard', () => {
    const app = new App();
    new GitHubEcrPublisherFleet(app, 'Ecr', { env: ENV, shards: 3, repositories: repos(30) });
    const assembly = app.synth();
    const creators = assembly.stacks.filter((s) => Object.values(s.template.Resources as Record<string, any>).some((r) => r.Type === 'AWS::IAM::OIDCProvider'));
    expect(creators.map((s) => s.stackName)).toEqual(['Ecr-Shard00']);
    for (const other of assembly.stacks.filter((s) => s.stackName !== 'Ecr-Shard00')) {
      expect(other.dependencies.map((d) => d.id)).toContain('Ecr-Shard00');
    }
  });
});

describe('organisation workflow', () => {
  const ORG = { repository: 'octo-org/platform' };

  test('trusted by every role through job_workflow_ref, for its repository only', () => {
    const { app, fleet: f } = fleet({ organizationWorkflow: ORG, repositories: repos(12) });
    app.synth();
    const ref = 'octo-org/platform/.github/workflows/ecr-publish.yml@refs/heads/main';
    for (const { repo } of repos(12)) {
      const policy = trustPolicyOf(Stack.of(f.publisherOf(repo)), f.publisherOf(repo).node.id.replace(/[^A-Za-z0-9]/g, ''));
      const token = (r: string, workflowRef = ref) => githubToken(r, 'ref:refs/tags/v1', { extra: { job_workflow_ref: workflowRef } });
      expect(evaluate(policy, token(repo))).toBe('Allowed');
      expect(evaluate(policy, token('octo-org/outsider'))).toBe('ImplicitlyDenied');
      expect(evaluate(policy, token(repo, ref.replace('refs/heads/main', 'refs/heads/dev')))).toBe('ImplicitlyDenied');
    }
  });

  test('renders the reusable workflow and a caller per repository (both linted by actionlint and zizmor in CI)', () => {
    const { fleet: f } = fleet({ organizationWorkflow: ORG });
    const org = parse(writeForActionlint('fleet-organization', f.renderOrganizationWorkflow({ artifactAttestation: true })));
    writeForActionlint('fleet-caller', f.renderCallerWorkflow('octo-org/service-1'));
    expect(org.on).toEqual({ workflow_call: {} });
    const steps = org.jobs.publish.steps;
    expect(steps[0].env).toEqual({ REPOSITORY: '${{ github.repository }}' });
    expect(steps.find((s: any) => s.name === 'Configure AWS credentials').with['role-to-assume'])
      .toBe('arn:aws:iam::111111111111:role/github-ecr/${{ steps.names.outputs.role }}');
    expect(steps.find((s: any) => s.name === 'Diagnose the failure').env.DIAGNOSE_TRUST).toBeUndefined();
    const caller = parse(f.renderCallerWorkflow('octo-org/service-1'));
    expect(caller.on).toEqual({ push: { tags: ['v**'] } });
    expect(caller.jobs.publish.uses).toBe('octo-org/platform/.github/workflows/ecr-publish.yml@main');
  });

  test('needs organizationWorkflow, and repositories that keep the derived ECR name', () => {
    expect(() => fleet().fleet.renderOrganizationWorkflow()).toThrow(/renderOrganizationWorkflow: "organizationWorkflow" is not set/);
    expect(() => fleet({ organizationWorkflow: ORG, repositories: [{ repo: 'octo-org/api', repositoryName: 'api' }] }))
      .toThrow(/repositoryName: "api" differs from "octo-org\/api", the name the organisation workflow derives/);
  });
});
