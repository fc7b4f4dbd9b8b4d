// The claim checker behind explainClaims() and the workflow's diagnosis step:
// IAM's string semantics, and a hint that names the likely cause and the prop
// to change for each way a token is commonly refused.
import { Lazy } from 'aws-cdk-lib';
import { GitHubIssuer, OidcProviderSource } from '../../src';
import { checkClaims, trustDataOf } from '../../src/private/claims-check';
import { trustConditions } from '../../src/private/trust-policy';
import { GITHUB_COM_HOST as GH, jobClaims as claims, MAIN_SUBJECT as MAIN, newPublisher, REPO, trustScope, workflowRefOf } from '../helpers/fixture';


/** The hint for the one failing key, and that key. */
/** The one failure of a refused verdict (checkClaims' or explainClaims'). */
function onlyFailure<T>(verdict: { readonly allowed: boolean; readonly failures: T[] }): T {
  expect(verdict.allowed).toBe(false);
  expect(verdict.failures).toHaveLength(1);
  return verdict.failures[0];
}

describe('IAM semantics', () => {
  const data = (values: string[], operator = 'StringLike') => ({
    ...trustDataOf(trustScope(), GitHubIssuer.GITHUB_COM, {}),
    conditions: [{ claim: 'sub', operator, values }],
  });

  test.each<[string, string, boolean]>([
    ['a*', 'a/b/c', true], // "*" crosses "/"
    ['a*', 'a', true], // "*" matches nothing too
    ['a?c', 'abc', true],
    ['a?c', 'ac', false], // "?" is exactly one character
    ['a?c', 'abbc', false],
    ['a.c', 'abc', false], // "." is literal
    ['a+b', 'a+b', true],
    ['a(b)', 'a(b)', true],
    ['A*', 'a', false], // case-sensitive
    ['a*', 'a\nb', false], // "*" does not match a line break (as the IAM evaluator reads StringLike)
    ['a*b', 'a\r\nb', false],
    ['a*', 'a\u2028', false],
    ['a?c', 'a\nc', false], // nor does "?"
    ['a*', 'a\tb', true], // other whitespace does
  ])('StringLike %j against %j: %s', (pattern, value, allowed) => {
    expect(checkClaims(data([pattern]), { sub: value }).allowed).toBe(allowed);
  });

  test('StringEquals is exact: a "*" is a literal', () => {
    expect(checkClaims(data(['a*'], 'StringEquals'), { sub: 'a*' }).allowed).toBe(true);
    expect(checkClaims(data(['a*'], 'StringEquals'), { sub: 'ab' }).allowed).toBe(false);
  });

  test('a claim that is not one string fails, whatever its text', () => {
    for (const sub of [['a'], { a: 1 }, 7, null, true]) {
      const failure = onlyFailure(checkClaims(data(['*']), { sub } as any));
      expect(failure).toEqual(expect.objectContaining({ actual: JSON.stringify(sub), hint: expect.stringMatching(/^The sub claim is .*, not a single string/) }));
    }
  });

  test('values of one key are ORed, keys ANDed, a missing claim fails', () => {
    const d = {
      ...data(['x', 'y'], 'StringEquals'),
      conditions: [
        { claim: 'sub', operator: 'StringEquals', values: ['x', 'y'] },
        { claim: 'aud', operator: 'StringEquals', values: ['a'] },
      ],
    };
    expect(checkClaims(d, { sub: 'y', aud: 'a' }).allowed).toBe(true);
    expect(checkClaims(d, { sub: 'y', aud: 'b' }).failures.map((f) => f.key)).toEqual([`${GH}:aud`]);
    expect(checkClaims(d, { sub: 'y' }).failures).toEqual([expect.objectContaining({ key: `${GH}:aud`, actual: undefined })]);
  });
});

describe('explainClaims', () => {
  const publisher = newPublisher({ branches: ['main'], tags: ['v*'], environments: ['production'] }).publisher;

  test('a case mismatch in the environment name', () => {
    const failure = onlyFailure(publisher.explainClaims(claims({ sub: 'repo:octo-org/chatgpt-web:environment:Production' })));
    expect(failure).toEqual({
      key: `${GH}:sub`,
      conditionOperator: 'StringLike',
      accepted: publisher.subjectClaims,
      actual: 'repo:octo-org/chatgpt-web:environment:Production',
      hint: 'Environment names are case-sensitive in the sub claim: the role trusts "production", the job declares "Production".',
    });
  });

  test.each<[string, unknown, RegExp]>([
    ['an array', { ...claims(), aud: ['sts.amazonaws.com'] }, /explainClaims claims\.aud: \["sts\.amazonaws\.com"\] is not a string\. Give each claim as the one string/],
    ['an object', { ...claims(), sub: { value: MAIN } }, /explainClaims claims\.sub: \{"value":.*\} is not a string/],
    ['a number', { ...claims(), repository_id: 789012 }, /explainClaims claims\.repository_id: 789012 is not a string\. .*"789012"/],
    ['null', { ...claims(), repository: null }, /explainClaims claims\.repository: null is not a string/],
    ['not an object', ['sub'], /explainClaims claims: \["sub"\] is not an object of claim names and values/],
  ])('a claim given as %s is an error naming it, not a verdict', (_name, given, message) => {
    expect(() => publisher.explainClaims(given as any)).toThrow(message);
    expect(() => publisher.explainClaims(given as any)).toThrow(/^Stack\/Publisher: /);
  });

  test('a claim left undefined is a claim left out', () => {
    expect(publisher.explainClaims({ ...claims(), environment: undefined } as any)).toEqual({ allowed: true, failures: [] });
  });

  test('an allowed token has no failure', () => {
    expect(publisher.explainClaims(claims())).toEqual({ allowed: true, failures: [] });
    expect(publisher.explainClaims(claims({ sub: 'repo:octo-org@1/chatgpt-web@2:ref:refs/tags/v1', job_workflow_ref: workflowRefOf('refs/tags/v1') })).allowed).toBe(true);
  });

  test.each<[string, Record<string, string | undefined>, RegExp]>([
    ['a branch the role does not trust', { sub: 'repo:octo-org/chatgpt-web:ref:refs/heads/dev', job_workflow_ref: workflowRefOf('refs/heads/dev') },
      /The run is on the branch "dev", which the role does not trust \(branches: \["main"\]\): add it to branches.* Or declare one of the trusted environments \["production"\]/],
    ['a branch named like a trusted tag', { sub: 'repo:octo-org/chatgpt-web:ref:refs/heads/v1', job_workflow_ref: workflowRefOf('refs/heads/v1') },
      /The run is on the branch "v1", but the role trusts "v1" as a tag \(tags\)/],
    ['a tag named like a trusted branch', { sub: 'repo:octo-org/chatgpt-web:ref:refs/tags/main', job_workflow_ref: workflowRefOf('refs/tags/main') },
      /The run is on the tag "main", but the role trusts "main" as a branch/],
    ['a branch in another case', { sub: 'repo:octo-org/chatgpt-web:ref:refs/heads/Main', job_workflow_ref: workflowRefOf('refs/heads/Main') },
      /Names are case-sensitive in the sub claim: the run is on branch "Main", the role trusts "main"/],
    ['a pull request while allowPullRequests is false', { sub: 'repo:octo-org/chatgpt-web:pull_request', job_workflow_ref: workflowRefOf('refs/pull/1/merge') },
      /This is a pull_request run, which the role does not trust: set allowPullRequests: true/],
    ['an environment the role does not trust', { sub: 'repo:octo-org/chatgpt-web:environment:staging' },
      /The job declares the environment "staging", which the role does not trust: a job with environment: gets a subject that names the environment, never the branch\. Use one of \["production"\]/],
    ['a customised subject template', { sub: 'repository_owner:octo-org:repository_visibility:private' },
      /uses a customised subject template \(include_claim_keys\)\. Reset it to the default with gh api -X PUT repos\/octo-org\/chatgpt-web\/actions\/oidc\/customization\/sub -F use_default=true/],
    ['another repository (renamed or transferred)', { sub: 'repo:octo-org/chatgpt-web-old:ref:refs/heads/main', repository: 'octo-org/chatgpt-web-old' },
      /The token comes from "octo-org\/chatgpt-web-old", but the role trusts "octo-org\/chatgpt-web" \(renamed or transferred\? set repo to the new name\)/],
    ['the owner in another case', { sub: 'repo:Octo-Org/chatgpt-web:ref:refs/heads/main', repository: 'Octo-Org/chatgpt-web' },
      /Names are case-sensitive in the sub claim: the token names "Octo-Org\/chatgpt-web", the role trusts "octo-org\/chatgpt-web"/],
    ['the wrong audience (China)', { aud: 'sts.amazonaws.com.cn' },
      /The token was requested for the audience "sts\.amazonaws\.com\.cn", but the role requires \["sts\.amazonaws\.com"\]/],
    ['another workflow file of the repository', { job_workflow_ref: workflowRefOf('refs/heads/main', 'bot.yml') },
      /The job runs in "\.github\/workflows\/bot\.yml", but the role trusts only "\.github\/workflows\/publish-chatgpt-web\.yml" of octo-org\/chatgpt-web: run it from that file \(writeWorkflow\(\) writes it\), or set workflowFile to "bot\.yml"/],
    ['the pinned file at an untrusted ref, from an environment job', { sub: 'repo:octo-org/chatgpt-web:environment:production', job_workflow_ref: workflowRefOf('refs/heads/feature') },
      /The workflow file is trusted, but not at "refs\/heads\/feature": jobs in an environment must run from a trusted branch or tag/],
    ['a token of another issuer', { iss: 'https://token.actions.githubusercontent.com/octocorp' },
      /The token was issued by "https:\/\/token\.actions\.githubusercontent\.com\/octocorp", but the role trusts tokens of https:\/\/token\.actions\.githubusercontent\.com: set issuer/],
    ['no repository claim', { repository: undefined },
      /The token has no repository claim to compare/],
  ])('%s', (_name, overrides, hint) => {
    const verdict = publisher.explainClaims(claims(overrides));
    expect(verdict.allowed).toBe(false);
    expect(verdict.failures.map((f) => f.hint).join('\n')).toMatch(hint);
  });

  test('an immutable subject with other IDs names ownerId and repoId', () => {
    const pinned = newPublisher({ ownerId: 123, repoId: 456 }).publisher;
    const failure = pinned.explainClaims({ sub: 'repo:octo-org@123/chatgpt-web@999:ref:refs/heads/main', aud: 'sts.amazonaws.com', repository_id: '999', job_workflow_ref: workflowRefOf('refs/heads/main') });
    expect(failure.allowed).toBe(false);
    expect(failure.failures.map((f) => f.hint).join('\n')).toMatch(/immutable form with IDs 123\/999, but the role trusts ownerId 123 and repoId 456 \(the repository was re-created or transferred\?\)/);
    expect(failure.failures.map((f) => f.key)).toEqual([`${GH}:sub`, `${GH}:repository_id`]);
  });

  test('an immutable subject where only the name form is trusted (no claim conditions, no IDs)', () => {
    const china = newPublisher({}, { env: { account: '111111111111', region: 'cn-north-1' } }).publisher;
    const failure = onlyFailure(china.explainClaims({ sub: 'repo:octo-org@1/chatgpt-web@2:ref:refs/heads/main', aud: 'sts.amazonaws.com.cn' }));
    expect(failure.hint).toMatch(/The repository emits immutable subjects .* which the role trusts only with ownerId and repoId here: set them/);
  });

  test('a trusted value only known at deploy time is reported, not guessed', () => {
    const agnostic = newPublisher({ providerSource: OidcProviderSource.create() }, { env: null }).publisher;
    const failure = onlyFailure(agnostic.explainClaims({ sub: MAIN, aud: 'sts.amazonaws.com' }));
    expect(failure).toEqual(expect.objectContaining({
      key: `${GH}:aud`,
      accepted: [],
      actual: 'sts.amazonaws.com',
      hint: expect.stringMatching(/only known at deploy time .* give the stack a concrete env to check it/),
    }));
  });
});

describe('trustDataOf', () => {
  test('flattens the conditions, marks deploy-time values as null, and holds no account or ARN', () => {
    const token = Lazy.string({ produce: () => 'sts.amazonaws.com' });
    const scope = trustScope({ workflowFile: 'p.yml' });
    const data = trustDataOf(scope, GitHubIssuer.GITHUB_COM, trustConditions(scope, GitHubIssuer.GITHUB_COM, token));
    expect(data.conditions).toEqual([
      { claim: 'aud', operator: 'StringEquals', values: null },
      { claim: 'repository', operator: 'StringEquals', values: [REPO] },
      { claim: 'sub', operator: 'StringLike', values: [MAIN, 'repo:octo-org@*/chatgpt-web@*:ref:refs/heads/main'] },
      { claim: 'job_workflow_ref', operator: 'StringLike', values: ['octo-org/chatgpt-web/.github/workflows/p.yml@refs/*'] },
    ]);
    expect(JSON.stringify(data)).not.toMatch(/arn:|\d{12}/);
  });
});
