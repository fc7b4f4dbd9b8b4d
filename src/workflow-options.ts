// SPDX-License-Identifier: Apache-2.0

/**
 * Where the generated workflow reads the four values it needs (region,
 * ECR repository name, ECR registry, role ARN).
 */
export enum WorkflowValueSource {
  /**
   * GitHub Actions secrets named `AWS_REGION`, `ECR_REPOSITORY`,
   * `ECR_REGISTRY` and `AWS_ROLE_ARN` (`${{ secrets.NAME }}`).
   *
   * Repository secrets, or environment secrets of the same names for jobs
   * that run in a GitHub Environment. The stack outputs hold the values.
   */
  SECRETS = 'SECRETS',

  /**
   * GitHub Actions configuration variables with the same names
   * (`${{ vars.NAME }}`): none of the four values is a secret, and variables
   * show in logs instead of `***`.
   */
  VARIABLES = 'VARIABLES',

  /**
   * The values written into the workflow file.
   *
   * Needs values that are known when the app synthesizes: a stack with a
   * concrete account and region, and a fixed `roleName` on the publisher
   * (otherwise CloudFormation names the role at deploy time and the ARN is
   * unknown). Rendering fails with an error otherwise.
   */
  INLINE = 'INLINE',
}

/**
 * How the rendered workflow refers to the actions it uses.
 */
export enum ActionPinning {
  /**
   * `uses: owner/action@<full commit SHA> # vX.Y.Z`: the commit can never
   * change under the workflow, and it runs where GitHub's "require actions to
   * be pinned to a full-length commit SHA" policy is on. Dependabot and
   * Renovate update such pins, comment included.
   */
  COMMIT_SHA = 'COMMIT_SHA',

  /**
   * `uses: owner/action@vX.Y.Z`: readable, but a tag can be moved to another
   * commit by whoever controls the action's repository, in jobs that can
   * assume the push role. Refused by the SHA-pinning policy and reported by
   * zizmor (`unpinned-uses`).
   */
  RELEASE_TAG = 'RELEASE_TAG',
}

/**
 * Options for {@link GitHubEcrPublisher.renderWorkflow}.
 *
 * The triggers and jobs come from the publisher itself (its branches, tags,
 * environments and `allowPullRequests`), so every job the workflow starts can
 * assume the role; these options only shape the build.
 */
export interface WorkflowOptions {
  /**
   * Name of the workflow (shown in the Actions tab, and part of the
   * concurrency group).
   *
   * @default - the publisher's `workflowFile` without `.yml`, unique among the
   * publishers of one GitHub repository
   */
  readonly workflowName?: string;

  /**
   * ID of the job that runs without a GitHub Environment (on the publisher's
   * branches, tags and, if allowed, pull requests). Jobs for environments get
   * `<jobId>-<environment>`.
   *
   * Letters, digits, `-` and `_`, starting with a letter or `_`.
   *
   * @default "publish"
   */
  readonly jobId?: string;

  /**
   * Display name of the jobs. Jobs for environments get `<jobName> (<environment>)`.
   *
   * @default "Build and push image"
   */
  readonly jobName?: string;

  /**
   * The GitHub Environments to generate a job for (each job declares
   * `environment:` and so receives a token whose subject names the
   * environment, never the branch).
   *
   * Each must be one of the publisher's `environments`, because the role
   * would refuse any other. An empty list generates no environment job.
   *
   * Every environment job runs for every push the workflow triggers on, and
   * they push the same image tags: with the default immutable release tags, a
   * release tag push succeeds in only one of them. Give one environment per
   * workflow (or per publisher) when several environments would receive the
   * same pushes.
   *
   * @default - one job per environment of the publisher
   */
  readonly environments?: string[];

  /**
   * Whether to generate the job without a GitHub Environment, which receives
   * a token for the branch or tag that triggered it (or `pull_request`).
   *
   * By default each push starts one kind of publishing job: the environment
   * jobs when there are any, otherwise this job. With `pullRequests` this job
   * also exists for pull requests (from branches of the repository, not
   * forks, which get no OIDC token). Set it to `true` to run it on pushes
   * next to the environment jobs.
   *
   * Needs a publisher that trusts branches or tags, or a `pull_request`
   * trigger (`pullRequests`).
   *
   * @default - true when the publisher trusts branches or tags and no
   * environment job is generated, or when the workflow has a `pull_request`
   * trigger (then, next to environment jobs, for pull requests only)
   */
  readonly refJob?: boolean;

  /**
   * Add a `workflow_dispatch` trigger (the "Run workflow" button).
   *
   * A manual run gets a token for the branch or tag the person picks: the job
   * without an environment can only assume the role on a branch or tag the
   * publisher trusts, and fails with "Not authorized to perform
   * sts:AssumeRoleWithWebIdentity" on any other.
   *
   * @default false
   */
  readonly workflowDispatch?: boolean;

  /**
   * Add a `pull_request` trigger. Needs a publisher with
   * `allowPullRequests: true`.
   *
   * @default - the publisher's `allowPullRequests`
   */
  readonly pullRequests?: boolean;

  /**
   * The branch whose pushes tag the image `latest`. When the publisher trusts
   * no branch and no tag (environments only), pushes to this branch trigger
   * the workflow.
   *
   * @default - `main` when the publisher trusts it (by name or pattern) or
   * trusts no branch; otherwise the first of the publisher's `branches` given
   * by name (with `branches: ['master']`, `master`). With branch patterns
   * only, `main`: such a workflow pushes no `latest` unless this names a
   * branch the patterns match.
   */
  readonly defaultBranch?: string;

  /**
   * Where the workflow reads the region, repository, registry and role ARN.
   *
   * @default WorkflowValueSource.SECRETS
   */
  readonly valueSource?: WorkflowValueSource;

  /**
   * Path of the Dockerfile, relative to the repository root.
   *
   * @default - `Dockerfile` in the build context
   */
  readonly dockerfile?: string;

  /**
   * Build context, relative to the repository root.
   *
   * @default "."
   */
  readonly context?: string;

  /**
   * Target platforms of the image (`os/arch` or `os/arch/variant`). Adds
   * QEMU emulation when a platform other than `linux/amd64` is listed.
   *
   * @default ["linux/amd64"]
   */
  readonly platforms?: string[];

  /**
   * The BuildKit image setup-buildx-action runs (its `driver-opts:
   * image=...`), digest-pinned: `[registry/]name[:tag]@sha256:<64 hex>`.
   *
   * BuildKit runs as a privileged container in the job after the job holds
   * the role's credentials and builds the image it pushes; by default
   * setup-buildx-action pulls `moby/buildkit:buildx-stable-1`, a tag its
   * publisher can move. A digest (refresh it with
   * `npx projen refresh-builder-images`, where Docker Hub is reachable) or an
   * image of your own registry removes that trust; the digest then needs
   * updating by hand.
   *
   * @default - setup-buildx-action's default image, by tag
   */
  readonly buildkitImage?: string;

  /**
   * The binfmt image setup-qemu-action runs to install the QEMU emulators
   * (its `image` input), digest-pinned like `buildkitImage`. Only for
   * platforms other than `linux/amd64`.
   *
   * The image runs privileged (it registers emulators in the runner's
   * kernel) after the job holds the role's credentials; by default
   * setup-qemu-action pulls `docker.io/tonistiigi/binfmt:latest`.
   *
   * @default - setup-qemu-action's default image, by tag
   */
  readonly binfmtImage?: string;

  /**
   * The runner label of the jobs (`runs-on`).
   *
   * @default "ubuntu-latest"
   */
  readonly runsOn?: string;

  /**
   * Add a last step that runs only when an earlier step failed, and explains
   * the failure: it requests the job's OIDC token, prints its claims (never
   * the token), checks them against the role's trust conditions with IAM's
   * semantics and says which condition refused the token and what to change;
   * it also checks the four values (missing, malformed, registry in another
   * region or account than the role, a repository that does not exist or is
   * not the role's) and the `id-token: write` permission.
   *
   * In a publisher's workflow the step runs a local composite action written
   * next to the workflow, `.github/actions/<workflow file without
   * .yml>-diagnose/action.yml`, which holds the script and the trust
   * conditions (see `renderWorkflowFiles()`); in the organisation workflow of
   * a fleet the step holds the script and no trust conditions (they differ per
   * repository). Either way it uses `actions/github-script`, pinned, and no
   * permission beyond the job's.
   *
   * @default true
   */
  readonly diagnose?: boolean;

  /**
   * How the workflow refers to the actions it uses.
   *
   * Every action is pinned to a release this version of the library was
   * built and linted with (the table is refreshed with each release).
   *
   * @default ActionPinning.COMMIT_SHA
   */
  readonly actionPinning?: ActionPinning;

  /**
   * Version of `actions/checkout`: a release tag such as `v6` or `v6.0.1`, or
   * a full 40-character commit SHA. Overrides `actionPinning` for this action.
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly checkoutVersion?: string;

  /**
   * Version of `aws-actions/configure-aws-credentials` (tag or full commit SHA).
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly configureAwsCredentialsVersion?: string;

  /**
   * Version of `aws-actions/amazon-ecr-login` (tag or full commit SHA).
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly amazonEcrLoginVersion?: string;

  /**
   * Version of `docker/setup-qemu-action` (tag or full commit SHA), used only
   * for platforms other than `linux/amd64`.
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly setupQemuVersion?: string;

  /**
   * Version of `docker/setup-buildx-action` (tag or full commit SHA).
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly setupBuildxVersion?: string;

  /**
   * Version of `docker/metadata-action` (tag or full commit SHA).
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly metadataVersion?: string;

  /**
   * Version of `docker/build-push-action` (tag or full commit SHA).
   *
   * @default - the pinned release (see `actionPinning`)
   */
  readonly buildPushVersion?: string;

  /**
   * Attach BuildKit attestations to the image: SLSA provenance with every
   * build detail (`provenance: mode=max`) and an SBOM (`sbom: true`).
   *
   * They are stored in the pushed image index, in the same repository, with
   * the same push actions. Each adds an attestation manifest per platform,
   * which ECR counts as an untagged image; the default lifecycle rules keep
   * it with its image and do not count it as one. Inspect them with
   * `docker buildx imagetools inspect <image> --format '{{ json .Provenance }}'`.
   *
   * @default false - build-push-action's own default (minimal provenance) applies
   */
  readonly buildAttestations?: boolean;

  /**
   * Create a GitHub artifact attestation (signed SLSA build provenance,
   * `actions/attest`) for the pushed image and push it to the repository
   * next to the image.
   *
   * Adds `attestations: write` to the jobs. Artifact attestations are
   * available for public repositories on every GitHub plan, and for private
   * and internal repositories only with GitHub Enterprise Cloud, so they are
   * off by default. Verify with
   * `gh attestation verify oci://<registry>/<repository>@<digest> --owner <owner>`
   * (the ECR login must be in place for `oci://`).
   *
   * @default false
   */
  readonly artifactAttestation?: boolean;
}
