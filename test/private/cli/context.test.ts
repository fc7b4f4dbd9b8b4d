// `context`: the offline-synth recipe. An app synthesized without an answer
// reports the provider lookup missing; the command records the answer under
// that exact key; the same app then synthesizes with nothing missing, with the
// provider created (not found) or imported (found). Runs against the floor and
// the newest aws-cdk-lib too (scripts/ci/cdk-range.sh), since a change of the
// lookup's key would break committed cdk.context.json files.
import * as fs from 'fs';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher } from '../../../src';
import { recordProviderLookups } from '../../../src/private/cli/context';
import { PROVIDER_NOT_FOUND } from '../../../src/private/constants';
import { synthesize, TempDir } from '../../helpers/cloud-assembly';
import { ACCOUNT, ENV, lookupKey, PROVIDER_ARN, REPO } from '../../helpers/fixture';

let dir: TempDir;
let others: TempDir[];
beforeEach(() => {
  dir = new TempDir();
  others = [];
});
afterEach(() => [dir, ...others].forEach((d) => d.cleanUp()));

/** Another folder, for the second synth of an app (as CI would, from a clean checkout with cdk.context.json). */
function another(): TempDir {
  const d = new TempDir();
  others.push(d);
  return d;
}

/** Dev (us-east-1) and Prod (us-west-2) of one account, each with a publisher using the default lookup. */
function devAndProd(app: App): Record<string, Stack> {
  const stacks: Record<string, Stack> = {};
  for (const [id, region] of [['Dev', 'us-east-1'], ['Prod', 'us-west-2']]) {
    stacks[id] = new Stack(app, id, { env: { account: ACCOUNT, region } });
    new GitHubEcrPublisher(stacks[id], 'Publisher', { repo: REPO, repositoryName: `web-${id.toLowerCase()}`, environments: [id.toLowerCase()] });
  }
  return stacks;
}

const contextOf = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('the recipe: synth, record, synth again offline', () => {
  test('--not-found: the keys are the ones the app reported; the next synth misses nothing and creates the provider once', () => {
    // GIVEN an app whose lookups are not answered yet
    const first = synthesize(dir, devAndProd);
    expect(first.manifest.missing?.map((m) => m.key).sort()).toEqual([lookupKey(ENV), lookupKey({ account: ACCOUNT, region: 'us-west-2' })].sort());

    // WHEN
    const result = recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'not-found');

    // THEN
    expect(result.recorded.map((r) => r.value)).toEqual([[{ Arn: PROVIDER_NOT_FOUND }], [{ Arn: PROVIDER_NOT_FOUND }]]);
    expect(result.otherMissing).toEqual([]);
    let stacks: Record<string, Stack> = {};
    const second = synthesize(another(), (app) => {
      stacks = devAndProd(app);
    }, contextOf(dir.file('cdk.context.json')));
    expect(second.manifest.missing).toBeUndefined();
    Template.fromStack(stacks.Dev).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(stacks.Prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('--found: the value has the shape the CDK CLI caches, with the audience; the app imports the provider', () => {
    synthesize(dir, devAndProd);
    const result = recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'found');
    expect(result.recorded[0].value).toEqual([{ Arn: PROVIDER_ARN, ClientIdList: ['sts.amazonaws.com'], Identifier: PROVIDER_ARN }]);

    let stacks: Record<string, Stack> = {};
    const second = synthesize(another(), (app) => {
      stacks = devAndProd(app);
    }, contextOf(dir.file('cdk.context.json')));
    expect(second.manifest.missing).toBeUndefined();
    for (const stack of Object.values(stacks)) {
      Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    }
  });

  test('--found in China: the audience of that partition, which the publisher\'s check accepts', () => {
    const build = (app: App) => new GitHubEcrPublisher(new Stack(app, 'Cn', { env: { account: ACCOUNT, region: 'cn-north-1' } }), 'P', { repo: REPO });
    synthesize(dir, build);
    const [recorded] = recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'found').recorded;
    expect(recorded.value).toEqual([expect.objectContaining({ ClientIdList: ['sts.amazonaws.com.cn'] })]);
    expect(synthesize(another(), build, contextOf(dir.file('cdk.context.json'))).manifest.missing).toBeUndefined();
  });

  test('a stack inside a Stage: its lookup is recorded too', () => {
    const build = (app: App) => new GitHubEcrPublisher(new Stack(new Stage(app, 'Prod', { env: ENV }), 'Web'), 'P', { repo: REPO });
    synthesize(dir, build);
    expect(recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'not-found').recorded.map((r) => r.key)).toEqual([lookupKey(ENV)]);
    const second = synthesize(another(), build, contextOf(dir.file('cdk.context.json')));
    expect(second.getNestedAssembly('assembly-Prod').manifest.missing).toBeUndefined();
    expect(second.manifest.missing).toBeUndefined();
  });
});

describe('cdk.context.json', () => {
  test('keeps the values already there, and adds the answers', () => {
    synthesize(dir, devAndProd);
    dir.write('cdk.context.json', { 'acknowledged-issue-numbers': [32775], 'other:key': 'kept' });
    recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'not-found');
    const context = contextOf(dir.file('cdk.context.json'));
    expect(Object.keys(context)).toEqual(['acknowledged-issue-numbers', 'other:key', lookupKey(ENV), lookupKey({ account: ACCOUNT, region: 'us-west-2' })]);
    expect(context['other:key']).toBe('kept');
  });

  test('a file that is not a JSON object is refused, not overwritten', () => {
    synthesize(dir, devAndProd);
    dir.write('cdk.context.json', '[]');
    expect(() => recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'found')).toThrow(/cdk\.context\.json is not a JSON object of context values/);
    expect(fs.readFileSync(dir.file('cdk.context.json'), 'utf8')).toBe('[]');
  });
});

describe('refused or reported', () => {
  test('nothing to record: every lookup is answered already', () => {
    synthesize(dir, devAndProd, { [lookupKey(ENV)]: [{ Arn: PROVIDER_NOT_FOUND }], [lookupKey({ account: ACCOUNT, region: 'us-west-2' })]: [{ Arn: PROVIDER_NOT_FOUND }] });
    expect(() => recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'found'))
      .toThrow(/reports no missing GitHub OIDC provider lookup: run `cdk synth --no-lookups` first/);
  });

  test('other lookups of the app are left alone and reported', () => {
    synthesize(dir, (app) => {
      const stack = devAndProd(app).Dev;
      // The availability zones of an account are another lookup (availability-zones provider).
      void stack.availabilityZones;
    });
    const result = recordProviderLookups(dir.file('cdk.out'), dir.file('cdk.context.json'), 'not-found');
    expect(result.recorded).toHaveLength(2);
    expect(result.otherMissing.map((m) => m.provider)).toEqual(['availability-zones']);
    expect(Object.keys(contextOf(dir.file('cdk.context.json')))).toHaveLength(2);
  });
});
