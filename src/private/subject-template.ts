// SPDX-License-Identifier: Apache-2.0
//
// The subjects GitHub issues under a customised subject template
// (`include_claim_keys`): the listed claims as `key:value` pairs joined by
// ":" in the listed order, with the `repo` claim shortened to `repo`, the
// `context` claim written as the default format's context
// (`ref:refs/heads/B`, `environment:E`, `pull_request`), and every ":" inside
// a value encoded as %3A. Immutable-format repositories always carry the IDs
// in the `repo` value. A template that includes `environment` gets tokens
// only in jobs that declare one.
//
// Only claims whose value the trust scope fixes can be trusted exactly; a
// template with any other claim (free text such as `workflow`, or `actor`,
// `run_id`, ...) is refused rather than trusted by pattern.
import { invalid } from './errors';

/** A trusted subject context and what it is. */
export interface SubjectContext {
  /** `ref:refs/heads/B`, `ref:refs/tags/T`, `environment:E` (encoded), or `pull_request`. */
  readonly context: string;
  readonly kind: 'branch' | 'tag' | 'environment' | 'pull_request';
  /** The branch, tag or environment name (patterns included). */
  readonly name?: string;
}

/** What the template's claims can take their values from. */
export interface TemplateInput {
  /** The record's context key and template source, for messages. */
  readonly key: string;
  readonly templateSource: string;
  readonly repository: string;
  readonly claimKeys: string[];
  /** The `repo` values: the repository segments the role trusts. */
  readonly segments: string[];
  readonly contexts: SubjectContext[];
  readonly owner: string;
  readonly ownerId: number;
  readonly repoId: number;
  /** The refs (`refs/heads/B`, `refs/tags/T`) an environment job must run at, empty for any ref. */
  readonly environmentRefs: string[];
  /** The pinned workflow file's `job_workflow_ref` without `@<ref>`, or undefined when no file is pinned. */
  readonly workflowFileRef?: string;
  /** The trusted reusable workflows (exact `job_workflow_ref` values). */
  readonly jobWorkflowRefs: string[];
  /** Whether STS checks `repository_id`, so the subject need not name the repository. */
  readonly claimConditions: boolean;
}

/** The claims this library can build values for. */
export const TEMPLATE_CLAIMS = [
  'repo', 'context', 'repository_owner', 'repository_owner_id', 'repository_id', 'environment', 'ref', 'ref_type', 'job_workflow_ref',
];

/** Claims that name the run's branch, tag or environment for each kind of context. */
const SCOPING: Record<SubjectContext['kind'], string[]> = {
  branch: ['context', 'ref'],
  tag: ['context', 'ref'],
  environment: ['context', 'environment'],
  pull_request: ['context'],
};

class Refusal {
  constructor(readonly reason: string) {}
}

/** Every subject GitHub issues for the trusted contexts under the template; throws when one cannot be built exactly. */
export function templateSubjects(input: TemplateInput): string[] {
  const refuse = (reason: string) => {
    const where = input.templateSource === 'organization' ? `the organization template of ${input.owner} (the repository opted in to it)` : 'the repository\'s customised subject template';
    return invalid(`context "${input.key}".includeClaimKeys`, input.claimKeys, `is ${where}: ${reason}`,
      `Reset ${input.repository} to GitHub's default subject (gh api -X PUT repos/${input.repository}/actions/oidc/customization/sub -F use_default=true) ` +
      `or to a template of the claims ${TEMPLATE_CLAIMS.join(', ')} that names the repository and the trusted refs or environments, then record it again with ` +
      `npx cdk-github-ecr-publisher identity ${input.repository}`);
  };
  const unknown = input.claimKeys.filter((k) => !TEMPLATE_CLAIMS.includes(k));
  if (unknown.length > 0) {
    throw refuse(`the trust policy cannot predict the claim${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} exactly`);
  }
  if (!input.claimConditions && !input.claimKeys.some((k) => k === 'repo' || k === 'repository_id')) {
    throw refuse('its subject names neither repo nor repository_id, and without claim conditions nothing else in the trust policy tells this repository from another');
  }
  const out: string[] = [];
  for (const ctx of input.contexts) {
    if (input.claimKeys.includes('environment') && ctx.kind !== 'environment') {
      continue; // GitHub issues no token to a job without an environment under this template.
    }
    if (!input.claimKeys.some((k) => SCOPING[ctx.kind].includes(k))) {
      throw refuse(`its subject does not name the ${ctx.kind === 'pull_request' ? 'pull_request event' : ctx.kind} (${ctx.context}), so a run elsewhere would get the same subject`);
    }
    const parts = input.claimKeys.map((k) => valuesOf(k, ctx, input));
    const refused = parts.find((p): p is Refusal => p instanceof Refusal);
    if (refused) {
      throw refuse(refused.reason);
    }
    let subjects = [''];
    input.claimKeys.forEach((k, i) => {
      const pairs = (parts[i] as string[]).map((v) => (k === 'context' ? v : `${k}:${v}`));
      subjects = subjects.flatMap((s) => pairs.map((p) => (s === '' ? p : `${s}:${p}`)));
    });
    out.push(...subjects);
  }
  if (out.length === 0) {
    throw refuse('it includes environment, so GitHub issues tokens only to jobs with an environment, and the role trusts no environment');
  }
  return [...new Set(out)];
}

function valuesOf(key: string, ctx: SubjectContext, input: TemplateInput): string[] | Refusal {
  const refAt = ctx.kind === 'branch' ? [`refs/heads/${ctx.name}`] : ctx.kind === 'tag' ? [`refs/tags/${ctx.name}`]
    : ctx.kind === 'environment' && input.environmentRefs.length > 0 ? input.environmentRefs : undefined;
  switch (key) {
    case 'repo': return input.segments;
    case 'context': return [ctx.context];
    case 'repository_owner': return [input.owner];
    case 'repository_owner_id': return [String(input.ownerId)];
    case 'repository_id': return [String(input.repoId)];
    case 'environment': return [ctx.name!.replace(/:/g, '%3A')];
    case 'ref':
      return refAt ?? new Refusal(`the ref claim of a ${ctx.kind === 'pull_request' ? 'pull request (its merge ref carries the pull request number)' : 'job in an environment, when no branch or tag is trusted,'} can be any ref`);
    case 'ref_type':
      return ctx.kind === 'branch' || ctx.kind === 'tag' ? [ctx.kind] : new Refusal(`the ref_type claim of a ${ctx.kind === 'pull_request' ? 'pull request' : 'job in an environment'} is not fixed by what the role trusts`);
    default: { // job_workflow_ref
      if (input.workflowFileRef === undefined && input.jobWorkflowRefs.length === 0) {
        return new Refusal('its job_workflow_ref claim can name any workflow file, because the role pins none (pinWorkflowFile is false)');
      }
      if (input.workflowFileRef !== undefined && refAt === undefined) {
        return new Refusal(`the job_workflow_ref claim of a ${ctx.kind === 'pull_request' ? 'pull request names its merge ref' : 'job in an environment, when no branch or tag is trusted, can name any ref'}`);
      }
      return [...(refAt ?? []).map((ref) => `${input.workflowFileRef}@${ref}`), ...input.jobWorkflowRefs].map((v) => v.replace(/:/g, '%3A'));
    }
  }
}
