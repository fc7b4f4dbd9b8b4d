// Unit tests of the pure trust-policy functions (no constructs involved).
import { GitHubIssuer } from '../../src/github-issuer';
import {
  Conditions, encodeSubjectValue, policySize, repositorySegments, resolveTrustScope, stsEvaluatesClaims, subjectClaims, subjectContexts,
  trustConditions, TrustScope, workflowRefPatterns,
} from '../../src/private/trust-policy';
import { GITHUB_COM_HOST as GH, trustScope } from '../helpers/fixture';

const GHES = GitHubIssuer.enterpriseServer('github.example.com');


/** Every condition key with the operators it appears under. */
function operatorsByKey(conditions: Conditions): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [operator, block] of Object.entries(conditions)) {
    for (const key of Object.keys(block)) {
      out.set(key, [...(out.get(key) ?? []), operator]);
    }
  }
  return out;
}

describe('resolveTrustScope', () => {
  test('no scope prop at all: branch main only', () => {
    expect(resolveTrustScope('octo-org', 'chatgpt-web', {}, true, undefined)).toEqual(trustScope());
  });

  test('the workflow file is pinned only with claim conditions', () => {
    expect(resolveTrustScope('octo-org', 'chatgpt-web', {}, true, 'p.yml')).toEqual(trustScope({ workflowFile: 'p.yml' }));
    expect(resolveTrustScope('octo-org', 'chatgpt-web', {}, false, 'p.yml')).toEqual(trustScope({ claimConditions: false }));
  });

  test.each<[string, Parameters<typeof resolveTrustScope>[2], Partial<TrustScope>]>([
    ['tags', { tags: ['v*'] }, { branches: [], tags: ['v*'] }],
    ['environments', { environments: ['production'] }, { branches: [], environments: ['production'] }],
    ['allowPullRequests', { allowPullRequests: true }, { branches: [], pullRequests: true }],
    ['allowPullRequests: false with a branch', { allowPullRequests: false, branches: ['dev'] }, { branches: ['dev'] }],
    ['IDs and reusable workflows (not scope props)', { ownerId: 1, repoId: 2, jobWorkflowRefs: ['w'] }, { ownerId: 1, repoId: 2, jobWorkflowRefs: ['w'] }],
  ])('%s: exactly what is set, main only when no scope prop is', (_name, props, expected) => {
    expect(resolveTrustScope('octo-org', 'chatgpt-web', props, true, undefined)).toEqual(trustScope(expected));
  });

  test('copies the lists, so later changes to the props do not reach the scope', () => {
    const branches = ['main'];
    const resolved = resolveTrustScope('octo-org', 'chatgpt-web', { branches }, true, undefined);
    branches.push('dev');
    expect(resolved.branches).toEqual(['main']);
  });

  test('a scope that trusts nothing is refused, naming allowPullRequests', () => {
    expect(() => resolveTrustScope('octo-org', 'chatgpt-web', { allowPullRequests: false }, true, undefined))
      .toThrow(/^allowPullRequests: false leaves the trust scope empty \(no branches, tags or environments either\)\. Name at least one branch, tag, environment, or allow pull requests$/);
  });
});

describe('encodeSubjectValue', () => {
  test.each([
    ['production', 'production'],
    ['prod:eu', 'prod%3Aeu'],
    ['a:b:c', 'a%3Ab%3Ac'],
  ])('encodes %s as %s', (input, expected) => {
    expect(encodeSubjectValue(input)).toBe(expected);
  });
});

describe('subjectContexts', () => {
  test('renders branches, tags, environments and pull requests in that order', () => {
    // GIVEN
    const s = trustScope({ branches: ['main', 'release/*'], tags: ['v*'], environments: ['prod:eu'], pullRequests: true });

    // WHEN
    const contexts = subjectContexts(s);

    // THEN
    expect(contexts).toEqual([
      'ref:refs/heads/main',
      'ref:refs/heads/release/*',
      'ref:refs/tags/v*',
      'environment:prod%3Aeu',
      'pull_request',
    ]);
  });

  test('leaves out pull_request unless allowed', () => {
    expect(subjectContexts(trustScope())).toEqual(['ref:refs/heads/main']);
  });
});

describe('repositorySegments', () => {
  test('with claim conditions, without IDs: the name form and the owner@*/repo@* form', () => {
    expect(repositorySegments(trustScope())).toEqual(['octo-org/chatgpt-web', 'octo-org@*/chatgpt-web@*']);
  });

  test('with IDs: the name form and the exact immutable form, no wildcard', () => {
    expect(repositorySegments(trustScope({ ownerId: 123, repoId: 456 }))).toEqual(['octo-org/chatgpt-web', 'octo-org@123/chatgpt-web@456']);
    expect(repositorySegments(trustScope({ ownerId: 1, repoId: 2, claimConditions: false }))).toEqual(['octo-org/chatgpt-web', 'octo-org@1/chatgpt-web@2']);
  });

  test('without claim conditions and IDs: the name form only (the @* form is exact only with the repository pin)', () => {
    expect(repositorySegments(trustScope({ claimConditions: false }))).toEqual(['octo-org/chatgpt-web']);
  });
});

describe('stsEvaluatesClaims', () => {
  test.each<[string, GitHubIssuer, string | undefined, boolean]>([
    ['github.com, aws', GitHubIssuer.GITHUB_COM, 'aws', true],
    ['github.com, aws-cn', GitHubIssuer.GITHUB_COM, 'aws-cn', false],
    ['github.com, aws-us-gov', GitHubIssuer.GITHUB_COM, 'aws-us-gov', false],
    ['github.com, aws-eusc', GitHubIssuer.GITHUB_COM, 'aws-eusc', false],
    ['github.com, partition a token', GitHubIssuer.GITHUB_COM, undefined, false],
    ['enterprise slug, aws', GitHubIssuer.enterpriseSlug('octo-ent'), 'aws', false],
    ['data residency, aws', GitHubIssuer.dataResidency('octocorp'), 'aws', false],
    ['GitHub Enterprise Server, aws', GHES, 'aws', false],
  ])('%s: %s', (_name, issuer, partition, expected) => {
    expect(stsEvaluatesClaims(issuer, partition)).toBe(expected);
  });
});

describe('workflowRefPatterns', () => {
  const file = 'octo-org/chatgpt-web/.github/workflows/publish.yml';

  test('no pin and no reusable workflow: nothing', () => {
    expect(workflowRefPatterns(trustScope())).toEqual([]);
  });

  test('branches and tags without environments: the file at any ref (the sub names the ref)', () => {
    expect(workflowRefPatterns(trustScope({ workflowFile: 'publish.yml', tags: ['v*'] }))).toEqual([`${file}@refs/*`]);
  });

  test('environments only: the file at any ref (the environment\'s deployment rules check the ref)', () => {
    expect(workflowRefPatterns(trustScope({ workflowFile: 'publish.yml', branches: [], environments: ['production'] }))).toEqual([`${file}@refs/*`]);
  });

  test('environments with branches and tags: the file at those refs only, and pull-request merge refs when allowed', () => {
    expect(workflowRefPatterns(trustScope({ workflowFile: 'publish.yml', branches: ['main'], tags: ['v*'], environments: ['production'], pullRequests: true })))
      .toEqual([`${file}@refs/heads/main`, `${file}@refs/tags/v*`, `${file}@refs/pull/*/merge`]);
  });

  test('reusable workflows first, then the pinned file', () => {
    const reusable = 'octo-org/platform/.github/workflows/build.yml@refs/heads/main';
    expect(workflowRefPatterns(trustScope({ workflowFile: 'publish.yml', jobWorkflowRefs: [reusable] }))).toEqual([reusable, `${file}@refs/*`]);
    expect(workflowRefPatterns(trustScope({ jobWorkflowRefs: [reusable] }))).toEqual([reusable]);
  });
});

describe('subjectClaims', () => {
  test('is every repository segment combined with every context', () => {
    // WHEN
    const claims = subjectClaims(trustScope({ tags: ['v*'] }));

    // THEN
    expect(claims).toEqual([
      'repo:octo-org/chatgpt-web:ref:refs/heads/main',
      'repo:octo-org/chatgpt-web:ref:refs/tags/v*',
      'repo:octo-org@*/chatgpt-web@*:ref:refs/heads/main',
      'repo:octo-org@*/chatgpt-web@*:ref:refs/tags/v*',
    ]);
  });

  test('renders the pull_request and environment forms', () => {
    const claims = subjectClaims(trustScope({ branches: [], environments: ['prod:eu'], pullRequests: true, claimConditions: false }));
    expect(claims).toEqual(['repo:octo-org/chatgpt-web:environment:prod%3Aeu', 'repo:octo-org/chatgpt-web:pull_request']);
  });
});

describe('trustConditions', () => {
  test('github.com default: aud and repository pin under StringEquals, sub under StringLike', () => {
    // WHEN
    const conditions = trustConditions(trustScope(), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com');

    // THEN
    expect(conditions).toEqual({
      StringEquals: {
        [`${GH}:aud`]: 'sts.amazonaws.com',
        [`${GH}:repository`]: 'octo-org/chatgpt-web',
      },
      StringLike: {
        [`${GH}:sub`]: ['repo:octo-org/chatgpt-web:ref:refs/heads/main', 'repo:octo-org@*/chatgpt-web@*:ref:refs/heads/main'],
      },
    });
  });

  test('with IDs and no wildcard: everything under StringEquals, repository_id pinned, no repository key', () => {
    // WHEN
    const conditions = trustConditions(trustScope({ ownerId: 123, repoId: 456 }), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com');

    // THEN
    expect(conditions).toEqual({
      StringEquals: {
        [`${GH}:aud`]: 'sts.amazonaws.com',
        [`${GH}:sub`]: ['repo:octo-org/chatgpt-web:ref:refs/heads/main', 'repo:octo-org@123/chatgpt-web@456:ref:refs/heads/main'],
        [`${GH}:repository_id`]: '456',
      },
    });
  });

  test('with IDs and a wildcard branch: every sub value moves to StringLike', () => {
    // WHEN
    const conditions = trustConditions(trustScope({ ownerId: 123, repoId: 456, branches: ['main', 'release/*'] }), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com');

    // THEN
    expect(conditions.StringEquals).toEqual({ [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:repository_id`]: '456' });
    expect(conditions.StringLike).toEqual({
      [`${GH}:sub`]: [
        'repo:octo-org/chatgpt-web:ref:refs/heads/main',
        'repo:octo-org/chatgpt-web:ref:refs/heads/release/*',
        'repo:octo-org@123/chatgpt-web@456:ref:refs/heads/main',
        'repo:octo-org@123/chatgpt-web@456:ref:refs/heads/release/*',
      ],
    });
  });

  test('GitHub Enterprise Server without wildcard: a single sub value renders as a scalar under StringEquals', () => {
    // WHEN
    const conditions = trustConditions(trustScope({ claimConditions: false }), GHES, 'sts.amazonaws.com');

    // THEN
    const prefix = 'github.example.com/_services/token';
    expect(conditions).toEqual({
      StringEquals: {
        [`${prefix}:aud`]: 'sts.amazonaws.com',
        [`${prefix}:sub`]: 'repo:octo-org/chatgpt-web:ref:refs/heads/main',
      },
    });
  });

  test('job_workflow_ref: StringEquals for exact refs, StringLike with a wildcard', () => {
    // GIVEN
    const exact = 'octo-org/automation/.github/workflows/build.yml@refs/heads/main';
    const pattern = 'octo-org/automation/.github/workflows/build.yml@refs/tags/v*';

    // WHEN
    const one = trustConditions(trustScope({ ownerId: 1, repoId: 2, jobWorkflowRefs: [exact] }), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com');
    const two = trustConditions(trustScope({ ownerId: 1, repoId: 2, jobWorkflowRefs: [exact, pattern] }), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com');

    // THEN
    expect(one.StringEquals[`${GH}:job_workflow_ref`]).toEqual(exact);
    expect(one.StringLike).toBeUndefined();
    expect(two.StringLike[`${GH}:job_workflow_ref`]).toEqual([exact, pattern]);
    expect(two.StringEquals[`${GH}:job_workflow_ref`]).toBeUndefined();
  });

  test.each<[string, Partial<TrustScope>, GitHubIssuer]>([
    ['default', {}, GitHubIssuer.GITHUB_COM],
    ['IDs', { ownerId: 1, repoId: 2 }, GitHubIssuer.GITHUB_COM],
    ['IDs and wildcard tags', { ownerId: 1, repoId: 2, tags: ['v*'] }, GitHubIssuer.GITHUB_COM],
    ['GHES mixed', { tags: ['v*'], environments: ['prod'], pullRequests: true, claimConditions: false }, GHES],
    ['pinned file with environments', { tags: ['v*'], environments: ['prod'], workflowFile: 'p.yml' }, GitHubIssuer.GITHUB_COM],
    ['workflow refs', { jobWorkflowRefs: ['o/r/.github/workflows/a.yml@refs/heads/main', 'o/r/.github/workflows/b.yml@refs/heads/*'] }, GitHubIssuer.GITHUB_COM],
  ])('%s: each key sits under exactly one operator, StringEquals or StringLike', (_name, overrides, issuer) => {
    // WHEN
    const conditions = trustConditions(trustScope(overrides), issuer, 'sts.amazonaws.com');

    // THEN
    expect(Object.keys(conditions).every((op) => op === 'StringEquals' || op === 'StringLike')).toBe(true);
    for (const [key, operators] of operatorsByKey(conditions)) {
      expect([key, operators.length]).toEqual([key, 1]);
    }
  });

  test('the audience is passed through as given (partition-aware value chosen by the caller)', () => {
    const conditions = trustConditions(trustScope(), GitHubIssuer.GITHUB_COM, 'sts.amazonaws.com.cn');
    expect(conditions.StringEquals[`${GH}:aud`]).toBe('sts.amazonaws.com.cn');
  });
});

describe('policySize', () => {
  test('counts the JSON without any whitespace', () => {
    // GIVEN: '{"a":"b c","d":[1, 2]}' without whitespace is '{"a":"bc","d":[1,2]}'
    const doc = { a: 'b c', d: [1, 2] };

    // THEN
    expect(policySize(doc)).toBe('{"a":"bc","d":[1,2]}'.length);
  });
});
