// The identity record (what GitHub reported for a repository) decides the
// trust: proven by evaluating the synthesized trust policies with the
// independent IAM evaluator for tokens as GitHub mints them, in the commercial,
// GovCloud and China partitions; plus how the construct checks the record
// against its props, what it refuses, and the warnings without one.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher, GitHubEcrPublisherFleet, GitHubIssuer, OidcProviderSource } from '../src';
import {
  ACCOUNT, errorOf, escapeRegExp, IMMUTABLE_PREFIX, identityContext, identityRecord, jobClaims, MAIN_SUBJECT, NAME, newPublisher, OWNER,
  RECORDED_OWNER_ID, RECORDED_REPO_ID, REPO, workflowRefOf,
} from './helpers/fixture';
import { evaluate, githubToken, TokenClaims, trustPolicyOf } from './helpers/iam-evaluator';
import { IdentityRecord } from '../src/private/identity-context';

const MAIN = 'ref:refs/heads/main';
const PARTITIONS = [
  ['aws', 'us-east-1', 'sts.amazonaws.com'],
  ['aws-us-gov', 'us-gov-west-1', 'sts.amazonaws.com'],
  ['aws-cn', 'cn-north-1', 'sts.amazonaws.com.cn'],
] as const;

/** A publisher of REPO with this record, in a region of the partition. */
function publisherWith(record: IdentityRecord | undefined, region: string, props = {}) {
  return newPublisher(props, { env: { account: ACCOUNT, region }, context: record ? identityContext(record) : {} });
}

/** The synthesized trust policy of a publisher of REPO with this record, in a region of the partition. */
function policyWith(record: IdentityRecord | undefined, region: string, props = {}): any {
  return trustPolicyOf(publisherWith(record, region, props).stack);
}

/** The claims of a token as explainClaims() takes them. */
function claimsOf(token: TokenClaims): Record<string, string> {
  return { ...token.extra, sub: token.sub!, aud: token.aud! };
}

/** A token of REPO's pinned workflow on main, with the subject segment and repository_id given. */
function tokenOf(segment: string, repoId: number, aud: string): TokenClaims {
  const base = githubToken(REPO, MAIN, { aud, repoId });
  return { ...base, sub: `repo:${segment}:${MAIN}` };
}

const IMMUTABLE = `${OWNER}@${RECORDED_OWNER_ID}/${NAME}@${RECORDED_REPO_ID}`;

describe.each(PARTITIONS)('in the %s partition (%s)', (_partition, region, aud) => {
  test('explainClaims() agrees with the evaluator on the recorded repositories\' tokens', () => {
    const segments = [REPO, IMMUTABLE, `${OWNER}@999/${NAME}@${RECORDED_REPO_ID}`, `${OWNER}@${RECORDED_OWNER_ID}/${NAME}@998`];
    const decisions: string[] = [];
    for (const record of [identityRecord(), identityRecord({ subClaimPrefix: IMMUTABLE_PREFIX })]) {
      const { stack, publisher } = publisherWith(record, region);
      const policy = trustPolicyOf(stack);
      for (const segment of segments) {
        for (const repoId of [RECORDED_REPO_ID, 998]) {
          const token = tokenOf(segment, repoId, aud);
          const decision = evaluate(policy, token);
          decisions.push(decision);
          expect([segment, repoId, publisher.explainClaims(claimsOf(token)).allowed]).toEqual([segment, repoId, decision === 'Allowed']);
        }
      }
    }
    expect(decisions.filter((d) => d === 'Allowed').length).toBeGreaterThanOrEqual(3);
    expect(decisions.filter((d) => d !== 'Allowed').length).toBeGreaterThanOrEqual(8);
  });

  describe('a repository recorded with immutable subjects', () => {
    const policy = policyWith(identityRecord({ subClaimPrefix: IMMUTABLE_PREFIX, useImmutableSubject: true }), region);

    test('its exact subject is allowed', () => {
      expect(evaluate(policy, tokenOf(IMMUTABLE, RECORDED_REPO_ID, aud))).toBe('Allowed');
    });

    test.each([
      ['another owner ID', `${OWNER}@999/${NAME}@${RECORDED_REPO_ID}`, RECORDED_REPO_ID],
      ['another repository ID (re-created)', `${OWNER}@${RECORDED_OWNER_ID}/${NAME}@998`, 998],
      ['another owner and repository ID (transferred and re-created)', `${OWNER}@997/${NAME}@998`, 998],
      ['a repository ID with the recorded one as its prefix', `${OWNER}@${RECORDED_OWNER_ID}/${NAME}@${RECORDED_REPO_ID}7`, Number(`${RECORDED_REPO_ID}7`)],
      ['the name form, which GitHub does not send for this repository', REPO, RECORDED_REPO_ID],
    ])('%s is refused', (_label, segment, repoId) => {
      expect(evaluate(policy, tokenOf(segment, repoId, aud))).toBe('ImplicitlyDenied');
    });

    test('the policy has no "@*" pattern', () => {
      expect(JSON.stringify(policy)).not.toContain('@*');
    });
  });

  describe('a repository recorded with name-form subjects', () => {
    const policy = policyWith(identityRecord(), region);

    test.each([
      ['the name form', REPO],
      ['the exact immutable form of the recorded IDs (the repository opts in later)', IMMUTABLE],
    ])('%s is allowed', (_label, segment) => {
      expect(evaluate(policy, tokenOf(segment, RECORDED_REPO_ID, aud))).toBe('Allowed');
    });

    test.each([
      ['a re-created repository (same name, new IDs) with the immutable subject', `${OWNER}@${RECORDED_OWNER_ID}/${NAME}@998`],
      ['another owner ID', `${OWNER}@999/${NAME}@${RECORDED_REPO_ID}`],
    ])('%s is refused', (_label, segment) => {
      expect(evaluate(policy, tokenOf(segment, 998, aud))).toBe('ImplicitlyDenied');
    });

    test('the policy has no "@*" pattern', () => {
      expect(JSON.stringify(policy)).not.toContain('@*');
    });
  });
});

describe('where claim pins apply (github.com issuer, aws partition)', () => {
  test('a re-created repository (same name, other ID) sending the name form is refused by the repository_id pin', () => {
    // GIVEN
    const policy = policyWith(identityRecord(), 'us-east-1');

    // THEN the control token passes, the same token of the re-created repository does not
    expect(evaluate(policy, tokenOf(REPO, RECORDED_REPO_ID, 'sts.amazonaws.com'))).toBe('Allowed');
    expect(evaluate(policy, tokenOf(REPO, 998, 'sts.amazonaws.com'))).toBe('ImplicitlyDenied');
    expect(policy.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:repository_id']).toBe(String(RECORDED_REPO_ID));
    expect(policy.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:repository']).toBeUndefined();
  });

  test('without a record the same re-created repository is admitted by the "@*" pattern (what the record closes)', () => {
    const policy = policyWith(undefined, 'us-east-1');
    expect(evaluate(policy, tokenOf(`${OWNER}@${RECORDED_OWNER_ID}/${NAME}@998`, 998, 'sts.amazonaws.com'))).toBe('Allowed');
  });

  test('known limitation without claim pins (China): a re-created repository that sends the name form is admitted; it has no ID in its subject to compare', () => {
    // GitHub gives repositories created since 2026-07-15 the immutable form, which is refused above.
    const policy = policyWith(identityRecord(), 'cn-north-1');
    expect(evaluate(policy, tokenOf(REPO, 998, 'sts.amazonaws.com.cn'))).toBe('Allowed');
  });
});

describe('customised subject templates', () => {
  const template = (keys: string[], source: IdentityRecord['templateSource'] = 'repository', prefix = `repo:${REPO}`) =>
    identityRecord({ useDefault: false, includeClaimKeys: keys, templateSource: source, subClaimPrefix: prefix });

  test('["repo", "context", "job_workflow_ref"]: the documented subject is allowed, another workflow file and the default subject refused', () => {
    // GIVEN
    const policy = policyWith(template(['repo', 'context', 'job_workflow_ref']), 'us-east-1');
    const sub = (file: string) => `repo:${REPO}:${MAIN}:job_workflow_ref:${workflowRefOf('refs/heads/main', file)}`;
    const token = (s: string, file = `publish-${NAME}.yml`) => ({ ...githubToken(REPO, MAIN, { repoId: RECORDED_REPO_ID }), sub: s, extra: { ...githubToken(REPO, MAIN, { repoId: RECORDED_REPO_ID }).extra, job_workflow_ref: workflowRefOf('refs/heads/main', file) } });

    // THEN
    expect(evaluate(policy, token(sub(`publish-${NAME}.yml`)))).toBe('Allowed');
    expect(evaluate(policy, token(sub('bot.yml'), 'bot.yml'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, token(MAIN_SUBJECT))).toBe('ImplicitlyDenied');
  });

  test('in China, ["repo", "context", "job_workflow_ref"] pins the workflow file through the subject, where no claim condition can', () => {
    const policy = policyWith(template(['repo', 'context', 'job_workflow_ref']), 'cn-north-1');
    const sub = (file: string) => `repo:${REPO}:${MAIN}:job_workflow_ref:${workflowRefOf('refs/heads/main', file)}`;
    const token = (s: string) => ({ sub: s, aud: 'sts.amazonaws.com.cn' });
    expect(evaluate(policy, token(sub(`publish-${NAME}.yml`)))).toBe('Allowed');
    expect(evaluate(policy, token(sub('bot.yml')))).toBe('ImplicitlyDenied');
  });

  test('an immutable repository\'s template carries the IDs in the repo claim', () => {
    const { publisher } = newPublisher({ environments: ['production'] }, {
      context: identityContext(template(['repository_owner_id', 'repo', 'environment'], 'organization', IMMUTABLE_PREFIX)),
    });
    expect(publisher.subjectClaims).toEqual([`repository_owner_id:${RECORDED_OWNER_ID}:repo:${IMMUTABLE}:environment:production`]);
  });

  test.each<[string, string[], string, RegExp]>([
    ['a free-text claim', ['repo', 'context', 'workflow'], 'us-east-1', /the trust policy cannot predict the claim "workflow" exactly/],
    ['no repository in the subject without claim conditions', ['repository_owner', 'context'], 'cn-north-1', /names neither repo nor repository_id/],
    ['no branch in the subject', ['repo'], 'us-east-1', /does not name the branch \(ref:refs\/heads\/main\)/],
    ['an environment-only template for a branch', ['repo', 'environment'], 'us-east-1', /GitHub issues tokens only to jobs with an environment, and the role trusts no environment/],
  ])('refused at synth: %s', (_label, keys, region, problem) => {
    const message = errorOf(() => policyWith(template(keys), region));
    expect(message).toMatch(problem);
    expect(message).toMatch(/is the repository's customised subject template/);
    expect(message).toContain(`gh api -X PUT repos/${REPO}/actions/oidc/customization/sub -F use_default=true`);
    expect(message).toContain(`npx cdk-github-ecr-publisher identity ${REPO}`);
  });

  test('an organization template is named as such', () => {
    expect(errorOf(() => policyWith(template(['repo', 'context', 'actor'], 'organization'), 'us-east-1')))
      .toMatch(new RegExp(escapeRegExp(`is the organization template of ${OWNER} (the repository opted in to it)`)));
  });
});

describe('the record and the props', () => {
  test('a repo spelled in another case than GitHub\'s is an error naming GitHub\'s spelling', () => {
    const message = errorOf(() => newPublisher({ repo: 'Octo-Org/chatgpt-web' }, { context: identityContext(identityRecord()) }));
    expect(message).toMatch(/repo: "Octo-Org\/chatgpt-web" differs in case from GitHub's spelling "octo-org\/chatgpt-web".*Set repo to "octo-org\/chatgpt-web"/);
  });

  test('ownerId and repoId that agree with the record are accepted; others are an error', () => {
    const context = identityContext(identityRecord());
    expect(errorOf(() => newPublisher({ ownerId: RECORDED_OWNER_ID, repoId: RECORDED_REPO_ID }, { context }))).toBeUndefined();
    expect(errorOf(() => newPublisher({ ownerId: RECORDED_OWNER_ID, repoId: 999 }, { context })))
      .toMatch(/repoId: 999 differs from the recorded ID 456 of octo-org\/chatgpt-web .*deleted and re-created, or transferred/);
    expect(errorOf(() => newPublisher({ ownerId: 1, repoId: RECORDED_REPO_ID }, { context }))).toMatch(/ownerId: 1 differs from the recorded ID 123/);
  });

  test('requireIdentityRecord: synth fails without the record (a cleared context), passes with it', () => {
    expect(errorOf(() => newPublisher({ requireIdentityRecord: true })))
      .toMatch(/requireIdentityRecord: true is set, but the context has no identity record for octo-org\/chatgpt-web \(key "cdk-github-ecr-publisher:identity:github.com:octo-org\/chatgpt-web"\)/);
    expect(errorOf(() => newPublisher({ requireIdentityRecord: true }, { context: identityContext(identityRecord()) }))).toBeUndefined();
  });

  test('requireIdentityRecord is refused for GitHub Enterprise Server, which has no record', () => {
    expect(errorOf(() => newPublisher({ requireIdentityRecord: true, issuer: GitHubIssuer.enterpriseServer('github.example.com') })))
      .toMatch(/requireIdentityRecord: true cannot be used with the GitHub Enterprise Server issuer/);
  });

  test('a GHE.com repository is read under its host', () => {
    const record = identityRecord({ host: 'octocorp.ghe.com', subClaimPrefix: IMMUTABLE_PREFIX });
    const { publisher } = newPublisher({ issuer: GitHubIssuer.dataResidency('octocorp') }, { context: identityContext(record) });
    expect(publisher.subjectClaims).toEqual([`${IMMUTABLE_PREFIX}:${MAIN}`]);
  });

  test('a broken record is an error naming its key and field', () => {
    const broken = { ...identityRecord(), ownerId: '123' };
    expect(errorOf(() => newPublisher({}, { context: { 'cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web': broken } })))
      .toMatch(/context "cdk-github-ecr-publisher:identity:github.com:octo-org\/chatgpt-web".ownerId: "123" is not a positive integer/);
  });
});

describe('warnings without a record', () => {
  const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('identityNotRecorded')).map((w) => String(w.entry.data));

  test('one, naming the key and the command; in the aws partition it names the re-creation the pattern admits', () => {
    const { stack } = newPublisher();
    const [warning, ...more] = warnings(stack);
    expect(more).toEqual([]);
    expect(warning).toContain('key "cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web"');
    expect(warning).toContain('Run "npx cdk-github-ecr-publisher identity octo-org/chatgpt-web"');
    expect(warning).toContain('also admits a deleted and re-created repository of the same name');
  });

  test('without claim conditions (China) it names the lockout of repositories that emit immutable subjects', () => {
    const { stack } = newPublisher({}, { env: { account: ACCOUNT, region: 'cn-north-1' } });
    expect(warnings(stack)).toEqual([expect.stringContaining('admits only the name form (repo:octo-org/chatgpt-web:...): if the repository emits immutable subjects')]);
  });

  test('none with a record, and none for GitHub Enterprise Server', () => {
    expect(warnings(newPublisher({}, { context: identityContext(identityRecord()) }).stack)).toEqual([]);
    expect(warnings(newPublisher({ issuer: GitHubIssuer.enterpriseServer('github.example.com') }).stack)).toEqual([]);
  });

  test('a fleet gets one warning, not one per repository, listing the unrecorded ones', () => {
    // GIVEN 12 repositories over 3 shards, one of them recorded
    const app = new App({ context: identityContext(identityRecord({ fullName: 'octo-org/service-0', subClaimPrefix: 'repo:octo-org/service-0' })) });
    const fleet = new GitHubEcrPublisherFleet(app, 'Ecr', {
      env: { account: ACCOUNT, region: 'us-east-1' },
      shards: 3,
      repositories: Array.from({ length: 12 }, (_, i) => ({ repo: `octo-org/service-${i}` })),
      defaults: { providerSource: OidcProviderSource.existing() },
    });

    // THEN
    const all = fleet.shardStacks.flatMap((s) => warnings(s));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(/^11 of the 12 repositories of the fleet Ecr have no identity record in the context \(octo-org\/service-1, .* and 6 more\)/);
    expect(all[0]).toContain('11 of them admit the immutable subject by pattern');
  });
});

describe('explainClaims with a record', () => {
  test('a token of a re-created repository: the hint names the record and the command', () => {
    const { publisher } = newPublisher({}, { context: identityContext(identityRecord({ subClaimPrefix: IMMUTABLE_PREFIX })) });
    const verdict = publisher.explainClaims(jobClaims({ sub: `repo:${OWNER}@${RECORDED_OWNER_ID}/${NAME}@998:${MAIN}`, repository_id: '998' }));
    expect(verdict.allowed).toBe(false);
    expect(verdict.failures.find((f) => f.key.endsWith(':sub'))?.hint)
      .toMatch(/carries the IDs 123\/998, its identity record \(".*"\) 123\/456: the repository was deleted and re-created, or transferred\. Run npx cdk-github-ecr-publisher identity octo-org\/chatgpt-web/);
  });

  test('a name-form token where the record says immutable, and a customised subject where it says default', () => {
    const { publisher } = newPublisher({}, { context: identityContext(identityRecord({ subClaimPrefix: IMMUTABLE_PREFIX })) });
    const hint = (sub: string) => publisher.explainClaims(jobClaims({ sub, repository_id: String(RECORDED_REPO_ID) })).failures.find((f) => f.key.endsWith(':sub'))?.hint;
    expect(hint(MAIN_SUBJECT)).toMatch(/now emits name-form subjects .* says immutable subjects\. Run npx cdk-github-ecr-publisher identity/);
    expect(hint(`repo:${IMMUTABLE}:${MAIN}:job_workflow_ref:x`)).toMatch(/has a customised template, but its identity record .* says GitHub's default/);
  });

  test('a default subject where the record says a customised template: the template was reset', () => {
    const record = identityRecord({ useDefault: false, includeClaimKeys: ['repo', 'context', 'job_workflow_ref'], templateSource: 'repository' });
    const { publisher } = newPublisher({}, { context: identityContext(record) });
    const verdict = publisher.explainClaims(jobClaims({ repository_id: String(RECORDED_REPO_ID) }));
    expect(verdict.failures.find((f) => f.key.endsWith(':sub'))?.hint)
      .toMatch(/has GitHub's default subject, but its identity record .* says the customised template \["repo","context","job_workflow_ref"\]: the template was reset/);
  });

  test('the recorded IDs are in the trust data; without a record there is no identity field (the rendered workflows stay as they were)', () => {
    // The trust data lives in the diagnosis action written next to the workflow, one field per line.
    const files = (p: GitHubEcrPublisher) => p.renderWorkflowFiles().map((f) => f.content).join('\n');
    const withRecord = newPublisher({}, { context: identityContext(identityRecord()) }).publisher;
    expect(files(withRecord)).toContain('"identity": {"key":"cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web","form":"name","ownerId":123,"repoId":456,"claimKeys":null}');
    expect(files(newPublisher().publisher)).toContain('"repository": "octo-org/chatgpt-web"');
    expect(files(newPublisher().publisher)).not.toContain('"identity"');
  });
});
