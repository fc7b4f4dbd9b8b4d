// Every check of WorkflowOptions against the publisher's trust scope, once: the
// option is named first (the renderer adds the publisher's path; see
// test/workflow-options.test.ts), and each rule has its passing neighbour.
import { Lazy } from 'aws-cdk-lib';
import { ActionPinning, WorkflowOptions, WorkflowValueSource } from '../../src';
import { ACTION_PINS } from '../../src/private/action-pins';
import { ACTION_VERSION_OPTIONS, resolveWorkflowOptions } from '../../src/private/resolve-workflow-options';
import { TrustScope } from '../../src/private/trust-policy';
import { trustScope } from '../helpers/fixture';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** The options resolved for a publisher of the scope (branch main unless overridden). */
function resolve(options: WorkflowOptions, scope: Partial<TrustScope> = {}) {
  return resolveWorkflowOptions(trustScope(scope), 'publish-chatgpt-web', options);
}

test('defaults', () => {
  expect(resolve({})).toEqual({
    workflowName: 'publish-chatgpt-web',
    jobId: 'publish',
    jobName: 'Build and push image',
    environments: [],
    refJob: true,
    refJobOnPush: true,
    workflowDispatch: false,
    pullRequests: false,
    defaultBranch: 'main',
    valueSource: WorkflowValueSource.SECRETS,
    dockerfile: undefined,
    context: '.',
    platforms: ['linux/amd64'],
    runsOn: 'ubuntu-latest',
    buildkitImage: undefined,
    binfmtImage: undefined,
    actions: Object.fromEntries(Object.entries(ACTION_PINS).map(([name, pin]) => [name, { uses: `${pin.repository}@${pin.sha}`, comment: pin.version }])),
    buildAttestations: false,
    artifactAttestation: false,
    diagnose: true,
  });
});

describe('actionPinning', () => {
  test('COMMIT_SHA (the default): every action at the commit of its pinned release, the release as a comment', () => {
    const actions = resolve({}).actions;
    expect(actions['actions/checkout']).toEqual({ uses: `actions/checkout@${ACTION_PINS['actions/checkout'].sha}`, comment: ACTION_PINS['actions/checkout'].version });
    expect(Object.values(actions).every((a) => /@[0-9a-f]{40}$/.test(a.uses))).toBe(true);
  });

  test('RELEASE_TAG: the release tag, no comment', () => {
    const actions = resolve({ actionPinning: ActionPinning.RELEASE_TAG }).actions;
    expect(actions['docker/build-push-action']).toEqual({ uses: `docker/build-push-action@${ACTION_PINS['docker/build-push-action'].version}` });
  });

  test('anything else is refused', () => {
    expect(() => resolve({ actionPinning: 'LATEST' as ActionPinning })).toThrow(/^actionPinning: "LATEST" is not an ActionPinning\. Use COMMIT_SHA or RELEASE_TAG/);
  });
});

describe('the publisher\'s values must be literals', () => {
  test.each(['branches', 'tags', 'environments'] as const)('%s with a token are refused', (prop) => {
    const token = Lazy.string({ produce: () => 'x' });
    expect(() => resolve({}, { [prop]: [token] }))
      .toThrow(new RegExp(`^GitHubEcrPublisher ${prop}: ".*" contains an unresolved token\\. renderWorkflow writes the ${prop} into the workflow file`));
  });
});

describe('environments', () => {
  const scope = { environments: ['production', 'staging'] };

  test('only the publisher\'s environments, with the same spelling, each once', () => {
    expect(() => resolve({ environments: ['qa'] }, scope))
      .toThrow(/^environments: "qa" is not one of the publisher's environments \(\["production","staging"\]\)\. A job in any other environment/);
    expect(() => resolve({ environments: ['Production'] }, scope)).toThrow(/^environments: "Production" is not one of/);
    expect(() => resolve({ environments: ['staging', 'staging'] }, scope)).toThrow(/^environments: "staging" is listed twice/);
    expect(resolve({ environments: ['staging'] }, scope).environments).toEqual(['staging']);
  });

  test('default: every environment of the publisher', () => {
    expect(resolve({}, scope).environments).toEqual(['production', 'staging']);
  });
});

describe('refJob and pullRequests', () => {
  test('refJob: true needs branches, tags or a pull_request trigger', () => {
    expect(() => resolve({ refJob: true }, { branches: [], environments: ['production'] }))
      .toThrow(/^refJob: true needs a publisher that trusts branches or tags, or a pull_request trigger/);
    expect(() => resolve({ refJob: true, pullRequests: false }, { branches: [], environments: ['production'], pullRequests: true }))
      .toThrow(/^refJob: true needs/);
    expect(resolve({ refJob: true }, { branches: [], tags: ['v*'], environments: ['production'] }).refJob).toBe(true);
  });

  test('refJob: false needs an environment job', () => {
    expect(() => resolve({ refJob: false, environments: [] }, { environments: ['production'] })).toThrow(/^refJob: false leaves the workflow without any job/);
    expect(() => resolve({ refJob: false })).toThrow(/^refJob: false leaves/);
    expect(resolve({ refJob: false }, { environments: ['production'] }).refJob).toBe(false);
  });

  test('pullRequests: true needs allowPullRequests on the publisher', () => {
    expect(() => resolve({ pullRequests: true }))
      .toThrow(/^pullRequests: true needs a publisher with allowPullRequests: true\. pull_request runs get the subject/);
    expect(resolve({ pullRequests: true }, { pullRequests: true }).pullRequests).toBe(true);
  });

  test('pullRequests: true needs the ref job', () => {
    const scope = { environments: ['production'], pullRequests: true };
    expect(() => resolve({ refJob: false, pullRequests: true }, scope)).toThrow(/^pullRequests: true needs refJob/);
    expect(resolve({ refJob: false, pullRequests: false }, scope)).toEqual(expect.objectContaining({ refJob: false, pullRequests: false }));
  });
});

describe('names and IDs', () => {
  test.each(['', '1job', 'a b', 'job.x', 'x'.repeat(101)])('jobId %j is refused', (jobId) => {
    expect(() => resolve({ jobId })).toThrow(/^jobId: .* is not a valid job ID\. Use 1-100 letters/);
  });

  test.each(['publish', '_job', 'build_image-2', 'x'.repeat(100)])('jobId %j is accepted', (jobId) => {
    expect(resolve({ jobId }).jobId).toBe(jobId);
  });

  test.each([
    ['workflowName', ''], ['workflowName', ' padded'], ['workflowName', 'a\nb'], ['workflowName', '${{ github.ref }}'],
    ['workflowName', 'x'.repeat(101)], ['jobName', ''], ['jobName', 'tab\there'],
  ])('%s %j is refused', (option, value) => {
    expect(() => resolve({ [option]: value })).toThrow(new RegExp(`^${option}: .* is not a usable name\\. Use 1-100 printable characters`));
  });

  test.each([['workflowName', 'x'.repeat(100)], ['jobName', 'Build & push (amd64)'], ['workflowName', 'Release: image']])('%s %j is accepted', (option, value) => {
    expect(resolve({ [option]: value })).toEqual(expect.objectContaining({ [option]: value }));
  });

  test.each(['', 'ubuntu latest', '-x', 'a,b', '${{ matrix.os }}'])('runsOn %j is refused', (runsOn) => {
    expect(() => resolve({ runsOn })).toThrow(/^runsOn: .* is not a runner label\. Use one runner label/);
  });

  const DIGEST = `sha256:${'0a'.repeat(32)}`;
  test.each([
    'moby/buildkit:buildx-stable-1', 'moby/buildkit@sha256:abc', `moby/buildkit@sha512:${'0a'.repeat(64)}`, `Moby/BuildKit@${DIGEST}`,
    `moby/buildkit:v0.20@${DIGEST} --privileged`, `moby/buildkit@${DIGEST.toUpperCase()}`,
  ])('buildkitImage and binfmtImage %j are refused: only a digest pins an image no one can move', (image) => {
    expect(() => resolve({ buildkitImage: image })).toThrow(/^buildkitImage: .* is not an image reference pinned to a digest\. Give \[registry\/\]name\[:tag\]@sha256:/);
    expect(() => resolve({ binfmtImage: image, platforms: ['linux/arm64'] })).toThrow(/^binfmtImage: .* is not an image reference pinned to a digest/);
  });

  test.each([`moby/buildkit@${DIGEST}`, `moby/buildkit:buildx-stable-1@${DIGEST}`, `docker.io/tonistiigi/binfmt:latest@${DIGEST}`,
    `111111111111.dkr.ecr.us-east-1.amazonaws.com/mirror/buildkit:v0.20.1@${DIGEST}`, `registry.local:5000/buildkit@${DIGEST}`])('buildkitImage and binfmtImage %j are accepted', (image) => {
    expect(resolve({ buildkitImage: image }).buildkitImage).toBe(image);
    expect(resolve({ binfmtImage: image, platforms: ['linux/amd64', 'linux/arm64'] }).binfmtImage).toBe(image);
  });

  test('binfmtImage without an emulated platform is refused (it would be silently unused)', () => {
    expect(() => resolve({ binfmtImage: `tonistiigi/binfmt@${DIGEST}` })).toThrow(/^binfmtImage: .* is never used: the workflow sets up QEMU only for a platform other than linux\/amd64/);
  });

  test.each(['ubuntu-24.04-arm', 'self-hosted', 'x'])('runsOn %j is accepted', (runsOn) => {
    expect(resolve({ runsOn }).runsOn).toBe(runsOn);
  });
});

describe('defaultBranch', () => {
  test.each(['', 'refs/heads/main', 'ma*in', "it's", 'a b', 'a..b', '/main', 'main/', 'a//b', 'main.', 'x.lock'])('%j is refused', (defaultBranch) => {
    expect(() => resolve({ defaultBranch })).toThrow(/^defaultBranch: .* is not a plain branch name\. Give the branch name/);
  });

  test.each(['main', 'develop', 'release/v1.2', 'feat+x', 'user@host', 'x.locked'])('%j is accepted', (defaultBranch) => {
    expect(resolve({ defaultBranch }).defaultBranch).toBe(defaultBranch);
  });

  test.each<[string, Partial<TrustScope>, string]>([
    ['main trusted', { branches: ['main'] }, 'main'],
    ['main trusted after another branch', { branches: ['develop', 'main'] }, 'main'],
    ['main trusted through a pattern', { branches: ['develop', 'ma*'] }, 'main'],
    ['every branch trusted', { branches: ['*'] }, 'main'],
    ['no branch (tags only)', { branches: [], tags: ['v*'] }, 'main'],
    ['no branch (environments only)', { branches: [], environments: ['production'] }, 'main'],
    ['master only', { branches: ['master'] }, 'master'],
    ['the first branch given by name', { branches: ['release/*', 'develop', 'trunk'], tags: ['v*'] }, 'develop'],
    ['patterns only: main, which the workflow never runs on', { branches: ['release/*'] }, 'main'],
    ['"mainline" is not main', { branches: ['mainline'] }, 'mainline'],
  ])('unset: %s -> %j', (_name, scope, expected) => {
    expect(resolve({}, scope).defaultBranch).toBe(expected);
  });

  test('given, it wins over the trusted branches', () => {
    expect(resolve({ defaultBranch: 'main' }, { branches: ['master'] }).defaultBranch).toBe('main');
  });
});

test('valueSource must be a WorkflowValueSource (callers in other languages can pass any string)', () => {
  expect(() => resolve({ valueSource: 'ENV' as WorkflowValueSource })).toThrow(/^valueSource: "ENV" is not a WorkflowValueSource\. Use SECRETS, VARIABLES or INLINE/);
  expect(resolve({ valueSource: WorkflowValueSource.INLINE }).valueSource).toBe(WorkflowValueSource.INLINE);
});

describe('build options', () => {
  test.each([
    ['dockerfile', '/abs/Dockerfile', 'is not a relative path'],
    ['dockerfile', '../Dockerfile', 'leaves the repository with ".."'],
    ['dockerfile', 'a\\Dockerfile', 'is not a relative path'],
    ['dockerfile', '', 'is empty or unresolved'],
    ['dockerfile', 'x${{ github.ref }}', 'contains control characters, an expression or a URL'],
    ['context', 'https://github.com/octo-org/x.git', 'contains control characters, an expression or a URL'],
    ['context', 'C:/src', 'is not a relative path'],
    ['context', 'a/../../b', 'leaves the repository with ".."'],
  ])('%s %j is refused', (option, value, problem) => {
    expect(() => resolve({ [option]: value })).toThrow(`${option}: ${JSON.stringify(value)} ${problem}. Use a path relative to the repository root`);
  });

  test.each([
    ['dockerfile', 'docker/app.Dockerfile'], ['dockerfile', 'a..b/Dockerfile'], ['context', 'app'], ['context', './app'],
  ])('%s %j is accepted', (option, value) => {
    expect(resolve({ [option]: value })).toEqual(expect.objectContaining({ [option]: value }));
  });

  test.each([
    [['linux'], /^platforms: "linux" is not a platform\. Each platform is "os\/arch"/],
    [['Linux/AMD64'], /^platforms: "Linux\/AMD64" is not a platform/],
    [['linux/amd64', 'linux/amd64'], /^platforms: "linux\/amd64" is listed twice/],
    [[], /^platforms: \[\] is an empty list/],
  ])('platforms %j is refused', (platforms, message) => {
    expect(() => resolve({ platforms })).toThrow(message);
  });

  test('platforms: os/arch and os/arch/variant are accepted', () => {
    expect(resolve({ platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] }).platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });
});

describe('action versions', () => {
  const keys = Object.keys(ACTION_VERSION_OPTIONS) as Array<keyof typeof ACTION_VERSION_OPTIONS>;

  test.each(keys)('%s accepts a release tag and a full commit SHA, overriding the pin', (key) => {
    for (const version of ['v5', 'v5.1', 'v5.1.2', SHA]) {
      expect(resolve({ [key]: version }).actions[ACTION_VERSION_OPTIONS[key]]).toEqual({ uses: `${ACTION_VERSION_OPTIONS[key]}@${version}` });
    }
  });

  test.each(keys)('%s refuses branches, short SHAs and other text', (key) => {
    for (const version of ['main', 'abc1234', SHA.toUpperCase(), `${SHA}0`, '5', 'v5.1.2.3', 'latest', '']) {
      expect(() => resolve({ [key]: version }))
        .toThrow(new RegExp(`^${key}: "${version}" is not a release tag or a full commit SHA\\. Use a tag such as "v\\d+\\.\\d+\\.\\d+"`));
    }
  });
});
