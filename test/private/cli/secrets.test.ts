// `secrets`: which value goes to which GitHub repository or Environment, from
// real cloud assemblies and the outputs file a deploy of them would write, and
// every way the two inputs can be ambiguous or wrong.
import * as fs from 'fs';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../../../examples/chatgpt-web/app';
import { GitHubEcrPublisher, GitHubEcrPublisherProps, GitHubEcrPublisherFleet } from '../../../src';
import { shellCommand } from '../../../src/private/cli/printable';
import { ghArguments, planSecrets } from '../../../src/private/cli/secrets';
import { addPublisherStacks, deploy, deployedOutputs, outputKeyOf, synthesize, TempDir } from '../../helpers/cloud-assembly';
import { ACCOUNT, ENV, REPO } from '../../helpers/fixture';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.cleanUp());

const publishers = (app: App, stacks: Record<string, Partial<GitHubEcrPublisherProps>>) => addPublisherStacks(app, stacks);

/** Plans from an assembly of `build` and the outputs a deploy of all its stacks writes (changed by `edit`). */
function plan(build: (app: App) => void, edit: (outputs: Record<string, any>) => unknown = () => undefined) {
  return planSecrets(deploy(dir, build, edit), dir.file('cdk.out'));
}

/** The assembly the last plan() read. */
function assemblyOf(): CloudAssembly {
  return new CloudAssembly(dir.file('cdk.out'));
}

/** The logical ID of the stack's one role. */
function roleIdOf(assembly: CloudAssembly, stackName: string): string {
  const resources = assembly.getStackByName(stackName).template.Resources as Record<string, { Type: string }>;
  return Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role')!;
}

/** Each scope as `where: NAME=value ...`. */
function summary(p: ReturnType<typeof planSecrets>): string[] {
  return p.scopes.map((s) => `${s.repository}${s.environment === undefined ? '' : `@${s.environment}`}: ${s.assignments.map((a) => `${a.name}=${a.value}`).join(' ')}`);
}

describe('which value goes where', () => {
  test('one publisher without environments: the four repository values, in the workflow\'s order', () => {
    const p = plan((app) => publishers(app, { Web: {} }));
    expect(summary(p)).toEqual([
      `${REPO}: AWS_REGION=us-east-1 ECR_REPOSITORY=chatgpt-web ECR_REGISTRY=${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com ` +
      `AWS_ROLE_ARN=arn:aws:iam::${ACCOUNT}:role/Web-${roleIdOf(assemblyOf(), 'Web')}`,
    ]);
    expect(p.scopes[0].environment).toBeUndefined();
    expect(p.notDeployed).toEqual([]);
  });

  test('the example app (dev and prod, one repository): each GitHub Environment gets its own stack\'s values', () => {
    const p = plan((app) => buildApp(app));
    expect(p.scopes.map((s) => [s.repository, s.environment, s.stacks])).toEqual([
      ['octo-org/chatgpt-web', 'development', ['ChatgptWebDev']],
      ['octo-org/chatgpt-web', 'production', ['ChatgptWebProd']],
    ]);
    expect(p.scopes.map((s) => s.assignments.find((a) => a.name === 'ECR_REPOSITORY')!.value)).toEqual(['chatgpt-web-dev', 'chatgpt-web-prod']);
    expect(p.scopes.map((s) => s.assignments.find((a) => a.name === 'AWS_REGION')!.value)).toEqual(['us-east-1', 'us-west-2']);
  });

  test('a publisher with two environments: both get the same four values', () => {
    const p = plan((app) => publishers(app, { Web: { environments: ['staging', 'qa / eu'] } }));
    expect(p.scopes.map((s) => s.environment)).toEqual(['staging', 'qa / eu']);
    expect(p.scopes[1].assignments.map((a) => a.value)).toEqual(p.scopes[0].assignments.map((a) => a.value));
  });

  test('publishers of two repositories in one stack: one scope each', () => {
    const p = plan((app) => {
      const stack = new Stack(app, 'Shared', { env: ENV });
      new GitHubEcrPublisher(stack, 'Api', { repo: 'octo-org/api' });
      new GitHubEcrPublisher(stack, 'Web', { repo: 'octo-org/web' });
    });
    expect(p.scopes.map((s) => [s.repository, s.assignments.find((a) => a.name === 'ECR_REPOSITORY')!.value])).toEqual([['octo-org/api', 'api'], ['octo-org/web', 'web']]);
  });

  test('stacks inside a Stage are found in the nested assembly, by their stack name', () => {
    const p = plan((app) => {
      const stage = new Stage(app, 'Prod', { env: ENV });
      new GitHubEcrPublisher(new Stack(stage, 'Web'), 'Publisher', { repo: REPO });
    });
    expect(p.scopes.map((s) => s.stacks)).toEqual([['Prod-Web']]);
  });

  test('a stack deployed without --outputs-file is reported, not guessed', () => {
    const p = plan((app) => publishers(app, {
      Dev: { repositoryName: 'web-dev', environments: ['development'] },
      Prod: { repositoryName: 'web-prod', environments: ['production'] },
    }), (outputs) => delete outputs.Prod);
    expect(p.scopes.map((s) => s.environment)).toEqual(['development']);
    expect(p.notDeployed).toEqual(['Prod']);
  });
});

describe('refused, with a message that says what to do', () => {
  test('two publishers of one repository without environments would overwrite each other\'s values', () => {
    expect(() => plan((app) => publishers(app, { Dev: { repositoryName: 'web-dev' }, Prod: { repositoryName: 'web-prod' } })))
      .toThrow(/the GitHub repository octo-org\/chatgpt-web would get two values of ECR_REPOSITORY: "web-dev" from Dev\.PublisherEcrRepository\w+ and "web-prod" from Prod\.PublisherEcrRepository\w+\. .*need different GitHub Environments/);
  });

  test('environment names are compared as GitHub does, case-insensitively', () => {
    expect(() => plan((app) => publishers(app, {
      Dev: { repositoryName: 'web-dev', environments: ['Production'] },
      Prod: { repositoryName: 'web-prod', environments: ['production'] },
    }))).toThrow(/GitHub Environment "Production" of octo-org\/chatgpt-web would get two values of ECR_REPOSITORY/);
  });

  test('a stack of the outputs file that the cloud assembly does not have', () => {
    expect(() => plan((app) => publishers(app, { Web: {} }), (outputs) => {
      outputs.Other = { Key: 'value' };
    })).toThrow(/stack "Other" of .*outputs\.json is not in .*cdk\.out \(its stacks: Web\)\. Synthesize the app that was deployed/);
  });

  test('an output the template has but the outputs file lacks (another version of the app)', () => {
    expect(() => plan((app) => publishers(app, { Web: {} }), (outputs) => {
      for (const key of Object.keys(outputs.Web).filter((k) => k.includes('AwsRoleArn'))) delete outputs.Web[key];
    })).toThrow(/outputs\.json has no output PublisherAwsRoleArn\w+ \(AWS_ROLE_ARN\) for stack "Web".*Deploy again with `cdk deploy --outputs-file`/);
  });

  test('an empty value', () => {
    expect(() => plan((app) => publishers(app, { Web: {} }), (outputs) => {
      for (const key of Object.keys(outputs.Web)) outputs.Web[key] = '';
    })).toThrow(/output Web\.PublisherAwsRegion\w+ \(AWS_REGION\) is empty/);
  });

  test.each([
    ['not JSON', '{ "Web": ', /outputs\.json is not valid JSON/],
    ['a list', '[]', /is not an outputs file: expected \{ "StackName": \{ "OutputKey": "value"/],
    ['a stack that holds a string', '{ "Web": "x" }', /stack "Web" holds "x", not an object of outputs/],
    ['a value that is not a string', '{ "Web": { "K": 1 } }', /output Web\.K is 1, not a string/],
  ])('a malformed outputs file: %s', (_case, text, message) => {
    synthesize(dir, (app) => publishers(app, { Web: {} }));
    expect(() => planSecrets(dir.write('outputs.json', text), dir.file('cdk.out'))).toThrow(message);
  });

  test('no cloud assembly', () => {
    expect(() => planSecrets(dir.write('outputs.json', {}), dir.file('cdk.out'))).toThrow(/is not a cloud assembly \(no manifest\.json\): run `cdk synth` first/);
  });

  test('no publisher outputs at all (createOutputs: false, a fleet)', () => {
    expect(() => plan((app) => {
      publishers(app, { Web: { createOutputs: false } });
      new GitHubEcrPublisherFleet(app, 'Ecr', { env: ENV, shards: 1, repositories: [{ repo: 'octo-org/api' }] });
    })).toThrow(/no GitHubEcrPublisher outputs in the stacks of .*outputs\.json \(Ecr-Base, Ecr-Shard00, Web\)\. .*GitHubEcrPublisherFleet\) have none/);
  });

  test('one stack name in two nested assemblies (two accounts)', () => {
    expect(() => plan((app) => {
      for (const [stageId, account] of [['A', '111111111111'], ['B', '222222222222']]) {
        const stage = new Stage(app, stageId, { env: { account, region: 'us-east-1' } });
        new GitHubEcrPublisher(new Stack(stage, 'Web', { stackName: 'Web' }), 'Publisher', { repo: `octo-org/web-${stageId.toLowerCase()}` });
      }
    })).toThrow(/stack name "Web" belongs to 2 stacks of .*cdk\.out \(AWeb\w+ in aws:\/\/111111111111\/us-east-1, BWeb\w+ in aws:\/\/222222222222\/us-east-1\): .*cannot tell their outputs apart/);
  });

  test('a description that starts like ours but was edited', () => {
    const assembly = synthesize(dir, (app) => publishers(app, { Web: {} }));
    const templateFile = assembly.getStackByName('Web').templateFullPath;
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const key = outputKeyOf(assembly, 'Web', 'AWS_REGION');
    template.Outputs[key].Description = 'Set as the secret (or variable) AWS_REGION of the GitHub repo octo-org/chatgpt-web';
    fs.writeFileSync(templateFile, JSON.stringify(template));
    expect(() => planSecrets(dir.write('outputs.json', deployedOutputs(assembly)), dir.file('cdk.out')))
      .toThrow(new RegExp(`Web\\.template\\.json: output ${key}: cannot read the output description`));
  });

  test('a repository that would get only some of the four values', () => {
    const assembly = synthesize(dir, (app) => publishers(app, { Web: {} }));
    const templateFile = assembly.getStackByName('Web').templateFullPath;
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    delete template.Outputs[outputKeyOf(assembly, 'Web', 'ECR_REGISTRY')];
    fs.writeFileSync(templateFile, JSON.stringify(template));
    expect(() => planSecrets(dir.write('outputs.json', deployedOutputs(assembly)), dir.file('cdk.out')))
      .toThrow(/the GitHub repository octo-org\/chatgpt-web would get AWS_REGION, ECR_REPOSITORY, AWS_ROLE_ARN but not ECR_REGISTRY/);
  });
});

describe('the gh command lines', () => {
  const a = { repository: 'octo-org/chatgpt-web', name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111111111111:role/x', source: 'S.K' };
  test('secret or variable, repository or environment', () => {
    expect(ghArguments('secret', a)).toEqual(['secret', 'set', 'AWS_ROLE_ARN', '--repo', 'octo-org/chatgpt-web', '--body', a.value]);
    expect(ghArguments('variable', { ...a, environment: 'prod eu' }))
      .toEqual(['variable', 'set', 'AWS_ROLE_ARN', '--repo', 'octo-org/chatgpt-web', '--env', 'prod eu', '--body', a.value]);
  });

  test('quoted for a POSIX shell only where needed', () => {
    expect(shellCommand('gh', ['secret', 'set', 'X', '--env', 'prod eu', '--body', "it's"])).toBe("gh secret set X --env 'prod eu' --body 'it'\\''s'");
    expect(shellCommand('gh', ['--body', 'arn:aws:iam::1:role/a-b_c.d@e'])).toBe('gh --body arn:aws:iam::1:role/a-b_c.d@e');
  });
});
