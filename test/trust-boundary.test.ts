// Proves the trust boundary: the synthesized trust policy is evaluated for
// sts:AssumeRoleWithWebIdentity by an independent IAM evaluator
// (@cloud-copilot/iam-simulate) for tables of token claims, as GitHub would
// send them. Every configuration has allow cases that must be allowed, so a
// broken evaluator (or a policy that denies everything) fails the suite instead
// of making the deny cases pass for the wrong reason. Most deny cases change one
// claim of an allowed token, so the change is what is denied.
import { GitHubIssuer } from '../src';
import {
  CONFIGURATIONS, configurationFixture, GHE_COM, GHES, OWNER_ID, REPO_ID, REUSABLE_WORKFLOW, SLUG,
} from './fixtures/lint/configurations';
import { ACCOUNT, NAME, OTHER_ACCOUNT, OWNER, REPO, WORKFLOW_FILE } from './helpers/fixture';
import { evaluate, TokenClaims, trustPolicyOf } from './helpers/iam-evaluator';

// ---- Tokens as GitHub mints them ----

/** Numeric IDs of the repositories the cases use (the real one and the look-alikes). */
const IDS: Record<string, [owner: number, repo: number]> = {
  [REPO]: [OWNER_ID, REPO_ID],
  'octo-org/other': [OWNER_ID, 789],
  'octo-org/chatgpt-web-evil': [OWNER_ID, 790],
  'octo-org-evil/chatgpt-web': [666, 667],
  'octo/chatgpt-web': [5, 6],
  'Octo-Org/chatgpt-web': [OWNER_ID, REPO_ID],
  'octo-org-123/chatgpt-web-456': [7000, 7001],
};

interface Run {
  /** The repository the run belongs to (`owner/name`). */
  readonly repo?: string;
  /** Subject context: `ref:refs/heads/main`, `environment:prod`, `pull_request`... */
  readonly context: string;
  /** The repository emits immutable `owner@id/repo@id` subjects. */
  readonly immutable?: boolean;
  /** Override the repository_id claim (recycled names). */
  readonly repoId?: number | null;
  /** Override the owner id in the immutable subject. */
  readonly ownerIdInSub?: number;
  readonly aud?: string | null;
  /** Override the whole sub (customised subject templates); null removes it. */
  readonly sub?: string | null;
  /** Override the repository claim; null removes it. */
  readonly repository?: string | null;
  readonly jobWorkflowRef?: string | null;
  readonly issuer?: GitHubIssuer;
  /** Present the token through another provider ARN. */
  readonly providerArn?: string;
}

function token(run: Run): TokenClaims {
  const repo = run.repo ?? REPO;
  const [owner, name] = repo.split('/');
  const [ownerId, repoId] = IDS[repo];
  const segment = run.immutable ? `${owner}@${run.ownerIdInSub ?? ownerId}/${name}@${run.repoId ?? repoId}` : repo;
  const ref = run.context.startsWith('ref:') ? run.context.slice(4) : run.context === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main';
  const claims: Record<string, string | null | undefined> = {
    // The keys STS evaluates for GitHub tokens (aud, sub, repository, repository_id,
    // job_workflow_ref), plus some it does not, as GitHub sends them.
    repository: run.repository === undefined ? repo : run.repository,
    repository_id: run.repoId === null ? null : String(run.repoId ?? repoId),
    repository_owner: owner,
    repository_owner_id: String(ownerId),
    // By default the job runs in the workflow file the publisher pins.
    job_workflow_ref: run.jobWorkflowRef === undefined ? `${repo}/.github/workflows/${WORKFLOW_FILE}@${ref}` : run.jobWorkflowRef,
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    event_name: run.context === 'pull_request' ? 'pull_request' : 'push',
    workflow: 'Publish',
    ...(run.context.startsWith('environment:') ? { environment: decodeURIComponent(run.context.slice('environment:'.length)) } : {}),
  };
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (v !== null && v !== undefined) extra[k] = v;
  }
  return {
    sub: run.sub === null ? undefined : run.sub ?? `repo:${segment}:${run.context}`,
    aud: run.aud === null ? undefined : run.aud ?? 'sts.amazonaws.com',
    extra,
    issuerHostPath: (run.issuer ?? GitHubIssuer.GITHUB_COM).hostPath,
    providerArn: run.providerArn,
  };
}

const MAIN = 'ref:refs/heads/main';
/** The job_workflow_ref of a job of the repository's pinned workflow file, on main. */
const OWN_FILE = `${REPO}/.github/workflows/${WORKFLOW_FILE}@refs/heads/main`;
const OTHER_ACCOUNT_PROVIDER = `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${GitHubIssuer.GITHUB_COM.hostPath}`;
const providerArn = (issuer: GitHubIssuer) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.hostPath}`;
/** The customised-template subject of octo-org/other whose free-text `workflow` claim is "x/chatgpt-web@3". */
const customTemplateSub = (context: string) => `repo:${OWNER}@${OWNER_ID}/other@789:workflow:x/${NAME}@3:${context}`;

type Case = [label: string, run: Run];
interface Table {
  readonly allow: Case[];
  readonly deny: Case[];
}

const TABLES: Record<string, Table> = {
  Default: {
    allow: [
      ['push to main (name subject)', { context: MAIN }],
      ['push to main (immutable subject)', { context: MAIN, immutable: true }],
      ['push to main, immutable subject of a recycled name (no IDs configured: trusted by name)', { context: MAIN, immutable: true, ownerIdInSub: 999, repoId: 998 }],
    ],
    deny: [
      ['another branch', { context: 'ref:refs/heads/feature' }],
      ['prefix trick main-evil', { context: 'ref:refs/heads/main-evil' }],
      ['prefix trick mainline', { context: 'ref:refs/heads/mainline' }],
      ['suffix trick main/evil', { context: 'ref:refs/heads/main/evil' }],
      ['prefix trick main-evil (immutable)', { context: 'ref:refs/heads/main-evil', immutable: true }],
      ['branch case Main', { context: 'ref:refs/heads/Main' }],
      ['a tag named main', { context: 'ref:refs/tags/main' }],
      ['a tag', { context: 'ref:refs/tags/v1.0.0' }],
      ['pull request', { context: 'pull_request' }],
      ['job with an environment on main (environment subject replaces the branch)', { context: 'environment:production' }],
      ['look-alike repo octo-org/chatgpt-web-evil', { repo: 'octo-org/chatgpt-web-evil', context: MAIN }],
      ['look-alike repo octo-org/chatgpt-web-evil (immutable)', { repo: 'octo-org/chatgpt-web-evil', context: MAIN, immutable: true }],
      ['look-alike owner octo-org-evil/chatgpt-web', { repo: 'octo-org-evil/chatgpt-web', context: MAIN }],
      ['look-alike owner octo-org-evil/chatgpt-web (immutable)', { repo: 'octo-org-evil/chatgpt-web', context: MAIN, immutable: true }],
      ['look-alike owner octo/chatgpt-web', { repo: 'octo/chatgpt-web', context: MAIN }],
      ['owner case Octo-Org', { repo: 'Octo-Org/chatgpt-web', context: MAIN }],
      ['another repo of the owner, immutable subject octo-org@999/other', { repo: 'octo-org/other', context: MAIN, immutable: true, ownerIdInSub: 999 }],
      ['hyphen squat octo-org-123/chatgpt-web-456 (old immutable format)', { repo: 'octo-org-123/chatgpt-web-456', context: MAIN }],
      ['custom sub template of octo-org/other with workflow "x/chatgpt-web@3"', { repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN) }],
      ['custom sub template ["repo"] of the repository', { context: MAIN, sub: `repo:${REPO}` }],
      ['custom sub template [repo, context, job_workflow_ref] of the repository', { context: MAIN, sub: `repo:${REPO}:${MAIN}:job_workflow_ref:${REPO}/.github/workflows/publish.yml@refs/heads/main` }],
      ['immutable subject without the repository claim', { context: MAIN, immutable: true, repository: null }],
      // IAM's "*" (as the evaluator reads it) does not match a line break.
      ['immutable subject with a line break where "owner@*" has its wildcard', { context: MAIN, sub: `repo:${OWNER}@1\n2/${NAME}@3:${MAIN}` }],
      ['wrong audience (GitHub default https://github.com/octo-org)', { context: MAIN, aud: 'https://github.com/octo-org' }],
      ['China audience sts.amazonaws.com.cn', { context: MAIN, aud: 'sts.amazonaws.com.cn' }],
      ['missing audience', { context: MAIN, aud: null }],
      ['missing sub', { context: MAIN, sub: null }],
      ['provider of another account', { context: MAIN, providerArn: OTHER_ACCOUNT_PROVIDER }],
      ['GitHub Enterprise Server provider of this account', { context: MAIN, providerArn: providerArn(GHES), issuer: GHES }],
      // Other workflows on the trusted branch (the job_workflow_ref pin): an
      // issue_comment bot, a schedule or workflow_run job and a
      // pull_request_target workflow all get main's subject, never the pinned file.
      ['issue_comment bot in .github/workflows/bot.yml on main', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/bot.yml@refs/heads/main` }],
      ['schedule job in .github/workflows/nightly.yml on main', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/nightly.yml@refs/heads/main` }],
      ['workflow_run job in .github/workflows/after-ci.yml on main', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/after-ci.yml@refs/heads/main` }],
      ['pull_request_target workflow on main (ref subject)', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/pr-target.yml@refs/heads/main` }],
      ['pull_request_target workflow (pull_request subject)', { context: 'pull_request', jobWorkflowRef: `${REPO}/.github/workflows/pr-target.yml@refs/heads/main` }],
      ['a file named like the pinned one plus a suffix', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/${WORKFLOW_FILE}.bak.yml@refs/heads/main` }],
      ['the pinned file name in another repository', { repo: 'octo-org/other', context: MAIN, jobWorkflowRef: `octo-org/other/.github/workflows/${WORKFLOW_FILE}@refs/heads/main`, repository: REPO }],
      ['missing job_workflow_ref', { context: MAIN, jobWorkflowRef: null }],
    ],
  },
  BranchWildcard: {
    allow: [
      ['release/1.0', { context: 'ref:refs/heads/release/1.0' }],
      ['release/a/b ("*" crosses "/", documented)', { context: 'ref:refs/heads/release/a/b' }],
      ['release/2 (immutable)', { context: 'ref:refs/heads/release/2', immutable: true }],
    ],
    deny: [
      ['releases/1 (prefix trick)', { context: 'ref:refs/heads/releases/1' }],
      ['release (no slash)', { context: 'ref:refs/heads/release' }],
      ['Release/1 (case)', { context: 'ref:refs/heads/Release/1' }],
      ['tag release/1', { context: 'ref:refs/tags/release/1' }],
      ['look-alike repo on release/1', { repo: 'octo-org/chatgpt-web-evil', context: 'ref:refs/heads/release/1' }],
      ['custom sub template of octo-org/other on release/1', { repo: 'octo-org/other', context: 'ref:refs/heads/release/1', sub: customTemplateSub('ref:refs/heads/release/1') }],
    ],
  },
  BranchesAndTags: {
    allow: [
      ['tag v1.2.3', { context: 'ref:refs/tags/v1.2.3' }],
      ['tag v2 (immutable)', { context: 'ref:refs/tags/v2', immutable: true }],
      ['push to main', { context: MAIN }],
    ],
    deny: [
      ['tag release-v1', { context: 'ref:refs/tags/release-v1' }],
      ['tag V1 (case)', { context: 'ref:refs/tags/V1' }],
      ['a branch named v1', { context: 'ref:refs/heads/v1' }],
      ['look-alike owner tag v1', { repo: 'octo-org-evil/chatgpt-web', context: 'ref:refs/tags/v1' }],
      ['pull request', { context: 'pull_request' }],
    ],
  },
  Environments: {
    allow: [
      ['environment production', { context: 'environment:production' }],
      ['environment prod-eu', { context: 'environment:prod-eu' }],
      ['environment production (immutable)', { context: 'environment:production', immutable: true }],
    ],
    deny: [
      ['push to main without an environment', { context: MAIN }],
      ['environment staging', { context: 'environment:staging' }],
      ['environment Production (case as sent)', { context: 'environment:Production' }],
      ['environment production-evil', { context: 'environment:production-evil' }],
      ['environment "prod:eu" unencoded', { context: 'environment:prod:eu' }],
      ['environment "prod:eu:x"', { context: 'environment:prod%3Aeu%3Ax' }],
      // ":" and "%" cannot be configured, so no trusted subject contains "%3A":
      // neither the real "prod:eu" nor a look-alike literally named "prod%3Aeu" passes.
      ['look-alike environment literally named "prod%3Aeu" (same subject as "prod:eu")', { context: 'environment:prod%3Aeu' }],
      ['environment prod-eu run from a copy of the workflow in another file', { context: 'environment:prod-eu', jobWorkflowRef: `${REPO}/.github/workflows/deploy.yml@refs/heads/feature` }],
      ['look-alike repo, environment production', { repo: 'octo-org/chatgpt-web-evil', context: 'environment:production' }],
      ['pull request', { context: 'pull_request' }],
    ],
  },
  BranchAndEnvironment: {
    allow: [
      ['push to main', { context: MAIN }],
      ['job with environment production', { context: 'environment:production' }],
    ],
    deny: [
      ['job with environment staging on main (gets only the environment subject)', { context: 'environment:staging' }],
      ['another branch', { context: 'ref:refs/heads/feature' }],
    ],
  },
  PullRequests: {
    allow: [
      ['pull request', { context: 'pull_request' }],
      ['pull request (immutable)', { context: 'pull_request', immutable: true }],
      ['push to main', { context: MAIN }],
    ],
    deny: [
      ['pull request of a look-alike owner', { repo: 'octo-org-evil/chatgpt-web', context: 'pull_request' }],
      ['another branch', { context: 'ref:refs/heads/feature' }],
      ['custom sub template of octo-org/other, pull request', { repo: 'octo-org/other', context: 'pull_request', sub: customTemplateSub('pull_request') }],
    ],
  },
  PullRequestsOnly: {
    allow: [['pull request', { context: 'pull_request' }]],
    deny: [
      ['push to main', { context: MAIN }],
      ['pull_request_target-like sub with suffix', { context: 'pull_request', sub: `repo:${REPO}:pull_request_target` }],
    ],
  },
  ImmutableIds: {
    allow: [
      ['push to main (immutable)', { context: MAIN, immutable: true }],
      ['push to main (name subject, same repository_id)', { context: MAIN }],
      ['tag v1 (immutable)', { context: 'ref:refs/tags/v1', immutable: true }],
    ],
    deny: [
      ['recycled name: name subject, another repository_id', { context: MAIN, repoId: 999 }],
      ['recycled name: immutable subject with new IDs', { context: MAIN, immutable: true, ownerIdInSub: 998, repoId: 999 }],
      ['another owner id in the subject', { context: MAIN, immutable: true, ownerIdInSub: 999 }],
      ['repo id prefix trick @4567', { context: MAIN, immutable: true, repoId: 4567 }],
      ['missing repository_id', { context: MAIN, repoId: null }],
      ['hyphen squat octo-org-123/chatgpt-web-456', { repo: 'octo-org-123/chatgpt-web-456', context: MAIN }],
      ['custom sub template of octo-org/other', { repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN) }],
      ['another branch (immutable)', { context: 'ref:refs/heads/feature', immutable: true }],
    ],
  },
  ImmutableIdsEnvironment: {
    allow: [
      ['environment production (immutable)', { context: 'environment:production', immutable: true }],
      ['environment production (name subject)', { context: 'environment:production' }],
    ],
    deny: [
      ['push to main', { context: MAIN, immutable: true }],
      ['recycled name, environment production', { context: 'environment:production', immutable: true, repoId: 999 }],
    ],
  },
  EnterpriseServer: {
    allow: [
      ['push to main', { context: MAIN, issuer: GHES }],
      ['release/1', { context: 'ref:refs/heads/release/1', issuer: GHES }],
    ],
    deny: [
      ['immutable subject (GHES never emits it)', { context: MAIN, issuer: GHES, immutable: true }],
      ['another branch', { context: 'ref:refs/heads/feature', issuer: GHES }],
      ['look-alike repo', { repo: 'octo-org/chatgpt-web-evil', context: MAIN, issuer: GHES }],
      ['github.com token through the github.com provider', { context: MAIN, providerArn: providerArn(GitHubIssuer.GITHUB_COM) }],
      ['github.com claims presented through the GHES provider', { context: MAIN, providerArn: providerArn(GHES) }],
      ['wrong audience', { context: MAIN, issuer: GHES, aud: 'https://github.example.com/octo-org' }],
    ],
  },
  EnterpriseSlug: {
    allow: [
      ['push to main', { context: MAIN, issuer: SLUG }],
    ],
    deny: [
      // No `owner@*/repo@*` patterns for this issuer: they are only safe with the `repository` pin,
      // which STS is documented to evaluate for github.com only. Immutable subjects need ownerId/repoId here.
      ['immutable subject without configured IDs', { context: MAIN, issuer: SLUG, immutable: true }],
      ['token of the shared github.com issuer', { context: MAIN, providerArn: providerArn(GitHubIssuer.GITHUB_COM) }],
      ['token of another enterprise slug', { context: MAIN, issuer: GitHubIssuer.enterpriseSlug('evilcorp'), providerArn: providerArn(GitHubIssuer.enterpriseSlug('evilcorp')) }],
      ['custom sub template of octo-org/other', { repo: 'octo-org/other', context: MAIN, issuer: SLUG, sub: customTemplateSub(MAIN) }],
      ['look-alike owner (immutable)', { repo: 'octo-org-evil/chatgpt-web', context: MAIN, issuer: SLUG, immutable: true }],
    ],
  },
  DataResidency: {
    allow: [
      ['push to main (immutable)', { context: MAIN, issuer: GHE_COM, immutable: true }],
      ['push to main (name subject)', { context: MAIN, issuer: GHE_COM }],
    ],
    deny: [
      // Off github.com there is no repository_id pin (see EnterpriseSlug); the exact immutable subject
      // still refuses a re-created repository that emits it. GHE.com names belong to one enterprise.
      ['recycled name, immutable subject with a new repository ID', { context: MAIN, issuer: GHE_COM, immutable: true, repoId: 999 }],
      ['github.com token', { context: MAIN, providerArn: providerArn(GitHubIssuer.GITHUB_COM) }],
    ],
  },
  JobWorkflowRef: {
    allow: [
      ['reusable workflow on main', { context: MAIN, jobWorkflowRef: REUSABLE_WORKFLOW }],
      ['reusable workflow on main (immutable)', { context: MAIN, immutable: true, jobWorkflowRef: REUSABLE_WORKFLOW }],
      // The pinned workflow file of the repository is trusted next to the reusable workflows.
      ['the repository\'s own pinned workflow file', { context: MAIN }],
    ],
    deny: [
      ['another workflow file of the repository', { context: MAIN, jobWorkflowRef: `${REPO}/.github/workflows/other.yml@refs/heads/main` }],
      ['reusable workflow at another ref', { context: MAIN, jobWorkflowRef: 'octo-org/automation/.github/workflows/build.yml@refs/heads/feature' }],
      ['look-alike workflow repository', { context: MAIN, jobWorkflowRef: 'octo-org/automation-evil/.github/workflows/build.yml@refs/heads/main' }],
      ['another workflow file', { context: MAIN, jobWorkflowRef: 'octo-org/automation/.github/workflows/build-evil.yml@refs/heads/main' }],
      ['missing job_workflow_ref', { context: MAIN, jobWorkflowRef: null }],
      ['reusable workflow called from another repository', { repo: 'octo-org/other', context: MAIN, jobWorkflowRef: REUSABLE_WORKFLOW }],
      ['reusable workflow called from another branch', { context: 'ref:refs/heads/feature', jobWorkflowRef: REUSABLE_WORKFLOW }],
    ],
  },
  NoClaimConditions: {
    allow: [
      ['push to main (name subject)', { context: MAIN }],
      ['tag v1 (name subject)', { context: 'ref:refs/tags/v1' }],
      // Without the claim keys STS may not fill here, a token without them still passes.
      ['push to main, no repository or job_workflow_ref claim', { context: MAIN, repository: null, jobWorkflowRef: null, repoId: null }],
    ],
    deny: [
      // A repository emitting immutable subjects needs ownerId/repoId here (documented).
      ['immutable subject without configured IDs', { context: MAIN, immutable: true }],
      ['another branch', { context: 'ref:refs/heads/feature' }],
      ['tag release-v1', { context: 'ref:refs/tags/release-v1' }],
      ['look-alike repo octo-org/chatgpt-web-evil', { repo: 'octo-org/chatgpt-web-evil', context: MAIN }],
      ['look-alike owner octo-org-evil/chatgpt-web', { repo: 'octo-org-evil/chatgpt-web', context: MAIN }],
      // No custom subject template can start with this repository's name form
      // unless it is this repository's own `repo` claim, followed by its real ref:
      ['custom sub template of octo-org/other with workflow "x/chatgpt-web@3"', { repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN) }],
      ['custom sub template of octo-org/other naming chatgpt-web in a later claim', { repo: 'octo-org/other', context: MAIN, sub: `repo:octo-org/other:ref:refs/heads/main:workflow:${REPO}` }],
      ['custom sub template ["repository_owner", "repo", "context"] of octo-org/other', { repo: 'octo-org/other', context: MAIN, sub: `repository_owner:octo-org:repo:${REPO}:${MAIN}` }],
      ['custom sub template of this repository on a feature branch, tag-like claim after it', { context: 'ref:refs/heads/feature', sub: `repo:${REPO}:ref:refs/heads/feature:workflow:x%3Aref%3Arefs/tags/v1` }],
      ['hyphen squat octo-org-123/chatgpt-web-456 (old immutable format)', { repo: 'octo-org-123/chatgpt-web-456', context: MAIN }],
      ['pull request', { context: 'pull_request' }],
      ['China audience', { context: MAIN, aud: 'sts.amazonaws.com.cn' }],
    ],
  },
  NoClaimConditionsIds: {
    allow: [
      ['push to main (immutable subject, configured IDs)', { context: MAIN, immutable: true }],
      ['push to main (name subject)', { context: MAIN }],
    ],
    deny: [
      ['recycled name, immutable subject with new IDs', { context: MAIN, immutable: true, ownerIdInSub: 998, repoId: 999 }],
      ['another owner id in the subject', { context: MAIN, immutable: true, ownerIdInSub: 999 }],
      ['repo id prefix trick @4567', { context: MAIN, immutable: true, repoId: 4567 }],
      ['custom sub template of octo-org/other', { repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN) }],
    ],
  },
  Everything: {
    allow: [
      ['release/1 with the reusable workflow', { context: 'ref:refs/heads/release/1', jobWorkflowRef: REUSABLE_WORKFLOW, immutable: true }],
      ['tag v3 with the reusable workflow at a v* tag', { context: 'ref:refs/tags/v3', jobWorkflowRef: 'octo-org/automation/.github/workflows/build.yml@refs/tags/v3' }],
      ['environment production', { context: 'environment:production', jobWorkflowRef: REUSABLE_WORKFLOW }],
      ['pull request', { context: 'pull_request', jobWorkflowRef: REUSABLE_WORKFLOW }],
      ['release/1 with the repository\'s pinned workflow file', { context: 'ref:refs/heads/release/1' }],
      ['environment production from the pinned file on a trusted branch', { context: 'environment:production' }],
    ],
    deny: [
      ['release/1 with another workflow file of the repository', { context: 'ref:refs/heads/release/1', jobWorkflowRef: `${REPO}/.github/workflows/other.yml@refs/heads/release/1` }],
      ['environment production from the pinned file on an untrusted branch', { context: 'environment:production', jobWorkflowRef: `${REPO}/.github/workflows/${WORKFLOW_FILE}@refs/heads/feature` }],
      ['recycled name', { context: MAIN, jobWorkflowRef: REUSABLE_WORKFLOW, repoId: 999 }],
      ['a branch release/<line break>', { context: 'ref:refs/heads/release/a\nb', jobWorkflowRef: REUSABLE_WORKFLOW, immutable: true }],
      ['environment staging', { context: 'environment:staging', jobWorkflowRef: REUSABLE_WORKFLOW }],
      ['reusable workflow at a tag not matching v*', { context: MAIN, jobWorkflowRef: 'octo-org/automation/.github/workflows/build.yml@refs/tags/x1' }],
    ],
  },
};

const fixtures = new Map(CONFIGURATIONS.map((c) => [c.name, configurationFixture(c)]));
const policies = new Map<string, any>(CONFIGURATIONS.map((c) => [c.name, trustPolicyOf(fixtures.get(c.name)!.stack)]));

test('every configuration has a table and every table at least one allow case', () => {
  expect(Object.keys(TABLES).sort()).toEqual(CONFIGURATIONS.map((c) => c.name).sort());
  for (const table of Object.values(TABLES)) {
    expect(table.allow.length).toBeGreaterThan(0);
  }
});

const cases = Object.entries(TABLES).flatMap(([config, table]) => [
  ...table.allow.map(([label, run]) => [config, 'Allowed', label, run] as const),
  ...table.deny.map(([label, run]) => [config, 'ImplicitlyDenied', label, run] as const),
]);

test(`the suite evaluates ${cases.length} tokens (at least 80) over ${Object.keys(TABLES).length} configurations, ${cases.filter((c) => c[1] === 'Allowed').length} of them allowed`, () => {
  expect(cases.length).toBeGreaterThanOrEqual(80);
});

describe.each(Object.keys(TABLES))('%s', (config) => {
  test.each(cases.filter((c) => c[0] === config).map((c) => [c[1], c[2], c[3]] as const))('%s: %s', (expected, _label, run) => {
    // GIVEN the synthesized trust policy of the configuration
    const policy = policies.get(config);
    // WHEN GitHub presents this token
    const decision = evaluate(policy, token(run));
    // THEN
    expect(decision).toBe(expected);
  });
});

describe('the custom-subject-template attack is stopped by the repository pin', () => {
  const policy = () => policies.get('Default');
  test('GIVEN the sub of octo-org/other WHEN its repository claim were chatgpt-web THEN the sub pattern alone would match', () => {
    // Control: shows the deny above comes from the `repository` condition, not the sub pattern.
    // (job_workflow_ref set to this repository's pinned file too, so only the repository claim differs below)
    expect(evaluate(policy(), token({ repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN), repository: REPO, jobWorkflowRef: OWN_FILE }))).toBe('Allowed');
  });
  test('GIVEN the same sub WHEN the repository claim is octo-org/other (as GitHub sends it) THEN denied', () => {
    expect(evaluate(policy(), token({ repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN), jobWorkflowRef: OWN_FILE }))).toBe('ImplicitlyDenied');
  });
  test('GIVEN the same sub and repository claim WHEN the job runs a file of octo-org/other (as GitHub sends it) THEN the file pin denies it too', () => {
    expect(evaluate(policy(), token({ repo: 'octo-org/other', context: MAIN, sub: customTemplateSub(MAIN), repository: REPO }))).toBe('ImplicitlyDenied');
  });
});

// explainClaims() applies the same conditions with IAM's semantics: on every
// token above that reaches STS through the role's own provider, it must agree
// with the independent evaluator, and every refusal must name a failing key.
// (A token presented through another provider has the same claims: which
// provider STS used is not a claim, so those cases are left out; a token of
// another issuer is compared through its `iss` claim.)
describe('explainClaims agrees with the IAM evaluator', () => {
  const comparable = cases.filter(([, , , run]) => run.providerArn === undefined || run.issuer !== undefined);
  const verdicts = comparable.map(([config, expected, label, run]) => {
    const t = token(run);
    const claims: Record<string, string> = { ...t.extra, iss: `https://${t.issuerHostPath}` };
    if (t.sub !== undefined) claims.sub = t.sub;
    if (t.aud !== undefined) claims.aud = t.aud;
    return { config, label, expected, verdict: fixtures.get(config)!.publisher.explainClaims(claims) };
  });

  test(`on ${verdicts.length} claim sets (at least 150), ${verdicts.filter((v) => v.expected === 'Allowed').length} allowed and the rest refused, across every configuration`, () => {
    expect(verdicts.length).toBeGreaterThanOrEqual(150);
    expect(new Set(verdicts.map((v) => v.config))).toEqual(new Set(CONFIGURATIONS.map((c) => c.name)));
    expect(verdicts.filter((v) => v.expected === 'Allowed').length).toBeGreaterThanOrEqual(30);
  });

  test('every verdict agrees with the evaluator, and every refusal names at least one failing key with a hint', () => {
    const disagreements = verdicts.filter((v) => v.verdict.allowed !== (v.expected === 'Allowed')).map((v) => `${v.config}: ${v.label}`);
    expect(disagreements).toEqual([]);
    for (const v of verdicts.filter((x) => !x.verdict.allowed)) {
      expect(v.verdict.failures.length).toBeGreaterThan(0);
      expect(v.verdict.failures.every((f) => f.key.length > 0 && f.hint.length > 20)).toBe(true);
    }
    for (const v of verdicts.filter((x) => x.verdict.allowed)) {
      expect(v.verdict.failures).toEqual([]);
    }
  });
});
