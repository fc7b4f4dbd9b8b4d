// SPDX-License-Identifier: Apache-2.0
//
// Pure functions that turn a validated trust scope into the `sub` values and
// IAM conditions of the role's trust policy. Kept free of constructs so the
// security tests can drive them directly.
import { GITHUB_COM_ISSUER_HOST } from './constants';
import { invalid } from './errors';
import { SubjectContext, templateSubjects } from './subject-template';
import type { GitHubIssuer } from '../github-issuer';

/**
 * The subject format GitHub reported for the repository (its identity
 * record): the trust admits exactly the subjects of that format.
 */
export interface RecordedSubject {
  /** The record's context key, named in messages. */
  readonly key: string;
  /** `name`: `repo:OWNER/NAME`; `immutable`: `repo:OWNER@OWNER_ID/NAME@REPO_ID`. */
  readonly form: 'name' | 'immutable';
  /** The customised template's claim keys, in order; undefined for GitHub's default template. */
  readonly claimKeys?: string[];
  /** Where a customised template comes from (`repository` or `organization`). */
  readonly templateSource: string;
  /** The pinned workflow file, for a template's `job_workflow_ref` claim (also without claim conditions). */
  readonly workflowFile?: string;
}

export interface TrustScope {
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: number;
  readonly repoId?: number;
  readonly branches: string[];
  readonly tags: string[];
  readonly environments: string[];
  readonly pullRequests: boolean;
  readonly jobWorkflowRefs: string[];
  /**
   * The workflow file (in `.github/workflows/`) whose jobs may assume the
   * role, checked with `job_workflow_ref`; undefined for no file pin.
   */
  readonly workflowFile?: string;
  /**
   * Whether the policy may condition on GitHub claims other than `sub` and
   * `aud` (`repository`, `repository_id`, `job_workflow_ref`).
   */
  readonly claimConditions: boolean;
  /**
   * The subject format GitHub reported; with it `ownerId` and `repoId` are the
   * recorded IDs. Undefined without an identity record.
   */
  readonly recorded?: RecordedSubject;
}

/** The trust-scope props as the user gave them. */
export interface TrustScopeProps {
  readonly branches?: string[];
  readonly tags?: string[];
  readonly environments?: string[];
  readonly allowPullRequests?: boolean;
  readonly ownerId?: number;
  readonly repoId?: number;
  readonly jobWorkflowRefs?: string[];
  readonly recorded?: RecordedSubject;
}

/**
 * The scope the role trusts: `main` when no scope prop is set at all, the
 * props' own (copied) lists otherwise. A scope that trusts nothing is an error.
 */
export function resolveTrustScope(
  owner: string, repo: string, props: TrustScopeProps, claimConditions: boolean, workflowFile: string | undefined,
): TrustScope {
  const noScope = [props.branches, props.tags, props.environments, props.allowPullRequests].every((v) => v === undefined);
  const scope: TrustScope = {
    owner,
    repo,
    ownerId: props.ownerId,
    repoId: props.repoId,
    branches: noScope ? ['main'] : [...(props.branches ?? [])],
    tags: [...(props.tags ?? [])],
    environments: [...(props.environments ?? [])],
    pullRequests: props.allowPullRequests ?? false,
    jobWorkflowRefs: [...(props.jobWorkflowRefs ?? [])],
    workflowFile: claimConditions ? workflowFile : undefined,
    claimConditions,
    ...(props.recorded ? { recorded: props.recorded } : {}),
  };
  if (subjectContexts(scope).length === 0) {
    throw invalid('allowPullRequests', false, 'leaves the trust scope empty (no branches, tags or environments either)',
      'Name at least one branch, tag, environment, or allow pull requests');
  }
  if (scope.recorded?.claimKeys) {
    subjectClaims(scope); // a template this library cannot build exactly fails here, at synth
  }
  return scope;
}

/** One condition block: operator -> key -> value(s). */
export type Conditions = Record<string, Record<string, string | string[]>>;

/** GitHub replaces ":" in claim values with "%3A" in the subject. */
export function encodeSubjectValue(value: string): string {
  return value.replace(/:/g, '%3A');
}

/** The context segments (after `repo:O/R:`) the scope admits, in a stable order. */
export function subjectContexts(scope: TrustScope): string[] {
  return subjectContextList(scope).map((c) => c.context);
}

/** The contexts the scope admits, with what each is. */
function subjectContextList(scope: TrustScope): SubjectContext[] {
  return [
    ...scope.branches.map((name) => ({ context: `ref:refs/heads/${name}`, kind: 'branch' as const, name })),
    ...scope.tags.map((name) => ({ context: `ref:refs/tags/${name}`, kind: 'tag' as const, name })),
    ...scope.environments.map((name) => ({ context: `environment:${encodeSubjectValue(name)}`, kind: 'environment' as const, name })),
    ...(scope.pullRequests ? [{ context: 'pull_request', kind: 'pull_request' as const }] : []),
  ];
}

/**
 * The repository segments of the subject (`repo:<segment>:<context>`).
 *
 * - Legacy form: `owner/repo`, always (repositories created before
 *   2026-07-15 that have not opted in keep it).
 * - Immutable form with IDs: `owner@OWNER_ID/repo@REPO_ID`, exact.
 * - Immutable form without IDs: `owner@*\/repo@*`, only with claim
 *   conditions, because only the `repository` pin that comes with it makes it
 *   exact (see trustConditions). Without them the name form alone is exact:
 *   GitHub builds a subject that starts with `repo:` only from the
 *   repository's own `repo` claim, and a customised template can only append
 *   `:key:value` pairs whose values have every ":" encoded as %3A, so
 *   `repo:owner/repo:ref:refs/heads/main` cannot be produced by another
 *   repository or by another ref of this one.
 * - With an identity record: the recorded form only; for the name form also
 *   the exact immutable form of the recorded IDs, so a repository that opts in
 *   later is not locked out.
 */
export function repositorySegments(scope: TrustScope): string[] {
  const legacy = `${scope.owner}/${scope.repo}`;
  if (scope.ownerId !== undefined && scope.repoId !== undefined) {
    const immutable = `${scope.owner}@${scope.ownerId}/${scope.repo}@${scope.repoId}`;
    return scope.recorded?.form === 'immutable' ? [immutable] : [legacy, immutable];
  }
  return scope.claimConditions ? [legacy, `${scope.owner}@*/${scope.repo}@*`] : [legacy];
}

/**
 * Whether STS is documented to evaluate GitHub's claims beyond `sub` and
 * `aud` (`repository`, `repository_id`, `job_workflow_ref`, ...) for this
 * issuer in this partition. AWS documents them (2026) for the
 * `token.actions.githubusercontent.com` provider in the commercial partition
 * only. A condition on a key STS does not fill is never true and would lock
 * every workflow out, so elsewhere (and where the partition is only known at
 * deploy time) the default is no such condition.
 *
 * @param partition the stack's partition, undefined when it is a token
 */
export function stsEvaluatesClaims(issuer: GitHubIssuer, partition: string | undefined): boolean {
  return issuer.hostPath === GITHUB_COM_ISSUER_HOST && partition === 'aws';
}

/** Every `sub` value the role admits. */
export function subjectClaims(scope: TrustScope): string[] {
  const recorded = scope.recorded;
  if (recorded?.claimKeys) {
    return templateSubjects({
      key: recorded.key,
      templateSource: recorded.templateSource,
      repository: `${scope.owner}/${scope.repo}`,
      claimKeys: recorded.claimKeys,
      segments: repositorySegments(scope),
      contexts: subjectContextList(scope),
      owner: scope.owner,
      ownerId: scope.ownerId!,
      repoId: scope.repoId!,
      environmentRefs: [...scope.branches.map((b) => `refs/heads/${b}`), ...scope.tags.map((t) => `refs/tags/${t}`)],
      workflowFileRef: recorded.workflowFile === undefined ? undefined : `${scope.owner}/${scope.repo}/.github/workflows/${recorded.workflowFile}`,
      jobWorkflowRefs: scope.jobWorkflowRefs,
      claimConditions: scope.claimConditions,
    });
  }
  const contexts = subjectContexts(scope);
  const out: string[] = [];
  for (const segment of repositorySegments(scope)) {
    for (const context of contexts) {
      out.push(`repo:${segment}:${context}`);
    }
  }
  return [...new Set(out)];
}

/**
 * The `job_workflow_ref` values the role admits: the listed reusable
 * workflows, and the pinned workflow file of this repository.
 *
 * For a job defined in a repository's own workflow file, GitHub sets
 * `job_workflow_ref` to `owner/repo/.github/workflows/<file>@<the run's ref>`
 * (`refs/heads/B`, `refs/tags/T`, or `refs/pull/N/merge` for pull requests),
 * whatever the job's environment. A branch or tag job's `sub` already names
 * its ref, so the pin adds the file. An environment job's `sub` names no ref,
 * so when the role trusts branches or tags the pin also requires the run's
 * ref to be one of them: a changed copy of the workflow on another branch
 * cannot use the environment. Without trusted branches or tags (environments
 * only) the environment's deployment branch and tag rules are the ref check.
 * `@refs/` keeps the file name exact: GitHub reads workflows only directly in
 * `.github/workflows/`, so no other file's reference starts with `<file>@refs/`.
 */
export function workflowRefPatterns(scope: TrustScope): string[] {
  const out = [...scope.jobWorkflowRefs];
  if (scope.workflowFile !== undefined) {
    const file = `${scope.owner}/${scope.repo}/.github/workflows/${scope.workflowFile}`;
    const refs = scope.environments.length > 0 && scope.branches.length + scope.tags.length > 0
      ? [
        ...scope.branches.map((b) => `refs/heads/${b}`),
        ...scope.tags.map((t) => `refs/tags/${t}`),
        ...(scope.pullRequests ? ['refs/pull/*/merge'] : []),
      ]
      : ['refs/*'];
    out.push(...refs.map((ref) => `${file}@${ref}`));
  }
  return [...new Set(out)];
}

function single(values: string[]): string | string[] {
  // A lone value renders as a scalar: the same meaning, fewer characters in a size-limited policy.
  return values.length === 1 ? values[0] : values;
}

/**
 * The trust policy's conditions. Each key sits under exactly one operator:
 * `StringEquals` when none of its values has a wildcard, otherwise
 * `StringLike` for all of them (splitting one key across two operators would
 * AND them and lock everyone out). No `ForAllValues`/`ForAnyValue`/`IfExists`.
 */
export function trustConditions(scope: TrustScope, issuer: GitHubIssuer, audience: string): Conditions {
  const equals: Record<string, string | string[]> = {};
  const like: Record<string, string | string[]> = {};
  const put = (key: string, values: string[]) => {
    const target = values.some((v) => v.includes('*')) ? like : equals;
    target[issuer.conditionKey(key)] = single(values);
  };
  put('aud', [audience]);
  put('sub', subjectClaims(scope));
  if (scope.repoId !== undefined && scope.claimConditions) {
    // STS evaluates `repository_id` (2026): a recycled owner/name can never match.
    put('repository_id', [String(scope.repoId)]);
  } else if (repositorySegments(scope).some((s) => s.includes('*'))) {
    // The `owner@*/repo@*` form is only safe for GitHub's default subject
    // template. A repository of the same owner with a customised template that
    // includes free-text claims (e.g. a workflow named "x/repo@1") could
    // produce a subject the pattern matches, so the repository is pinned by
    // name with the `repository` claim, which STS evaluates (2026).
    put('repository', [`${scope.owner}/${scope.repo}`]);
  }
  const workflowRefs = workflowRefPatterns(scope);
  if (workflowRefs.length > 0) {
    put('job_workflow_ref', workflowRefs);
  }
  const out: Conditions = {};
  if (Object.keys(equals).length > 0) {
    out.StringEquals = equals;
  }
  if (Object.keys(like).length > 0) {
    out.StringLike = like;
  }
  return out;
}

/**
 * Size of a policy document as IAM counts it against the trust-policy quota:
 * its JSON with every whitespace character removed.
 */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}
