// renderWorkflow(options): the workflow rendered for a publisher and its
// WorkflowOptions. Each option's checks are in
// test/private/resolve-workflow-options.test.ts; the proof that the workflow
// and the trust policy match is test/workflow-match.test.ts.
import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { ActionPinning, GitHubEcrPublisherProps, OidcProviderSource, WorkflowOptions, WorkflowValueSource } from '../src';
import { TempDir } from './helpers/cloud-assembly';
import { ACCOUNT, addPublisher, lintRepositoryDir, newPublisher } from './helpers/fixture';
import { ACTION_PINS } from '../src/private/action-pins';

const SHA = '0123456789abcdef0123456789abcdef01234567';

const publisher = (props: Partial<GitHubEcrPublisherProps> = {}) => newPublisher(props).publisher;

function render(props: Partial<GitHubEcrPublisherProps> = {}, options?: WorkflowOptions): any {
  return parse(publisher(props).renderWorkflow(options));
}

/** Writes a publisher's files for scripts/lint-workflows.sh (actionlint, zizmor) and returns the workflow parsed. */
function renderForLint(name: string, props: Partial<GitHubEcrPublisherProps>, options?: WorkflowOptions): any {
  return parse(fs.readFileSync(publisher(props).writeWorkflowTo(lintRepositoryDir(`unit-${name}`), options), 'utf8'));
}

function step(job: any, action: string): any {
  return job.steps.find((s: any) => String(s.uses).startsWith(`${action}@`));
}

/** `uses:` of a pinned action: its repository at the commit of its pinned release. */
const pinned = (action: keyof typeof ACTION_PINS) => `${action}@${ACTION_PINS[action].sha}`;

/** The publishing steps' `uses:` (the diagnosis step, last, uses the workflow's own diagnosis action). */
const publishingSteps = ['actions/checkout', 'aws-actions/configure-aws-credentials', 'aws-actions/amazon-ecr-login',
  'docker/setup-buildx-action', 'docker/metadata-action', 'docker/build-push-action'] as const;

/** The diagnosis action a publisher's workflow runs, parsed. */
function diagnosisActionOf(p: ReturnType<typeof publisher>, options?: WorkflowOptions): any {
  const files = p.renderWorkflowFiles(options);
  expect(files).toHaveLength(2);
  return parse(files[1].content);
}

/** The diagnosis action of the default workflow file, as its step uses it. */
const DIAGNOSIS = './.github/actions/publish-chatgpt-web-diagnose';

describe('workflow structure', () => {
  test('default publisher: one job on pushes to main, least privilege, the guide\'s steps', () => {
    // WHEN
    const wf = renderForLint('default', {});

    // THEN
    expect(wf.name).toBe('publish-chatgpt-web');
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(wf.permissions).toEqual({});
    expect(wf.concurrency).toEqual({ 'group': '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': false });
    expect(Object.keys(wf.jobs)).toEqual(['publish']);
    const job = wf.jobs.publish;
    expect(job).toEqual(expect.objectContaining({ 'name': 'Build and push image', 'runs-on': 'ubuntu-latest' }));
    expect(job.if).toBeUndefined();
    expect(job.environment).toBeUndefined();
    expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    expect(job.steps.map((s: any) => s.uses)).toEqual([...publishingSteps.map(pinned), DIAGNOSIS]);
    expect(job.steps[job.steps.length - 1]).toEqual(expect.objectContaining({ name: 'Diagnose the failure', if: 'failure()' }));
    expect(step(job, 'actions/checkout').with).toEqual({ 'persist-credentials': false });
    expect(step(job, 'aws-actions/configure-aws-credentials').with).toEqual({
      'role-to-assume': '${{ secrets.AWS_ROLE_ARN }}',
      'aws-region': '${{ secrets.AWS_REGION }}',
      'role-session-name': 'github-${{ github.run_id }}-${{ github.run_attempt }}',
    });
    expect(step(job, 'docker/metadata-action')).toEqual(expect.objectContaining({ id: 'meta' }));
    expect(step(job, 'docker/metadata-action').with).toEqual({
      images: '${{ secrets.ECR_REGISTRY }}/${{ secrets.ECR_REPOSITORY }}',
      flavor: 'latest=false',
      tags: [
        "type=raw,value=latest,enable=${{ github.ref == 'refs/heads/main' }}",
        'type=ref,event=branch',
        'type=ref,event=tag',
        'type=sha,prefix=sha-,format=short',
        '',
      ].join('\n'),
    });
    expect(step(job, 'docker/build-push-action').with).toEqual({
      'context': '.',
      'platforms': 'linux/amd64',
      'push': true,
      'tags': '${{ steps.meta.outputs.tags }}',
      'labels': '${{ steps.meta.outputs.labels }}',
      // The registry cache in the publisher's own repository, which only this workflow's trusted runs write.
      'cache-from': 'type=registry,ref=${{ secrets.ECR_REGISTRY }}/${{ secrets.ECR_REPOSITORY }}:buildcache',
      'cache-to': 'type=registry,ref=${{ secrets.ECR_REGISTRY }}/${{ secrets.ECR_REPOSITORY }}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true',
    });
    expect(step(job, 'docker/setup-buildx-action').with).toEqual({ 'cache-binary': false });
  });

  test('the default publisher\'s workflow (branches and tags, values as secrets) is short enough to review: at most 120 lines', () => {
    const lines = publisher({ branches: ['main'], tags: ['v*'] }).renderWorkflow().split('\n').length;
    expect(lines).toBeLessThanOrEqual(120);
  });

  test('the text is YAML from a library: header comment, bare keys, no "null", the pinned release after each SHA', () => {
    const text = publisher({ allowPullRequests: true, branches: ['main'] }).renderWorkflow({ workflowDispatch: true });
    expect(text.startsWith('# .github/workflows/publish-chatgpt-web.yml of octo-org/chatgpt-web, generated by cdk-github-ecr-publisher from Stack/Publisher.\n')).toBe(true);
    expect(text).toContain(`uses: actions/checkout@${ACTION_PINS['actions/checkout'].sha} # ${ACTION_PINS['actions/checkout'].version}\n`);
    expect(text).toContain('id-token: write # request the OIDC token that assumes the push role\n');
    expect(text).toMatch(/^ {2}pull_request:\n {2}workflow_dispatch:\n/m);
    expect(text).not.toMatch(/: null$/m);
    expect(text).toMatch(/^ {10}tags: \|\n {12}type=raw,value=latest/m);
  });

  test('output is deterministic (same publisher in two apps, rendered twice)', () => {
    const props = { branches: ['main', 'release/*'], tags: ['v*'], environments: ['production', 'staging'] };
    const a = publisher(props);
    expect(a.renderWorkflow()).toBe(a.renderWorkflow());
    expect(a.renderWorkflow()).toBe(publisher(props).renderWorkflow());
  });
});

describe('triggers', () => {
  test('branch and tag patterns become GitHub filters that match the same refs (actionlint checks them)', () => {
    const wf = renderForLint('filters', { branches: ['main', 'release/*', 'a**b', 'a]b'], tags: ['v*', 'v1.0+build', 'x]y', 'v1]*'] });
    expect(wf.on.push).toEqual({
      branches: ['main', 'release/**', 'a**b', 'a]b'],
      // "+" is escaped for a literal match; a "]" stays bare (actionlint refuses "\\]", and without "[" it is no syntax).
      tags: ['v**', 'v1.0\\+build', 'x]y', 'v1]**'],
    });
  });

  test('tags only: no branch trigger', () => {
    expect(render({ tags: ['v*'] }).on).toEqual({ push: { tags: ['v**'] } });
  });

  test('environments only: pushes to the default branch start the environment jobs', () => {
    expect(render({ environments: ['production'] }).on).toEqual({ push: { branches: ['main'] } });
    expect(render({ environments: ['production'] }, { defaultBranch: 'trunk' }).on).toEqual({ push: { branches: ['trunk'] } });
  });

  test('workflowDispatch adds workflow_dispatch', () => {
    expect(render({}, { workflowDispatch: true }).on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(render({}, { workflowDispatch: false }).on).toEqual({ push: { branches: ['main'] } });
  });
});

describe('jobs', () => {
  test('one job per environment, each declaring it; pushes start only the environment jobs', () => {
    const wf = render({ branches: ['main'], environments: ['production', 'staging eu'] });
    expect(Object.keys(wf.jobs)).toEqual(['publish-production', 'publish-staging-eu']);
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(wf.jobs['publish-production']).toEqual(expect.objectContaining({ name: 'Build and push image (production)', environment: 'production' }));
    expect(wf.jobs['publish-staging-eu'].environment).toBe('staging eu');
    for (const job of Object.values<any>(wf.jobs)) {
      expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
      expect(job.if).toBeUndefined();
    }
  });

  test('environment names that give the same job ID get distinct IDs', () => {
    const wf = render({ environments: ['prod.eu', 'prod-eu', 'Prod EU!'] });
    expect(Object.keys(wf.jobs)).toEqual(['publish-prod-eu', 'publish-prod-eu-2', 'publish-prod-eu-3']);
  });

  test('environments option picks the environment jobs', () => {
    const props = { branches: ['main'], environments: ['production', 'staging'] };
    expect(Object.keys(render(props, { environments: ['staging'] }).jobs)).toEqual(['publish-staging']);
    expect(Object.keys(render(props, { environments: [] }).jobs)).toEqual(['publish']);
  });

  test('refJob: true adds the job without environment next to the environment jobs', () => {
    const wf = render({ branches: ['main'], environments: ['production'] }, { refJob: true });
    expect(Object.keys(wf.jobs)).toEqual(['publish', 'publish-production']);
    expect(wf.jobs.publish.environment).toBeUndefined();
    expect(wf.jobs.publish.if).toBeUndefined();
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
  });

  test('refJob: false leaves only the environment jobs', () => {
    const wf = render({ branches: ['main'], environments: ['production'] }, { refJob: false });
    expect(Object.keys(wf.jobs)).toEqual(['publish-production']);
  });

  test('jobId and jobName', () => {
    const wf = render({ environments: ['production'], branches: ['main'] }, { jobId: 'build_image', jobName: 'Image', refJob: true });
    expect(Object.keys(wf.jobs)).toEqual(['build_image', 'build_image-production']);
    expect(wf.jobs.build_image.name).toBe('Image');
    expect(wf.jobs['build_image-production'].name).toBe('Image (production)');
  });

  test('runsOn', () => {
    expect(render({}, { runsOn: 'ubuntu-24.04-arm' }).jobs.publish['runs-on']).toBe('ubuntu-24.04-arm');
  });
});

describe('pull requests', () => {
  test('a publisher that allows pull requests gets a pull_request trigger; fork PRs are skipped', () => {
    const wf = render({ branches: ['main'], allowPullRequests: true });
    expect(wf.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(Object.keys(wf.jobs)).toEqual(['publish']);
    expect(wf.jobs.publish.if).toBe("github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
    expect(step(wf.jobs.publish, 'docker/metadata-action').with.tags).toContain('type=ref,event=pr\n');
  });

  test('with environment jobs, the job without environment runs for pull requests only', () => {
    const wf = renderForLint('pull-requests', { branches: ['main'], environments: ['production'], allowPullRequests: true });
    expect(wf.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(wf.jobs.publish.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(wf.jobs['publish-production'].if).toBe("github.event_name != 'pull_request'");
  });

  test('a publisher trusting only pull requests and environments: the ref job runs only for pull requests', () => {
    const wf = render({ environments: ['production'], allowPullRequests: true });
    expect(wf.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(wf.jobs.publish.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
  });

  test('pullRequests: false drops the trigger', () => {
    const wf = render({ branches: ['main'], allowPullRequests: true }, { pullRequests: false });
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(wf.jobs.publish.if).toBeUndefined();
    expect(step(wf.jobs.publish, 'docker/metadata-action').with.tags).not.toContain('event=pr');
  });
});

describe('image tags', () => {
  const latestRule = (wf: any) => step(wf.jobs.publish, 'docker/metadata-action').with.tags.split('\n')[0];

  test('defaultBranch decides where latest is pushed', () => {
    const wf = render({ branches: ['trunk', 'release/*'] }, { defaultBranch: 'release/v1' });
    expect(latestRule(wf)).toBe("type=raw,value=latest,enable=${{ github.ref == 'refs/heads/release/v1' }}");
  });

  test('without defaultBranch, a publisher that does not trust main pushes latest from its first branch; one that trusts main is unchanged', () => {
    expect(latestRule(renderForLint('latest-master', { branches: ['master'], tags: ['v*'] }))).toBe("type=raw,value=latest,enable=${{ github.ref == 'refs/heads/master' }}");
    expect(latestRule(render({ branches: ['develop', 'main'], tags: ['v*'] }))).toBe("type=raw,value=latest,enable=${{ github.ref == 'refs/heads/main' }}");
  });
});

describe('where the values come from', () => {
  test('VARIABLES: vars.*', () => {
    const job = render({}, { valueSource: WorkflowValueSource.VARIABLES }).jobs.publish;
    expect(step(job, 'aws-actions/configure-aws-credentials').with).toEqual(expect.objectContaining({
      'role-to-assume': '${{ vars.AWS_ROLE_ARN }}', 'aws-region': '${{ vars.AWS_REGION }}',
    }));
    expect(step(job, 'docker/metadata-action').with.images).toBe('${{ vars.ECR_REGISTRY }}/${{ vars.ECR_REPOSITORY }}');
  });

  test('INLINE: concrete values, with the role ARN built from roleName and rolePath', () => {
    const wf = renderForLint('inline', { roleName: 'chatgpt-web-publisher', rolePath: '/ci/', repositoryName: 'team/chatgpt-web' },
      { valueSource: WorkflowValueSource.INLINE });
    const job = wf.jobs.publish;
    expect(step(job, 'aws-actions/configure-aws-credentials').with).toEqual(expect.objectContaining({
      'role-to-assume': 'arn:aws:iam::111111111111:role/ci/chatgpt-web-publisher', 'aws-region': 'us-east-1',
    }));
    expect(step(job, 'docker/metadata-action').with.images).toBe('111111111111.dkr.ecr.us-east-1.amazonaws.com/team/chatgpt-web');
  });

  test('INLINE in the China partition', () => {
    const p = newPublisher({ roleName: 'publisher' }, { env: { account: ACCOUNT, region: 'cn-north-1' } }).publisher;
    const job = parse(p.renderWorkflow({ valueSource: WorkflowValueSource.INLINE })).jobs.publish;
    expect(step(job, 'aws-actions/configure-aws-credentials').with).toEqual(expect.objectContaining({
      'role-to-assume': 'arn:aws-cn:iam::111111111111:role/publisher', 'audience': 'sts.amazonaws.com.cn',
    }));
    expect(step(job, 'docker/metadata-action').with.images).toBe('111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/chatgpt-web');
  });

  test('INLINE refuses a role named by CloudFormation', () => {
    expect(() => publisher().renderWorkflow({ valueSource: WorkflowValueSource.INLINE }))
      .toThrow(/^Stack\/Publisher: valueSource: "INLINE" cannot inline the role ARN \(AWS_ROLE_ARN\): CloudFormation names the role at deploy time\. Set a literal roleName on the publisher/);
  });

  test('INLINE refuses a role name only known at deploy time', () => {
    const { stack } = newPublisher();
    const named = addPublisher(stack, { repo: 'octo-org/other', roleName: new CfnParameter(stack, 'RoleName').valueAsString }, 'Named');
    expect(() => named.renderWorkflow({ valueSource: WorkflowValueSource.INLINE }))
      .toThrow(/^Stack\/Named: valueSource: "INLINE" cannot inline the role ARN \(AWS_ROLE_ARN\): the account, partition, role name or path is only known at deploy time/);
  });

  test('INLINE refuses a stack without a concrete env', () => {
    const p = newPublisher({ roleName: 'publisher', providerSource: OidcProviderSource.create() }, { env: null }).publisher;
    expect(() => p.renderWorkflow({ valueSource: WorkflowValueSource.INLINE }))
      .toThrow(/^Stack\/Publisher: valueSource: "INLINE" cannot inline the region \(AWS_REGION\): it is only known at deploy time/);
    // The same publisher renders with secrets; the role's audience (sts.<DNS suffix of the region's
    // partition) is only known at deploy time, so the workflow derives it from the region it is given.
    const job = parse(p.renderWorkflow()).jobs.publish;
    expect(step(job, 'aws-actions/configure-aws-credentials').with.audience).toBe(
      "${{ startsWith(secrets.AWS_REGION, 'cn-') && 'sts.amazonaws.com.cn' || startsWith(secrets.AWS_REGION, 'us-isob-') && 'sts.sc2s.sgov.gov' || " +
      "startsWith(secrets.AWS_REGION, 'us-isof-') && 'sts.csp.hci.ic.gov' || startsWith(secrets.AWS_REGION, 'eu-isoe-') && 'sts.cloud.adc-e.uk' || " +
      "startsWith(secrets.AWS_REGION, 'us-iso-') && 'sts.c2s.ic.gov' || startsWith(secrets.AWS_REGION, 'eusc-') && 'sts.amazonaws.eu' || 'sts.amazonaws.com' }}");
  });
});

describe('build options', () => {
  test('dockerfile, context and platforms (QEMU only for emulated platforms)', () => {
    const job = renderForLint('build-options', {}, {
      dockerfile: 'docker/app.Dockerfile', context: 'app', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    }).jobs.publish;
    expect(step(job, 'docker/setup-qemu-action').with).toEqual({ 'platforms': 'linux/arm64,linux/arm/v7', 'cache-image': false });
    expect(step(job, 'docker/build-push-action').with).toEqual(expect.objectContaining({
      context: 'app', file: 'docker/app.Dockerfile', platforms: 'linux/amd64,linux/arm64,linux/arm/v7',
    }));
    expect(job.steps.map((s: any) => s.uses.split('@')[0]).indexOf('docker/setup-qemu-action'))
      .toBeLessThan(job.steps.map((s: any) => s.uses.split('@')[0]).indexOf('docker/setup-buildx-action'));
  });

  test('digest-pinned BuildKit and binfmt images: driver-opts of setup-buildx-action, image of setup-qemu-action', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const job = renderForLint('builder-images', {}, {
      platforms: ['linux/amd64', 'linux/arm64'], buildkitImage: `moby/buildkit:v0.20.1@${digest}`, binfmtImage: `tonistiigi/binfmt@${digest}`,
    }).jobs.publish;
    expect(step(job, 'docker/setup-buildx-action').with).toEqual({ 'driver-opts': `image=moby/buildkit:v0.20.1@${digest}`, 'cache-binary': false });
    expect(step(job, 'docker/setup-qemu-action').with).toEqual({ 'platforms': 'linux/arm64', 'image': `tonistiigi/binfmt@${digest}`, 'cache-image': false });
  });

  test('no QEMU step for linux/amd64 only, and no file input without dockerfile', () => {
    const job = render().jobs.publish;
    expect(step(job, 'docker/setup-qemu-action')).toBeUndefined();
    expect(step(job, 'docker/build-push-action').with.file).toBeUndefined();
  });
});

describe('action versions', () => {
  const keys: Array<[keyof WorkflowOptions, string]> = [
    ['checkoutVersion', 'actions/checkout'],
    ['configureAwsCredentialsVersion', 'aws-actions/configure-aws-credentials'],
    ['amazonEcrLoginVersion', 'aws-actions/amazon-ecr-login'],
    ['setupQemuVersion', 'docker/setup-qemu-action'],
    ['setupBuildxVersion', 'docker/setup-buildx-action'],
    ['metadataVersion', 'docker/metadata-action'],
    ['buildPushVersion', 'docker/build-push-action'],
  ];

  test.each(keys)('%s accepts a tag and a full commit SHA', (key, action) => {
    for (const version of ['v5', 'v5.1', 'v5.1.2', SHA]) {
      const job = render({}, { [key]: version, platforms: ['linux/amd64', 'linux/arm64'] }).jobs.publish;
      expect(step(job, action).uses).toBe(`${action}@${version}`);
    }
  });

  test('every action of every option pinned to another commit (the workflow actionlint checks as unit-sha-pins.yml)', () => {
    const options: WorkflowOptions = Object.fromEntries(keys.map(([k]) => [k, SHA]));
    const wf = renderForLint('sha-pins', {}, { ...options, platforms: ['linux/amd64', 'linux/arm64'], valueSource: WorkflowValueSource.VARIABLES });
    expect(Object.keys(wf.jobs)).toEqual(['publish']);
    expect(wf.jobs.publish.steps.map((s: any) => s.uses)).toEqual([...keys.map(([, action]) => `${action}@${SHA}`), DIAGNOSIS]);
  });

  test('by default every uses: is a full commit SHA of the pinned release (or the workflow\'s own diagnosis action, which pins its own)', () => {
    const options: WorkflowOptions = { platforms: ['linux/amd64', 'linux/arm64'], artifactAttestation: true };
    const wf = render({}, options);
    const actionSteps = diagnosisActionOf(publisher(), options).runs.steps;
    const uses: string[] = [...wf.jobs.publish.steps.map((s: any) => s.uses), ...actionSteps.map((s: any) => s.uses)];
    expect(uses.filter((u) => u !== DIAGNOSIS).every((u) => /^[a-z0-9-]+\/[a-z0-9-]+@[0-9a-f]{40}$/.test(u))).toBe(true);
    expect(uses).toContain(pinned('actions/github-script'));
    expect(uses).toContain(pinned('docker/setup-qemu-action'));
    expect(uses).toContain(pinned('actions/attest'));
  });

  test('actionPinning: RELEASE_TAG renders the release tags instead (zizmor then reports unpinned-uses)', () => {
    const wf = renderForLint('release-tags', {}, { actionPinning: ActionPinning.RELEASE_TAG });
    expect(wf.jobs.publish.steps.map((s: any) => s.uses)).toEqual([...publishingSteps.map((a) => `${a}@${ACTION_PINS[a].version}`), DIAGNOSIS]);
    expect(diagnosisActionOf(publisher(), { actionPinning: ActionPinning.RELEASE_TAG }).runs.steps[0].uses)
      .toBe(`actions/github-script@${ACTION_PINS['actions/github-script'].version}`);
  });
});

describe('names', () => {
  test('workflowName', () => {
    expect(render({}, { workflowName: 'Release: image' }).name).toBe('Release: image');
  });

  test('by default the name comes from the workflow file, so two publishers of one repository never share it', () => {
    expect(render({ repositoryName: 'chatgpt-web-dev' }).name).toBe('publish-chatgpt-web-dev');
    expect(render({ workflowFile: 'release.yaml' }).name).toBe('release');
  });
});

describe('writeWorkflow', () => {
  /** Runs `fn` with a fresh folder, removed afterwards. */
  function inTempDir(fn: (root: string) => void): void {
    const dir = new TempDir();
    try {
      fn(dir.path);
    } finally {
      dir.cleanUp();
    }
  }

  /** Every file under `root`, relative, with "/" separators. */
  const filesUnder = (root: string): string[] => (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(root, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();

  test('writes the workflow and its diagnosis action, creating the folders, and returns the workflow\'s path', () => inTempDir((root) => {
    const p = publisher({ tags: ['v*'] });
    const file = p.writeWorkflow(root, { workflowDispatch: true });
    expect(file).toBe(path.join(root, '.github', 'workflows', 'publish-chatgpt-web.yml'));
    expect(fs.readFileSync(file, 'utf8')).toBe(p.renderWorkflow({ workflowDispatch: true }));
    expect(filesUnder(root)).toEqual(['.github/actions/publish-chatgpt-web-diagnose/action.yml', '.github/workflows/publish-chatgpt-web.yml']);
    // exactly the files renderWorkflowFiles() returns
    for (const f of p.renderWorkflowFiles({ workflowDispatch: true })) {
      expect(fs.readFileSync(path.join(root, f.path), 'utf8')).toBe(f.content);
    }
    // writing again rewrites the same files with the same text
    expect(p.writeWorkflow(root, { workflowDispatch: true })).toBe(file);
    expect(filesUnder(root)).toHaveLength(2);
  }));

  test('diagnose: false writes the workflow alone', () => inTempDir((root) => {
    publisher().writeWorkflow(root, { diagnose: false });
    expect(filesUnder(root)).toEqual(['.github/workflows/publish-chatgpt-web.yml']);
  }));

  test('a folder inside a git checkout that is not its root is refused, naming the root; the root is accepted', () => inTempDir((root) => {
    fs.mkdirSync(path.join(root, '.git'));
    const infra = path.join(root, 'infra');
    fs.mkdirSync(infra);
    const p = publisher();
    expect(() => p.writeWorkflow(infra)).toThrow(new RegExp(`^Stack/Publisher: writeWorkflow: ${JSON.stringify(infra).replace(/[\\/.]/g, '\\$&')} is inside the git repository .* but not its root: GitHub reads \\.github/ only at the root`));
    expect(() => p.writeWorkflow(path.join(infra, 'not-yet-there'))).toThrow(/is inside the git repository .* Pass the repository root \(".*"/);
    expect(fs.existsSync(path.join(infra, '.github'))).toBe(false);
    expect(p.writeWorkflow(root)).toBe(path.join(root, '.github', 'workflows', 'publish-chatgpt-web.yml'));
    expect(p.writeWorkflow(path.join(infra, '..'))).toBe(path.join(root, '.github', 'workflows', 'publish-chatgpt-web.yml'));
  }));

  test('the root of a linked worktree or submodule (.git is a file) is a root', () => inTempDir((root) => {
    fs.writeFileSync(path.join(root, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    expect(fs.existsSync(publisher().writeWorkflow(root))).toBe(true);
    expect(() => publisher().writeWorkflow(path.join(root, 'infra'))).toThrow(/is inside the git repository/);
  }));

  test('outside any git checkout the folder is taken as the root', () => inTempDir((root) => {
    expect(fs.existsSync(publisher().writeWorkflow(path.join(root, 'export')))).toBe(true);
  }));

  test('writeWorkflowTo() writes the same files under any folder, on purpose', () => inTempDir((root) => {
    fs.mkdirSync(path.join(root, '.git'));
    const standIn = path.join(root, 'out', 'repo');
    const p = publisher();
    expect(p.writeWorkflowTo(standIn)).toBe(path.join(standIn, '.github', 'workflows', 'publish-chatgpt-web.yml'));
    expect(filesUnder(standIn)).toEqual(['.github/actions/publish-chatgpt-web-diagnose/action.yml', '.github/workflows/publish-chatgpt-web.yml']);
  }));
});

describe('attestations', () => {
  test('buildAttestations: BuildKit provenance (mode=max) and an SBOM on the build step', () => {
    const job = renderForLint('build-attestations', {}, { buildAttestations: true }).jobs.publish;
    expect(step(job, 'docker/build-push-action').with).toEqual(expect.objectContaining({ provenance: 'mode=max', sbom: true }));
    expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
  });

  test('artifactAttestation: actions/attest pushes a signed provenance to the registry, with attestations: write', () => {
    const job = renderForLint('artifact-attestation', { environments: ['production'] }, { artifactAttestation: true }).jobs['publish-production'];
    expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read', 'attestations': 'write' });
    expect(step(job, 'docker/build-push-action').id).toBe('build');
    expect(step(job, 'actions/attest').with).toEqual({
      'subject-name': '${{ secrets.ECR_REGISTRY }}/${{ secrets.ECR_REPOSITORY }}',
      'subject-digest': '${{ steps.build.outputs.digest }}',
      'push-to-registry': true,
      'create-storage-record': false,
    });
  });

  test('neither by default', () => {
    const job = render().jobs.publish;
    expect(step(job, 'actions/attest')).toBeUndefined();
    expect(step(job, 'docker/build-push-action').with.provenance).toBeUndefined();
  });
});

describe('immutable tags', () => {
  test('imageTagMutability: IMMUTABLE pushes only tags no other run pushes, and builds only when the run\'s tags do not exist yet', () => {
    const job = renderForLint('immutable', { branches: ['main'], tags: ['v*'], imageTagMutability: ecr.TagMutability.IMMUTABLE, allowPullRequests: true },
      { workflowDispatch: true, artifactAttestation: true }).jobs.publish;
    expect(step(job, 'docker/metadata-action').with.tags).toBe([
      "type=ref,event=tag,enable=${{ github.event_name == 'push' }}",
      "type=sha,prefix=sha-,format=long,enable=${{ github.event_name == 'push' && startsWith(github.ref, 'refs/heads/') }}",
      "type=sha,prefix=sha-,suffix=-run-${{ github.run_id }},format=long,enable=${{ github.event_name == 'workflow_dispatch' }}",
      "type=sha,prefix=pr-${{ github.event.pull_request.number }}-sha-,format=long,enable=${{ github.event_name == 'pull_request' }}",
      '',
    ].join('\n'));
    const names = job.steps.map((s: any) => s.name);
    const check = job.steps[names.indexOf('Tags already pushed')];
    expect(names.indexOf('Tags already pushed')).toBe(names.indexOf('Image tags') + 1);
    expect(check.env).toEqual({ TAGS: '${{ steps.meta.outputs.tags }}', ECR_REPOSITORY_NAME: '${{ secrets.ECR_REPOSITORY }}' });
    expect(check.run).toContain('aws ecr batch-get-image --repository-name "$ECR_REPOSITORY_NAME"');
    expect(step(job, 'docker/build-push-action').if).toBe("steps.pushed.outputs.exists != 'true'");
    // The attestation of a re-run that pushed nothing is about the image its tags name.
    expect(step(job, 'actions/attest').with['subject-digest']).toBe('${{ steps.build.outputs.digest || steps.pushed.outputs.digest }}');
    // IMMUTABLE: no tag can be rewritten, so no registry cache by default.
    expect(step(job, 'docker/build-push-action').with['cache-from']).toBeUndefined();
  });

  test('mutable tags: no check, the build step unconditional', () => {
    const job = render({}, { artifactAttestation: true }).jobs.publish;
    expect(job.steps.map((s: any) => s.name)).not.toContain('Tags already pushed');
    expect(step(job, 'docker/build-push-action').if).toBeUndefined();
    expect(step(job, 'actions/attest').with['subject-digest']).toBe('${{ steps.build.outputs.digest }}');
  });
});

describe('audience in every partition', () => {
  /** Evaluates the rendered audience expression for a region (its only form: startsWith(...) && '...' || ... || '...'). */
  function audienceFor(expression: string, region: string): string {
    const body = /^\$\{\{ (.*) \}\}$/.exec(expression)![1];
    for (const branch of body.split(' || ')) {
      const m = /^startsWith\(secrets\.AWS_REGION, '([^']*)'\) && '([^']*)'$/.exec(branch);
      if (m && region.startsWith(m[1])) return m[2];
      if (!m) return /^'([^']*)'$/.exec(branch)![1];
    }
    throw new Error(`no branch for ${region}`);
  }

  test('environment-agnostic stack: the workflow requests the audience the role requires in the region it is given', () => {
    const agnostic = newPublisher({ providerSource: OidcProviderSource.create() }, { env: null }).publisher;
    const expression = step(render({ providerSource: OidcProviderSource.create() }).jobs.publish, 'aws-actions/configure-aws-credentials').with.audience;
    expect(expression).toBeUndefined(); // a literal sts.amazonaws.com is the action's default
    const audience = step(parse(agnostic.renderWorkflow()).jobs.publish, 'aws-actions/configure-aws-credentials').with.audience;
    for (const region of ['us-east-1', 'eu-central-1', 'cn-north-1', 'cn-southwest-9', 'us-gov-west-1', 'eusc-de-east-1', 'us-iso-east-1', 'us-isob-east-1']) {
      const concrete = newPublisher({ repositoryName: `r-${region}` }, { env: { account: ACCOUNT, region } }).publisher;
      expect([region, audienceFor(audience, region)]).toEqual([region, concrete.audience]);
    }
  });

  test('a China region aws-cdk-lib does not know gets the literal China audience in both the role and the workflow', () => {
    const p = newPublisher({}, { env: { account: ACCOUNT, region: 'cn-southwest-9' } }).publisher;
    expect(p.audience).toBe('sts.amazonaws.com.cn');
    expect(step(parse(p.renderWorkflow()).jobs.publish, 'aws-actions/configure-aws-credentials').with.audience).toBe('sts.amazonaws.com.cn');
  });
});

describe('diagnosis step', () => {
  test('runs the workflow\'s own diagnosis action only on failure, the values as its inputs', () => {
    const job = renderForLint('diagnosis', { environments: ['production'] }, { valueSource: WorkflowValueSource.VARIABLES }).jobs['publish-production'];
    expect(job.steps[job.steps.length - 1]).toEqual({
      name: 'Diagnose the failure',
      if: 'failure()',
      uses: DIAGNOSIS,
      with: {
        'environment': 'production',
        'aws-region': '${{ vars.AWS_REGION }}',
        'ecr-repository': '${{ vars.ECR_REPOSITORY }}',
        'ecr-registry': '${{ vars.ECR_REGISTRY }}',
        'aws-role-arn': '${{ vars.AWS_ROLE_ARN }}',
      },
    });
  });

  test('the action: a composite of one github-script step, every input and value through an environment variable', () => {
    const action = diagnosisActionOf(publisher({ environments: ['production'] }), { valueSource: WorkflowValueSource.VARIABLES });
    expect(Object.keys(action.inputs)).toEqual(['environment', 'aws-region', 'ecr-repository', 'ecr-registry', 'aws-role-arn']);
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps).toHaveLength(1);
    const diagnose = action.runs.steps[0];
    // The workflow's step runs only on failure; inside, status functions would see the action's own steps.
    expect(diagnose.if).toBeUndefined();
    expect(diagnose.uses).toBe(pinned('actions/github-script'));
    expect(diagnose.env).toEqual({
      DIAGNOSE_TRUST: expect.any(String),
      DIAGNOSE_AUDIENCE: 'sts.amazonaws.com',
      DIAGNOSE_VALUE_SOURCE: 'vars',
      DIAGNOSE_ENVIRONMENT: '${{ inputs.environment }}',
      DIAGNOSE_AWS_REGION: '${{ inputs.aws-region }}',
      DIAGNOSE_ECR_REPOSITORY: '${{ inputs.ecr-repository }}',
      DIAGNOSE_ECR_REGISTRY: '${{ inputs.ecr-registry }}',
      DIAGNOSE_AWS_ROLE_ARN: '${{ inputs.aws-role-arn }}',
    });
    // The trust data holds patterns, no account or ARN, one field per line.
    expect(diagnose.env.DIAGNOSE_TRUST).not.toMatch(/111111111111|arn:/);
    expect(diagnose.env.DIAGNOSE_TRUST.split('\n')).toHaveLength(Object.keys(JSON.parse(diagnose.env.DIAGNOSE_TRUST)).length + 2);
    expect(JSON.parse(diagnose.env.DIAGNOSE_TRUST).conditions.map((c: any) => c.claim)).toEqual(['aud', 'repository', 'sub', 'job_workflow_ref']);
    // The script is ours, with no expression in it.
    expect(diagnose.with.script).not.toContain('${{');
  });

  test('an environment-agnostic stack: the action derives the audience from the region input, as the workflow does from its value', () => {
    const agnostic = newPublisher({ providerSource: OidcProviderSource.create() }, { env: null }).publisher;
    const credentials = step(parse(agnostic.renderWorkflow()).jobs.publish, 'aws-actions/configure-aws-credentials').with.audience;
    expect(diagnosisActionOf(agnostic).runs.steps[0].env.DIAGNOSE_AUDIENCE).toBe(credentials.replace(/secrets\.AWS_REGION/g, 'inputs.aws-region'));
  });

  test('each workflow file has its own action, named after it', () => {
    const files = publisher({ workflowFile: 'release.yaml' }).renderWorkflowFiles();
    expect(files.map((f) => f.path)).toEqual(['.github/workflows/release.yaml', '.github/actions/release-diagnose/action.yml']);
    expect(parse(files[0].content).jobs.publish.steps.at(-1).uses).toBe('./.github/actions/release-diagnose');
    expect(files[0].content).toContain('uses: ./.github/actions/release-diagnose # zizmor: ignore[self-repository]');
  });

  test('diagnose: false leaves it out, and the action with it', () => {
    const p = publisher();
    const job = parse(p.renderWorkflow({ diagnose: false })).jobs.publish;
    expect(job.steps.map((s: any) => s.uses)).toEqual(publishingSteps.map(pinned));
    expect(p.renderWorkflowFiles({ diagnose: false }).map((f) => f.path)).toEqual(['.github/workflows/publish-chatgpt-web.yml']);
  });
});

describe('errors', () => {
  test('name the publisher\'s path, then the option', () => {
    expect(() => publisher().renderWorkflow({ jobId: '1job' })).toThrow(/^Stack\/Publisher: jobId: "1job" is not a valid job ID\./);
  });

  test('a branch that is a token is refused by the publisher already (it could widen the trust)', () => {
    expect(() => publisher({ branches: [Lazy.string({ produce: () => 'main' })] })).toThrow(/^Stack\/Publisher: branches: "an unresolved token" is only known at deploy time/);
  });
});
