// SPDX-License-Identifier: Apache-2.0
//
// Pure functions that turn a validated trust scope into the `sub` values and
// IAM conditions of the role's trust policy. Kept free of constructs so the
// security tests can drive them directly.
import { GITHUB_COM_ISSUER_HOST } from './constants';
import { invalid } from './errors';
import type { GitHubIssuer } from '../github-issuer';

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
}

/**
 * The scope the role trusts: `main` when no scope prop is set at all, the
 * props' own (copied) lists otherwise. A scope that trusts nothing is an error.
 */
export function resolveTrustScope(owner: string, repo: string, props: TrustScopeProps): TrustScope {
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
  };
  if (subjectContexts(scope).length === 0) {
    throw invalid('allowPullRequests', false, 'leaves the trust scope empty (no branches, tags or environments either)',
      'Name at least one branch, tag, environment, or allow pull requests');
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
  return [
    ...scope.branches.map((b) => `ref:refs/heads/${b}`),
    ...scope.tags.map((t) => `ref:refs/tags/${t}`),
    ...scope.environments.map((e) => `environment:${encodeSubjectValue(e)}`),
    ...(scope.pullRequests ? ['pull_request'] : []),
  ];
}

/**
 * The repository segments of the subject (`repo:<segment>:<context>`).
 *
 * - Legacy form: `owner/repo`, always (repositories created before
 *   2026-07-15 that have not opted in keep it).
 * - Immutable form with IDs: `owner@OWNER_ID/repo@REPO_ID`.
 * - Immutable form without IDs: `owner@*\/repo@*`. This cannot match another
 *   repository: GitHub names never contain "@", so the literal `repo:owner@`
 *   fixes the owner and the literal `/repo@` can only be matched at the
 *   owner/repository boundary (owner IDs are digits, and a later `/repo@` would
 *   have to sit inside the context, which must then be followed by the literal
 *   `:<context>`; contexts never contain a raw ":" because git forbids it in
 *   refs and GitHub encodes it as %3A in environment names).
 */
export function repositorySegments(scope: TrustScope, issuer: GitHubIssuer): string[] {
  const legacy = `${scope.owner}/${scope.repo}`;
  if (scope.ownerId !== undefined && scope.repoId !== undefined) {
    return [legacy, `${scope.owner}@${scope.ownerId}/${scope.repo}@${scope.repoId}`];
  }
  if (!stsEvaluatesRepositoryClaims(issuer)) {
    // Without the `repository` pin the `@*` patterns are not safe (see above):
    // name form only; repositories with immutable subjects need ownerId/repoId.
    return [legacy];
  }
  return [legacy, `${scope.owner}@*/${scope.repo}@*`];
}

/**
 * Whether STS is documented to evaluate GitHub's `repository` and
 * `repository_id` claims for this issuer. AWS lists them (2026) for the
 * `token.actions.githubusercontent.com` provider only. A condition on a key
 * STS does not populate is false, which would lock everyone out, so for other
 * issuers the construct emits no such condition and no pattern that needs one.
 */
export function stsEvaluatesRepositoryClaims(issuer: GitHubIssuer): boolean {
  return issuer.hostPath === GITHUB_COM_ISSUER_HOST;
}

/** Every `sub` value the role admits. */
export function subjectClaims(scope: TrustScope, issuer: GitHubIssuer): string[] {
  const contexts = subjectContexts(scope);
  const out: string[] = [];
  for (const segment of repositorySegments(scope, issuer)) {
    for (const context of contexts) {
      out.push(`repo:${segment}:${context}`);
    }
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
  put('sub', subjectClaims(scope, issuer));
  if (scope.repoId !== undefined && stsEvaluatesRepositoryClaims(issuer)) {
    // STS evaluates `repository_id` (2026): a recycled owner/name can never match.
    put('repository_id', [String(scope.repoId)]);
  } else if (repositorySegments(scope, issuer).some((s) => s.includes('*'))) {
    // The `owner@*/repo@*` form is only safe for GitHub's default subject
    // template. A repository of the same owner with a customised template that
    // includes free-text claims (e.g. a workflow named "x/repo@1") could
    // produce a subject the pattern matches, so the repository is pinned by
    // name with the `repository` claim, which STS evaluates (2026).
    put('repository', [`${scope.owner}/${scope.repo}`]);
  }
  if (scope.jobWorkflowRefs.length > 0) {
    put('job_workflow_ref', scope.jobWorkflowRefs);
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
