import { Match, Template } from 'aws-cdk-lib/assertions';
import { GitHubIssuer, OidcProviderSource } from '../src';
import { ACCOUNT, addPublisher, errorOf, newPublisher, REPO } from './helpers/fixture';
import { evaluate, githubToken, trustPolicyOf } from './helpers/iam-evaluator';

describe('GitHubIssuer factories', () => {
  test('GITHUB_COM is token.actions.githubusercontent.com and supports immutable subjects', () => {
    expect(GitHubIssuer.GITHUB_COM.url).toBe('https://token.actions.githubusercontent.com');
    expect(GitHubIssuer.GITHUB_COM.hostPath).toBe('token.actions.githubusercontent.com');
    expect(GitHubIssuer.GITHUB_COM.conditionKey('sub')).toBe('token.actions.githubusercontent.com:sub');
    expect(GitHubIssuer.GITHUB_COM.supportsImmutableSubjects).toBe(true);
  });

  test('enterpriseSlug appends the slug to the github.com issuer', () => {
    // WHEN
    const issuer = GitHubIssuer.enterpriseSlug('octo-ent');

    // THEN
    expect(issuer.url).toBe('https://token.actions.githubusercontent.com/octo-ent');
    expect(issuer.hostPath).toBe('token.actions.githubusercontent.com/octo-ent');
    expect(issuer.conditionKey('aud')).toBe('token.actions.githubusercontent.com/octo-ent:aud');
    expect(issuer.supportsImmutableSubjects).toBe(true);
  });

  test('enterpriseServer uses https://<host>/_services/token, lower-cased, without immutable subjects', () => {
    // WHEN
    const issuer = GitHubIssuer.enterpriseServer('GitHub.Example.com');

    // THEN
    expect(issuer.url).toBe('https://github.example.com/_services/token');
    expect(issuer.hostPath).toBe('github.example.com/_services/token');
    expect(issuer.conditionKey('sub')).toBe('github.example.com/_services/token:sub');
    expect(issuer.supportsImmutableSubjects).toBe(false);
  });

  test('dataResidency uses https://token.actions.<subdomain>.ghe.com, lower-cased', () => {
    // WHEN
    const issuer = GitHubIssuer.dataResidency('OctoCorp');

    // THEN
    expect(issuer.url).toBe('https://token.actions.octocorp.ghe.com');
    expect(issuer.conditionKey('sub')).toBe('token.actions.octocorp.ghe.com:sub');
    expect(issuer.supportsImmutableSubjects).toBe(true);
  });

  describe('ValidationError checks', () => {
    test.each(['a', 'octo-ent', 'octo1', 'a'.repeat(255)])('enterpriseSlug accepts %j', (slug) => {
      expect(() => GitHubIssuer.enterpriseSlug(slug)).not.toThrow();
    });

    // The token's iss carries the slug as the enterprise's URL does, in lower
    // case, and IAM compares the provider URL exactly: refuse, do not guess.
    test.each([['OctoCorp', 'octocorp'], ['Octo1', 'octo1']])('enterpriseSlug refuses upper case in %j, naming the lower-case slug', (slug, lower) => {
      expect(() => GitHubIssuer.enterpriseSlug(slug))
        .toThrow(`GitHubIssuer.enterpriseSlug: "${slug}" has upper-case letters, but enterprise slugs are lower case in GitHub's URLs and in the token's issuer. Use "${lower}", as in https://github.com/enterprises/${lower}`);
    });

    test.each(['', '-octo', 'octo-', 'octo/ent', 'octo ent', 'octo.ent', 'a'.repeat(256)])('enterpriseSlug rejects %j', (slug) => {
      expect(() => GitHubIssuer.enterpriseSlug(slug)).toThrow(/^GitHubIssuer\.enterpriseSlug: .* is not an enterprise slug/);
    });

    test.each(['github.example.com', 'ghe.internal', 'a-b.c-d.example', `${'a'.repeat(63)}.example.com`, 'github8443.example.com', 'github.co'])('enterpriseServer accepts %j', (host) => {
      expect(() => GitHubIssuer.enterpriseServer(host)).not.toThrow();
    });

    test.each([
      ['', /is not a host name/],
      [`${'a.'.repeat(127)}com`, /is not a host name/], // 257 characters
      ['https://github.example.com', /contains a scheme, port or path/],
      ['github.example.com:8443', /contains a scheme, port or path/],
      ['github.example.com/_services/token', /contains a scheme, port or path/],
      ['localhost', /is not a fully qualified DNS name/],
      ['bad_host.example.com', /is not a fully qualified DNS name/],
      ['-x.example.com', /is not a fully qualified DNS name/],
      ['github..com', /is not a fully qualified DNS name/],
      [`${'a'.repeat(64)}.example.com`, /is not a fully qualified DNS name/],
      ['github.com', /is GitHub\.com, not a GitHub Enterprise Server/],
      ['token.actions.githubusercontent.com', /is GitHub\.com, not a GitHub Enterprise Server/],
    ])('enterpriseServer rejects %j', (host, message) => {
      expect(() => GitHubIssuer.enterpriseServer(host)).toThrow(/^GitHubIssuer\.enterpriseServer: /);
      expect(() => GitHubIssuer.enterpriseServer(host)).toThrow(message);
    });

    test.each(['octocorp', 'a', 'a'.repeat(63), 'octo-corp'])('dataResidency accepts %j', (subdomain) => {
      expect(() => GitHubIssuer.dataResidency(subdomain)).not.toThrow();
    });

    test.each(['', 'octo.corp', '-octo', 'octo-', 'octo_corp', 'a'.repeat(64)])('dataResidency rejects %j', (subdomain) => {
      expect(() => GitHubIssuer.dataResidency(subdomain)).toThrow(/^GitHubIssuer\.dataResidency: .* is not a ghe\.com subdomain/);
    });
  });
});

describe('issuer effect on the template', () => {
  test.each<[string, GitHubIssuer, string, string]>([
    ['github.com', GitHubIssuer.GITHUB_COM, 'token.actions.githubusercontent.com', 'GitHubOidcProvider'],
    ['enterprise slug', GitHubIssuer.enterpriseSlug('octo-ent'), 'token.actions.githubusercontent.com/octo-ent', 'GitHubOidcProviderTokenActionsGithubusercontentComOctoEnt'],
    ['data residency', GitHubIssuer.dataResidency('octocorp'), 'token.actions.octocorp.ghe.com', 'GitHubOidcProviderTokenActionsOctocorpGheCom'],
    ['enterprise server', GitHubIssuer.enterpriseServer('github.example.com'), 'github.example.com/_services/token', 'GitHubOidcProviderGithubExampleComServicesToken'],
  ])('%s: provider URL, provider ARN and condition-key prefix derive from the issuer', (_name, issuer, hostPath, providerId) => {
    // GIVEN / WHEN: no context value, so lookup-or-create creates the provider
    const { stack } = newPublisher({ issuer });
    const template = Template.fromStack(stack);

    // THEN
    expect(stack.node.tryFindChild(providerId)).toBeDefined();
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: `https://${hostPath}`,
      ClientIdList: ['sts.amazonaws.com'],
      ThumbprintList: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${hostPath}` },
          Condition: Match.objectLike({
            StringEquals: Match.objectLike({ [`${hostPath}:aud`]: 'sts.amazonaws.com' }),
          }),
        })],
      },
    });
  });

  test.each<[string, GitHubIssuer]>([
    ['enterprise slug', GitHubIssuer.enterpriseSlug('octo-ent')],
    ['data residency', GitHubIssuer.dataResidency('octocorp')],
  ])('%s: admits the name form only, with no claim STS is not documented to evaluate for it', (_name, issuer) => {
    // WHEN
    const { stack } = newPublisher({ issuer });

    // THEN
    const prefix = issuer.hostPath;
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: {
            StringEquals: {
              [`${prefix}:aud`]: 'sts.amazonaws.com',
              [`${prefix}:sub`]: 'repo:octo-org/chatgpt-web:ref:refs/heads/main',
            },
          },
        })],
      },
    });
  });

  test.each([
    ['enterprise slug', GitHubIssuer.enterpriseSlug('octo-ent')],
    ['data residency', GitHubIssuer.dataResidency('octocorp')],
  ])('%s with IDs: the exact immutable subject, no repository_id condition', (_name, issuer) => {
    // WHEN
    const { stack } = newPublisher({ issuer, ownerId: 11, repoId: 22 });

    // THEN
    const prefix = issuer.hostPath;
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: {
            StringEquals: {
              [`${prefix}:aud`]: 'sts.amazonaws.com',
              [`${prefix}:sub`]: [
                'repo:octo-org/chatgpt-web:ref:refs/heads/main',
                'repo:octo-org@11/chatgpt-web@22:ref:refs/heads/main',
              ],
            },
          },
        })],
      },
    });
  });

  test('existing() imports the provider of the issuer by its ARN', () => {
    // WHEN
    const { stack } = newPublisher({ issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.existing() });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com/octo-ent` } })],
      },
    });
  });

  test('publishers of two issuers in one stack get one provider each', () => {
    // GIVEN
    const { stack } = newPublisher();

    // WHEN
    addPublisher(stack, { repo: 'octo-org/other', issuer: GitHubIssuer.enterpriseServer('github.example.com') }, 'Ghes');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 2);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com' });
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://github.example.com/_services/token' });
  });
});

describe('GitHub Enterprise Server', () => {
  const GHES = GitHubIssuer.enterpriseServer('github.example.com');
  const PREFIX = 'github.example.com/_services/token';

  test('admits only the name form, under StringEquals, with no repository pin', () => {
    // WHEN
    const { stack, publisher } = newPublisher({ issuer: GHES });

    // THEN
    expect(publisher.subjectClaims).toEqual(['repo:octo-org/chatgpt-web:ref:refs/heads/main']);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: {
            StringEquals: {
              [`${PREFIX}:aud`]: 'sts.amazonaws.com',
              [`${PREFIX}:sub`]: 'repo:octo-org/chatgpt-web:ref:refs/heads/main',
            },
          },
        })],
      },
    });
  });

  // ownerId and repoId together: test/bad-input.test.ts.
  test.each([
    ['ownerId', 1, 'repoId'],
    ['repoId', 2, 'ownerId'],
  ] as const)('%s alone: both problems are reported, naming %s', (prop, value, other) => {
    expect(errorOf(() => newPublisher({ issuer: GHES, [prop]: value }))).toBe([
      `Stack/Publisher: ${prop}: ${value} is set without ${other}. Set ownerId and repoId together: the immutable subject "repo:OWNER@OWNER_ID/REPO@REPO_ID" needs both`,
      `Stack/Publisher: ${prop}: ${value} cannot be used with the GitHub Enterprise Server issuer ${GHES.url}. GitHub Enterprise Server does not emit immutable subjects; omit ownerId and repoId`,
    ].join('\n'));
  });

  test('the trust policy admits the configured branch and nothing else (evaluated)', () => {
    // GIVEN
    const { stack } = newPublisher({ issuer: GHES });
    const policy = trustPolicyOf(stack);
    const token = (context: string, opts: { ownerId?: number; repoId?: number } = {}) =>
      ({ ...githubToken(REPO, context, opts), issuerHostPath: PREFIX });

    // THEN
    expect(evaluate(policy, token('ref:refs/heads/main'))).toBe('Allowed');
    expect(evaluate(policy, token('ref:refs/heads/dev'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, token('pull_request'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, token('ref:refs/heads/main', { ownerId: 1, repoId: 2 }))).toBe('ImplicitlyDenied');
    // A github.com token (other condition-key prefix) does not satisfy the GHES conditions.
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main'))).toBe('ImplicitlyDenied');
  });
});
