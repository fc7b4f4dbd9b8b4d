// SPDX-License-Identifier: Apache-2.0
//
// The claim checker, kept as JavaScript source text on purpose: the rendered
// workflow's diagnosis step runs exactly this text (with actions/github-script),
// and GitHubEcrPublisher.explainClaims() runs the same text in-process, so the
// two can never explain a refused token differently. It is plain ES2020, with
// no imports, no template literals and no access to anything but its
// arguments (the workflow passes every value through environment variables).
//
// checkClaims(trust, claims) applies IAM's semantics: StringEquals is exact
// and case-sensitive; in StringLike `*` matches any run of characters (`/`
// included) and `?` one character, neither matching a line break (as the
// independent IAM evaluator the tests compare with; AWS does not document
// it); the values of one key are ORed, the keys ANDed; a missing claim, or
// one that is not a single string, fails. A trusted value that was only known
// at deploy time (null in the data) cannot be checked and is reported as such.
import { Token } from 'aws-cdk-lib';
import { invalid } from './errors';
import { knownPartitions } from './partitions';
import { Conditions, TrustScope } from './trust-policy';
import type { GitHubIssuer } from '../github-issuer';

/** The trust data both the workflow and explainClaims() give the checker (JSON). */
export interface TrustData {
  /** The issuer's host and path, the prefix of every condition key. */
  readonly issuer: string;
  /** Each condition of the trust policy; `values` null when only known at deploy time. */
  readonly conditions: Array<{ readonly claim: string; readonly operator: string; readonly values: string[] | null }>;
  /** `owner/repo`, as the role trusts it. */
  readonly repository: string;
  readonly ownerId: number | null;
  readonly repoId: number | null;
  readonly branches: string[];
  readonly tags: string[];
  readonly environments: string[];
  readonly pullRequests: boolean;
  /** The pinned workflow file, or null when no file is pinned. */
  readonly workflowFile: string | null;
  readonly jobWorkflowRefs: string[];
  readonly claimConditions: boolean;
  /** Region prefix and DNS suffix per partition, to derive the audience from a region at run time. */
  readonly partitions: Array<[string, string]>;
  /** What the repository's identity record says; absent without a record. */
  readonly identity?: IdentityData;
}

/** The identity record as the hints use it: which subjects GitHub was recorded to send. */
export interface IdentityData {
  /** The record's context key. */
  readonly key: string;
  readonly form: 'name' | 'immutable';
  readonly ownerId: number;
  readonly repoId: number;
  /** The customised template's claim keys, or null for GitHub's default template. */
  readonly claimKeys: string[] | null;
}

export const CLAIMS_CHECK_SOURCE = String.raw`
function likeToRegExp(pattern) {
  var out = '';
  for (var i = 0; i < pattern.length; i++) {
    var c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += c.replace(/[\\^$.|+()[\]{}\/-]/g, '\\$&');
  }
  return new RegExp('^' + out + '$');
}

function matches(operator, pattern, value) {
  if (operator === 'StringLike') return likeToRegExp(pattern).test(value);
  return pattern === value;
}

function quote(v) { return JSON.stringify(v); }

function audienceForRegion(trust, region) {
  if (!region) return null;
  for (var i = 0; i < trust.partitions.length; i++) {
    if (trust.partitions[i][0] !== '' && region.indexOf(trust.partitions[i][0]) === 0) return 'sts.' + trust.partitions[i][1];
  }
  return 'sts.amazonaws.com';
}

function parseSubject(sub) {
  var m = /^repo:([^:]+):(.*)$/.exec(sub);
  if (!m) return null;
  var seg = m[1];
  var owner, repo, ownerId = null, repoId = null;
  var parts = seg.split('/');
  if (parts.length !== 2) return null;
  var o = /^(.*)@(\d+)$/.exec(parts[0]);
  var r = /^(.*)@(\d+)$/.exec(parts[1]);
  owner = o ? o[1] : parts[0];
  repo = r ? r[1] : parts[1];
  if (o) ownerId = Number(o[2]);
  if (r) repoId = Number(r[2]);
  return { repository: owner + '/' + repo, immutable: !!(o || r), ownerId: ownerId, repoId: repoId, context: m[2] };
}

function firstLike(patterns, value) {
  for (var i = 0; i < patterns.length; i++) if (likeToRegExp(patterns[i]).test(value)) return patterns[i];
  return null;
}

function firstIgnoringCase(names, value) {
  for (var i = 0; i < names.length; i++) if (likeToRegExp(names[i].toLowerCase()).test(value.toLowerCase())) return names[i];
  return null;
}

// A subject that differs from what the identity record says GitHub sends:
// the format, the template or the IDs changed since it was recorded.
function identityHint(trust, sub) {
  var id = trust.identity;
  if (!id) return null;
  var again = ' Run npx cdk-github-ecr-publisher identity ' + trust.repository + ' (with --check to see what changed), then synthesize and deploy again.';
  var record = 'its identity record (' + quote(id.key) + ')';
  var s = parseSubject(sub);
  var isDefault = !!s && /^(ref:refs\/(heads|tags)\/[^:]*|environment:[^:]*|pull_request)$/.test(s.context);
  if (id.claimKeys) {
    if (isDefault) return 'The token has GitHub\'s default subject, but ' + record + ' says the customised template ' + quote(id.claimKeys) + ': the template was reset.' + again;
    return 'The role trusts the subjects of the template ' + quote(id.claimKeys) + ' for its trusted refs and environments, and this is none of them: a ref or environment the role does not trust, or a template changed since it was recorded.' + again;
  }
  if (!isDefault) return 'The token\'s subject has a customised template, but ' + record + ' says GitHub\'s default: the repository or its organization changed the subject template.' + again;
  if (s.repository !== trust.repository) return null;
  if (s.immutable && (s.ownerId !== id.ownerId || s.repoId !== id.repoId)) {
    return 'The subject carries the IDs ' + s.ownerId + '/' + s.repoId + ', ' + record + ' ' + id.ownerId + '/' + id.repoId + ': the repository was deleted and re-created, or transferred.' + again;
  }
  if (!s.immutable && id.form === 'immutable') return 'This repository now emits name-form subjects (repo:OWNER/REPO:...), but ' + record + ' says immutable subjects.' + again;
  return null;
}

function subjectHint(trust, sub) {
  var recorded = identityHint(trust, sub);
  if (recorded) return recorded;
  var s = parseSubject(sub);
  if (!s) {
    return 'The subject does not have GitHub\'s default form "repo:OWNER/REPO:<context>": the repository (or its organization) uses a customised subject template (include_claim_keys). ' +
      'Reset it to the default with gh api -X PUT repos/' + trust.repository + '/actions/oidc/customization/sub -F use_default=true (or keep ["repo", "context"]).';
  }
  if (s.repository !== trust.repository) {
    if (s.repository.toLowerCase() === trust.repository.toLowerCase()) {
      return 'Names are case-sensitive in the sub claim: the token names ' + quote(s.repository) + ', the role trusts ' + quote(trust.repository) + '. Set repo to the exact casing GitHub shows.';
    }
    return 'The token comes from ' + quote(s.repository) + ', but the role trusts ' + quote(trust.repository) + ' (renamed or transferred? set repo to the new name).';
  }
  if (s.immutable) {
    if (trust.ownerId !== null && (s.ownerId !== trust.ownerId || s.repoId !== trust.repoId)) {
      return 'The subject has the immutable form with IDs ' + s.ownerId + '/' + s.repoId + ', but the role trusts ownerId ' + trust.ownerId + ' and repoId ' + trust.repoId +
        ' (the repository was re-created or transferred?): check gh api repos/' + trust.repository + ' --jq "[.owner.id, .id]" and set ownerId/repoId.';
    }
    if (trust.ownerId === null && !trust.claimConditions) {
      return 'The repository emits immutable subjects (repo:OWNER@ID/REPO@ID:...), which the role trusts only with ownerId and repoId here: set them (gh api repos/' + trust.repository + ' --jq "[.owner.id, .id]").';
    }
  }
  var ctx = s.context;
  if (ctx === 'pull_request') {
    return trust.pullRequests ? 'Pull requests are trusted; the subject matches no trusted form otherwise.' :
      'This is a pull_request run, which the role does not trust: set allowPullRequests: true to let pull requests push (or do not push from pull requests).';
  }
  var m = /^ref:refs\/(heads|tags)\/(.*)$/.exec(ctx);
  if (m) {
    var isBranch = m[1] === 'heads';
    var name = m[2];
    var same = isBranch ? trust.branches : trust.tags;
    var other = isBranch ? trust.tags : trust.branches;
    var kind = isBranch ? 'branch' : 'tag';
    var caseMatch = firstIgnoringCase(same, name);
    if (caseMatch) return 'Names are case-sensitive in the sub claim: the run is on ' + kind + ' ' + quote(name) + ', the role trusts ' + quote(caseMatch) + '.';
    if (firstLike(other, name)) {
      return 'The run is on the ' + kind + ' ' + quote(name) + ', but the role trusts ' + quote(name) + ' as a ' + (isBranch ? 'tag' : 'branch') + ' (' + (isBranch ? 'tags' : 'branches') + '): a ' + kind + ' and a ' + (isBranch ? 'tag' : 'branch') + ' with one name have different subjects.';
    }
    var hint = 'The run is on the ' + kind + ' ' + quote(name) + ', which the role does not trust (' + (isBranch ? 'branches' : 'tags') + ': ' + quote(same) + '): add it to ' + (isBranch ? 'branches' : 'tags') + ', or run on a trusted ' + kind + '.';
    if (trust.environments.length > 0) hint += ' Or declare one of the trusted environments ' + quote(trust.environments) + ' in the job.';
    return hint;
  }
  var e = /^environment:(.*)$/.exec(ctx);
  if (e) {
    var env = e[1];
    var envMatch = null;
    for (var j = 0; j < trust.environments.length; j++) if (trust.environments[j].toLowerCase() === env.toLowerCase()) envMatch = trust.environments[j];
    if (envMatch) return 'Environment names are case-sensitive in the sub claim: the role trusts ' + quote(envMatch) + ', the job declares ' + quote(env) + '.';
    return 'The job declares the environment ' + quote(env) + ', which the role does not trust: a job with environment: gets a subject that names the environment, never the branch. ' +
      (trust.environments.length > 0 ? 'Use one of ' + quote(trust.environments) + ', or add it to environments.' : 'Add it to environments, or remove environment: from the job.');
  }
  return 'The subject context ' + quote(ctx) + ' is none the role trusts.';
}

function workflowHint(trust, actual) {
  var m = /^([^/]+\/[^/]+)\/\.github\/workflows\/([^@]+)@(.*)$/.exec(actual);
  if (!m) return 'The job_workflow_ref ' + quote(actual) + ' is not a workflow reference the role trusts.';
  if (m[1] === trust.repository && trust.workflowFile !== null && m[2] !== trust.workflowFile) {
    return 'The job runs in ' + quote('.github/workflows/' + m[2]) + ', but the role trusts only ' + quote('.github/workflows/' + trust.workflowFile) + ' of ' + trust.repository +
      ': run it from that file (writeWorkflow() writes it), or set workflowFile to ' + quote(m[2]) + '.';
  }
  if (m[1] === trust.repository && trust.workflowFile !== null) {
    return 'The workflow file is trusted, but not at ' + quote(m[3]) + ': jobs in an environment must run from a trusted branch or tag (' + quote(trust.branches.concat(trust.tags)) + ').';
  }
  return 'The job runs ' + quote(actual) + ', which is neither the pinned workflow file nor one of jobWorkflowRefs ' + quote(trust.jobWorkflowRefs) + '.';
}

function hintFor(trust, claim, actual, accepted) {
  if (actual === undefined) {
    if (claim === 'repository' || claim === 'repository_id' || claim === 'job_workflow_ref') {
      return 'The token has no ' + claim + ' claim to compare (STS reads it from GitHub\'s token; the trust policy requires it because claimConditions is true).';
    }
    return 'The token has no ' + claim + ' claim.';
  }
  if (claim === 'sub') return subjectHint(trust, actual);
  if (claim === 'aud') {
    return 'The token was requested for the audience ' + quote(actual) + ', but the role requires ' + quote(accepted) +
      ' (sts.amazonaws.com.cn in the China regions): do not override audience in configure-aws-credentials, or set it to the role\'s audience.';
  }
  if (claim === 'repository') {
    return 'The token comes from ' + quote(actual) + ', the role trusts ' + quote(accepted) + (actual.toLowerCase() === String(accepted[0]).toLowerCase() ?
      ': names are case-sensitive, set repo to the exact casing GitHub shows.' : ' (renamed or transferred? set repo to the new name).');
  }
  if (claim === 'repository_id') {
    return 'The repository ID is ' + actual + ', the role trusts ' + quote(accepted) + ': the repository was re-created or transferred (set repoId and ownerId to the new IDs if that is intended).';
  }
  if (claim === 'job_workflow_ref') return workflowHint(trust, actual);
  if (claim === 'iss') {
    return 'The token was issued by ' + quote(actual) + ', but the role trusts tokens of https://' + trust.issuer + ': set issuer (GitHubIssuer.enterpriseSlug(...), dataResidency(...) or enterpriseServer(...)) to the one in the token.';
  }
  return 'The ' + claim + ' claim is ' + quote(actual) + ', the role accepts ' + quote(accepted) + '.';
}

function checkClaims(trust, claims, runtime) {
  var failures = [];
  var conditions = trust.conditions.slice();
  if (claims.iss !== undefined) conditions.unshift({ claim: 'iss', operator: 'StringEquals', values: ['https://' + trust.issuer], provider: true });
  for (var i = 0; i < conditions.length; i++) {
    var c = conditions[i];
    var key = c.provider ? 'iss' : trust.issuer + ':' + c.claim;
    var values = c.values;
    var actual = claims[c.claim];
    if (values === null && c.claim === 'aud' && runtime && runtime.region) values = [audienceForRegion(trust, runtime.region)];
    if (values === null) {
      failures.push({ key: key, operator: c.operator, accepted: [], actual: actual,
        hint: 'The trusted value of ' + c.claim + ' is only known at deploy time (an environment-agnostic stack or an unresolved token), so it cannot be checked here: give the stack a concrete env to check it.' });
      continue;
    }
    if (actual !== undefined && typeof actual !== 'string') {
      failures.push({ key: key, operator: c.operator, accepted: values.slice(), actual: quote(actual),
        hint: 'The ' + c.claim + ' claim is ' + quote(actual) + ', not a single string: the role compares it as one string and refuses any other value.' });
      continue;
    }
    var ok = actual !== undefined && values.some(function (v) { return matches(c.operator, v, actual); });
    if (!ok) failures.push({ key: key, operator: c.operator, accepted: values.slice(), actual: actual, hint: hintFor(trust, c.claim, actual, values) });
  }
  return { allowed: failures.length === 0, failures: failures };
}
`;

/** The diagnosis step's own part: read the job's token and values, print what is wrong. */
export const DIAGNOSIS_SOURCE = String.raw`
function decodeClaims(jwt) {
  var part = String(jwt).split('.')[1] || '';
  var json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return JSON.parse(json);
}

var SHOWN_CLAIMS = ['iss', 'aud', 'sub', 'repository', 'repository_id', 'repository_owner', 'ref', 'ref_type', 'event_name', 'environment', 'job_workflow_ref', 'workflow_ref', 'runner_environment'];

async function diagnose(core, exec, env) {
  var problems = [];
  var say = function (text) { core.info(text); };
  var problem = function (text) { problems.push(text); core.error(text); };
  var trust = env.DIAGNOSE_TRUST ? JSON.parse(env.DIAGNOSE_TRUST) : null;
  var names = ['AWS_REGION', 'ECR_REPOSITORY', 'ECR_REGISTRY', 'AWS_ROLE_ARN'];
  var values = {};
  var where = env.DIAGNOSE_VALUE_SOURCE === 'vars' ? 'variable' : 'secret';
  say('Diagnosis by cdk-github-ecr-publisher: checking the token, the trust policy and the four values.');
  for (var i = 0; i < names.length; i++) {
    values[names[i]] = env['DIAGNOSE_' + names[i]] || '';
    if (!values[names[i]]) {
      var scope = env.DIAGNOSE_ENVIRONMENT ?
        'of the GitHub Environment ' + JSON.stringify(env.DIAGNOSE_ENVIRONMENT) + ' or of the repository' :
        'of the repository (an environment ' + where + ' is visible only to jobs that declare that environment; this job declares none)';
      problem(names[i] + ' is empty: set the ' + where + ' ' + names[i] + ' ' + scope + ' from the stack output of that name (the name must match exactly).');
    }
  }
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    problem('The job cannot request an OIDC token: add "permissions: id-token: write" to the job (pull requests from forks never get one).');
  } else {
    var claims = null;
    try {
      claims = decodeClaims(await core.getIDToken(env.DIAGNOSE_AUDIENCE || undefined));
    } catch (e) {
      problem('Requesting the OIDC token failed: ' + (e && e.message ? e.message : e));
    }
    if (claims) {
      var shown = SHOWN_CLAIMS.filter(function (k) { return claims[k] !== undefined; }).map(function (k) { return k + '=' + JSON.stringify(String(claims[k])); });
      say('Token claims (the token itself is not printed): ' + shown.join(', '));
      if (!trust) {
        say('The trusted patterns are not embedded in this workflow (a shared workflow): compare these claims with the role\'s trust policy, or pass them to GitHubEcrPublisher.explainClaims().');
      } else {
        var verdict = checkClaims(trust, claims, { region: values.AWS_REGION });
        if (verdict.allowed) say('The token satisfies every condition of the role\'s trust policy as rendered.');
        for (var f = 0; f < verdict.failures.length; f++) {
          var x = verdict.failures[f];
          problem(x.key + ' (' + x.operator + ') refuses ' + JSON.stringify(x.actual === undefined ? '(missing)' : x.actual) + '; accepted: ' + JSON.stringify(x.accepted) + '. ' + x.hint);
        }
      }
    }
  }
  var registry = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(values.ECR_REGISTRY);
  var role = /^arn:([a-z0-9-]+):iam::(\d{12}):role\/(.+)$/.exec(values.AWS_ROLE_ARN);
  if (values.ECR_REGISTRY && !registry) problem('ECR_REGISTRY is not a registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com): copy the stack output EcrRegistry, without https:// or a repository name.');
  if (values.AWS_ROLE_ARN && !role) problem('AWS_ROLE_ARN is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME): copy the stack output AwsRoleArn.');
  if (registry && values.AWS_REGION && registry[2] !== values.AWS_REGION) {
    problem('ECR_REGISTRY is in another region than AWS_REGION: the login goes to one region and the push to the other (401 Unauthorized, or "repository does not exist"). Take both from the outputs of the same stack.');
  }
  if (registry && role && registry[1] !== role[2]) {
    problem('ECR_REGISTRY and AWS_ROLE_ARN name different accounts: the role can push only to its own account\'s registry. Take both from the outputs of the same stack.');
  }
  if (values.ECR_REPOSITORY && values.AWS_REGION && env.AWS_ACCESS_KEY_ID) {
    var probe = await exec.getExecOutput('aws', ['ecr', 'batch-check-layer-availability', '--repository-name', values.ECR_REPOSITORY, '--region', values.AWS_REGION,
      '--layer-digests', 'sha256:0000000000000000000000000000000000000000000000000000000000000000', '--output', 'json'], { ignoreReturnCode: true, silent: true });
    var text = String(probe.stderr || '') + String(probe.stdout || '');
    if (probe.exitCode === 0) say('The role can reach ECR_REPOSITORY in AWS_REGION.');
    else if (/RepositoryNotFoundException/.test(text)) problem('ECR_REPOSITORY does not exist in AWS_REGION of the role\'s account ("repository does not exist"): copy the stack output EcrRepository, and AWS_REGION from the same stack.');
    else if (/AccessDenied/.test(text)) problem('The role may not push to ECR_REPOSITORY: it pushes only to the repository of its own stack (stack output EcrRepository).');
    else say('Could not probe ECR_REPOSITORY (aws ecr batch-check-layer-availability exited with ' + probe.exitCode + ').');
  }
  if (env.DIAGNOSE_UNSIGNED) {
    problem('The image was pushed but ECR did not sign ' + env.DIAGNOSE_UNSIGNED + ' (managed signing signs as the identity that pushes, and the push succeeds either way). ' +
      'Check, in this order: the role may call signer:SignPayload on the signing profile of the registry\'s signing rule (a profile this app does not manage needs ImageSigning.configuredElsewhere() with its ARN); ' +
      'the profile is Active, not canceled or revoked (aws signer get-signing-profile --profile-name NAME; a deleted profile is canceled); ' +
      'the profile is in the region of the repository (ECR signs only with a profile of the registry\'s region); ' +
      'and a rule of the registry\'s signing configuration matches ECR_REPOSITORY (aws ecr get-signing-configuration).');
  }
  if (problems.length === 0) say('No problem found with the token, the trust policy or the four values: the failure is elsewhere (see the failed step).');
  return problems;
}
`;

/** The step script: the checker, the diagnosis, and a call that reads the job's environment. */
export const DIAGNOSIS_STEP_SCRIPT = `${CLAIMS_CHECK_SOURCE}${DIAGNOSIS_SOURCE}
await diagnose(core, exec, process.env);
`;

/** What checkClaims returns. */
interface RawVerdict {
  readonly allowed: boolean;
  readonly failures: Array<{ key: string; operator: string; accepted: string[]; actual?: string; hint: string }>;
}

interface Checker {
  readonly checkClaims: (trust: TrustData, claims: Record<string, string>, runtime?: { region?: string }) => RawVerdict;
  readonly matches: (operator: string, pattern: string, value: string) => boolean;
}

let compiled: Checker | undefined;

/** The checker source the workflow runs, compiled once. The source is this library's own constant, never user input. */
function checker(): Checker {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  compiled ??= new Function(`${CLAIMS_CHECK_SOURCE}\nreturn { checkClaims: checkClaims, matches: matches };`)() as Checker;
  return compiled;
}

/** Runs the same checker source the workflow runs. */
export function checkClaims(trust: TrustData, claims: Record<string, string>): RawVerdict {
  return checker().checkClaims(trust, claims);
}

/** Whether IAM's StringLike `pattern` matches `value`, by the checker's own rules. */
export function stringLike(pattern: string, value: string): boolean {
  return checker().matches('StringLike', pattern, value);
}

/**
 * The claims explainClaims() was given, each a string. JavaScript callers can
 * pass anything: an array or object would be compared by its text here while
 * IAM refuses it, so it is an error rather than a verdict. An undefined value
 * is a claim left out.
 */
export function claimStrings(claims: unknown): Record<string, string> {
  const allowed = 'Give each claim as the one string GitHub\'s token holds (repository_id too, e.g. "789012"); leave out the numeric exp, iat and nbf';
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw invalid('explainClaims claims', claims, 'is not an object of claim names and values', allowed);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string') {
      throw invalid(`explainClaims claims.${name}`, value, 'is not a string', allowed);
    }
    out[name] = value;
  }
  return out;
}

/** The trust data of a publisher: its policy's conditions, and what the hints need to know. */
export function trustDataOf(trust: TrustScope, issuer: GitHubIssuer, conditions: Conditions): TrustData {
  const flat: TrustData['conditions'] = [];
  for (const [operator, block] of Object.entries(conditions)) {
    for (const [key, value] of Object.entries(block)) {
      const values = ([] as string[]).concat(value);
      flat.push({
        claim: key.slice(issuer.hostPath.length + 1),
        operator,
        values: values.some((v) => Token.isUnresolved(v)) ? null : values,
      });
    }
  }
  return {
    issuer: issuer.hostPath,
    conditions: flat,
    repository: `${trust.owner}/${trust.repo}`,
    ownerId: trust.ownerId ?? null,
    repoId: trust.repoId ?? null,
    branches: trust.branches,
    tags: trust.tags,
    environments: trust.environments,
    pullRequests: trust.pullRequests,
    workflowFile: trust.workflowFile ?? null,
    jobWorkflowRefs: trust.jobWorkflowRefs,
    claimConditions: trust.claimConditions,
    partitions: knownPartitions().map((p) => [p.prefix, p.dnsSuffix]),
    ...identityDataOf(trust),
  };
}

/** The identity part of the trust data, only with a record (the rendered workflows without one stay as they were). */
function identityDataOf(trust: TrustScope): { identity?: IdentityData } {
  const recorded = trust.recorded;
  if (!recorded || trust.ownerId === undefined || trust.repoId === undefined) {
    return {};
  }
  const claimKeys = recorded.claimKeys ?? null;
  return { identity: { key: recorded.key, form: recorded.form, ownerId: trust.ownerId, repoId: trust.repoId, claimKeys } };
}
