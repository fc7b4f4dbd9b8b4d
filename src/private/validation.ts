// SPDX-License-Identifier: Apache-2.0
//
// Eager validation of GitHubEcrPublisher props. Every helper skips values that
// are unresolved tokens (they are only known at deploy time) and throws an
// InvalidProp that names the prop, shows the value and says what is allowed.
//
// Props that aws-cdk-lib already validates with a clear message of its own
// (roleName, rolePath, maxSessionDuration, emptyOnDelete, encryption with
// encryptionKey, the tag-mutability filters, and the lifecycle rules it checks)
// are left to it. What remains here is what GitHub, git, IAM or ECR reject
// only at deploy time, or where our message is materially better (noted at
// each helper).
import { Duration, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { MAX_IMAGE_COUNT, MAX_TRUST_POLICY_QUOTA, DEFAULT_TRUST_POLICY_QUOTA } from './constants';
import { invalid } from './errors';

function isToken(value: unknown): boolean {
  return typeof value === 'string' ? Token.isUnresolved(value) : typeof value === 'number' && Token.isUnresolved(value);
}

/**
 * Trust-policy inputs must be literals: a deploy-time value (a CfnParameter,
 * an SSM parameter, an import) is not validated here, and one that resolves to
 * `*` under StringLike would trust every branch, tag or environment.
 */
function rejectToken(prop: string, value: unknown): void {
  if (isToken(value)) {
    throw invalid(prop, 'an unresolved token', 'is only known at deploy time, where a value such as "*" would widen the trust policy unchecked',
      `Give ${prop} as literal values`);
  }
}

/**
 * IAM policy documents accept only tab, line feed, carriage return and the
 * characters U+0020 to U+00FF; anything else passes synth and fails the
 * deploy. Returns the first offending character, described.
 */
export function nonIamCharacter(value: string): string | undefined {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (!(code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xff))) {
      return `${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
    }
  }
  return undefined;
}

function rejectNonIamCharacters(prop: string, value: string, allowed: string): void {
  const bad = nonIamCharacter(value);
  if (bad) {
    throw invalid(prop, value, `contains ${bad}, which an IAM policy cannot hold (it accepts tab, line feed, carriage return and U+0020 to U+00FF only)`,
      `${allowed}. A ref or environment named with other characters cannot be trusted by an IAM role: rename it, or match it with a pattern`);
  }
}

// GitHub user/org logins: 1-39 alphanumerics or single inner hyphens; Enterprise
// Managed Users add an `_shortcode` suffix. OWNER_RULE says the same in words.
const OWNER_RE = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}(?:_[A-Za-z\d]+)?$/;
const OWNER_RULE = 'A GitHub owner is 1-39 letters, digits or single hyphens, not starting or ending with a hyphen; ' +
  'an Enterprise Managed User\'s name adds "_" and the enterprise\'s short code (e.g. "octocat_acme")';

// A repository given as a clone URL or remote: https://github.com/o/r(.git),
// ssh://git@github.com/o/r.git, git@github.com:o/r.git, github.com/o/r.
const REMOTE_RES = [
  /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
  /^[^@/:]+@[^/:]+:\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
  /^(?:www\.)?github\.com\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
];

/** `owner/name` of a git remote or URL, if `value` is one. */
function remoteOwnerAndName(value: string): string | undefined {
  for (const re of REMOTE_RES) {
    const m = re.exec(value);
    if (m) {
      return `${m[1]}/${m[2]}`;
    }
  }
  return undefined;
}
// GitHub repository names: ASCII letters, digits, '.', '-', '_', at most 100 characters.
const REPO_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;

export interface ParsedRepo {
  readonly owner: string;
  readonly name: string;
}

/**
 * `repo`: exactly one GitHub repository, `owner/name`, no wildcards.
 *
 * @param prop the prop the value came from, named in the error
 */
export function validateRepo(repo: string, prop = 'repo'): ParsedRepo {
  const allowed = 'Give one GitHub repository as "owner/name", e.g. "octo-org/chatgpt-web"';
  if (typeof repo !== 'string' || repo.length === 0) {
    throw invalid(prop, repo, 'is empty', allowed);
  }
  if (Token.isUnresolved(repo)) {
    // The trust policy is built from the owner and name, so they must be known at synth time.
    throw invalid(prop, repo, 'is an unresolved token', 'The repository names the trust policy subject and must be a literal string');
  }
  if (/[*?]/.test(repo)) {
    throw invalid(prop, repo, 'contains a wildcard, which would trust other repositories', allowed + ' (one publisher per repository)');
  }
  // Before the "@" and ":" checks: a pasted remote (git@github.com:o/r.git) is not an immutable subject.
  const remote = remoteOwnerAndName(repo);
  if (remote !== undefined) {
    throw invalid(prop, repo, 'is a git remote or URL, not the repository\'s "owner/name"', `Use "${remote}"`);
  }
  if (repo.startsWith('https://') || repo.startsWith('http://') || repo.startsWith('git@') || repo.includes('github.com')) {
    throw invalid(prop, repo, 'looks like a URL', allowed);
  }
  if (repo.includes('@')) {
    throw invalid(prop, repo, 'contains "@", which GitHub names never contain', 'Pass numeric IDs with ownerId and repoId instead of "owner@id/name@id"');
  }
  if (repo.includes(':')) {
    throw invalid(prop, repo, 'contains ":", which GitHub names never contain', allowed);
  }
  const parts = repo.split('/');
  if (parts.length !== 2) {
    throw invalid(prop, repo, `has ${parts.length - 1} "/" separators`, allowed);
  }
  const [owner, name] = parts;
  if (!OWNER_RE.test(owner)) {
    throw invalid(prop, repo, `has an invalid owner "${owner}"`, OWNER_RULE);
  }
  if (!REPO_NAME_RE.test(name) || name === '.' || name === '..') {
    throw invalid(prop, repo, `has an invalid repository name "${name}"`,
      'A GitHub repository name is 1-100 ASCII letters, digits, ".", "-" or "_"');
  }
  if (/\.git$/i.test(name)) {
    throw invalid(prop, repo, 'ends with ".git", which GitHub strips from repository names', `Use "${owner}/${name.replace(/\.git$/i, '')}"`);
  }
  if (/\.wiki$/i.test(name)) {
    throw invalid(prop, repo, 'ends with ".wiki", which GitHub does not allow', allowed);
  }
  return { owner, name };
}

/**
 * `branches` / `tags`: git ref names (git check-ref-format), where `*` is a
 * pattern character. `*`, `?`, `:` and control characters can never occur in a
 * real ref, so a `*` is always a pattern and nothing can be confused with one.
 */
export function validateRefPatterns(prop: 'branches' | 'tags', values: string[] | undefined): void {
  if (values === undefined) {
    return;
  }
  const kind = prop === 'branches' ? 'branch' : 'tag';
  const allowed = `Each ${kind} is a git ${kind} name or a pattern where "*" matches any characters (e.g. ${prop === 'branches' ? '"main", "release/*"' : '"v*", "release-*"'})`;
  if (values.length === 0) {
    throw invalid(prop, values, 'is an empty list, which would trust nothing', `Omit ${prop} or list at least one ${kind}`);
  }
  const seen = new Set<string>();
  for (const value of values) {
    rejectToken(prop, value);
    const problem = refProblem(value, prop === 'branches' ? 'refs/heads/' : 'refs/tags/');
    if (problem) {
      throw invalid(prop, value, problem, allowed);
    }
    rejectNonIamCharacters(prop, value, allowed);
    if (seen.has(value)) {
      throw invalid(prop, value, 'is listed twice', 'List each pattern once');
    }
    seen.add(value);
  }
}

function refProblem(value: string, fullPrefix: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return 'is empty';
  }
  if (value.startsWith('refs/')) {
    return `includes the "${fullPrefix}" prefix, which the construct adds itself`;
  }
  if (/[\x00-\x20\x7f]/.test(value)) {
    return 'contains a space or control character, which git does not allow in ref names';
  }
  const forbidden = value.match(/[~^:?[\\]/);
  if (forbidden) {
    return `contains "${forbidden[0]}", which git does not allow in ref names`;
  }
  if (value.includes('${')) {
    return 'contains "${", which IAM would read as a policy variable';
  }
  if (value.startsWith('!')) {
    return 'starts with "!", which GitHub workflow filters read as a negation';
  }
  if (value.includes('..')) {
    return 'contains "..", which git does not allow in ref names';
  }
  if (value.includes('@{') || value === '@') {
    return 'contains "@{" or is "@", which git does not allow in ref names';
  }
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    return 'has an empty path component (leading, trailing or double "/")';
  }
  if (value.endsWith('.')) {
    return 'ends with ".", which git does not allow in ref names';
  }
  for (const component of value.split('/')) {
    if (component.startsWith('.')) {
      return `has a component "${component}" that starts with ".", which git does not allow`;
    }
    if (component.endsWith('.lock')) {
      return `has a component "${component}" that ends with ".lock", which git does not allow`;
    }
  }
  return undefined;
}

/** `environments`: GitHub Environment names, literal (no patterns). */
export function validateEnvironments(values: string[] | undefined): void {
  const prop = 'environments';
  if (values === undefined) {
    return;
  }
  const allowed = 'Each environment is the exact name of a GitHub Environment (1-255 characters, no wildcards, no ":" or "%")';
  if (values.length === 0) {
    throw invalid(prop, values, 'is an empty list, which would trust nothing', 'Omit environments or list at least one');
  }
  const seen = new Set<string>();
  for (const value of values) {
    rejectToken(prop, value);
    if (typeof value !== 'string' || value.length === 0) {
      throw invalid(prop, value, 'is empty', allowed);
    }
    if (value.length > 255) {
      throw invalid(prop, value, `is ${value.length} characters long`, allowed);
    }
    if (/[*?]/.test(value)) {
      throw invalid(prop, value, 'contains a wildcard; a workflow that names a missing environment creates it, so patterns would trust environments nobody protects', allowed);
    }
    if (value.includes('${')) {
      throw invalid(prop, value, 'contains "${", which IAM would read as a policy variable', allowed);
    }
    if (/[\x00-\x1f\x7f]/.test(value) || value.trim() !== value) {
      throw invalid(prop, value, 'contains control characters or leading/trailing spaces', allowed);
    }
    rejectNonIamCharacters(prop, value, allowed);
    // GitHub writes ":" in a subject as "%3A", so an environment literally
    // named "prod%3Aeu" (which anyone with write access can create by naming
    // it in a workflow) gets the same subject as "prod:eu". Neither character
    // can be trusted safely in every partition, so neither is accepted.
    if (value.includes(':') || value.includes('%')) {
      throw invalid(prop, value, `contains "${value.includes(':') ? ':' : '%'}"; GitHub encodes ":" as "%3A" in the token's subject, so "prod:eu" and an environment literally named "prod%3Aeu" would be indistinguishable`,
        `${allowed}: rename the environment (e.g. "prod-eu")`);
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      throw invalid(prop, value, 'is listed twice (GitHub environment names are case-insensitive)', 'List each environment once');
    }
    seen.add(key);
  }
}

/** `ownerId` / `repoId`: positive integers, given together. */
export function validateIds(ownerId: number | undefined, repoId: number | undefined): void {
  for (const [prop, value] of [['ownerId', ownerId], ['repoId', repoId]] as const) {
    if (value === undefined) {
      continue;
    }
    rejectToken(prop, value);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw invalid(prop, value, 'is not a positive integer', `Use the numeric ID GitHub reports (gh api repos/OWNER/REPO --jq .${prop === 'ownerId' ? 'owner.id' : 'id'})`);
    }
  }
  if ((ownerId === undefined) !== (repoId === undefined)) {
    const missing = ownerId === undefined ? 'ownerId' : 'repoId';
    const given = ownerId === undefined ? 'repoId' : 'ownerId';
    throw invalid(given, ownerId ?? repoId, `is set without ${missing}`, 'Set ownerId and repoId together: the immutable subject "repo:OWNER@OWNER_ID/REPO@REPO_ID" needs both');
  }
}

// owner/repo/.github/workflows/file.yml@ref, the `job_workflow_ref` claim format.
const WORKFLOW_REF_RE = /^([^/@*?:\s]+)\/([^/@*?:\s]+)\/\.github\/workflows\/([^/@*?:\s]+\.ya?ml)@(.+)$/;

/** `jobWorkflowRefs`: reusable workflows, `owner/repo/.github/workflows/f.yml@ref`. */
export function validateJobWorkflowRefs(values: string[] | undefined): void {
  const prop = 'jobWorkflowRefs';
  if (values === undefined) {
    return;
  }
  const allowed = 'Each entry is "owner/repo/.github/workflows/file.yml@ref" where ref is refs/heads/B, refs/tags/T or a commit SHA; "*" is allowed only in the ref';
  if (values.length === 0) {
    throw invalid(prop, values, 'is an empty list', 'Omit jobWorkflowRefs or list at least one reusable workflow');
  }
  for (const value of values) {
    rejectToken(prop, value);
    if (typeof value === 'string' && value.includes('${')) {
      throw invalid(prop, value, 'contains "${", which IAM would read as a policy variable', allowed);
    }
    if (typeof value === 'string') {
      rejectNonIamCharacters(prop, value, allowed);
    }
    const m = typeof value === 'string' ? WORKFLOW_REF_RE.exec(value) : null;
    if (!m) {
      throw invalid(prop, value, 'is not a reusable-workflow reference', allowed);
    }
    validateRepo(`${m[1]}/${m[2]}`, prop);
    const ref = m[4];
    if (!/^(refs\/(heads|tags)\/.+|[0-9a-f]{40})$/.test(ref)) {
      throw invalid(prop, value, `has ref "${ref}"`, allowed);
    }
    if (/[?\s]/.test(ref) || ref.includes('${')) {
      throw invalid(prop, value, `has an invalid ref "${ref}"`, allowed);
    }
  }
}

// A workflow file directly in .github/workflows/, as this library names it.
const WORKFLOW_FILE_RE = /^[A-Za-z0-9._-]{1,250}\.ya?ml$/;

/** `workflowFile`: a file name in `.github/workflows/` (no folder, no pattern). */
export function validateWorkflowFile(value: string | undefined): void {
  const prop = 'workflowFile';
  if (value === undefined) {
    return;
  }
  rejectToken(prop, value);
  if (typeof value !== 'string' || !WORKFLOW_FILE_RE.test(value) || value.startsWith('.')) {
    throw invalid(prop, value, 'is not a workflow file name',
      'Give the file name only, as in .github/workflows/<file>: letters, digits, ".", "_" or "-", ending in .yml or .yaml (e.g. "publish-image.yml")');
  }
}

// ECR repository names (CreateRepository API), anchored.
const ECR_NAME_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * The default ECR repository name, derived from `repo`: aws-cdk-lib would
 * reject an invalid one with a message that shows a name the user never
 * wrote, so say where it came from and what to set. (An explicit
 * `repositoryName` is left to aws-cdk-lib's own check.)
 */
export function validateDerivedRepositoryName(name: string, repo: string): void {
  const problem = name.length < 2 || name.length > 256
    ? `is ${name.length} characters long`
    : !ECR_NAME_RE.test(name) ? 'is not a valid ECR repository name' : undefined;
  if (problem) {
    throw invalid('repositoryName', name, `(the default, derived from repo "${repo}") ${problem}`,
      'Set repositoryName explicitly: ECR names are 2-256 lowercase letters, digits and single ".", "_", "-" or "/" separators, starting and ending with a letter or digit');
  }
}

/** `maxImageCount`: 1..20,000. */
export function validateMaxImageCount(value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_IMAGE_COUNT) {
    throw invalid('maxImageCount', value, 'is not a whole number from 1 to 20,000', 'ECR lifecycle counts are positive integers (0 is rejected by ECR) and a repository holds at most 20,000 images');
  }
}

function wholeDays(value: Duration): number | undefined {
  try {
    const days = value.toDays();
    return Number.isInteger(days) ? days : undefined;
  } catch {
    return undefined;
  }
}

/** `untaggedImageExpiry`: a whole number of days, at least 1. */
export function validateUntaggedImageExpiry(value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const days = wholeDays(value);
  if (days === undefined || days < 1) {
    throw invalid('untaggedImageExpiry', value, 'is not a whole number of days of at least 1', 'ECR lifecycle ages are counted in days, e.g. Duration.days(7)');
  }
}

/**
 * `lifecycleRules`: what ECR rejects at deploy time and aws-cdk-lib does not
 * check (it already checks exactly one of count and age, tag lists only for
 * TAGGED rules, four wildcards per pattern and a single TagStatus.ANY rule).
 */
export function validateLifecycleRules(rules: ecr.LifecycleRule[] | undefined): void {
  const prop = 'lifecycleRules';
  if (rules === undefined) {
    return;
  }
  if (rules.length === 0) {
    throw invalid(prop, rules, 'is an empty list', 'Omit lifecycleRules to get "keep the last maxImageCount images", or give at least one rule');
  }
  const priorities = new Set<number>();
  const prefixes = new Set<string>();
  let untagged = 0;
  rules.forEach((rule, i) => {
    const at = `${prop}[${i}]`;
    const count = rule.maxImageCount;
    if (count !== undefined && !Token.isUnresolved(count) && (!Number.isInteger(count) || count < 1)) {
      throw invalid(`${at}.maxImageCount`, count, 'is not a positive integer', 'ECR rejects 0 and fractions');
    }
    const age = rule.maxImageAge;
    if (age !== undefined && !age.isUnresolved() && (wholeDays(age) ?? 0) < 1) {
      throw invalid(`${at}.maxImageAge`, age, 'is not a whole number of days of at least 1', 'Use Duration.days(N)');
    }
    if (rule.rulePriority !== undefined) {
      if (!Number.isInteger(rule.rulePriority) || rule.rulePriority < 1) {
        throw invalid(`${at}.rulePriority`, rule.rulePriority, 'is not a positive integer', 'Priorities are unique positive integers');
      }
      if (priorities.has(rule.rulePriority)) {
        throw invalid(`${at}.rulePriority`, rule.rulePriority, 'is used by another rule', 'Each rule needs a unique priority');
      }
      priorities.add(rule.rulePriority);
    }
    for (const prefix of rule.tagPrefixList ?? []) {
      if (prefixes.has(prefix)) {
        throw invalid(`${at}.tagPrefixList`, prefix, 'is already selected by another rule', 'ECR requires a unique set of tag prefixes across rules');
      }
      prefixes.add(prefix);
    }
    if (rule.tagStatus === ecr.TagStatus.UNTAGGED && ++untagged > 1) {
      throw invalid(`${at}.tagStatus`, rule.tagStatus, 'is a second rule for untagged images', 'ECR allows only one rule that selects untagged images');
    }
  });
}

/**
 * `roleDescription`: the characters IAM accepts (aws-cdk-lib checks only the
 * length; CloudFormation would fail at deploy on the rest).
 */
export function validateRoleDescription(value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const bad = /[^\t\n\r\x20-\x7e\xa1-\xff]/u.exec(value);
  if (bad) {
    throw invalid('roleDescription', value.length > 60 ? `${value.slice(0, 57)}...` : value, `contains ${JSON.stringify(bad[0])}, which IAM does not allow`,
      'IAM role descriptions are printable Latin-1 characters');
  }
}

/** `trustPolicySizeQuota`: 2,048 (IAM's default) up to 4,096 (its maximum). */
export function validateTrustPolicySizeQuota(value: number | undefined): void {
  if (value === undefined) {
    return;
  }
  if (Token.isUnresolved(value)) {
    throw invalid('trustPolicySizeQuota', 'an unresolved token', 'is compared with the trust policy at synth time', 'Give a literal number from 2,048 to 4,096');
  }
  if (!Number.isInteger(value) || value < DEFAULT_TRUST_POLICY_QUOTA || value > MAX_TRUST_POLICY_QUOTA) {
    throw invalid('trustPolicySizeQuota', value, 'is outside 2,048 to 4,096', 'Declare the role trust policy quota of your account (Service Quotas L-C07B4B0D): IAM\'s default is 2,048, the maximum 4,096');
  }
}

/**
 * `rolePath`: the role ARN a workflow assumes is written into it
 * (`role-to-assume`), so a GitHub expression there would be evaluated by every
 * run. (aws-cdk-lib checks the rest of the path syntax.)
 */
export function validateRolePath(value: string | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && value.includes('${{')) {
    throw invalid('rolePath', value, 'contains a GitHub expression ("${{"), which the rendered workflow would evaluate inside role-to-assume',
      'Use a plain IAM path such as "/github-ecr/"');
  }
}
