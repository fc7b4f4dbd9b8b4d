// The release pipeline's settings and the hardening of the GitHub workflows
// projen generates (build, release, upgrade-main, pull-request-lint): every
// action pinned by commit SHA from the one table in src/, no persisted
// checkout credentials, no pull_request_target, and a job that runs .ci/run.
import { awscdk, Component, github, javascript, ReleasableCommits } from 'projen';
import { ACTION_PINS } from '../src/private/action-pins';

// The active Node.js LTS line for the workflows. The library itself still
// supports Node 20 (minNodeVersion); npm trusted publishing needs npm 11.5.1
// or newer, which Node 24 ships.
export const WORKFLOW_NODE = '24.x';

// publib runs every publishing job; the publish rehearsal installs the same
// version from scripts/rehearsal/tools, so both read it from there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PUBLIB_VERSION: string = require('../scripts/rehearsal/tools/package.json').dependencies.publib;

// Versions pinned on purpose in .projenrc.ts, each moved by hand together with
// the tests that depend on it (see CONTRIBUTING.md), never by the weekly upgrade:
// - aws-cdk-lib and constructs: the peer-dependency floor users get, and the
//   version integ-runner, integ-tests-alpha and cdk-nag are matched to;
// - jsii, jsii-rosetta, jsii-pacmak, typescript: the compiler toolchain (TypeScript 7
//   has no compiler API for ts-node, ts-jest and typescript-eslint);
// - @aws-cdk/integ-runner, @aws-cdk/integ-tests-alpha, cdk-nag, aws-cdk (the CLI): read aws-cdk-lib's cloud assembly;
// - @cloud-copilot/iam-simulate: the IAM evaluator the trust-boundary tests rely on;
// - aws-cdk-github-oidc: the benchmark's reference point;
// - projen: generates every file of the project; commit-and-tag-version: v13 needs Node 22.
export const PINNED_DEPENDENCIES = [
  'aws-cdk-lib', 'constructs',
  'jsii', 'jsii-rosetta', 'jsii-pacmak', 'typescript',
  '@aws-cdk/integ-runner', '@aws-cdk/integ-tests-alpha', 'cdk-nag', 'aws-cdk',
  '@cloud-copilot/iam-simulate', 'aws-cdk-github-oidc',
  'projen', 'commit-and-tag-version',
];

/** The project options of the release pipeline (spread into the project's options). */
export const RELEASE_OPTIONS = {
  github: true,
  githubOptions: {
    mergify: false,
    // The PR title becomes the squash commit, whose type decides the release (feat: minor, fix: patch).
    pullRequestLint: true,
  },
  // A build that changes files fails with the patch instead of pushing a
  // commit with a token; installs are frozen (npm ci).
  buildWorkflowOptions: { mutableBuild: false },
  pullRequestTemplate: false,

  release: true,
  // Only feat/fix commits publish a version (docs, chore, test... do not).
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // The publishing jobs run in this GitHub Environment: protect it (required reviewers, main only).
  releaseEnvironment: 'release',
  jsiiReleaseVersion: PUBLIB_VERSION,
  workflowNodeVersion: WORKFLOW_NODE,
  // npm: trusted publishing (OIDC) with provenance, no NPM_TOKEN.
  npmTrustedPublishing: true,
  // jsii-diff against the newest version on npm, in every compile; it skips
  // (with a message) while nothing is published. Reset below to --experimental-errors.
  compat: true,

  depsUpgrade: true,
  depsUpgradeOptions: {
    exclude: PINNED_DEPENDENCIES,
    // Versions published in the last 7 days are not taken: time for a malicious release to be caught.
    cooldown: 7,
    workflowOptions: {
      schedule: javascript.UpgradeDependenciesSchedule.WEEKLY,
      labels: ['dependencies'],
    },
  },
} satisfies Partial<awscdk.AwsCdkConstructLibraryOptions>;

/** Publishing options of the jsii targets: trusted publishing where the registry offers it. */
export const PYPI_PUBLISHING = { trustedPublishing: true } as const;
export const NUGET_PUBLISHING = { trustedPublishing: true } as const;
// Go: a deploy key of the -go repository (GO_GITHUB_DEPLOY_KEY), not a personal token.
export const GO_PUBLISHING = { githubUseSsh: true } as const;

/** The job that runs .ci/run (languages, consumers, packed docs, publish rehearsal, linters). */
function ciJob(): github.workflows.Job {
  const uses = (action: keyof typeof ACTION_PINS) => `${action}@${ACTION_PINS[action].sha}`;
  return {
    name: '.ci/run (languages, consumers, docs, publish rehearsal, linters)',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.READ },
    timeoutMinutes: 60,
    env: { CI: 'true' },
    steps: [
      // persist-credentials: false comes from CheckoutWithoutCredentials, as for every checkout.
      { name: 'Checkout', uses: uses('actions/checkout') },
      { name: 'Setup Node.js', uses: uses('actions/setup-node'), with: { 'node-version': WORKFLOW_NODE, 'package-manager-cache': false } },
      { name: 'Setup Python', uses: uses('actions/setup-python'), with: { 'python-version': '3.11' } },
      { name: 'Setup Java', uses: uses('actions/setup-java'), with: { 'distribution': 'temurin', 'java-version': '17' } },
      { name: 'Setup Go', uses: uses('actions/setup-go'), with: { 'go-version': '1.26.x', 'cache': false } },
      { name: 'Run .ci/run', run: 'bash .ci/run' },
    ],
  };
}

/**
 * Checkouts keep no token in .git/config: no job pushes with it (the release
 * creates its tag through the GitHub release, the upgrade PR is pushed by
 * create-pull-request with its own token), and an uploaded artifact cannot
 * leak it. Applied just before synthesis, when the release's publishing jobs
 * (added in the release's own preSynthesize) exist too.
 */
class CheckoutWithoutCredentials extends Component {
  constructor(private readonly gh: github.GitHub) {
    super(gh.project);
  }

  public preSynthesize(): void {
    const fix = (step: github.workflows.JobStep): github.workflows.JobStep =>
      step.uses?.startsWith('actions/checkout@') ? { ...step, with: { ...step.with, 'persist-credentials': false } } : step;
    for (const workflow of this.gh.workflows) {
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        if (!('steps' in job)) continue;
        // Some jobs (the build job) compute their steps lazily at render time: wrap, keep lazy.
        const original = job.steps as github.workflows.JobStep[] | (() => github.workflows.JobStep[]);
        const steps = typeof original === 'function' ? (() => original().map(fix)) : original.map(fix);
        workflow.updateJob(jobId, { ...job, steps: steps as github.workflows.JobStep[] });
      }
    }
  }
}

/**
 * Pins, hardens and completes the generated workflows. Called once the
 * project (and so every workflow job) is defined, before synth.
 */
export function configureRelease(project: awscdk.AwsCdkConstructLibrary): void {
  const gh = project.github!;

  // One table of pins (src/private/action-pins.ts) for these workflows and the
  // workflow the construct renders.
  for (const [action, pin] of Object.entries(ACTION_PINS)) {
    gh.actions.set(action, `${action}@${pin.sha}`);
  }

  gh.tryFindWorkflow('build')!.addJobs({ ci: ciJob() });

  // The PR title check only reads the event: pull_request (no write token, no
  // base-repository secrets for forks) is enough; pull_request_target is not needed.
  const prLint = gh.tryFindWorkflow('pull-request-lint')!;
  prLint.file!.addDeletionOverride('on.pull_request_target');
  prLint.file!.addOverride('on.pull_request.types', ['labeled', 'opened', 'synchronize', 'reopened', 'ready_for_review', 'edited']);
  prLint.file!.addOverride('jobs.validate.permissions.pull-requests', 'read');

  new CheckoutWithoutCredentials(gh);

  // Read-only at the top level (projen drops an empty map): each job declares
  // what it needs. The PR build no longer pushes (mutableBuild: false), so it only reads.
  for (const workflow of gh.workflows) {
    workflow.file!.addOverride('permissions', { contents: 'read' });
  }
  gh.tryFindWorkflow('build')!.file!.addOverride('jobs.build.permissions.contents', 'read');
  // A new push to a pull request supersedes its running checks; upgrades run one at a time.
  const perRef = { 'group': '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': true };
  gh.tryFindWorkflow('build')!.file!.addOverride('concurrency', perRef);
  prLint.file!.addOverride('concurrency', perRef);
  gh.tryFindWorkflow('upgrade-main')!.file!.addOverride('concurrency', { 'group': '${{ github.workflow }}', 'cancel-in-progress': false });

  // Breaking changes to experimental APIs fail too; deliberate ones are listed in .compatignore.
  project.tasks.tryFind('compat')!.reset(`jsii-diff npm:${project.package.packageName} --experimental-errors -k --ignore-file .compatignore`);
}
