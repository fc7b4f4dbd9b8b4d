// The rendered workflow's diagnosis (its last step runs the workflow's own
// diagnosis action), executed as actions/github-script would run it (an async
// function of `core`, `exec` and the process), with a stubbed OIDC token, a
// stubbed `aws` CLI and the job's environment, for the ways a publishing job
// commonly fails. Its printed diagnosis is checked.
import * as path from 'path';
import { parse } from 'yaml';
import { GeneratedFile, GitHubEcrPublisherProps, ImageSigning, OidcProviderSource, WorkflowOptions, WorkflowValueSource } from '../src';
import { jobClaims, MAIN_SUBJECT as MAIN, newPublisher, REPO, workflowRefOf } from './helpers/fixture';

const REGISTRY = '111111111111.dkr.ecr.us-east-1.amazonaws.com';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/publisher';

interface Run {
  /** The token's claims (the diagnosis requests it with the step's audience). */
  readonly claims?: Record<string, string>;
  /** The job's environment variables, over the rendered step's and a healthy runner's. */
  readonly env?: Record<string, string | undefined>;
  /** What `aws ecr batch-check-layer-availability` answers. */
  readonly probe?: { exitCode: number; stderr?: string };
}

interface Output {
  readonly lines: string[];
  readonly problems: string[];
  readonly audience?: string;
  readonly probeArgs?: string[];
}

/**
 * The diagnosis as the first job of the rendered workflow runs it: its last
 * step runs the workflow's diagnosis action, whose one github-script step
 * gets the action's inputs (`${{ inputs.x }}`) from that step's `with:`.
 */
function diagnosisStep(props: Partial<GitHubEcrPublisherProps> = {}, options: WorkflowOptions = {}): any {
  return diagnosisOf(newPublisher(props).publisher.renderWorkflowFiles(options));
}

function diagnosisOf(files: GeneratedFile[]): any {
  const wf = parse(files[0].content);
  const job: any = Object.values(wf.jobs)[0];
  const step = job.steps[job.steps.length - 1];
  expect(step).toEqual(expect.objectContaining({ name: 'Diagnose the failure', if: 'failure()' }));
  const action = parse(files.find((f) => `./${path.posix.dirname(f.path)}` === step.uses)!.content);
  expect(action.runs.using).toBe('composite');
  const script = action.runs.steps[0];
  // An input the step leaves out gets its default; a required one is always given (actionlint checks it).
  const inputs: Record<string, string> = Object.fromEntries(Object.entries<any>(action.inputs)
    .map(([name, spec]) => [name, step.with[name] ?? spec.default]));
  const env = Object.fromEntries(Object.entries<string>(script.env).map(([name, value]) =>
    [name, value.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, input: string) => inputs[input])]));
  return { ...script, env };
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;

const jwt = (claims: Record<string, string>) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJlLW5ldmVyLXByaW50ZWQ`;

/** Runs the step's script as github-script does, with the runner's environment as GitHub would set it. */
async function runDiagnosis(step: any, run: Run = {}): Promise<Output> {
  const lines: string[] = [];
  const problems: string[] = [];
  let audience: string | undefined;
  let probeArgs: string[] | undefined;
  const claims = run.claims ?? jobClaims();
  const token = jwt(claims);
  const core = {
    info: (t: string) => lines.push(t),
    error: (t: string) => { lines.push(`ERROR ${t}`); problems.push(t); },
    getIDToken: async (aud?: string) => { audience = aud; return token; },
  };
  const exec = {
    getExecOutput: async (command: string, args: string[]) => {
      expect(command).toBe('aws');
      probeArgs = args;
      return { exitCode: run.probe?.exitCode ?? 0, stdout: '', stderr: run.probe?.stderr ?? '' };
    },
  };
  // Secrets as GitHub resolves them for this job: the rendered env maps them to DIAGNOSE_*.
  const resolved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries<string>(step.env)) {
    resolved[name] = value
      .replace('${{ secrets.AWS_REGION }}', 'us-east-1').replace('${{ secrets.ECR_REPOSITORY }}', 'chatgpt-web')
      .replace('${{ secrets.ECR_REGISTRY }}', REGISTRY).replace('${{ secrets.AWS_ROLE_ARN }}', ROLE_ARN);
  }
  const env = {
    ...resolved,
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/token',
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
    ...run.env,
  };
  await new AsyncFunction('core', 'exec', 'process', step.with.script)(core, exec, { env });
  expect(lines.join('\n')).not.toContain(token.split('.')[2]);
  expect(lines.join('\n')).not.toContain(token);
  return { lines, problems, audience, probeArgs };
}

describe('the diagnosis of a failed publishing job', () => {
  test('1. nothing wrong: the claims are printed (never the token), everything passes, the failure is elsewhere', async () => {
    const out = await runDiagnosis(diagnosisStep());
    expect(out.problems).toEqual([]);
    expect(out.audience).toBe('sts.amazonaws.com');
    expect(out.lines).toContain(`Token claims (the token itself is not printed): aud="sts.amazonaws.com", sub="${MAIN}", repository="${REPO}", job_workflow_ref="${workflowRefOf('refs/heads/main')}"`);
    expect(out.lines).toContain('The token satisfies every condition of the role\'s trust policy as rendered.');
    expect(out.lines).toContain('The role can reach ECR_REPOSITORY in AWS_REGION.');
    expect(out.lines[out.lines.length - 1]).toMatch(/^No problem found with the token, the trust policy or the four values: the failure is elsewhere/);
    expect(out.probeArgs).toEqual(['ecr', 'batch-check-layer-availability', '--repository-name', 'chatgpt-web', '--region', 'us-east-1',
      '--layer-digests', `sha256:${'0'.repeat(64)}`, '--output', 'json']);
  });

  test('2. an environment name in another case', async () => {
    const out = await runDiagnosis(diagnosisStep({ environments: ['production'] }), {
      claims: jobClaims({ sub: 'repo:octo-org/chatgpt-web:environment:Production' }),
    });
    expect(out.problems).toEqual([expect.stringMatching(/^token\.actions\.githubusercontent\.com:sub \(StringLike\) refuses "repo:octo-org\/chatgpt-web:environment:Production"; accepted: .*Environment names are case-sensitive in the sub claim: the role trusts "production", the job declares "Production"\.$/)]);
  });

  test('3. a pull_request run while allowPullRequests is false', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      claims: jobClaims({ sub: 'repo:octo-org/chatgpt-web:pull_request', job_workflow_ref: workflowRefOf('refs/pull/3/merge') }),
    });
    expect(out.problems.join('\n')).toMatch(/This is a pull_request run, which the role does not trust: set allowPullRequests: true/);
  });

  test('4. a branch where the role trusts a tag of that name', async () => {
    const out = await runDiagnosis(diagnosisStep({ tags: ['v*'] }), {
      claims: jobClaims({ sub: 'repo:octo-org/chatgpt-web:ref:refs/heads/v2', job_workflow_ref: workflowRefOf('refs/heads/v2') }),
    });
    expect(out.problems.join('\n')).toMatch(/The run is on the branch "v2", but the role trusts "v2" as a tag \(tags\)/);
  });

  test('5. an immutable subject with other IDs', async () => {
    const out = await runDiagnosis(diagnosisStep({ ownerId: 123, repoId: 456 }), {
      claims: jobClaims({ sub: 'repo:octo-org@123/chatgpt-web@789:ref:refs/heads/main', repository: undefined, repository_id: '789' }),
    });
    expect(out.problems.join('\n')).toMatch(/immutable form with IDs 123\/789, but the role trusts ownerId 123 and repoId 456/);
  });

  test('6. a customised subject template', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      claims: jobClaims({ sub: 'repository_owner:octo-org:context:ref:refs/heads/main' }),
    });
    expect(out.problems.join('\n')).toMatch(/customised subject template \(include_claim_keys\)/);
  });

  test('7. the wrong audience', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      claims: jobClaims({ aud: 'https://github.com/octo-org' }),
    });
    expect(out.problems.join('\n')).toMatch(/The token was requested for the audience "https:\/\/github\.com\/octo-org", but the role requires \["sts\.amazonaws\.com"\]/);
  });

  test('8. a renamed repository', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      claims: { sub: 'repo:octo-org/chat-web:ref:refs/heads/main', aud: 'sts.amazonaws.com', repository: 'octo-org/chat-web', job_workflow_ref: 'octo-org/chat-web/.github/workflows/publish-chatgpt-web.yml@refs/heads/main' },
    });
    expect(out.problems.join('\n')).toMatch(/The token comes from "octo-org\/chat-web", but the role trusts "octo-org\/chatgpt-web" \(renamed or transferred\?/);
  });

  test('9. another workflow file (the trust is pinned to one)', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      claims: jobClaims({ job_workflow_ref: workflowRefOf('refs/heads/main', 'build.yml') }),
    });
    expect(out.problems).toEqual([expect.stringMatching(/job_workflow_ref \(StringLike\) refuses .*The job runs in "\.github\/workflows\/build\.yml", but the role trusts only "\.github\/workflows\/publish-chatgpt-web\.yml"/)]);
  });

  test('10. 401 from the registry: ECR_REGISTRY in another region than AWS_REGION', async () => {
    const out = await runDiagnosis(diagnosisStep(), { env: { DIAGNOSE_ECR_REGISTRY: '111111111111.dkr.ecr.eu-west-1.amazonaws.com' } });
    expect(out.problems).toEqual([expect.stringMatching(/^ECR_REGISTRY is in another region than AWS_REGION: the login goes to one region and the push to the other \(401 Unauthorized/)]);
  });

  test('11. ECR_REGISTRY of another account than the role', async () => {
    const out = await runDiagnosis(diagnosisStep(), { env: { DIAGNOSE_ECR_REGISTRY: '222222222222.dkr.ecr.us-east-1.amazonaws.com' } });
    expect(out.problems).toEqual(['ECR_REGISTRY and AWS_ROLE_ARN name different accounts: the role can push only to its own account\'s registry. Take both from the outputs of the same stack.']);
    // Account IDs are not printed.
    expect(out.lines.join('\n')).not.toMatch(/222222222222|111111111111/);
  });

  test('12. "repository does not exist": a wrong ECR_REPOSITORY or region', async () => {
    const out = await runDiagnosis(diagnosisStep(), {
      env: { DIAGNOSE_ECR_REPOSITORY: 'chatgpt' },
      probe: { exitCode: 254, stderr: 'An error occurred (RepositoryNotFoundException) when calling the BatchCheckLayerAvailability operation' },
    });
    expect(out.probeArgs).toContain('chatgpt');
    expect(out.problems).toEqual([expect.stringMatching(/^ECR_REPOSITORY does not exist in AWS_REGION of the role's account \("repository does not exist"\)/)]);
  });

  test('13. ECR_REPOSITORY of another role', async () => {
    const out = await runDiagnosis(diagnosisStep(), { probe: { exitCode: 254, stderr: 'An error occurred (AccessDeniedException)' } });
    expect(out.problems).toEqual([expect.stringMatching(/^The role may not push to ECR_REPOSITORY: it pushes only to the repository of its own stack/)]);
  });

  test('14. an environment secret read from a job without that environment', async () => {
    const out = await runDiagnosis(diagnosisStep(), { env: { DIAGNOSE_AWS_ROLE_ARN: '' } });
    expect(out.problems).toEqual([expect.stringMatching(/^AWS_ROLE_ARN is empty: set the secret AWS_ROLE_ARN of the repository \(an environment secret is visible only to jobs that declare that environment; this job declares none\)/)]);
  });

  test('15. an empty variable in an environment job names the environment', async () => {
    const step = diagnosisStep({ environments: ['production'] }, { valueSource: WorkflowValueSource.VARIABLES });
    const out = await runDiagnosis(step, {
      claims: jobClaims({ sub: 'repo:octo-org/chatgpt-web:environment:production' }),
      env: { DIAGNOSE_AWS_REGION: '', DIAGNOSE_ECR_REGISTRY: REGISTRY, DIAGNOSE_ECR_REPOSITORY: 'chatgpt-web', DIAGNOSE_AWS_ROLE_ARN: ROLE_ARN },
    });
    expect(out.problems).toEqual(['AWS_REGION is empty: set the variable AWS_REGION of the GitHub Environment "production" or of the repository from the stack output of that name (the name must match exactly).']);
  });

  test('16. no id-token: write permission', async () => {
    const out = await runDiagnosis(diagnosisStep(), { env: { ACTIONS_ID_TOKEN_REQUEST_URL: undefined } });
    expect(out.problems).toEqual(['The job cannot request an OIDC token: add "permissions: id-token: write" to the job (pull requests from forks never get one).']);
    expect(out.audience).toBeUndefined();
  });

  test('17. a workflow shared by many repositories: no trust patterns, the claims and values still checked', async () => {
    const step = diagnosisStep();
    delete step.env.DIAGNOSE_TRUST;
    const out = await runDiagnosis(step, { env: { DIAGNOSE_ECR_REGISTRY: 'not-a-registry' } });
    expect(out.lines).toContain('The trusted patterns are not embedded in this workflow (a shared workflow): compare these claims with the role\'s trust policy, or pass them to GitHubEcrPublisher.explainClaims().');
    expect(out.problems).toEqual([expect.stringMatching(/^ECR_REGISTRY is not a registry host/)]);
  });

  test('18. the audience of an environment-agnostic stack is derived from the region, in China too', async () => {
    const step = diagnosisStep({ providerSource: OidcProviderSource.create() });
    const agnosticStep = diagnosisOf(newPublisher({ providerSource: OidcProviderSource.create() }, { env: null }).publisher.renderWorkflowFiles());
    expect(step.env.DIAGNOSE_AUDIENCE).toBe('sts.amazonaws.com');
    expect(agnosticStep.env.DIAGNOSE_AUDIENCE).toMatch(/^\$\{\{ startsWith\(inputs\.aws-region, 'cn-'\) && 'sts\.amazonaws\.com\.cn'/);
    const out = await runDiagnosis(agnosticStep, {
      claims: jobClaims({ job_workflow_ref: undefined }),
      env: { DIAGNOSE_AUDIENCE: 'sts.amazonaws.com.cn', DIAGNOSE_AWS_REGION: 'cn-north-1', DIAGNOSE_ECR_REGISTRY: '111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn' },
    });
    // The role requires sts.amazonaws.com.cn in cn-north-1; the token says sts.amazonaws.com.
    expect(out.problems.join('\n')).toMatch(/aud \(StringEquals\) refuses "sts\.amazonaws\.com"; accepted: \["sts\.amazonaws\.com\.cn"\]/);
  });

  test('19. pushed but not signed: the wait step names the digest, the diagnosis lists the causes', async () => {
    const step = diagnosisStep({ imageSigning: ImageSigning.managed() });
    expect(step.env.DIAGNOSE_UNSIGNED).toBe('${{ steps.signature.outputs.unsigned }}');
    expect((await runDiagnosis(step, { env: { DIAGNOSE_UNSIGNED: '' } })).problems).toEqual([]);
    const digest = `sha256:${'b'.repeat(64)}`;
    const out = await runDiagnosis(step, { env: { DIAGNOSE_UNSIGNED: digest } });
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toContain(`The image was pushed but ECR did not sign ${digest}`);
    expect(out.problems[0]).toMatch(/signer:SignPayload on the signing profile.*not canceled or revoked.*in the region of the repository.*aws ecr get-signing-configuration/);
    expect(diagnosisStep().env.DIAGNOSE_UNSIGNED).toBeUndefined();
  });
});
