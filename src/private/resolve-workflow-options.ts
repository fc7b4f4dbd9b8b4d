// SPDX-License-Identifier: Apache-2.0
//
// Validates WorkflowOptions against the publisher and fills in the defaults.
// Every error names the option, shows the value and says what is allowed.
import { Token } from 'aws-cdk-lib';
import { ACTION_PINS, PinnedAction } from './action-pins';
import { stringLike } from './claims-check';
import { invalid } from './errors';
import { TrustScope } from './trust-policy';
import { ActionPinning, WorkflowOptions, WorkflowValueSource } from '../workflow-options';

/** The option that overrides each action's version. */
export const ACTION_VERSION_OPTIONS = {
  checkoutVersion: 'actions/checkout',
  configureAwsCredentialsVersion: 'aws-actions/configure-aws-credentials',
  amazonEcrLoginVersion: 'aws-actions/amazon-ecr-login',
  setupQemuVersion: 'docker/setup-qemu-action',
  setupBuildxVersion: 'docker/setup-buildx-action',
  metadataVersion: 'docker/metadata-action',
  buildPushVersion: 'docker/build-push-action',
} as const satisfies Record<string, PinnedAction>;

export type ActionVersionOption = keyof typeof ACTION_VERSION_OPTIONS;

/** How one action is referenced: `uses: <uses>`, with `comment` after it when set. */
export interface ActionReference {
  readonly uses: string;
  readonly comment?: string;
}

/** The build settings every rendered workflow shares (the publisher's and the organisation's). */
export interface BuildOptions {
  readonly defaultBranch: string;
  readonly valueSource: WorkflowValueSource;
  readonly dockerfile?: string;
  readonly context: string;
  readonly platforms: string[];
  readonly runsOn: string;
  /** The digest-pinned BuildKit image, when not setup-buildx-action's default. */
  readonly buildkitImage?: string;
  /** The digest-pinned binfmt image, when not setup-qemu-action's default. */
  readonly binfmtImage?: string;
  /** Every action the workflow may use, referenced as the options say. */
  readonly actions: Record<PinnedAction, ActionReference>;
  readonly buildAttestations: boolean;
  readonly artifactAttestation: boolean;
  readonly diagnose: boolean;
}

/** WorkflowOptions with every default applied and every value checked. */
export interface ResolvedWorkflowOptions extends BuildOptions {
  readonly workflowName: string;
  readonly jobId: string;
  readonly jobName: string;
  readonly environments: string[];
  readonly refJob: boolean;
  /** Whether the job without an environment runs on pushes (not only on pull requests). */
  readonly refJobOnPush: boolean;
  readonly workflowDispatch: boolean;
  readonly pullRequests: boolean;
}

const JOB_ID_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const RUNNER_LABEL_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
// A release tag (v6, v6.1, v6.1.2) or a full commit SHA; branches such as
// `main` are refused because they move under the workflow.
const ACTION_VERSION_RE = /^(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$/;
// Branch names the `latest` condition can hold: git ref characters without
// pattern syntax or quotes (the name is written into a `${{ }}` expression).
const BRANCH_NAME_RE = /^[A-Za-z0-9._\/+@-]+$/;
// An image reference pinned to a digest: [host[:port]/]path[:tag]@sha256:<64 hex>.
const PINNED_IMAGE_RE = /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/;

/**
 * @param trust what the role trusts
 * @param defaultName the workflow name when options give none
 */
export function resolveWorkflowOptions(trust: TrustScope, defaultName: string, options: WorkflowOptions): ResolvedWorkflowOptions {
  requireLiterals('branches', trust.branches);
  requireLiterals('tags', trust.tags);
  requireLiterals('environments', trust.environments);

  const workflowName = checkName('workflowName', options.workflowName ?? defaultName);
  const jobName = checkName('jobName', options.jobName ?? 'Build and push image');
  const jobId = options.jobId ?? 'publish';
  if (!JOB_ID_RE.test(jobId)) {
    throw invalid('jobId', jobId, 'is not a valid job ID', 'Use 1-100 letters, digits, "-" or "_", starting with a letter or "_" (e.g. "publish")');
  }

  const environments = options.environments === undefined ? [...trust.environments] : [...options.environments];
  const seen = new Set<string>();
  for (const environment of environments) {
    if (!trust.environments.includes(environment)) {
      throw invalid('environments', environment, `is not one of the publisher's environments (${JSON.stringify(trust.environments)})`,
        'A job in any other environment gets a token the role refuses; list only environments the publisher trusts, with the same spelling');
    }
    if (seen.has(environment)) {
      throw invalid('environments', environment, 'is listed twice', 'List each environment once');
    }
    seen.add(environment);
  }

  const pullRequests = options.pullRequests ?? trust.pullRequests;
  if (pullRequests && !trust.pullRequests) {
    throw invalid('pullRequests', true, 'needs a publisher with allowPullRequests: true',
      'pull_request runs get the subject "repo:OWNER/REPO:pull_request", which this role refuses; omit pullRequests or allow pull requests on the publisher');
  }

  // The job without an environment needs a trigger whose token the role trusts in ref form.
  const trustsRefs = trust.branches.length > 0 || trust.tags.length > 0;
  const refTriggers = trustsRefs || pullRequests;
  // By default each push starts one publishing job: the environment jobs when
  // there are any (two jobs pushing the same release tag would collide on the
  // repository's immutable tags), otherwise the job without an environment.
  const refJobOnPush = trustsRefs && (options.refJob === true || environments.length === 0);
  const refJob = options.refJob ?? (refJobOnPush || pullRequests);
  if (refJob && !refTriggers) {
    throw invalid('refJob', true, 'needs a publisher that trusts branches or tags, or a pull_request trigger (pullRequests)',
      'Without an environment a job gets a token for its branch, tag or pull request; omit refJob or set it to false, or add branches or tags to the publisher');
  }
  if (!refJob && environments.length === 0) {
    throw invalid('refJob', false, 'leaves the workflow without any job (and no environment job either)',
      'Set refJob to true or list at least one of the publisher\'s environments in environments');
  }
  if (pullRequests && !refJob) {
    throw invalid('pullRequests', true, 'needs refJob: pull requests run only the job without an environment',
      'Omit refJob (or set it to true), or omit pullRequests');
  }

  return {
    ...resolveBuildOptions(options),
    defaultBranch: options.defaultBranch ?? defaultBranchOf(trust),
    workflowName,
    jobId,
    jobName,
    environments,
    refJob,
    refJobOnPush: refJob && refJobOnPush,
    workflowDispatch: options.workflowDispatch ?? false,
    pullRequests,
  };
}

/**
 * The branch that gets `latest` when `defaultBranch` is not given: `main`
 * when the role trusts it (by name or pattern) or trusts no branch at all
 * (environments and tags only, which keep their behaviour); otherwise the
 * first trusted branch given by name, so `branches: ['master']` pushes
 * `latest` from master. Patterns only: `main`, which such a workflow never
 * runs on, so no `latest`.
 */
function defaultBranchOf(trust: TrustScope): string {
  if (trust.branches.length === 0 || trust.branches.some((b) => stringLike(b, 'main'))) {
    return 'main';
  }
  return trust.branches.find((b) => !b.includes('*') && isPlainBranchName(b)) ?? 'main';
}

/** A branch name the `latest` condition can hold. */
function isPlainBranchName(name: string): boolean {
  return !Token.isUnresolved(name) && BRANCH_NAME_RE.test(name) && !name.includes('..')
    && !name.startsWith('/') && !name.endsWith('/') && !name.includes('//')
    && !name.endsWith('.') && !name.endsWith('.lock') && !name.startsWith('refs/');
}

/** The build settings of `options`, checked, with their defaults. */
export function resolveBuildOptions(options: WorkflowOptions): BuildOptions {
  const defaultBranch = options.defaultBranch ?? 'main';
  if (!isPlainBranchName(defaultBranch)) {
    throw invalid('defaultBranch', defaultBranch, 'is not a plain branch name',
      'Give the branch name as git has it, without "refs/heads/" or wildcards (letters, digits, ".", "_", "-", "+", "@", "/"), e.g. "main"');
  }

  const valueSource = options.valueSource ?? WorkflowValueSource.SECRETS;
  if (!Object.values(WorkflowValueSource).includes(valueSource)) {
    throw invalid('valueSource', valueSource, 'is not a WorkflowValueSource', 'Use SECRETS, VARIABLES or INLINE');
  }

  const dockerfile = options.dockerfile === undefined ? undefined : checkPath('dockerfile', options.dockerfile);
  const context = checkPath('context', options.context ?? '.');

  const platforms = [...(options.platforms ?? ['linux/amd64'])];
  if (platforms.length === 0) {
    throw invalid('platforms', platforms, 'is an empty list', 'Omit platforms for linux/amd64 or list at least one, e.g. ["linux/amd64", "linux/arm64"]');
  }
  const seenPlatforms = new Set<string>();
  for (const platform of platforms) {
    if (typeof platform !== 'string' || !PLATFORM_RE.test(platform)) {
      throw invalid('platforms', platform, 'is not a platform', 'Each platform is "os/arch" or "os/arch/variant" in lower case, e.g. "linux/amd64", "linux/arm64", "linux/arm/v7"');
    }
    if (seenPlatforms.has(platform)) {
      throw invalid('platforms', platform, 'is listed twice', 'List each platform once');
    }
    seenPlatforms.add(platform);
  }

  const runsOn = options.runsOn ?? 'ubuntu-latest';
  if (!RUNNER_LABEL_RE.test(runsOn)) {
    throw invalid('runsOn', runsOn, 'is not a runner label', 'Use one runner label of letters, digits, ".", "_" or "-" (e.g. "ubuntu-latest", "ubuntu-24.04-arm")');
  }

  const buildkitImage = options.buildkitImage === undefined ? undefined : checkPinnedImage('buildkitImage', options.buildkitImage, 'moby/buildkit:buildx-stable-1');
  const binfmtImage = options.binfmtImage === undefined ? undefined : checkPinnedImage('binfmtImage', options.binfmtImage, 'docker.io/tonistiigi/binfmt:latest');
  if (binfmtImage !== undefined && platforms.every((p) => p === 'linux/amd64')) {
    throw invalid('binfmtImage', binfmtImage, 'is never used: the workflow sets up QEMU only for a platform other than linux/amd64',
      'Omit binfmtImage, or list the emulated platforms in platforms');
  }

  return {
    defaultBranch,
    valueSource,
    dockerfile,
    context,
    platforms,
    runsOn,
    buildkitImage,
    binfmtImage,
    actions: actionReferences(options),
    buildAttestations: options.buildAttestations ?? false,
    artifactAttestation: options.artifactAttestation ?? false,
    diagnose: options.diagnose ?? true,
  };
}

/** Each action as `actionPinning` and the per-action version options say. */
function actionReferences(options: WorkflowOptions): Record<PinnedAction, ActionReference> {
  const pinning = options.actionPinning ?? ActionPinning.COMMIT_SHA;
  if (!Object.values(ActionPinning).includes(pinning)) {
    throw invalid('actionPinning', pinning, 'is not an ActionPinning', 'Use COMMIT_SHA or RELEASE_TAG');
  }
  const out = {} as Record<PinnedAction, ActionReference>;
  for (const [name, pin] of Object.entries(ACTION_PINS) as Array<[PinnedAction, typeof ACTION_PINS[PinnedAction]]>) {
    out[name] = pinning === ActionPinning.COMMIT_SHA
      ? { uses: `${pin.repository}@${pin.sha}`, comment: pin.version }
      : { uses: `${pin.repository}@${pin.version}` };
  }
  for (const [key, name] of Object.entries(ACTION_VERSION_OPTIONS) as Array<[ActionVersionOption, PinnedAction]>) {
    const value = options[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string' || !ACTION_VERSION_RE.test(value)) {
      const pin = ACTION_PINS[name];
      throw invalid(key, value, 'is not a release tag or a full commit SHA',
        `Use a tag such as "${pin.version}" or the 40-character lower-case hex SHA of a commit (branch names and short SHAs move or collide)`);
    }
    out[name] = { uses: `${ACTION_PINS[name].repository}@${value}` };
  }
  return out;
}

/** An image the job runs privileged: only by digest, which no one can move. */
function checkPinnedImage(prop: string, value: string, example: string): string {
  if (typeof value !== 'string' || Token.isUnresolved(value) || !PINNED_IMAGE_RE.test(value)) {
    throw invalid(prop, value, 'is not an image reference pinned to a digest',
      `Give [registry/]name[:tag]@sha256:<64 lower-case hex digits>, e.g. "${example}@sha256:<digest>" (npx projen refresh-builder-images prints the current digests)`);
  }
  return value;
}

function requireLiterals(prop: string, values: string[]): void {
  const token = values.find((v) => Token.isUnresolved(v));
  if (token !== undefined) {
    throw invalid(`GitHubEcrPublisher ${prop}`, token, 'contains an unresolved token',
      `renderWorkflow writes the ${prop} into the workflow file, so they must be literal strings`);
  }
}

function checkName(prop: string, value: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 100 || /[\x00-\x1f\x7f]/.test(value)
    || value.trim() !== value || value.includes('${{') || Token.isUnresolved(value)) {
    throw invalid(prop, value, 'is not a usable name',
      'Use 1-100 printable characters without leading/trailing spaces, line breaks or "${{" expressions');
  }
  return value;
}

function checkPath(prop: string, value: string): string {
  const allowed = 'Use a path relative to the repository root with "/" separators, e.g. "." or "docker/app.Dockerfile"';
  if (typeof value !== 'string' || value.length === 0 || Token.isUnresolved(value)) {
    throw invalid(prop, value, 'is empty or unresolved', allowed);
  }
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || value.includes('\\')) {
    throw invalid(prop, value, 'is not a relative path', allowed);
  }
  if (value.split('/').includes('..')) {
    throw invalid(prop, value, 'leaves the repository with ".."', allowed);
  }
  if (/[\x00-\x1f\x7f]/.test(value) || value.includes('${{') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw invalid(prop, value, 'contains control characters, an expression or a URL', allowed);
  }
  return value;
}
