// SPDX-License-Identifier: Apache-2.0
//
// Renders the GitHub Actions workflow from the publisher's trust scope, so the
// workflow's triggers and jobs cannot drift from the role's trust policy.
//
// Which `sub` each job's token carries (GitHub's OIDC reference: the
// environment form wins, then pull_request, then the ref):
// - a job with `environment:` -> `repo:O/R:environment:E`, whatever the event;
// - a job without it, on push -> `repo:O/R:ref:refs/heads/B` / `refs/tags/T`;
// - a job without it, on pull_request -> `repo:O/R:pull_request`.
// So the job without an environment only runs on refs the role trusts in ref
// form, and one job per trusted environment covers the environment form.
import { Token } from 'aws-cdk-lib';
import { Document, isPair, isScalar, visit } from 'yaml';
import { DIAGNOSIS_STEP_SCRIPT, TrustData } from './claims-check';
import { at, invalid } from './errors';
import { FLEET_NAMES_SHELL } from './fleet-names';
import {
  BUILD_UNLESS_PUSHED, CACHE_INPUT_VALUES, CACHE_INPUTS, CacheRendering, existingTagsStep, immutableTagRules, organizationCache,
  publisherCache, PUSHED_DIGEST,
} from './image-push';
import { knownPartitions } from './partitions';
import { PublishTarget } from './publish-target';
import { ActionReference, BuildOptions, resolveBuildOptions, resolveWorkflowOptions, ResolvedWorkflowOptions } from './resolve-workflow-options';
import { TrustScope } from './trust-policy';
import { githubFilterPattern } from './workflow-patterns';
import { workflowValues, WorkflowValues } from './workflow-values';
import { BuildCache } from '../build-cache';
import { GeneratedFile } from '../generated-file';
import { WorkflowOptions, WorkflowValueSource } from '../workflow-options';

/** The audience configure-aws-credentials requests when none is given. */
const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

type Yaml = { [key: string]: unknown };

/** The options a publishing job reads: the build settings, and whether pull requests run it. */
type JobOptions = BuildOptions & { readonly pullRequests?: boolean; readonly workflowDispatch?: boolean };

/** What the publishing job needs to know beyond the options and the values. */
interface JobTarget {
  /** The audience the role requires (a token when only known at deploy time). */
  readonly audience: string;
  readonly immutableTags: boolean;
  /**
   * When the job checks its tags before pushing (immutable tags): '' always,
   * an expression for the organisation workflow's input; undefined never.
   */
  readonly immutablePush?: string;
  /** Where the build reads and writes its cache. */
  readonly cache: CacheRendering;
  /** The trust conditions the diagnosis compares the token with; none in a shared workflow. */
  readonly trustData?: TrustData;
  /** The local action (`.github/actions/...`) the diagnosis step runs; without it the step holds the script. */
  readonly diagnosisAction?: string;
  /** Whether ECR signs the pushed image: the job then waits for the signature. */
  readonly signed?: boolean;
  /** In a shared workflow: the expression that says whether it does (the wait step's `if:`). */
  readonly signedIf?: string;
}

/** The workflow for one publisher; errors name the publisher's path. */
export function renderWorkflowYaml(target: PublishTarget, options: WorkflowOptions): string {
  return renderWorkflowFiles(target, options)[0].content;
}

/**
 * The files of one publisher's workflow, the workflow first: with the
 * diagnosis (the default) also the local action its failure step runs.
 */
export function renderWorkflowFiles(target: PublishTarget, options: WorkflowOptions): GeneratedFile[] {
  return at(target.path, () => render(target, options));
}

/**
 * The folder of a workflow file's diagnosis action. Named after the file, so
 * each publisher of a repository has its own next to its own workflow.
 */
export function diagnosisActionDirectory(workflowFile: string): string {
  return `.github/actions/${workflowNameOf(workflowFile)}-diagnose`;
}

function render(target: PublishTarget, options: WorkflowOptions): GeneratedFile[] {
  const trust = target.trust;
  if (trust.jobWorkflowRefs.length > 0 && trust.workflowFile === undefined) {
    // The role then trusts only runs of those reusable workflows; a job of this
    // workflow would carry its own file as job_workflow_ref and be refused.
    throw invalid('renderWorkflow', trust.jobWorkflowRefs,
      'cannot satisfy jobWorkflowRefs with pinWorkflowFile: false: the role only trusts jobs that run those reusable workflows, and the rendered workflow is not one of them',
      'Keep pinWorkflowFile (the default) to trust the rendered workflow next to them, or call the reusable workflow from your own caller workflow (jobs.<id>.uses)');
  }
  const opts = resolveWorkflowOptions(trust, workflowNameOf(target.workflowFile), options);
  const values = workflowValues(target, opts.valueSource);
  const action = opts.diagnose ? diagnosisActionDirectory(target.workflowFile) : undefined;
  const jobTarget: JobTarget = {
    ...target,
    diagnosisAction: action,
    immutablePush: target.immutableTags ? '' : undefined,
    cache: publisherCache(target.buildCache, values.registry, values.repository, opts.pullRequests),
  };

  const trigger = triggers(trust, opts);
  const jobs: Yaml = {};
  if (opts.refJob) {
    jobs[opts.jobId] = job(jobTarget, opts, values, { name: opts.jobName, condition: refJobCondition(opts) });
  }
  const usedIds = new Set<string>([opts.jobId]);
  for (const environment of opts.environments) {
    jobs[uniqueJobId(`${opts.jobId}-${slug(environment)}`, usedIds)] = job(jobTarget, opts, values, {
      name: `${opts.jobName} (${environment})`,
      environment,
      // Unreviewed pull-request code does not publish through an environment.
      condition: opts.pullRequests ? "github.event_name != 'pull_request'" : undefined,
    });
  }

  const workflow: Yaml = {
    name: opts.workflowName,
    on: trigger,
    // Nothing at the workflow level: each job asks for exactly what it needs.
    permissions: {},
    // One run per ref at a time, so two pushes cannot race on the same image tags.
    concurrency: {
      'group': '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': false,
    },
    jobs,
  };

  const doc = toDocument(workflow, opts, [
    ` .github/workflows/${target.workflowFile} of ${trust.owner}/${trust.repo}, generated by cdk-github-ecr-publisher from ${target.path}.`,
    ' Do not edit by hand: the role trusts exactly these triggers and jobs' + (trust.workflowFile ? ', in this file' : '') + '. Change the CDK app and render it again.',
    ...(action ? [` On failure the jobs run ${action}, written with this file: commit, review and protect both.`] : []),
  ]);
  if (action) {
    // zizmor prefers GitHub's newer `$/` self-repository form, which actionlint
    // refuses and not every GitHub host knows; `./` reads the action from the
    // job's checkout of this file's own commit.
    commentUses(doc, `./${action}`, ' zizmor: ignore[self-repository] (read from this commit\'s checkout)');
  }
  const files: GeneratedFile[] = [{ path: `.github/workflows/${target.workflowFile}`, content: yamlText(doc) }];
  if (action) {
    files.push({ path: `${action}/action.yml`, content: diagnosisAction(target, opts, action) });
  }
  return files;
}

/**
 * The diagnosis as a composite action next to the workflow: the jobs run it
 * from their checkout, the same commit as the workflow file the role trusts,
 * so the same branch protection covers both and the workflow stays short.
 * Composite actions cannot read secrets: the job passes the four values as
 * inputs, and the step gives them to the script as environment variables, as
 * in the inline step of the organisation workflow.
 */
function diagnosisAction(target: PublishTarget, opts: ResolvedWorkflowOptions, directory: string): string {
  const inputValue = (name: string) => `\${{ ${input(name)} }}`;
  const values: WorkflowValues = {
    region: inputValue('aws-region'),
    regionExpression: 'inputs.aws-region',
    repository: inputValue('ecr-repository'),
    registry: inputValue('ecr-registry'),
    roleArn: inputValue('aws-role-arn'),
  };
  // No `if:` inside: the workflow's step runs this action only on failure, and
  // status functions in a composite action see the action's own steps.
  const { if: _, ...step } = diagnosisStep(target, opts, values, inputValue('environment'), target.signed ? inputValue('unsigned') : undefined);
  const value = (name: string) => ({ description: `${name}, as the job reads it (the diagnosis checks it)`, required: true });
  const action: Yaml = {
    name: `Diagnose a failed ${workflowNameOf(target.workflowFile)} job`,
    description: `Explains why a job of .github/workflows/${target.workflowFile} failed: the OIDC token's claims against the role's trust policy, and the four values. Never prints the token.`,
    inputs: {
      'environment': { description: 'The GitHub Environment the job declares (empty: none)', required: false, default: '' },
      'aws-region': value('AWS_REGION'),
      'ecr-repository': value('ECR_REPOSITORY'),
      'ecr-registry': value('ECR_REGISTRY'),
      'aws-role-arn': value('AWS_ROLE_ARN'),
      ...(target.signed ? { unsigned: { description: 'The digest the job pushed and ECR did not sign (empty: none)', required: false, default: '' } } : {}),
    },
    runs: { using: 'composite', steps: [step] },
  };
  return toYaml(action, opts, [
    ` ${directory}/action.yml of ${target.trust.owner}/${target.trust.repo}, generated by cdk-github-ecr-publisher from ${target.path}.`,
    ` The failure diagnosis of .github/workflows/${target.workflowFile}, which runs it from the same commit: review and protect`,
    ' both alike. Do not edit by hand: change the CDK app and render it again.',
  ]);
}

/** A workflow's default `name:`: its file name without `.yml`. */
function workflowNameOf(file: string): string {
  return file.replace(/\.ya?ml$/, '');
}

function triggers(trust: TrustScope, opts: ResolvedWorkflowOptions): Yaml {
  let branches = trust.branches.map(githubFilterPattern);
  const tags = trust.tags.map(githubFilterPattern);
  if (branches.length === 0 && tags.length === 0 && opts.environments.length > 0) {
    // Environment jobs' tokens do not depend on the ref; run them on pushes to the default branch.
    branches = [githubFilterPattern(opts.defaultBranch)];
  }
  const on: Yaml = {};
  if (branches.length > 0 || tags.length > 0) {
    const push: Yaml = {};
    if (branches.length > 0) {
      push.branches = branches;
    }
    if (tags.length > 0) {
      push.tags = tags;
    }
    on.push = push;
  }
  if (opts.pullRequests) {
    on.pull_request = null;
  }
  if (opts.workflowDispatch) {
    on.workflow_dispatch = null;
  }
  return on;
}

// GitHub gives pull_request runs from forks no OIDC token: skip them rather than fail.
const SAME_REPOSITORY_PR = 'github.event.pull_request.head.repo.full_name == github.repository';

function refJobCondition(opts: ResolvedWorkflowOptions): string | undefined {
  if (!opts.pullRequests) {
    return undefined;
  }
  if (!opts.refJobOnPush) {
    // Pushes belong to the environment jobs (or, when the publisher trusts no
    // branch or tag, a push token of this job would be refused).
    return `github.event_name == 'pull_request' && ${SAME_REPOSITORY_PR}`;
  }
  return `github.event_name != 'pull_request' || ${SAME_REPOSITORY_PR}`;
}

interface JobShape {
  readonly name: string;
  readonly environment?: string;
  readonly condition?: string;
}

function job(target: JobTarget, opts: JobOptions, values: WorkflowValues, shape: JobShape): Yaml {
  const out: Yaml = { name: shape.name };
  if (shape.condition) {
    out.if = shape.condition;
  }
  out['runs-on'] = opts.runsOn;
  if (shape.environment !== undefined) {
    out.environment = shape.environment;
  }
  // Explained in the file by PERMISSION_COMMENTS.
  out.permissions = {
    'id-token': 'write',
    'contents': 'read',
    ...(opts.artifactAttestation ? { attestations: 'write' } : {}),
  };
  out.steps = steps(target, opts, values);
  if (opts.diagnose) {
    const unsigned = target.signed || target.signedIf ? UNSIGNED_OUTPUT : undefined;
    (out.steps as Yaml[]).push(target.diagnosisAction !== undefined
      ? localDiagnosisStep(target.diagnosisAction, values, shape.environment, unsigned)
      : diagnosisStep(target, opts, values, shape.environment, unsigned));
  }
  return out;
}

/** The step that runs the workflow's own diagnosis action (see diagnosisAction) when an earlier step failed. */
function localDiagnosisStep(action: string, values: WorkflowValues, environment: string | undefined, unsigned: string | undefined): Yaml {
  return {
    name: 'Diagnose the failure',
    if: 'failure()',
    uses: `./${action}`,
    with: {
      ...(environment !== undefined ? { environment } : {}),
      'aws-region': values.region,
      'ecr-repository': values.repository,
      'ecr-registry': values.registry,
      'aws-role-arn': values.roleArn,
      ...(unsigned !== undefined ? { unsigned } : {}),
    },
  };
}

/**
 * The step that explains a failure. Every value reaches the script through
 * an environment variable, never through an expression inside the script, so
 * nothing from a secret, a variable or the trust data can become code.
 */
function diagnosisStep(target: Pick<JobTarget, 'trustData' | 'audience'>, opts: JobOptions, values: WorkflowValues, environment: string | undefined, unsigned?: string): Yaml {
  const env: Yaml = {
    ...(target.trustData ? { DIAGNOSE_TRUST: trustDataText(target.trustData) } : {}),
    DIAGNOSE_AUDIENCE: audienceInput(target, values) ?? DEFAULT_AUDIENCE,
    DIAGNOSE_VALUE_SOURCE: opts.valueSource === WorkflowValueSource.VARIABLES ? 'vars' : opts.valueSource === WorkflowValueSource.INLINE ? 'inline' : 'secrets',
    ...(environment !== undefined ? { DIAGNOSE_ENVIRONMENT: environment } : {}),
    DIAGNOSE_AWS_REGION: values.region,
    DIAGNOSE_ECR_REPOSITORY: values.repository,
    DIAGNOSE_ECR_REGISTRY: values.registry,
    DIAGNOSE_AWS_ROLE_ARN: values.roleArn,
    ...(unsigned !== undefined ? { DIAGNOSE_UNSIGNED: unsigned } : {}),
  };
  return {
    name: 'Diagnose the failure',
    if: 'failure()',
    uses: opts.actions['actions/github-script'].uses,
    env,
    with: { script: DIAGNOSIS_STEP_SCRIPT },
  };
}

/** The trust data as JSON a reviewer can read: one line per field. */
function trustDataText(data: TrustData): string {
  return `{\n${Object.entries(data).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(',\n')}\n}`;
}

function steps(target: JobTarget, opts: JobOptions, values: WorkflowValues): Yaml[] {
  const a = opts.actions;
  const credentials: Yaml = {
    'role-to-assume': values.roleArn,
    'aws-region': values.region,
    'role-session-name': 'github-${{ github.run_id }}-${{ github.run_attempt }}',
  };
  const audience = audienceInput(target, values);
  if (audience !== undefined) {
    credentials.audience = audience;
  }

  const out: Yaml[] = [
    {
      name: 'Check out',
      uses: a['actions/checkout'].uses,
      // The job never pushes to git; keep the token out of .git/config.
      with: { 'persist-credentials': false },
    },
    {
      name: 'Configure AWS credentials',
      uses: a['aws-actions/configure-aws-credentials'].uses,
      with: credentials,
    },
    {
      name: 'Log in to Amazon ECR',
      uses: a['aws-actions/amazon-ecr-login'].uses,
    },
  ];
  const emulated = opts.platforms.filter((p) => p !== 'linux/amd64');
  // Both actions keep what they download in the GitHub Actions cache unless
  // told not to: a cache other workflows write, so only when it is the
  // chosen build cache anyway.
  const cache = target.cache;
  if (emulated.length > 0) {
    out.push({
      name: 'Set up QEMU',
      uses: a['docker/setup-qemu-action'].uses,
      with: {
        'platforms': emulated.join(','),
        ...(opts.binfmtImage !== undefined ? { image: opts.binfmtImage } : {}),
        'cache-image': cache.actionsCache,
      },
    });
  }
  out.push({
    name: 'Set up Docker Buildx',
    uses: a['docker/setup-buildx-action'].uses,
    with: {
      ...(opts.buildkitImage !== undefined ? { 'driver-opts': `image=${opts.buildkitImage}` } : {}),
      'cache-binary': cache.actionsCache,
    },
  });
  out.push({
    name: 'Image tags',
    id: 'meta',
    uses: a['docker/metadata-action'].uses,
    with: {
      images: `${values.registry}/${values.repository}`,
      // No automatic `latest` on tag pushes: the rules decide.
      flavor: 'latest=false',
      tags: tagRules(target, opts).join('\n') + '\n',
    },
  });

  if (target.immutablePush !== undefined) {
    out.push(existingTagsStep(values.repository, target.immutablePush === '' ? undefined : target.immutablePush));
  }

  const build: Yaml = { context: opts.context };
  if (opts.dockerfile !== undefined) {
    build.file = opts.dockerfile;
  }
  Object.assign(build, {
    platforms: opts.platforms.join(','),
    push: true,
    tags: '${{ steps.meta.outputs.tags }}',
    labels: '${{ steps.meta.outputs.labels }}',
    ...(cache.from !== undefined ? { 'cache-from': cache.from } : {}),
    ...(cache.to !== undefined ? { 'cache-to': cache.to } : {}),
    ...(opts.buildAttestations ? { provenance: 'mode=max', sbom: true } : {}),
  });
  out.push({
    name: 'Build and push',
    id: 'build',
    ...(target.immutablePush !== undefined ? { if: BUILD_UNLESS_PUSHED } : {}),
    uses: a['docker/build-push-action'].uses,
    with: build,
  });
  // Steps on the pushed image follow here; they read PUSHED_DIGEST, which a
  // re-run that found its tags already pushed also sets.
  if (opts.artifactAttestation) {
    out.push({
      name: 'Attest build provenance',
      uses: a['actions/attest'].uses,
      with: {
        'subject-name': `${values.registry}/${values.repository}`,
        'subject-digest': target.immutablePush !== undefined ? PUSHED_DIGEST : '${{ steps.build.outputs.digest }}',
        'push-to-registry': true,
        // A storage record needs the artifact-metadata permission as well; the attestation itself does not.
        'create-storage-record': false,
      },
    });
  }
  if (target.signed || target.signedIf) {
    out.push(signatureStep(values, target.signedIf));
  }
  return out;
}

/** How often and how long the job asks ECR whether the pushed image is signed. */
export const SIGNATURE_POLL_SECONDS = 10;
export const SIGNATURE_TIMEOUT_SECONDS = 600;

/** The wait step's output the diagnosis reads: the digest left unsigned, if any. */
const UNSIGNED_OUTPUT = '${{ steps.signature.outputs.unsigned }}';

/**
 * The wait for ECR managed signing, a step of its own after the push. The
 * subjects ECR signs are the pushed manifest and, for an image index, each
 * platform manifest it lists; BuildKit's attestation manifests (annotated
 * `vnd.docker.reference.type: attestation-manifest`) are not images and are
 * not waited for. The digest is the push step's; when that step pushed
 * nothing (a re-run whose image already exists), the digest the first tag
 * points to. Every value reaches the script through the environment.
 */
function signatureStep(values: WorkflowValues, condition: string | undefined): Yaml {
  return {
    name: 'Wait for the image signature',
    id: 'signature',
    ...(condition !== undefined ? { if: condition } : {}),
    env: {
      ECR_REPOSITORY: values.repository,
      ECR_REGISTRY: values.registry,
      PUSHED_DIGEST: '${{ steps.build.outputs.digest }}',
      IMAGE_TAGS: '${{ steps.meta.outputs.tags }}',
      POLL_SECONDS: String(SIGNATURE_POLL_SECONDS),
      TIMEOUT_SECONDS: String(SIGNATURE_TIMEOUT_SECONDS),
    },
    run: SIGNATURE_SCRIPT,
  };
}

/** The wait step's script (bash, with -e and pipefail as GitHub runs `run:`). */
export const SIGNATURE_SCRIPT = String.raw`# ECR signs on push (managed signing); wait until every pushed manifest is signed.
probe="$(aws ecr describe-image-signing-status 2>&1 || true)"
case "$probe" in *"Invalid choice"*|*"invalid choice"*)
  echo "::error::The runner's AWS CLI ($(aws --version 2>&1)) cannot read ECR signing status (aws ecr describe-image-signing-status, added with ECR managed signing in November 2025): update it."
  exit 1;;
esac
digest="$PUSHED_DIGEST"
if [ -z "$digest" ]; then
  tag="$(printf '%s
' "$IMAGE_TAGS" | head -n 1)"
  tag="$(printf '%s' "$tag" | sed 's/.*://')"
  digest="$(aws ecr batch-get-image --repository-name "$ECR_REPOSITORY" --image-ids imageTag="$tag" --query 'images[0].imageId.imageDigest' --output text)"
fi
manifest="$(aws ecr batch-get-image --repository-name "$ECR_REPOSITORY" --image-ids imageDigest="$digest"   --accepted-media-types application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.list.v2+json   application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json   --query 'images[0].imageManifest' --output text)"
subjects="$digest $(printf '%s' "$manifest" | jq -r '[.manifests[]? | select(.annotations["vnd.docker.reference.type"] != "attestation-manifest") | .digest] | join(" ")')"
echo "Waiting up to $TIMEOUT_SECONDS s (every $POLL_SECONDS s) until ECR has signed: $subjects"
deadline=$((SECONDS + TIMEOUT_SECONDS))
for subject in $subjects; do
  while :; do
    statuses="$(aws ecr describe-image-signing-status --repository-name "$ECR_REPOSITORY" --image-id imageDigest="$subject" --output json)"
    failed="$(printf '%s' "$statuses" | jq -r '.signingStatuses[]? | select(.status == "FAILED") | "\(.signingProfileArn): \(.failureCode // "no code"): \(.failureReason // "no reason")"')"
    if [ -n "$failed" ]; then
      echo "unsigned=$subject" >> "$GITHUB_OUTPUT"
      echo "::error::ECR failed to sign $ECR_REPOSITORY@$subject: $failed"
      exit 1
    fi
    if printf '%s' "$statuses" | jq -e '(.signingStatuses | length) > 0 and all(.signingStatuses[]; .status == "COMPLETE")' > /dev/null; then
      profiles="$(printf '%s' "$statuses" | jq -r '[.signingStatuses[].signingProfileArn] | unique | join(" ")')"
      echo "Signed: $subject ($profiles)"
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "unsigned=$subject" >> "$GITHUB_OUTPUT"
      echo "::error::$ECR_REPOSITORY@$subject was pushed but is not signed after $TIMEOUT_SECONDS s (status: $(printf '%s' "$statuses" | jq -c '[.signingStatuses[]?.status]'))"
      exit 1
    fi
    sleep "$POLL_SECONDS"
  done
done
{
  echo "Signed by ECR with AWS Signer profile $profiles: $ECR_REGISTRY/$ECR_REPOSITORY@$digest"
  echo "Verify it with Notation and the AWS Signer plugin, trusting that profile (trust policy: signingAuthority:<profile ARN>):"
  echo "  notation verify $ECR_REGISTRY/$ECR_REPOSITORY@$digest"
} | tee -a "$GITHUB_STEP_SUMMARY"
`;

/**
 * The image tags. With mutable tags (the default) `latest` on the default
 * branch, the branch name, the git tag name and `sha-<short SHA>`. When every
 * tag is immutable, only tags no other run pushes (see immutableTagRules): a
 * deployment pins the git tag, `sha-<full SHA>` or the digest.
 */
function tagRules(target: JobTarget, opts: JobOptions): string[] {
  if (target.immutableTags) {
    return immutableTagRules('', opts.workflowDispatch ?? false, opts.pullRequests ?? false);
  }
  return [
    // `latest` only for the default branch (never for tags or pull requests).
    `type=raw,value=latest,enable=\${{ github.ref == 'refs/heads/${opts.defaultBranch}' }}`,
    'type=ref,event=branch',
    // The git tag name as-is ("/" becomes "-"): the repository's immutable-tag
    // filters protect exactly these names.
    'type=ref,event=tag',
    ...(opts.pullRequests ? ['type=ref,event=pr'] : []),
    'type=sha,prefix=sha-,format=short',
  ];
}

/**
 * The `audience` input of configure-aws-credentials, when the role's is not
 * the action's default. In a stack whose region is only known at deploy time
 * the role requires `sts.<DNS suffix of the region's partition>`, so the
 * workflow computes the same from the region it is given.
 */
function audienceInput(target: Pick<JobTarget, 'audience'>, values: WorkflowValues): string | undefined {
  if (!Token.isUnresolved(target.audience)) {
    return target.audience === DEFAULT_AUDIENCE ? undefined : target.audience;
  }
  const branches = knownPartitions()
    .filter((p) => p.prefix !== '' && `sts.${p.dnsSuffix}` !== DEFAULT_AUDIENCE)
    .map((p) => `startsWith(${values.regionExpression}, '${p.prefix}') && 'sts.${p.dnsSuffix}'`);
  return `\${{ ${[...branches, `'${DEFAULT_AUDIENCE}'`].join(' || ')} }}`;
}

/** Why each job holds each permission, written next to it in the file. */
const PERMISSION_COMMENTS: Record<string, string> = {
  'id-token': 'request the OIDC token that assumes the push role',
  'contents': 'check out the repository',
  'attestations': 'record the artifact attestation',
};

/**
 * Comments the reader of the file needs: each pinned release after its commit
 * SHA (`uses: owner/action@<sha> # vX.Y.Z`), and why each permission is held.
 */
function commentActionVersions(doc: Document, actions: Partial<Record<string, ActionReference>>): void {
  const comments = new Map(Object.values(actions).filter((a): a is ActionReference => a?.comment !== undefined).map((a) => [a.uses, a.comment!]));
  visit(doc, {
    Pair(_, pair, path) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) {
        return;
      }
      const key = String(pair.key.value);
      if (key === 'uses' && comments.has(String(pair.value.value))) {
        pair.value.comment = ` ${comments.get(String(pair.value.value))}`;
      }
      const parent = path[path.length - 2];
      if (PERMISSION_COMMENTS[key] && isPair(parent) && isScalar(parent.key) && parent.key.value === 'permissions') {
        pair.value.comment = ` ${PERMISSION_COMMENTS[key]}`;
      }
    },
  });
}

/** Adds `comment` after every `uses: <uses>` of the document. */
function commentUses(doc: Document, uses: string, comment: string): void {
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value) && pair.value.value === uses) {
        pair.value.comment = comment;
      }
    },
  });
}

/** A job-ID-safe form of an environment name. */
function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return s.length > 0 ? s : 'environment';
}

function uniqueJobId(base: string, used: Set<string>): string {
  let id = base.slice(0, 100);
  for (let n = 2; used.has(id); n++) {
    id = `${base.slice(0, 95)}-${n}`;
  }
  used.add(id);
  return id;
}

/** What the organisation workflow is rendered from: the fleet's plain values. */
export interface OrganizationTarget {
  readonly path: string;
  readonly workflow: { readonly repository: string; readonly file: string; readonly gitRef: string };
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The registry host, `<account>.dkr.ecr.<region>.<url suffix>`. */
  readonly registry: string;
  readonly audience: string;
  readonly rolePath: string;
  /** The default of the `immutable-tags` input (the fleet's default tag mutability). */
  readonly immutableTags: boolean;
  /** The default of the `image-signing` input (whether the fleet's defaults sign). */
  readonly signed: boolean;
}

/**
 * The inputs a caller passes to the organisation workflow: what differs per
 * repository and shapes the job (more settings join them the same way).
 */
export const ORGANIZATION_INPUTS = {
  environment: 'environment',
  immutableTags: 'immutable-tags',
  pullRequests: 'pull-requests',
  ecrRepository: 'ecr-repository',
  imageSigning: 'image-signing',
} as const;

const INPUT = ORGANIZATION_INPUTS;

/** An input as an expression operand: `inputs.<name>`. */
function input(name: string): string {
  return `inputs.${name}`;
}

/**
 * The organisation's reusable workflow. It derives the calling repository's
 * role and ECR repository from `github.repository` (the fleet's naming rule,
 * in shell, reading the name from an environment variable) and then builds
 * and pushes like a publisher's own workflow. What differs per repository
 * comes from the caller's inputs: the GitHub Environment (a job of its own,
 * so a job without one never declares `environment:`), whether pull requests
 * publish, whether every tag is immutable, and an ECR repository name that
 * the rule cannot derive. The diagnosis step has no trust patterns (they
 * differ per repository).
 */
export function renderOrganizationWorkflowYaml(target: OrganizationTarget, options: WorkflowOptions): string {
  return at(target.path, () => {
    const opts = resolveBuildOptions(options);
    const values: WorkflowValues = {
      region: target.region,
      regionExpression: `'${target.region}'`,
      registry: target.registry,
      repository: '${{ steps.names.outputs.ecr_repository }}',
      roleArn: `arn:${target.partition}:iam::${target.account}:role${target.rolePath}\${{ steps.names.outputs.role }}`,
    };
    const jobTarget: JobTarget = {
      ...target,
      immutablePush: input(INPUT.immutableTags),
      cache: organizationCache(values.registry, values.repository),
      signed: false,
      signedIf: input(INPUT.imageSigning),
    };
    const publishJob = (name: string, condition: string, environment?: string): Yaml => {
      const built = job(jobTarget, { ...opts, valueSource: WorkflowValueSource.INLINE }, values, { name, environment, condition });
      const jobSteps = built.steps as Yaml[];
      jobSteps.unshift(namesStep());
      const meta = jobSteps.find((step) => step.id === 'meta')!;
      (meta.with as Yaml).tags = organizationTagRules(opts.defaultBranch).join('\n') + '\n';
      return built;
    };
    const noEnvironment = `${input(INPUT.environment)} == ''`;
    const workflow: Yaml = {
      name: workflowNameOf(target.workflow.file),
      on: { workflow_call: { inputs: organizationInputs(target.immutableTags, target.signed) } },
      permissions: {},
      jobs: {
        // GitHub gives pull_request runs from forks no OIDC token: skip them rather than fail.
        'publish': publishJob('Build and push image',
          `${noEnvironment} && (github.event_name != 'pull_request' || (${input(INPUT.pullRequests)} && ${SAME_REPOSITORY_PR}))`),
        // Unreviewed pull-request code does not publish through an environment.
        'publish-in-environment': publishJob('Build and push image (${{ inputs.environment }})',
          `${input(INPUT.environment)} != '' && github.event_name != 'pull_request'`, `\${{ ${input(INPUT.environment)} }}`),
      },
    };
    return toYaml(workflow, opts, [
      ` .github/workflows/${target.workflow.file} of ${target.workflow.repository}, generated by cdk-github-ecr-publisher from ${target.path}.`,
      ` Each repository of the fleet calls it (uses: ${target.workflow.repository}/.github/workflows/${target.workflow.file}@${shortRef(target.workflow.gitRef)});`,
      ' the roles trust it at that ref only. Change the CDK app and render it again.',
    ]);
  });
}

function organizationInputs(immutableTags: boolean, signed: boolean): Yaml {
  return {
    [INPUT.environment]: {
      description: 'The GitHub Environment the job runs in (one the repository\'s role trusts); empty for none',
      type: 'string',
      required: false,
      default: '',
    },
    [INPUT.immutableTags]: {
      description: 'Every tag of the ECR repository is immutable: push only tags no other run pushes, and nothing when they exist already',
      type: 'boolean',
      required: false,
      default: immutableTags,
    },
    [INPUT.pullRequests]: {
      description: 'pull_request runs (of branches of the repository, not forks) publish; the role must trust them',
      type: 'boolean',
      required: false,
      default: false,
    },
    [INPUT.ecrRepository]: {
      description: 'The ECR repository, when it is not the one derived from the repository name; the role may push to its own only',
      type: 'string',
      required: false,
      default: '',
    },
    // Without the inputs (a caller rendered before they existed) the build
    // uses no cache: the one choice that needs nothing from the repository.
    [CACHE_INPUTS.kind]: {
      description: 'Where the build cache is: registry (the ECR repository, under cache-tag), github-actions or none',
      type: 'string',
      required: false,
      default: CACHE_INPUT_VALUES.none,
    },
    [CACHE_INPUTS.tag]: {
      description: 'The tag of the registry cache in the ECR repository (its lifecycle rules keep that tag)',
      type: 'string',
      required: false,
      default: '',
    },
    [INPUT.imageSigning]: {
      description: 'ECR signs the repository\'s images (its imageSigning): wait after the push until the image is signed',
      type: 'boolean',
      required: false,
      default: signed,
    },
  };
}

/** The step that derives the role and ECR repository; every value reaches the script through the environment. */
function namesStep(): Yaml {
  return {
    name: 'Role and repository of the calling repository',
    id: 'names',
    env: {
      REPOSITORY: '${{ github.repository }}',
      ECR_REPOSITORY_INPUT: `\${{ ${input(INPUT.ecrRepository)} }}`,
      BUILD_CACHE: `\${{ ${input(CACHE_INPUTS.kind)} }}`,
      CACHE_TAG: `\${{ ${input(CACHE_INPUTS.tag)} }}`,
    },
    run: `${FLEET_NAMES_SHELL}\n` +
      'if [ -n "$ECR_REPOSITORY_INPUT" ]; then ecr_repository="$ECR_REPOSITORY_INPUT"; fi\n' +
      // The cache inputs become part of the build's cache options: only the known forms.
      `case "$BUILD_CACHE" in ${Object.values(CACHE_INPUT_VALUES).join('|')}) ;; *) echo "::error::build-cache must be ${Object.values(CACHE_INPUT_VALUES).join(', ')}"; exit 1 ;; esac\n` +
      'if [ "$BUILD_CACHE" = registry ] && ! [[ "$CACHE_TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then echo "::error::cache-tag is not an image tag"; exit 1; fi\n' +
      'echo "role=$role" >> "$GITHUB_OUTPUT"\necho "ecr_repository=$ecr_repository" >> "$GITHUB_OUTPUT"\n',
  };
}

/**
 * The image tags of the organisation workflow: the publisher's rules (see
 * tagRules), switched by the `immutable-tags` input with metadata-action's
 * `enable=` instead of chosen at render time.
 */
function organizationTagRules(defaultBranch: string): string[] {
  const mutable = `!${input(INPUT.immutableTags)}`;
  return [
    `type=raw,value=latest,enable=\${{ ${mutable} && github.ref == 'refs/heads/${defaultBranch}' }}`,
    `type=ref,event=branch,enable=\${{ ${mutable} }}`,
    `type=ref,event=tag,enable=\${{ ${mutable} }}`,
    `type=ref,event=pr,enable=\${{ ${mutable} }}`,
    `type=sha,prefix=sha-,format=short,enable=\${{ ${mutable} }}`,
    ...immutableTagRules(input(INPUT.immutableTags), true, true),
  ];
}

/** What a repository's caller workflow is rendered from. */
export interface CallerTarget {
  readonly path: string;
  readonly workflow: { readonly repository: string; readonly file: string; readonly gitRef: string };
  /** What the repository's role trusts: its triggers and jobs follow from it. */
  readonly trust: TrustScope;
  /** Whether every tag of its ECR repository is immutable. */
  readonly immutableTags: boolean;
  /** Its ECR repository, when the organisation workflow cannot derive it from the name. */
  readonly ecrRepository?: string;
  /** Its build cache (its lifecycle rules keep the registry cache's tag). */
  readonly buildCache: BuildCache;
  /** Whether ECR signs its images. */
  readonly signed: boolean;
}

/** The options that shape a caller workflow; the build settings belong to the organisation workflow. */
const CALLER_OPTIONS = ['workflowName', 'jobId', 'environments', 'refJob', 'workflowDispatch', 'pullRequests', 'defaultBranch'];

/**
 * The workflow a repository of the fleet commits: the triggers its role
 * trusts, and one call of the organisation workflow per kind of token (the
 * job without an environment, one per environment), each passing the
 * repository's own settings as inputs.
 */
export function renderCallerWorkflowYaml(target: CallerTarget, options: WorkflowOptions): string {
  return at(target.path, () => {
    const build = Object.keys(options).filter((k) => !CALLER_OPTIONS.includes(k) && (options as Record<string, unknown>)[k] !== undefined);
    if (build.length > 0) {
      throw invalid('renderCallerWorkflow', build, 'are settings of the organisation workflow\'s build job, not of a caller',
        `Give them to renderOrganizationWorkflow(); a caller takes ${CALLER_OPTIONS.join(', ')}`);
    }
    const trust = target.trust;
    const opts = resolveWorkflowOptions(trust, 'publish', options);
    const uses = `${target.workflow.repository}/.github/workflows/${target.workflow.file}@${shortRef(target.workflow.gitRef)}`;
    const inputs: Yaml = {
      [INPUT.immutableTags]: target.immutableTags,
      [INPUT.imageSigning]: target.signed,
      ...(opts.pullRequests ? { [INPUT.pullRequests]: true } : {}),
      ...(target.ecrRepository !== undefined ? { [INPUT.ecrRepository]: target.ecrRepository } : {}),
      [CACHE_INPUTS.kind]: CACHE_INPUT_VALUES[target.buildCache._kind],
      ...(target.buildCache.tag !== undefined ? { [CACHE_INPUTS.tag]: target.buildCache.tag } : {}),
    };
    const call = (condition: string | undefined, environment?: string): Yaml => ({
      ...(condition ? { if: condition } : {}),
      uses,
      permissions: { 'id-token': 'write', 'contents': 'read' },
      with: environment === undefined ? inputs : { [INPUT.environment]: environment, ...inputs },
    });
    const jobs: Yaml = {};
    if (opts.refJob) {
      jobs[opts.jobId] = call(refJobCondition(opts));
    }
    const usedIds = new Set<string>([opts.jobId]);
    for (const environment of opts.environments) {
      jobs[uniqueJobId(`${opts.jobId}-${slug(environment)}`, usedIds)] = call(opts.pullRequests ? "github.event_name != 'pull_request'" : undefined, environment);
    }
    const workflow: Yaml = {
      name: opts.workflowName,
      on: triggers(trust, opts),
      permissions: {},
      concurrency: { 'group': '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': false },
      jobs,
    };
    const pinned = /^[0-9a-f]{40}$/.test(target.workflow.gitRef);
    const doc = toDocument(workflow, undefined, [
      ` .github/workflows/publish.yml of ${trust.owner}/${trust.repo}, generated by cdk-github-ecr-publisher from ${target.path}.`,
      ' It runs the organisation workflow, which the role trusts, on the branches, tags and environments the role trusts.',
      ...(pinned ? [] : [
        ' The organisation workflow is called at a branch or tag, not a commit: the role trusts it only at that',
        ' ref, so protect that ref in the organisation repository (zizmor\'s unpinned-uses is silenced for it).',
      ]),
    ]);
    if (!pinned) {
      visit(doc, {
        Pair(_, pair) {
          if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
            pair.value.comment = ' zizmor: ignore[unpinned-uses]';
          }
        },
      });
    }
    return yamlText(doc);
  });
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function toYaml(workflow: Yaml, opts: BuildOptions | undefined, header: string[]): string {
  return yamlText(toDocument(workflow, opts, header));
}

/** lineWidth 0: never fold long expressions; nullStr '': bare `workflow_dispatch:`. */
function yamlText(doc: Document): string {
  return doc.toString({ lineWidth: 0, nullStr: '' });
}

function toDocument(workflow: Yaml, opts: BuildOptions | undefined, header: string[]): Document {
  const doc = new Document(workflow);
  doc.commentBefore = header.join('\n');
  commentActionVersions(doc, opts?.actions ?? {});
  return doc;
}
