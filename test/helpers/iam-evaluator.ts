// Evaluates synthesized trust policies with an IAM policy evaluator nobody here
// wrote (@cloud-copilot/iam-simulate, AGPL-3.0, a devDependency only).
//
// Two traps:
// 1. runSimulation() drops the `:sub` and `:aud` context keys (they are not in
//    AWS's service reference), so every case would be denied. We use
//    runUnsafeSimulation(), and every suite asserts that its allow cases are
//    allowed so that a broken evaluator cannot make deny cases pass.
// 2. iam-simulate 0.1.173 crashes on a resource policy loaded without
//    metadata: test/setup.ts mocks @cloud-copilot/iam-policy for every test file.
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, GITHUB_COM_HOST } from './fixture';

/** A GitHub OIDC token, as the claims STS sees. */
export interface TokenClaims {
  readonly sub?: string;
  readonly aud?: string;
  /** Other claims STS evaluates (repository, repository_id, job_workflow_ref, ...). */
  readonly extra?: Record<string, string>;
  /** The provider the token is presented through (defaults to the policy's own). */
  readonly providerArn?: string;
  /** The issuer host/path prefix of the condition keys. */
  readonly issuerHostPath?: string;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** The trust policy of the single (or named) role in a stack, as synthesized. */
export function trustPolicyOf(stack: Stack, logicalIdPrefix?: string): any {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const ids = Object.keys(roles).filter((id) => logicalIdPrefix === undefined || id.startsWith(logicalIdPrefix));
  if (ids.length !== 1) {
    throw new Error(`expected one role${logicalIdPrefix ? ` starting with ${logicalIdPrefix}` : ''}, found ${ids.join(', ') || 'none'}`);
  }
  return roles[ids[0]].Properties.AssumeRolePolicyDocument;
}

/** The federated principal a trust policy names (must be a concrete ARN). */
export function federatedPrincipalOf(policy: any): string {
  const arn = policy.Statement[0].Principal.Federated;
  if (typeof arn !== 'string') {
    throw new Error(`trust policy principal is not a concrete ARN: ${JSON.stringify(arn)}; give the stack a concrete env`);
  }
  return arn;
}

/** Evaluates sts:AssumeRoleWithWebIdentity for a token against a trust policy. */
export function evaluate(policy: any, token: TokenClaims): Decision {
  const prefix = token.issuerHostPath ?? GITHUB_COM_HOST;
  const context: Record<string, string> = {};
  if (token.sub !== undefined) {
    context[`${prefix}:sub`] = token.sub;
  }
  if (token.aud !== undefined) {
    context[`${prefix}:aud`] = token.aud;
  }
  for (const [k, v] of Object.entries(token.extra ?? {})) {
    context[`${prefix}:${k}`] = v;
  }
  return simulate({
    request: {
      principal: token.providerArn ?? federatedPrincipalOf(policy),
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: `arn:aws:iam::${ACCOUNT}:role/Publisher`, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  });
}

/** Runs iam-simulate on one request: its decision, or an error when it returns none. */
export function simulate(input: Parameters<typeof runUnsafeSimulation>[0]): Decision {
  const result = runUnsafeSimulation(input, {});
  // 0.1.173 returns the decision itself; older releases wrapped it in { analysis: { result } }.
  const decision = typeof result === 'string' ? result : (result as any)?.analysis?.result;
  if (decision !== 'Allowed' && decision !== 'ImplicitlyDenied' && decision !== 'ExplicitlyDenied') {
    throw new Error(`iam-simulate returned no decision: ${JSON.stringify(result).slice(0, 500)}`);
  }
  return decision;
}

/** The claims GitHub puts in a default-template token for a repository. */
export interface TokenOptions {
  readonly ownerId?: number;
  readonly repoId?: number;
  readonly aud?: string;
  readonly extra?: Record<string, string>;
}

/**
 * The token of a job of `repo`'s default publisher workflow file
 * (`publish-<name>.yml`, which the trust policy pins), run for `context`: on
 * its ref, on main for an environment, on a merge ref for a pull request.
 */
export function githubToken(repo: string, context: string, opts: TokenOptions = {}): TokenClaims {
  const [owner, name] = repo.split('/');
  const segment = opts.ownerId !== undefined ? `${owner}@${opts.ownerId}/${name}@${opts.repoId}` : repo;
  const ref = context.startsWith('ref:') ? context.slice('ref:'.length) : context === 'pull_request' ? 'refs/pull/1/merge' : 'refs/heads/main';
  return {
    sub: `repo:${segment}:${context}`,
    aud: opts.aud ?? 'sts.amazonaws.com',
    extra: {
      repository: repo,
      job_workflow_ref: `${repo}/.github/workflows/publish-${name.toLowerCase()}.yml@${ref}`,
      ...(opts.repoId !== undefined ? { repository_id: String(opts.repoId) } : {}),
      ...opts.extra,
    },
  };
}
