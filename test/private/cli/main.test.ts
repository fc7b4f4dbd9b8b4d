// The command-line tool as a user runs it: arguments, exit codes, the printed
// commands, `--run` with a stand-in `gh` on PATH, and the offline-synth recipe
// with the real CDK CLI and no AWS credentials.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { GitHubEcrPublisher, GitHubEcrPublisherProps, OidcProviderSource, WorkflowValueSource } from '../../../src';
import { Io, main, USAGE } from '../../../src/private/cli/main';
import { addPublisherStacks, deploy, TempDir } from '../../helpers/cloud-assembly';
import { ACCOUNT, ENV, REPO } from '../../helpers/fixture';

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

describe('secrets: what is printed cannot be forged by the inputs', () => {
  test('a stack name with a line break (an edited assembly) prints as one comment line, with no extra command', () => {
    deployed({ Web: {} });
    const evil = 'Web\ngh secret set AWS_ROLE_ARN --repo octo-org/chatgpt-web --body arn:aws:iam::999999999999:role/evil';
    const manifest = JSON.parse(fs.readFileSync(dir.file('cdk.out/manifest.json'), 'utf8'));
    manifest.artifacts.Web.properties.stackName = evil;
    fs.writeFileSync(dir.file('cdk.out/manifest.json'), JSON.stringify(manifest));
    const outputs = JSON.parse(fs.readFileSync(dir.file('outputs.json'), 'utf8'));
    fs.writeFileSync(dir.file('outputs.json'), JSON.stringify({ [evil]: outputs.Web }));

    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`# the GitHub repository ${REPO} (stack Web\\ngh secret set AWS_ROLE_ARN --repo octo-org/chatgpt-web --body arn:aws:iam::999999999999:role/evil)`);
    expect(lines.filter((l) => l.includes('999999999999'))).toEqual([lines[0]]);
  });
});

describe('secrets: the value source the app\'s workflow reads', () => {
  /** One publisher whose workflow the app renders with `sources` (none: not rendered). */
  function deployedWith(...sources: WorkflowValueSource[]): void {
    deploy(dir, (app: App) => {
      const publisher = new GitHubEcrPublisher(new Stack(app, 'Web', { env: ENV }), 'Web', { repo: REPO, roleName: 'web-push' });
      sources.forEach((valueSource) => publisher.renderWorkflow({ valueSource }));
    });
  }

  test.each([
    [[WorkflowValueSource.SECRETS], [], 0, 'gh secret set AWS_REGION'],
    [[WorkflowValueSource.VARIABLES], ['--variables'], 0, 'gh variable set AWS_REGION'],
    [[WorkflowValueSource.SECRETS], ['--variables'], 1, 'reads secrets.* (WorkflowValueSource.SECRETS), so `gh variable set` would leave its job with empty values: run without --variables'],
    [[WorkflowValueSource.VARIABLES], [], 1, 'reads vars.* (WorkflowValueSource.VARIABLES), so `gh secret set` would leave its job with empty values: add --variables'],
    [[WorkflowValueSource.INLINE], [], 1, 'has its values written in (WorkflowValueSource.INLINE): there is nothing to set'],
    // Not rendered, or rendered twice with different sources: the description does not say (as earlier versions wrote it); either flag is taken.
    [[], ['--variables'], 0, 'gh variable set AWS_REGION'],
    [[WorkflowValueSource.SECRETS, WorkflowValueSource.VARIABLES], [], 0, 'gh secret set AWS_REGION'],
  ])('workflow rendered with %j, run with %j: exit %d', (sources, flags, code, text) => {
    deployedWith(...sources);
    const result = run(['secrets', '--outputs-file', 'outputs.json', ...flags]);
    expect(result.code).toBe(code);
    expect(code === 0 ? result.out : result.err).toContain(text);
  });
});

describe('secrets: values cross-checked against the template and each other', () => {
  test('a value the template holds as a literal must be the outputs file\'s', () => {
    deploy(dir, (app) => addPublisherStacks(app, { Web: {} }), (outputs) => {
      const key = Object.keys(outputs.Web).find((k) => k.includes('AwsRegion'))!;
      outputs.Web[key] = 'eu-west-1';
    });
    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/output Web\.PublisherAwsRegion\w+ \(AWS_REGION\) is "eu-west-1" in .*outputs\.json but "us-east-1" in the template of .*cdk\.out: the file comes from another deployment/);
  });

  test('a registry in another region than AWS_REGION (values that are references in the template)', () => {
    deploy(dir, (app) => {
      // An environment-agnostic stack: region and registry are resolved at deploy time.
      new GitHubEcrPublisher(new Stack(app, 'Web'), 'Publisher', { repo: REPO, providerSource: OidcProviderSource.create() });
    }, (outputs) => {
      for (const key of Object.keys(outputs.Web)) {
        if (key.includes('AwsRegion')) outputs.Web[key] = 'us-west-2';
        if (key.includes('EcrRegistry')) outputs.Web[key] = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
        if (key.includes('AwsRoleArn')) outputs.Web[key] = `arn:aws:iam::${ACCOUNT}:role/web-push`;
        if (key.includes('EcrRepository')) outputs.Web[key] = 'chatgpt-web';
      }
    });
    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result.err).toMatch(/ECR_REGISTRY "111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com" \(Web\.\w+\) is in region us-east-1, but AWS_REGION is "us-west-2"/);
    expect(result.code).toBe(1);
  });
});

describe('secrets: the outputs file and git', () => {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir.path, encoding: 'utf8' });

  test('in a git work tree and not ignored: a note says to keep it out of git', () => {
    deployed({ Web: {} });
    git('init', '-q');
    const result = run(['secrets', '--outputs-file', 'outputs.json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('note: outputs.json holds your account ID and role ARNs, and git would commit it: add it to .gitignore ' +
      '(commit cdk.context.json and the workflow file, not the outputs file)\n');
  });

  test('ignored, or outside a work tree: no note', () => {
    deployed({ Web: {} });
    expect(run(['secrets', '--outputs-file', 'outputs.json']).err).toBe('');
    git('init', '-q');
    fs.writeFileSync(dir.file('.gitignore'), 'outputs.json\n');
    expect(run(['secrets', '--outputs-file', 'outputs.json']).err).toBe('');
  });
});

describe('context: a recorded answer is not flipped silently', () => {
  test('--not-found over a recorded "found" is refused; --replace changes it and says so', () => {
    // The app's cloud assembly still lists the lookup (synthesized before the first answer was recorded).
    deployed({ Web: {} });
    expect(run(['context', '--found']).code).toBe(0);
    const found = fs.readFileSync(dir.file('cdk.context.json'), 'utf8');

    const refused = run(['context', '--not-found']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/cdk\.context\.json already records another answer; nothing was written\. "cc-api-provider:.*": recorded "found" \(arn:aws:iam::111111111111:oidc-provider\/token\.actions\.githubusercontent\.com\), this run would record "not found" \(the app creates the provider\)\. .*--replace/);
    expect(fs.readFileSync(dir.file('cdk.context.json'), 'utf8')).toBe(found);

    const replaced = run(['context', '--not-found', '--replace']);
    expect(replaced.code).toBe(0);
    expect(replaced.err).toMatch(/^note: replaced the recorded answer \[\{"Arn":"arn:aws:iam::111111111111:oidc-provider/);
    expect(fs.readFileSync(dir.file('cdk.context.json'), 'utf8')).toContain('GITHUB_OIDC_PROVIDER_NOT_FOUND');
  });

  test('the same answer twice is fine', () => {
    deployed({ Web: {} });
    expect(run(['context', '--found']).code).toBe(0);
    expect(run(['context', '--found'])).toEqual(expect.objectContaining({ code: 0, err: '' }));
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

  test('cdk synth names the context command; cdk synth --no-lookups stops; context --not-found records the answer; cdk synth then runs without credentials', () => {
    dir.write('tsconfig.json', { compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0', skipLibCheck: true, rootDir: '/' } });
    dir.write('app.ts', `import { App, Stack } from 'aws-cdk-lib';
import { GitHubEcrPublisher } from ${JSON.stringify(path.join(repoRoot, 'src'))};
const app = new App();
const stack = new Stack(app, 'ChatgptWebEcr', { env: { account: '${ACCOUNT}', region: 'us-east-1' } });
new GitHubEcrPublisher(stack, 'ChatgptWeb', { repo: '${REPO}' });
`);
    // A plain synth tries the lookup, which needs credentials: the CDK's error, and the publisher's own that says what to do.
    const plain = cdk('synth', '--quiet');
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toMatch(/Need to perform AWS calls/);
    expect(plain.stderr).toMatch(/\/ChatgptWebEcr\/ChatgptWeb.*The lookup of the account's GitHub OIDC provider needs AWS credentials.*npx cdk-github-ecr-publisher context --not-found/);

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
