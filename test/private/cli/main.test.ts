// The command-line tool as a user runs it: arguments, exit codes, the printed
// commands, `--run` with a stand-in `gh` on PATH, and the offline-synth recipe
// with the real CDK CLI and no AWS credentials.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitHubEcrPublisherProps } from '../../../src';
import { Io, main, USAGE } from '../../../src/private/cli/main';
import { addPublisherStacks, deploy, TempDir } from '../../helpers/cloud-assembly';
import { ACCOUNT, REPO } from '../../helpers/fixture';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.cleanUp());

/** Runs the tool in `dir`; returns its exit code and what it printed. */
function run(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), env, cwd: dir.path };
  const code = main(args, io);
  return { code, out, err };
}

/** Synthesizes stacks with one publisher each into dir/cdk.out and writes dir/outputs.json as a deploy would. */
function deployed(stacks: Record<string, Partial<GitHubEcrPublisherProps>>): void {
  deploy(dir, (app) => addPublisherStacks(app, stacks, 'Web', (id) => ({ roleName: `${id.toLowerCase()}-push` })));
}

const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;

describe('arguments and exit codes', () => {
  test.each([
    [[], 2, 'out', 'Usage: cdk-github-ecr-publisher <command>'],
    [['--help'], 0, 'out', 'Usage: cdk-github-ecr-publisher <command>'],
    [['deploy'], 2, 'err', 'unknown command "deploy" (see --help)'],
    [['secrets'], 2, 'err', 'secrets needs --outputs-file FILE'],
    [['secrets', '--outputs-file'], 2, 'err', "secrets: Option '--outputs-file <value>' argument missing (see secrets --help)"],
    [['secrets', '--outputs-file', 'o.json', '--stack', 'X'], 2, 'err', "secrets: Unknown option '--stack'"],
    [['secrets', '--outputs-file', 'o.json'], 1, 'err', 'o.json does not exist: deploy with `cdk deploy --all --outputs-file o.json` first'],
    [['context'], 2, 'err', 'context needs exactly one of --found'],
    [['context', '--found', '--not-found'], 2, 'err', 'context needs exactly one of --found'],
    [['context', '--found'], 1, 'err', 'is not a cloud assembly (no manifest.json): run `cdk synth` first'],
  ])('%j -> exit %d', (args, code, stream, text) => {
    const result = run(args);
    expect(result.code).toBe(code);
    expect(result[stream as 'out' | 'err']).toContain(text);
  });

  test('the usage names both commands and every option', () => {
    for (const word of ['secrets', 'context', '--outputs-file', '--cdk-out', '--variables', '--run', '--found', '--not-found', '--context-file']) {
      expect(USAGE).toContain(word);
    }
  });
});

describe('secrets: printed', () => {
  test('one command per value, ready for a shell, headed by where they go', () => {
    deployed({ Dev: { repositoryName: 'web-dev', environments: ['development'] }, Prod: { repositoryName: 'web-prod', environments: ['production'] } });
    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(result.out).toBe([
      `# GitHub Environment "development" of ${REPO} (stack Dev)`,
      `gh secret set AWS_REGION --repo ${REPO} --env development --body us-east-1`,
      `gh secret set ECR_REPOSITORY --repo ${REPO} --env development --body web-dev`,
      `gh secret set ECR_REGISTRY --repo ${REPO} --env development --body ${REGISTRY}`,
      `gh secret set AWS_ROLE_ARN --repo ${REPO} --env development --body arn:aws:iam::${ACCOUNT}:role/dev-push`,
      `# GitHub Environment "production" of ${REPO} (stack Prod)`,
      `gh secret set AWS_REGION --repo ${REPO} --env production --body us-east-1`,
      `gh secret set ECR_REPOSITORY --repo ${REPO} --env production --body web-prod`,
      `gh secret set ECR_REGISTRY --repo ${REPO} --env production --body ${REGISTRY}`,
      `gh secret set AWS_ROLE_ARN --repo ${REPO} --env production --body arn:aws:iam::${ACCOUNT}:role/prod-push`,
      '',
    ].join('\n'));
  });

  test('--variables: gh variable set; --cdk-out: another assembly folder', () => {
    deployed({ Web: {} });
    fs.mkdirSync(dir.file('out'));
    fs.renameSync(dir.file('cdk.out'), dir.file('out/assembly'));
    const result = run(['secrets', '--outputs-file', 'outputs.json', '--variables', '--cdk-out', 'out/assembly']);
    expect(result.code).toBe(0);
    expect(result.out.split('\n').filter((l) => l.startsWith('gh '))).toEqual([
      `gh variable set AWS_REGION --repo ${REPO} --body us-east-1`,
      `gh variable set ECR_REPOSITORY --repo ${REPO} --body chatgpt-web`,
      `gh variable set ECR_REGISTRY --repo ${REPO} --body ${REGISTRY}`,
      `gh variable set AWS_ROLE_ARN --repo ${REPO} --body arn:aws:iam::${ACCOUNT}:role/web-push`,
    ]);
  });

  test('an ambiguous input prints nothing to run, only the reason (exit 1)', () => {
    deployed({ Dev: { repositoryName: 'web-dev' }, Prod: { repositoryName: 'web-prod' } });
    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result).toEqual({ code: 1, out: '', err: expect.stringMatching(/^cdk-github-ecr-publisher: the GitHub repository octo-org\/chatgpt-web would get two values of ECR_REPOSITORY/) });
  });
});

describe('secrets --run, with a stand-in gh on PATH', () => {
  /** A `gh` that appends its arguments (one JSON array per call) to calls.jsonl and fails on call `failOn`. */
  function stubGh(failOn?: number): NodeJS.ProcessEnv {
    const bin = dir.file('bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'gh'), `#!${process.execPath}
const fs = require('fs');
const log = ${JSON.stringify(dir.file('calls.jsonl'))};
fs.appendFileSync(log, JSON.stringify(process.argv.slice(2)) + '\\n');
const calls = fs.readFileSync(log, 'utf8').trim().split('\\n').length;
process.exit(calls === ${failOn ?? -1} ? 4 : 0);
`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  }

  const calls = () => fs.readFileSync(dir.file('calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  test('runs gh once per value, with exactly these arguments (no shell: spaces and quotes arrive intact)', () => {
    deployed({ Web: { environments: ["prod 'eu' / \"1\""] } });
    const result = run(['secrets', '--outputs-file', 'outputs.json', '--run'], stubGh());
    expect(result.code).toBe(0);
    expect(calls()).toEqual([
      ['secret', 'set', 'AWS_REGION', '--repo', REPO, '--env', "prod 'eu' / \"1\"", '--body', 'us-east-1'],
      ['secret', 'set', 'ECR_REPOSITORY', '--repo', REPO, '--env', "prod 'eu' / \"1\"", '--body', 'chatgpt-web'],
      ['secret', 'set', 'ECR_REGISTRY', '--repo', REPO, '--env', "prod 'eu' / \"1\"", '--body', REGISTRY],
      ['secret', 'set', 'AWS_ROLE_ARN', '--repo', REPO, '--env', "prod 'eu' / \"1\"", '--body', `arn:aws:iam::${ACCOUNT}:role/web-push`],
    ]);
    expect(result.out).toContain(`+ gh secret set AWS_REGION --repo ${REPO} --env 'prod '\\''eu'\\'' / "1"' --body us-east-1`);
    expect(result.out).toContain(`4 secrets set in GitHub Environment "prod 'eu' / \\"1\\"" of ${REPO}`);
  });

  test('stops at the first failing gh call and says how far it got', () => {
    deployed({ Web: {} });
    const result = run(['secrets', '--outputs-file', 'outputs.json', '--run'], stubGh(2));
    expect(calls()).toHaveLength(2);
    expect(result.code).toBe(1);
    expect(result.err).toContain('gh exited with 4; 1 of 4 values were set, the rest were not');
  });

  test('no gh on PATH', () => {
    deployed({ Web: {} });
    const result = run(['secrets', '--outputs-file', 'outputs.json', '--run'], { ...process.env, PATH: dir.file('empty') });
    expect(result.code).toBe(1);
    expect(result.err).toContain('gh (the GitHub CLI) is not on PATH');
  });
});

describe('the offline-synth recipe with the CDK CLI, without AWS credentials', () => {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  /** No credentials of any kind: no variables, no files, no instance metadata. */
  function offlineEnv(): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
    return {
      ...env,
      HOME: dir.path,
      AWS_CONFIG_FILE: dir.file('no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: dir.file('no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      TS_NODE_TRANSPILE_ONLY: '1',
      // The app lives in a temporary folder; aws-cdk-lib comes from this repository.
      NODE_PATH: path.join(repoRoot, 'node_modules'),
    };
  }
  function cdk(...args: string[]) {
    const app = `${process.execPath} -r ${require.resolve('ts-node/register')} app.ts`;
    return spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), ...args, '--app', app, '--no-notices', '--no-version-reporting'],
      { cwd: dir.path, env: offlineEnv(), encoding: 'utf8' });
  }

  test('cdk synth --no-lookups stops; context --not-found records the answer; cdk synth then runs without credentials', () => {
    dir.write('tsconfig.json', { compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0', skipLibCheck: true, rootDir: '/' } });
    dir.write('app.ts', `import { App, Stack } from 'aws-cdk-lib';
import { GitHubEcrPublisher } from ${JSON.stringify(path.join(repoRoot, 'src'))};
const app = new App();
const stack = new Stack(app, 'ChatgptWebEcr', { env: { account: '${ACCOUNT}', region: 'us-east-1' } });
new GitHubEcrPublisher(stack, 'ChatgptWeb', { repo: '${REPO}' });
`);
    const first = cdk('synth', '--no-lookups', '--quiet');
    expect(first.status).not.toBe(0);
    expect(first.stderr).toMatch(/Context lookups have been disabled/);

    const recorded = run(['context', '--not-found']);
    expect(recorded.code).toBe(0);

    const second = cdk('synth', '--quiet');
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const template = JSON.parse(fs.readFileSync(dir.file('cdk.out/ChatgptWebEcr.template.json'), 'utf8'));
    expect(Object.values(template.Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role']);
  });
});
