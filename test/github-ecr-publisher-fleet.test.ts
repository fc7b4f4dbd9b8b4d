import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parse } from 'yaml';
import {
  FleetLayout, GitHubEcrPublisher, GitHubEcrPublisherFleet, GitHubEcrPublisherFleetProps, GitHubOidcProviderStackSet, OidcProviderSource, PushPolicy,
} from '../src';
import { ENV, errorOf, lookupKey, OTHER_ACCOUNT, PROVIDER_ARN, writeForActionlint } from './helpers/fixture';
import { evaluate, githubToken, trustPolicyOf } from './helpers/iam-evaluator';
import { PROVIDER_NOT_FOUND } from '../src/private/constants';
import { fleetRepositoryName, fleetRoleName } from '../src/private/fleet-names';
import { jumpHash, nameKey } from '../src/private/jump-hash';

function repos(n: number, prefix = 'service'): Array<{ repo: string }> {
  return Array.from({ length: n }, (_, i) => ({ repo: `octo-org/${prefix}-${i}` }));
}

/** How many of `names` each of `shards` shards holds, by the fleet's hash. */
function countBy(names: string[], shards: number): number[] {
  const counts = new Array<number>(shards).fill(0);
  names.forEach((n) => counts[jumpHash(nameKey(n.toLowerCase()), shards)]++);
  return counts;
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
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Ecr-Base', 'Ecr-Shard00', 'Ecr-Shard01', 'Ecr-Shard02', 'Ecr-Shard03']);
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

  test('no stack for a shard without repositories (CloudFormation deploys no empty stack); the base stack always', () => {
    const { app, fleet: f } = fleet({ repositories: [{ repo: 'octo-org/api' }], shards: 8 });
    expect(app.synth().stacks.map((s) => s.stackName)).toEqual(['Ecr-Base', `Ecr-Shard0${f.shardOf('octo-org/api')}`]);
  });

  test('mixed case: a repository is in the shard of its lower-cased name, under any spelling', () => {
    const names = repos(60).map((r) => r.repo);
    const lower = fleet({ repositories: names.map((repo) => ({ repo })) }).fleet;
    const mixed = fleet({ repositories: names.map((repo) => ({ repo: repo.replace('octo-org/service', 'Octo-Org/Service') })) }).fleet;
    for (const name of names) {
      expect(mixed.shardOf(name)).toBe(lower.shardOf(name));
      expect(mixed.shardOf(name.toUpperCase())).toBe(jumpHash(nameKey(name), 4));
    }
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
    ['managedPolicyQuota 0', { managedPolicyQuota: 0 }, /managedPolicyQuota: 0 is outside 1 to 5000/],
    ['defaults.repoId', { defaults: { ownerId: 1, repoId: 2 } }, /Ecr: defaults\.repoId: 2 would pin one repository's ID into the role of every repository of the fleet.*Set repoId \(with ownerId\) per repository/],
    ['defaults.ownerId with two owners', { defaults: { ownerId: 1 }, repositories: [{ repo: 'octo-org/api', repoId: 10 }, { repo: 'other-org/web', repoId: 11 }] },
      /defaults\.ownerId: 1 would pin one owner's ID into the role of every repository, but the fleet's repositories have 2 owners \(octo-org, other-org\)\. Set ownerId per repository/],
    ['providerSource per repository', { repositories: [{ repo: 'octo-org/api', providerSource: OidcProviderSource.create() }] },
      /repositories\[octo-org\/api\]\.providerSource: "an OidcProviderSource" is set per repository.*Omit it here and set defaults\.providerSource/],
    ['a gitRef pattern', { organizationWorkflow: { repository: 'octo-org/platform', gitRef: 'refs/heads/*' } },
      /organizationWorkflow\.gitRef: "refs\/heads\/\*" is a pattern: every matching branch or tag of the organisation repository/],
    ['a short gitRef', { organizationWorkflow: { repository: 'octo-org/platform', gitRef: 'main' } }, /organizationWorkflow\.gitRef: "main" is not a full branch or tag ref, or a commit SHA/],
    ['an expression in rolePath', { rolePath: '/${{github.ref}}/' }, /Ecr: rolePath: "\/\$\{\{github\.ref\}\}\/" contains a GitHub expression/],
    ['".github" (not an ECR name)', { repositories: [{ repo: 'octo-org/.github' }] },
      /repositories\[octo-org\/\.github\]\.repositoryName: "octo-org\/\.github" \(the default, derived from the GitHub name\) is not a name ECR accepts\. Set repositoryName on this repository/],
    ['"a--b" (not an ECR name), organisation workflow', { repositories: [{ repo: 'octo-org/a--b' }], organizationWorkflow: { repository: 'octo-org/platform' } },
      /repositories\[octo-org\/a--b\]\.repositoryName: "octo-org\/a--b" .*; its caller workflow passes it to the organisation workflow/],
  ])('%s fails', (_, props, message) => {
    expect(() => fleet(props)).toThrow(message);
  });

  test('a valid fleet passes, and the legitimate neighbour of each rule', () => {
    expect(() => fleet({ shards: 1, repositories: repos(3) })).not.toThrow();
    expect(() => fleet({ defaults: { ownerId: 1 }, repositories: [{ repo: 'octo-org/api', repoId: 10 }, { repo: 'Octo-Org/web', repoId: 11 }] })).not.toThrow();
    expect(() => fleet({ repositories: [{ repo: 'octo-org/api', ownerId: 1, repoId: 2 }] })).not.toThrow();
    for (const gitRef of ['refs/tags/v1', 'refs/heads/release/2026', 'a'.repeat(40)]) {
      expect(() => fleet({ organizationWorkflow: { repository: 'octo-org/platform', gitRef } })).not.toThrow();
    }
    expect(() => fleet({ rolePath: '/ci/github-ecr/' })).not.toThrow();
    expect(() => fleet({ repositories: [{ repo: 'octo-org/.github', repositoryName: 'octo-org/dot-github' }] })).not.toThrow();
  });

  test('repositories deleted with their stack warn once per fleet, naming the fix', () => {
    const warningsOf = (props: Partial<GitHubEcrPublisherFleetProps>) => {
      const { app } = fleet(props);
      return app.synth().stacks.flatMap((s) => s.messages).filter((m) => m.level === 'warning' && String(m.entry.data).includes('fleetDeletesRepositories'));
    };
    const destroy = warningsOf({ repositories: [...repos(5), { repo: 'octo-org/api', emptyOnDelete: true }], defaults: { removalPolicy: RemovalPolicy.DESTROY, providerSource: OidcProviderSource.existing() } });
    expect(destroy).toHaveLength(1);
    expect(destroy[0].id).toBe('/Ecr-Base');
    expect(String(destroy[0].entry.data)).toMatch(/^6 repositories of the fleet \(octo-org\/service-0, octo-org\/service-1, octo-org\/service-2, \.\.\.\) have removalPolicy DESTROY or emptyOnDelete: .* deletes the ECR repository and its images\. Keep the default RETAIN in fleets/);
    expect(warningsOf({ repositories: [...repos(3), { repo: 'octo-org/api', emptyOnDelete: true, removalPolicy: RemovalPolicy.DESTROY }] })).toHaveLength(1);
    expect(warningsOf({})).toHaveLength(0);
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

  test('when one more shard is not enough, says exactly how many are', () => {
    const names = repos(700).map((r) => r.repo);
    // The fewest shards that keep every shard within 240, counted here from the hash itself.
    let needed = 2;
    while (Math.max(...countBy(names, needed)) > 240) {
      needed++;
    }
    expect(needed).toBeGreaterThan(3);
    expect(errorOf(() => fleet({ shards: 1, repositories: repos(700), roleQuota: 5000 }))).toMatch(new RegExp(`One more shard is not enough: ${needed} shards keep every shard within 240$`));
  });

  test('the managed push policy counts against the account\'s customer-managed policy quota', () => {
    const defaults = { pushPolicy: PushPolicy.MANAGED, providerSource: OidcProviderSource.existing() };
    const over = fleet({ repositories: repos(11), defaults, managedPolicyQuota: 10 }).app;
    expect(() => over.synth()).toThrow(/Ecr: managedPolicyQuota: 10 is below the 11 customer-managed push policies the app's publishers create in account 111111111111 \(pushPolicy: PushPolicy\.MANAGED\)\. Raise the IAM quota "Customer managed policies per account" \(L-E95E4862/);
    expect(() => fleet({ repositories: repos(10), defaults, managedPolicyQuota: 10 }).app.synth()).not.toThrow();
    expect(() => fleet({ repositories: repos(11), managedPolicyQuota: 10 }).app.synth()).not.toThrow();
  });

  test('role names are unique per account across the app: two fleets, or a fleet and a publisher with an explicit roleName', () => {
    const twoRegions = new App();
    const existing = { providerSource: OidcProviderSource.existing() };
    new GitHubEcrPublisherFleet(twoRegions, 'East', { env: ENV, shards: 1, repositories: [{ repo: 'octo-org/api' }], defaults: existing });
    expect(() => new GitHubEcrPublisherFleet(twoRegions, 'West', { env: { account: ENV.account, region: 'us-west-2' }, shards: 1, repositories: [{ repo: 'Octo-Org/API', workflowFile: 'publish-west.yml' }], defaults: existing }))
      .toThrow(/^West-Shard00\/octo-org\.api: roleName: "octo-org\.api" is also the role name of East-Shard00\/octo-org\.api \(account 111111111111\); IAM role names are unique per account/);
    const withPublisher = new App();
    new GitHubEcrPublisherFleet(withPublisher, 'Ecr', { env: ENV, shards: 1, repositories: [{ repo: 'octo-org/api' }], defaults: existing });
    const stack = new Stack(withPublisher, 'Single', { env: { account: ENV.account, region: 'eu-west-1' } });
    expect(() => new GitHubEcrPublisher(stack, 'Web', { repo: 'octo-org/web', roleName: 'Octo-Org.API', providerSource: OidcProviderSource.existing() }))
      .toThrow(/^Single\/Web: roleName: "Octo-Org\.API" is also the role name of Ecr-Shard00\/octo-org\.api/);
    const otherAccount = new Stack(withPublisher, 'Other', { env: { account: OTHER_ACCOUNT, region: 'us-east-1' } });
    expect(() => new GitHubEcrPublisher(otherAccount, 'Web', { repo: 'octo-org/other', roleName: 'octo-org.api', providerSource: OidcProviderSource.existing() })).not.toThrow();
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

/** The stacks of an assembly that hold the provider, and each stack's dependencies, by name. */
function providerOwners(assembly: CloudAssembly): string[] {
  return assembly.stacks.filter((s) => Object.values(s.template.Resources as Record<string, any>).some((r) => r.Type === 'AWS::IAM::OIDCProvider')).map((s) => s.stackName);
}

function dependenciesOf(assembly: CloudAssembly, stackName: string): string[] {
  return assembly.getStackByName(stackName).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'));
}

/** A lookup-or-create fleet (the default provider source) whose lookup found no provider. */
function lookupFleet(app: App, id: string, props: Partial<GitHubEcrPublisherFleetProps> = {}): GitHubEcrPublisherFleet {
  return new GitHubEcrPublisherFleet(app, id, { env: ENV, shards: 3, repositories: repos(12, id.toLowerCase()), ...props });
}

const NOT_FOUND = [{ Arn: PROVIDER_NOT_FOUND }];

describe('provider: the base stack owns it', () => {
  test('lookup-or-create: the base stack creates it, retained; every shard depends on the base stack and none creates it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    lookupFleet(app, 'Ecr', { repositories: repos(30) });
    const assembly = app.synth();
    expect(providerOwners(assembly)).toEqual(['Ecr-Base']);
    Template.fromJSON(assembly.getStackByName('Ecr-Base').template).hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Retain' });
    for (const shard of assembly.stacks.filter((s) => s.stackName.startsWith('Ecr-Shard'))) {
      expect(dependenciesOf(assembly, shard.stackName)).toEqual(['Ecr-Base']);
    }
    expect(dependenciesOf(assembly, 'Ecr-Base')).toEqual([]);
    expect(assembly.stacks.flatMap((s) => s.messages).filter((m) => String(m.entry.data).includes(':providerHome'))).toEqual([]);
  });

  test('provider found (or imported): the base stack still deploys (one wait-condition handle) and the shards still depend on it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: [{ Arn: PROVIDER_ARN }] } });
    lookupFleet(app, 'Ecr');
    const assembly = app.synth();
    expect(providerOwners(assembly)).toEqual([]);
    expect(Object.values(assembly.getStackByName('Ecr-Base').template.Resources as Record<string, any>).map((r) => r.Type))
      .toEqual(['AWS::CloudFormation::WaitConditionHandle']);
    expect(dependenciesOf(assembly, 'Ecr-Shard00')).toEqual(['Ecr-Base']);
  });

  test('the base stack holds no wait-condition handle once it holds the provider', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    lookupFleet(app, 'Ecr');
    Template.fromJSON(app.synth().getStackByName('Ecr-Base').template).resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 0);
  });

  test('nested stacks: the parent stack owns it and every nested shard waits for it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const f = lookupFleet(app, 'Ecr', { layout: FleetLayout.NESTED_STACKS });
    expect(f.baseStack).toBe(f.parentStack);
    const parent = Template.fromStack(f.parentStack!);
    const [providerId] = Object.keys(parent.findResources('AWS::IAM::OIDCProvider'));
    const nested = parent.findResources('AWS::CloudFormation::Stack');
    expect(Object.keys(nested)).toHaveLength(3);
    for (const resource of Object.values(nested)) {
      expect(resource.DependsOn).toEqual([providerId]);
    }
    for (const shard of f.shardStacks) {
      Template.fromStack(shard).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    }
  });

  // What CloudFormation stack refactoring needs to move the provider from the
  // shard that created it in earlier versions into the base stack: the same
  // logical ID, type, properties and policies.
  test('the provider in the base stack is the resource a shard created before, so a refactor moves it as it is', () => {
    const before = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const shard = new Stack(before, 'Ecr-Shard00', { env: ENV });
    new GitHubEcrPublisher(shard, 'octo-org.service-1', { repo: 'octo-org/service-1', roleName: 'octo-org.service-1', rolePath: '/github-ecr/', createOutputs: false });
    const after = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const f = lookupFleet(after, 'Ecr');
    const providerOf = (stack: Stack) => {
      const resources = Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider');
      return Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, { ...r, Metadata: undefined }]));
    };
    const moved = providerOf(f.baseStack);
    expect(Object.keys(moved)).toHaveLength(1);
    expect(moved).toEqual(providerOf(shard));
  });
});

describe('provider: fleets combined with fleets and publishers', () => {
  test('two fleets of one account (one region or two): the first base stack by path owns it, the other fleet\'s shards depend on it', () => {
    for (const regionB of ['us-east-1', 'us-west-2']) {
      const envB = { account: ENV.account, region: regionB };
      const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND, [lookupKey(envB)]: NOT_FOUND } });
      lookupFleet(app, 'Zeta');
      lookupFleet(app, 'Alpha', { env: envB });
      const assembly = app.synth();
      expect(providerOwners(assembly)).toEqual(['Alpha-Base']);
      // Adding a fleet that sorts first moves the provider: say so, once, where it lands.
      const warnings = assembly.stacks.flatMap((s) => s.messages).filter((m) => String(m.entry.data).includes(':providerHome'));
      expect(warnings.map((m) => m.id)).toEqual(['/Alpha-Base']);
      expect(String(warnings[0].entry.data)).toMatch(/^2 fleets of account 111111111111 could hold the https:\/\/token\.actions\.githubusercontent\.com provider \(Alpha-Base, Zeta-Base\); it is created in Alpha-Base, the first by construct path\. .*cdk refactor/);
      Template.fromJSON(assembly.getStackByName('Zeta-Base').template).resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 1);
      const zetaShards = assembly.stacks.filter((s) => s.stackName.startsWith('Zeta-Shard'));
      expect(zetaShards.length).toBeGreaterThan(0);
      for (const shard of zetaShards) {
        expect(dependenciesOf(assembly, shard.stackName)).toEqual(expect.arrayContaining(['Zeta-Base', 'Alpha-Base']));
      }
    }
  });

  test('fleets of two accounts: each base stack owns its account\'s provider', () => {
    const other = { account: OTHER_ACCOUNT, region: 'us-east-1' };
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND, [lookupKey(other)]: NOT_FOUND } });
    lookupFleet(app, 'A');
    lookupFleet(app, 'B', { env: other });
    expect(providerOwners(app.synth()).sort()).toEqual(['A-Base', 'B-Base']);
  });

  test('a single publisher whose stack sorts first: the fleet\'s base stack still owns it, and the publisher\'s stack depends on it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const single = new Stack(app, 'Aaa', { env: ENV });
    new GitHubEcrPublisher(single, 'Web', { repo: 'octo-org/web' });
    lookupFleet(app, 'Ecr');
    const assembly = app.synth();
    expect(providerOwners(assembly)).toEqual(['Ecr-Base']);
    expect(dependenciesOf(assembly, 'Aaa')).toEqual(['Ecr-Base']);
  });

  test('an explicit create() of a publisher stays the owner: the fleet\'s shards use it and wait for it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const single = new Stack(app, 'Zzz', { env: ENV });
    new GitHubEcrPublisher(single, 'Web', { repo: 'octo-org/web', providerSource: OidcProviderSource.create() });
    lookupFleet(app, 'Ecr');
    const assembly = app.synth();
    expect(providerOwners(assembly)).toEqual(['Zzz']);
    expect(dependenciesOf(assembly, 'Ecr-Shard00')).toEqual(expect.arrayContaining(['Ecr-Base', 'Zzz']));
  });

  test('the StackSet\'s includeThisAccount provider is the account\'s one: the fleet creates none and its shards wait for it', () => {
    const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
    const management = new Stack(app, 'Org', { env: ENV });
    new GitHubOidcProviderStackSet(management, 'Provider', { organizationalUnitIds: ['ou-ab12-cdefgh34'], includeThisAccount: true });
    lookupFleet(app, 'Ecr');
    const assembly = app.synth();
    expect(providerOwners(assembly)).toEqual(['Org']);
    expect(dependenciesOf(assembly, 'Ecr-Shard00')).toEqual(expect.arrayContaining(['Ecr-Base', 'Org']));
  });
});

/** Each role and ECR repository of an assembly: logical ID -> stack. */
function placement(assembly: CloudAssembly): Map<string, string> {
  const out = new Map<string, string>();
  for (const stack of assembly.stacks) {
    for (const [id, r] of Object.entries(stack.template.Resources as Record<string, any>)) {
      if (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::ECR::Repository') {
        out.set(`${r.Properties.RoleName ?? r.Properties.RepositoryName} ${id}`, stack.stackName);
      }
    }
  }
  return out;
}

describe('growth', () => {
  // A fleet of 50 whose shard 0 is empty at first (the case where creating the
  // provider in the first non-empty shard moved it), then one more repository
  // at every shard position, then one more shard.
  test('the provider never moves; every role and repository that does not move shard keeps its stack and logical ID', () => {
    const SHARDS = 3;
    const candidates = Array.from({ length: 400 }, (_, i) => `Octo-Org/Service-${i}`);
    const initial = candidates.filter((n) => jumpHash(nameKey(n.toLowerCase()), SHARDS) !== 0).slice(0, 50);
    const synth = (names: string[], shards: number) => {
      const app = new App({ context: { [lookupKey(ENV)]: NOT_FOUND } });
      const f = new GitHubEcrPublisherFleet(app, 'Ecr', { env: ENV, shards, repositories: names.map((repo) => ({ repo })) });
      return { f, assembly: app.synth() };
    };
    const start = synth(initial, SHARDS);
    expect(providerOwners(start.assembly)).toEqual(['Ecr-Base']);
    const before = placement(start.assembly);
    expect(before.size).toBe(100);

    for (let position = 0; position < SHARDS; position++) {
      const added = candidates.find((n) => !initial.includes(n) && jumpHash(nameKey(n.toLowerCase()), SHARDS) === position)!;
      const grown = synth([...initial, added], SHARDS);
      expect(grown.f.shardOf(added)).toBe(position);
      expect(providerOwners(grown.assembly)).toEqual(['Ecr-Base']);
      const after = placement(grown.assembly);
      expect(after.size).toBe(102);
      for (const [resource, stack] of before) {
        expect([resource, after.get(resource)]).toEqual([resource, stack]);
      }
    }

    const more = synth(initial, SHARDS + 1);
    expect(providerOwners(more.assembly)).toEqual(['Ecr-Base']);
    const after = placement(more.assembly);
    const moved = initial.filter((n) => more.f.shardOf(n) !== start.f.shardOf(n));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((n) => more.f.shardOf(n) === SHARDS)).toBe(true);
    for (const [resource, stack] of before) {
      const repo = initial.find((n) => resource.startsWith(`${fleetRoleName(n)} `) || resource.startsWith(`${n.toLowerCase()} `))!;
      expect(after.get(resource)).toBe(moved.includes(repo) ? `Ecr-Shard0${SHARDS}` : stack);
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
    expect(Object.keys(org.on.workflow_call.inputs)).toEqual(['environment', 'immutable-tags', 'pull-requests', 'ecr-repository', 'build-cache', 'cache-tag', 'image-signing']);
    for (const id of ['publish', 'publish-in-environment']) {
      const steps = org.jobs[id].steps;
      expect(steps[0].env).toEqual({
        REPOSITORY: '${{ github.repository }}',
        ECR_REPOSITORY_INPUT: '${{ inputs.ecr-repository }}',
        BUILD_CACHE: '${{ inputs.build-cache }}',
        CACHE_TAG: '${{ inputs.cache-tag }}',
      });
      expect(steps.find((s: any) => s.name === 'Configure AWS credentials').with['role-to-assume'])
        .toBe('arn:aws:iam::111111111111:role/github-ecr/${{ steps.names.outputs.role }}');
      expect(steps.find((s: any) => s.name === 'Diagnose the failure').env.DIAGNOSE_TRUST).toBeUndefined();
    }
    expect(org.jobs['publish-in-environment'].environment).toBe('${{ inputs.environment }}');
    expect(org.jobs.publish.environment).toBeUndefined();
    expect(org.jobs.publish.if).toMatch(/^inputs\.environment == '' && /);
    expect(org.jobs['publish-in-environment'].if).toBe("inputs.environment != '' && github.event_name != 'pull_request'");
    const caller = parse(f.renderCallerWorkflow('octo-org/service-1'));
    expect(caller.on).toEqual({ push: { tags: ['v**'] } });
    expect(caller.jobs).toEqual({
      publish: {
        uses: 'octo-org/platform/.github/workflows/ecr-publish.yml@main',
        permissions: { 'id-token': 'write', 'contents': 'read' },
        with: { 'immutable-tags': false, 'image-signing': false, 'build-cache': 'registry', 'cache-tag': 'buildcache' },
      },
    });
  });

  test('immutable tags: the input switches the tag rules, and a repository\'s own IMMUTABLE reaches its caller', () => {
    const { fleet: f } = fleet({
      organizationWorkflow: ORG,
      repositories: [{ repo: 'octo-org/api', imageTagMutability: ecr.TagMutability.IMMUTABLE }, { repo: 'octo-org/web' }],
    });
    const tags = parse(f.renderOrganizationWorkflow()).jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags.trim().split('\n');
    expect(tags).toEqual([
      "type=raw,value=latest,enable=${{ !inputs.immutable-tags && github.ref == 'refs/heads/main' }}",
      'type=ref,event=branch,enable=${{ !inputs.immutable-tags }}',
      'type=ref,event=tag,enable=${{ !inputs.immutable-tags }}',
      'type=ref,event=pr,enable=${{ !inputs.immutable-tags }}',
      'type=sha,prefix=sha-,format=short,enable=${{ !inputs.immutable-tags }}',
      // Immutable: tags no other run pushes (the publisher's rules, each also switched by the input).
      "type=ref,event=tag,enable=${{ inputs.immutable-tags && github.event_name == 'push' }}",
      "type=sha,prefix=sha-,format=long,enable=${{ inputs.immutable-tags && github.event_name == 'push' && startsWith(github.ref, 'refs/heads/') }}",
      "type=sha,prefix=sha-,suffix=-run-${{ github.run_id }},format=long,enable=${{ inputs.immutable-tags && github.event_name == 'workflow_dispatch' }}",
      "type=sha,prefix=pr-${{ github.event.pull_request.number }}-sha-,format=long,enable=${{ inputs.immutable-tags && github.event_name == 'pull_request' }}",
    ]);
    expect(parse(f.renderCallerWorkflow('octo-org/api')).jobs.publish.with['immutable-tags']).toBe(true);
    expect(parse(f.renderCallerWorkflow('octo-org/web')).jobs.publish.with['immutable-tags']).toBe(false);
    const immutableDefaults = { imageTagMutability: ecr.TagMutability.IMMUTABLE, providerSource: OidcProviderSource.existing() };
    const immutableFleet = fleet({ organizationWorkflow: ORG, defaults: immutableDefaults }).fleet;
    expect(parse(immutableFleet.renderOrganizationWorkflow()).on.workflow_call.inputs['immutable-tags'].default).toBe(true);
  });

  test('the caller\'s triggers and jobs follow its repository\'s own trust: environment-only and pull-request-only repositories can publish', () => {
    const { fleet: f } = fleet({
      organizationWorkflow: ORG,
      defaults: { providerSource: OidcProviderSource.existing() },
      repositories: [
        { repo: 'octo-org/env-only', environments: ['production'] },
        { repo: 'octo-org/pr-only', allowPullRequests: true },
        { repo: 'octo-org/mixed', branches: ['main'], environments: ['staging'], allowPullRequests: true },
      ],
    });
    const envOnly = parse(writeForActionlint('fleet-caller-environment', f.renderCallerWorkflow('octo-org/env-only')));
    expect(envOnly.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.keys(envOnly.jobs)).toEqual(['publish-production']);
    expect(envOnly.jobs['publish-production'].with)
      .toEqual({ 'environment': 'production', 'immutable-tags': false, 'image-signing': false, 'build-cache': 'registry', 'cache-tag': 'buildcache' });
    expect(parse(f.renderCallerWorkflow('octo-org/env-only', { defaultBranch: 'trunk' })).on).toEqual({ push: { branches: ['trunk'] } });

    const prOnly = parse(writeForActionlint('fleet-caller-pull-requests', f.renderCallerWorkflow('octo-org/pr-only')));
    expect(prOnly.on).toEqual({ pull_request: null });
    expect(prOnly.jobs.publish.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(prOnly.jobs.publish.with).toEqual({ 'immutable-tags': false, 'image-signing': false, 'pull-requests': true, 'build-cache': 'registry', 'cache-tag': 'buildcache' });

    const mixed = parse(f.renderCallerWorkflow('octo-org/mixed', { workflowDispatch: true }));
    expect(mixed.on).toEqual({ push: { branches: ['main'] }, pull_request: null, workflow_dispatch: null });
    expect(Object.keys(mixed.jobs)).toEqual(['publish', 'publish-staging']);
    expect(mixed.jobs['publish-staging'].if).toBe("github.event_name != 'pull_request'");
  });

  test('every job a caller starts gets a token its role trusts (environment and pull request forms)', () => {
    const { app, fleet: f } = fleet({
      organizationWorkflow: ORG,
      defaults: { providerSource: OidcProviderSource.existing() },
      repositories: [{ repo: 'octo-org/env-only', environments: ['production'] }, { repo: 'octo-org/pr-only', allowPullRequests: true }],
    });
    app.synth();
    const ref = 'octo-org/platform/.github/workflows/ecr-publish.yml@refs/heads/main';
    const policyOf = (repo: string) => trustPolicyOf(Stack.of(f.publisherOf(repo)), f.publisherOf(repo).node.id.replace(/[^A-Za-z0-9]/g, ''));
    const call = (repo: string, context: string) => evaluate(policyOf(repo), githubToken(repo, context, { extra: { job_workflow_ref: ref } }));
    expect(call('octo-org/env-only', 'environment:production')).toBe('Allowed');
    expect(call('octo-org/env-only', 'ref:refs/heads/main')).toBe('ImplicitlyDenied');
    expect(call('octo-org/pr-only', 'pull_request')).toBe('Allowed');
  });

  test('a caller refuses build settings (they belong to the organisation workflow)', () => {
    const { fleet: f } = fleet({ organizationWorkflow: ORG });
    expect(() => f.renderCallerWorkflow('octo-org/service-1', { dockerfile: 'Dockerfile', platforms: ['linux/arm64'] }))
      .toThrow(/renderCallerWorkflow: \["dockerfile","platforms"\] are settings of the organisation workflow's build job, not of a caller\. Give them to renderOrganizationWorkflow\(\)/);
  });

  test('the rendered derivation step gives the library\'s role and ECR repository for every name, any case, long or overridden', () => {
    const { fleet: f } = fleet({ organizationWorkflow: ORG });
    const step = parse(f.renderOrganizationWorkflow()).jobs.publish.steps.find((s: any) => s.id === 'names');
    const names = ['octo-org/api', 'Octo-Org/API', `Octo-Org/${'Long-Name'.repeat(8)}`, `${'A'.repeat(39)}/${'B'.repeat(90)}`, 'a/.github'];
    for (const [name, override] of names.flatMap((n) => [[n, ''], [n, 'team/custom']])) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'names-'));
      const output = path.join(dir, 'out');
      fs.writeFileSync(output, '');
      execFileSync('bash', ['--norc', '--noprofile', '-e', '-c', step.run], { env: { PATH: process.env.PATH, REPOSITORY: name, ECR_REPOSITORY_INPUT: override, BUILD_CACHE: 'none', GITHUB_OUTPUT: output } });
      expect(fs.readFileSync(output, 'utf8')).toBe(`role=${fleetRoleName(name)}\necr_repository=${override || fleetRepositoryName(name)}\n`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('needs organizationWorkflow; a repository with its own ECR name passes it to the organisation workflow', () => {
    expect(() => fleet().fleet.renderOrganizationWorkflow()).toThrow(/renderOrganizationWorkflow: "organizationWorkflow" is not set/);
    const { fleet: f } = fleet({ organizationWorkflow: ORG, repositories: [{ repo: 'octo-org/.github', repositoryName: 'octo-org/dot-github' }, { repo: 'octo-org/api' }] });
    expect(parse(f.renderCallerWorkflow('octo-org/.github')).jobs.publish.with['ecr-repository']).toBe('octo-org/dot-github');
    expect(parse(f.renderCallerWorkflow('octo-org/api')).jobs.publish.with['ecr-repository']).toBeUndefined();
  });
});
