// The app-wide provider decision of lookupOrCreate(): found / not found are
// driven through context values, as the CDK's own lookup tests do, with the
// key computed from the same query the construct sends.
import { App, Environment, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher, GitHubIssuer, GitHubOidcProviderStackSet, OidcProviderSource } from '../../src';
import { PROVIDER_NOT_FOUND, PROVIDER_TYPE_NAME } from '../../src/private/constants';
import { markHomeStack } from '../../src/private/home-stacks';
import { createdProviderId, legacyProviderLookupOptions, providerLookupOptions } from '../../src/private/provider-registry';
import { ACCOUNT, addPublisher, ENV as DEV, escapeRegExp, lookupKey, newStack, OTHER_ACCOUNT, PROVIDER_ARN } from '../helpers/fixture';

const PROD: Environment = { account: ACCOUNT, region: 'us-west-2' };
const NOT_FOUND = [{ Arn: PROVIDER_NOT_FOUND }];
const found = (arn: string) => [{ Arn: arn }];

/** A publisher of REPO in `stack`; each stack's has its own workflow file, as two publishers of one repository need. */
function publish(stack: Stack, providerSource?: OidcProviderSource): GitHubEcrPublisher {
  return addPublisher(stack, { providerSource, workflowFile: `publish-${stack.node.id.toLowerCase()}.yml` });
}

function federatedOf(stack: Stack): unknown {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const [role] = Object.values(roles);
  return role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated;
}

function providerIdsOf(stack: Stack): string[] {
  return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'));
}

describe('providerLookupOptions', () => {
  test('queries the Cloud Control API for AWS::IAM::OIDCProvider by its ARN, returning the Arn and the client IDs', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const options = providerLookupOptions(stack, GitHubIssuer.GITHUB_COM);

    // THEN
    expect(options).toEqual({
      provider: 'cc-api-provider',
      props: { typeName: PROVIDER_TYPE_NAME, exactIdentifier: PROVIDER_ARN, propertiesToReturn: ['Arn', 'ClientIdList'] },
    });
    expect(PROVIDER_TYPE_NAME).toBe('AWS::IAM::OIDCProvider');
  });

  test('the identifier is partition-aware and follows the issuer', () => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region: 'cn-north-1' } });

    // WHEN
    const options = providerLookupOptions(stack, GitHubIssuer.dataResidency('octocorp'));

    // THEN
    expect(options.props.exactIdentifier).toBe(`arn:aws-cn:iam::${ACCOUNT}:oidc-provider/token.actions.octocorp.ghe.com`);
  });

  test('stacks of two regions make two lookups (two context keys)', () => {
    expect(lookupKey(DEV)).not.toEqual(lookupKey(PROD));
  });
});

describe('createdProviderId', () => {
  test.each<[string, string, GitHubIssuer]>([
    ['github.com', 'GitHubOidcProvider', GitHubIssuer.GITHUB_COM],
    ['enterprise slug', 'GitHubOidcProviderTokenActionsGithubusercontentComOctoEnt', GitHubIssuer.enterpriseSlug('octo-ent')],
    ['data residency', 'GitHubOidcProviderTokenActionsOctocorpGheCom', GitHubIssuer.dataResidency('octocorp')],
    ['enterprise server', 'GitHubOidcProviderGithubExampleComServicesToken', GitHubIssuer.enterpriseServer('github.example.com')],
  ])('%s: %s', (_name, id, issuer) => {
    expect(createdProviderId(issuer)).toBe(id);
  });
});

describe('lookup without a cached answer', () => {
  test('reports the lookup as missing context, with mustExist false and the not-found dummy', () => {
    // GIVEN
    const app = new App();
    const stack = newStack({ app, id: 'Dev', env: DEV });
    publish(stack);

    // WHEN
    const missing = app.synth().manifest.missing ?? [];

    // THEN
    expect(missing).toEqual([expect.objectContaining({
      key: lookupKey(DEV),
      provider: 'cc-api-provider',
      props: expect.objectContaining({
        typeName: 'AWS::IAM::OIDCProvider',
        exactIdentifier: PROVIDER_ARN,
        dummyValue: NOT_FOUND,
        ignoreErrorOnMissingContext: true,
      }),
    })]);
  });

  test('a cached answer is not looked up again', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND } });
    publish(newStack({ app, id: 'Dev', env: DEV }));

    // THEN
    expect(app.synth().manifest.missing).toBeUndefined();
  });
});

describe('one app, several stacks of one account (dev us-east-1, prod us-west-2)', () => {
  test.each([
    ['dev first', ['Dev', 'Prod']],
    ['prod first', ['Prod', 'Dev']],
  ])('not found, %s: only the first stack by path creates it; the other references the same ARN and depends on it', (_order, ids) => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND, [lookupKey(PROD)]: NOT_FOUND } });
    const stacks: Record<string, Stack> = {};
    for (const id of ids) {
      stacks[id] = newStack({ app, id, env: id === 'Dev' ? DEV : PROD });
      publish(stacks[id]);
    }

    // WHEN
    const devTemplate = Template.fromStack(stacks.Dev);
    const prodTemplate = Template.fromStack(stacks.Prod);

    // THEN
    devTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    devTemplate.hasResource('AWS::IAM::OIDCProvider', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
    const [providerId] = providerIdsOf(stacks.Dev);
    devTemplate.hasResource('AWS::IAM::Role', { DependsOn: Match.arrayWith([providerId]) });
    prodTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(federatedOf(stacks.Dev)).toBe(PROVIDER_ARN);
    expect(federatedOf(stacks.Prod)).toBe(PROVIDER_ARN);
    expect(stacks.Prod.dependencies).toEqual([stacks.Dev]);
    expect(stacks.Dev.dependencies).toEqual([]);
    // What `cdk deploy` orders the stacks by: the cloud assembly's artifact dependencies.
    const assembly = app.synth();
    expect(assembly.getStackArtifact(stacks.Prod.artifactId).dependencies.map((d) => d.id)).toContain(stacks.Dev.artifactId);
    expect(assembly.getStackArtifact(stacks.Dev.artifactId).dependencies.map((d) => d.id)).not.toContain(stacks.Prod.artifactId);
  });

  test('found: neither stack creates it and no stack depends on another', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: found(PROVIDER_ARN), [lookupKey(PROD)]: found(PROVIDER_ARN) } });
    const dev = newStack({ app, id: 'Dev', env: DEV });
    const prod = newStack({ app, id: 'Prod', env: PROD });
    publish(dev);
    publish(prod);

    // WHEN
    app.synth();

    // THEN
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(federatedOf(dev)).toBe(PROVIDER_ARN);
    expect(federatedOf(prod)).toBe(PROVIDER_ARN);
    expect(prod.dependencies).toEqual([]);
    expect(dev.dependencies).toEqual([]);
  });

  test('an explicit create() stack is the creator even if a lookup stack sorts first', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND } });
    const alpha = newStack({ app, id: 'Alpha', env: DEV });
    const beta = newStack({ app, id: 'Beta', env: PROD });
    publish(alpha);
    publish(beta, OidcProviderSource.create());

    // WHEN
    app.synth();

    // THEN
    Template.fromStack(alpha).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    Template.fromStack(beta).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(federatedOf(alpha)).toBe(PROVIDER_ARN);
    expect(alpha.dependencies).toEqual([beta]);
  });

  test('several publishers in each stack still give one provider', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND, [lookupKey(PROD)]: NOT_FOUND } });
    const dev = newStack({ app, id: 'Dev', env: DEV });
    const prod = newStack({ app, id: 'Prod', env: PROD });
    for (const stack of [dev, prod]) {
      addPublisher(stack, { repo: 'octo-org/web', workflowFile: `web-${stack.node.id}.yml` }, 'Web');
      addPublisher(stack, { repo: 'octo-org/api', workflowFile: `api-${stack.node.id}.yml` }, 'Api');
    }

    // WHEN
    app.synth();

    // THEN
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const [providerId] = providerIdsOf(dev);
    const roles = Template.fromStack(dev).findResources('AWS::IAM::Role');
    expect(Object.values(roles).map((r) => r.DependsOn)).toEqual([[providerId], [providerId]]);
    expect(prod.dependencies).toEqual([dev]);
  });

  // One stack's lookup found the provider while another's cached answer is
  // still "not found" (e.g. after `cdk context --reset` of one key): creating
  // it again would fail with EntityAlreadyExists, so every stack imports it.
  test('a provider found by one stack of the account is not created by another stack of it', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: found(PROVIDER_ARN), [lookupKey(PROD)]: NOT_FOUND } });
    const dev = newStack({ app, id: 'Dev', env: DEV });
    const prod = newStack({ app, id: 'Prod', env: PROD });
    publish(dev);
    publish(prod);

    // WHEN
    app.synth();

    // THEN every stack of the account imports it: nothing created, no dependency, the same ARN trusted
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    Template.fromStack(prod).hasResource('AWS::IAM::Role', { DependsOn: Match.absent() });
    expect(federatedOf(dev)).toBe(PROVIDER_ARN);
    expect(federatedOf(prod)).toBe(PROVIDER_ARN);
    expect(prod.dependencies).toEqual([]);
  });
});

describe('stacks of different accounts', () => {
  test('not found: each account gets its own provider and no cross-account dependency', () => {
    // GIVEN
    const other: Environment = { account: OTHER_ACCOUNT, region: 'us-east-1' };
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND, [lookupKey(other)]: NOT_FOUND } });
    const a = newStack({ app, id: 'A', env: DEV });
    const b = newStack({ app, id: 'B', env: other });
    publish(a);
    publish(b);

    // WHEN
    app.synth();

    // THEN
    Template.fromStack(a).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(b).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(federatedOf(b)).toBe(`arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
    expect(a.dependencies).toEqual([]);
    expect(b.dependencies).toEqual([]);
  });

  test('two create() stacks of different accounts are fine', () => {
    // GIVEN
    const app = new App();
    publish(newStack({ app, id: 'A', env: DEV }), OidcProviderSource.create());
    publish(newStack({ app, id: 'B', env: { account: OTHER_ACCOUNT, region: 'us-east-1' } }), OidcProviderSource.create());

    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});

describe('conflicts within an account', () => {
  test('two create() stacks of one account throw', () => {
    // GIVEN
    const app = new App();
    publish(newStack({ app, id: 'Dev', env: DEV }), OidcProviderSource.create());
    publish(newStack({ app, id: 'Prod', env: PROD }), OidcProviderSource.create());

    // THEN
    expect(() => app.synth()).toThrow(/^Prod\/Publisher: providerSource: "OidcProviderSource.create\(\)" is used by stacks "Dev" and "Prod", which share account 111111111111.*EntityAlreadyExists/);
  });

  test('create() in one stack while another stack of the account found the provider throws', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: found(PROVIDER_ARN) } });
    publish(newStack({ app, id: 'Dev', env: DEV }));
    publish(newStack({ app, id: 'Prod', env: PROD }), OidcProviderSource.create());

    // THEN
    expect(() => app.synth()).toThrow(/^Prod\/Publisher: providerSource: .* in stack "Prod" would create .* but stack "Dev" looked it up and found it/);
  });

  test('create() twice in one stack is one creator, not a conflict', () => {
    // GIVEN
    const app = new App();
    const stack = newStack({ app, id: 'Dev', env: DEV });
    addPublisher(stack, { repo: 'octo-org/web', providerSource: OidcProviderSource.create() }, 'Web');
    addPublisher(stack, { repo: 'octo-org/api', providerSource: OidcProviderSource.create() }, 'Api');

    // THEN
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('providers of different issuers in one account do not conflict', () => {
    // GIVEN
    const app = new App();
    publish(newStack({ app, id: 'Dev', env: DEV }), OidcProviderSource.create());
    addPublisher(newStack({ app, id: 'Prod', env: PROD }), { issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.create() });

    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the not found -> found flip cannot delete the provider or break a role', () => {
  test('the created provider is retained, and once found it only leaves the template while the role keeps the same principal', () => {
    // GIVEN: first synth, the account has no provider
    const before = new App({ context: { [lookupKey(DEV)]: NOT_FOUND } });
    const beforeStack = newStack({ app: before, id: 'Dev', env: DEV });
    publish(beforeStack);
    // ...later the cached answer is cleared and the lookup finds the provider the first deploy created
    const after = new App({ context: { [lookupKey(DEV)]: found(PROVIDER_ARN) } });
    const afterStack = newStack({ app: after, id: 'Dev', env: DEV });
    publish(afterStack);

    // WHEN
    const beforeTemplate = Template.fromStack(beforeStack);
    const afterTemplate = Template.fromStack(afterStack);

    // THEN: removing a Retain resource from the stack keeps it in the account
    beforeTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    beforeTemplate.hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    afterTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    // The role trusts the same provider, byte for byte, so the deploy does not replace its trust
    expect(JSON.stringify(federatedOf(afterStack))).toBe(JSON.stringify(federatedOf(beforeStack)));
    expect(federatedOf(afterStack)).toBe(PROVIDER_ARN);
    afterTemplate.hasResource('AWS::IAM::Role', { DependsOn: Match.absent() });
    // Nothing else about the role changes
    const roleOf = (t: Template) => Object.values(t.findResources('AWS::IAM::Role'))[0].Properties;
    expect(roleOf(afterTemplate)).toEqual(roleOf(beforeTemplate));
  });
});

describe('stacks inside a Stage', () => {
  // Aspects of an outer construct do not reach inside a nested Stage, and nested
  // Stages are synthesized before the app: the CDK Pipelines layout must still
  // get its provider.
  test('not found: a stack inside a Stage creates the provider', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND } });
    const stage = new Stage(app, 'Prod', { env: DEV });
    const stack = new Stack(stage, 'Service');
    publish(stack);

    // WHEN
    const assembly = app.synth().getNestedAssembly(stage.artifactId);

    // THEN
    const template = assembly.getStackByName(stack.stackName).template;
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toContain('AWS::IAM::OIDCProvider');
  });
});

describe('the found provider\'s client IDs', () => {
  const foundWith = (clientIds: string[]) => [{ Arn: PROVIDER_ARN, ClientIdList: clientIds }];

  test('a provider whose client IDs lack the audience fails synth, naming the command that fixes it', () => {
    const app = new App({ context: { [lookupKey(DEV)]: foundWith(['https://github.com/octo-org']) } });
    expect(() => publish(newStack({ app }))).toThrow(
      `Stack/Publisher: providerSource: "${PROVIDER_ARN}" is the account's GitHub OIDC provider, but its client IDs ["https://github.com/octo-org"] lack the audience ` +
      '"sts.amazonaws.com" the role requires: every run would fail with "Incorrect token audience". Add it (aws iam add-client-id-to-open-id-connect-provider ' +
      `--open-id-connect-provider-arn ${PROVIDER_ARN} --client-id sts.amazonaws.com), then refresh the lookup: cdk context --reset ${lookupKey(DEV)}`);
  });

  test('a provider that lists the audience is imported', () => {
    const app = new App({ context: { [lookupKey(DEV)]: foundWith(['sts.amazonaws.com', 'other']) } });
    const stack = newStack({ app });
    publish(stack);
    expect(providerIdsOf(stack)).toEqual([]);
    expect(federatedOf(stack)).toBe(PROVIDER_ARN);
  });
});

describe('answers cached by earlier versions (the lookup did not read the client IDs)', () => {
  /** The context key of the earlier lookup, which returned the Arn only. */
  const legacyKey = (env: Environment) => lookupKey(env, GitHubIssuer.GITHUB_COM, legacyProviderLookupOptions);

  test('the new query has another key: a committed answer of the earlier query would no longer match', () => {
    expect(legacyKey(DEV)).not.toBe(lookupKey(DEV));
  });

  test('a committed "found" answer of the earlier query is still used offline, with a warning that says how to refresh it', () => {
    const app = new App({ context: { [legacyKey(DEV)]: found(PROVIDER_ARN) } });
    const stack = newStack({ app });
    publish(stack);
    const assembly = app.synth();
    expect(providerIdsOf(stack)).toEqual([]);
    expect(federatedOf(stack)).toBe(PROVIDER_ARN);
    // nothing is reported missing: offline synth keeps working
    expect(assembly.manifest.missing ?? []).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Stack/Publisher', Match.stringLikeRegexp(`earlier version .* cdk context --reset ${escapeRegExp(legacyKey(DEV))}`));
  });

  test('a committed "not found" answer of the earlier query still creates the provider', () => {
    const app = new App({ context: { [legacyKey(DEV)]: NOT_FOUND } });
    const stack = newStack({ app });
    publish(stack);
    app.synth();
    expect(providerIdsOf(stack)).toHaveLength(1);
  });
});

describe('a provider the app declares: GitHubOidcProviderStackSet({ includeThisAccount: true })', () => {
  function stackSetIn(stack: Stack): GitHubOidcProviderStackSet {
    return new GitHubOidcProviderStackSet(stack, 'Provider', { organizationalUnitIds: ['ou-ab12-cdefgh34'], includeThisAccount: true });
  }

  test('lookup-or-create publishers of its account create no second provider: they use it and wait for it', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND, [lookupKey(PROD)]: NOT_FOUND } });
    const org = newStack({ app, id: 'Org', env: PROD });
    stackSetIn(org);
    const same = newStack({ app, id: 'Same', env: PROD });
    const dev = newStack({ app, id: 'Dev', env: DEV });
    publish(dev);
    publish(org);
    addPublisher(same, { repo: 'octo-org/web' });

    // WHEN
    app.synth();

    // THEN one provider in the account: the StackSet's
    expect(providerIdsOf(org)).toHaveLength(1);
    expect(providerIdsOf(dev)).toEqual([]);
    expect(providerIdsOf(same)).toEqual([]);
    expect(federatedOf(dev)).toBe(PROVIDER_ARN);
    expect(dev.dependencies).toEqual([org]);
    expect(same.dependencies).toEqual([org]);
    // in its own stack the role waits for it directly
    Template.fromStack(org).hasResource('AWS::IAM::Role', { DependsOn: Match.arrayWith([providerIdsOf(org)[0]]) });
  });

  test('a lookup that finds the provider (the StackSet\'s, once deployed) is no conflict: the publishers import it and still wait for it', () => {
    const app = new App({ context: { [lookupKey(DEV)]: found(PROVIDER_ARN) } });
    const org = newStack({ app, id: 'Org', env: PROD });
    stackSetIn(org);
    const dev = newStack({ app, id: 'Dev', env: DEV });
    publish(dev);
    app.synth();
    expect(providerIdsOf(org)).toHaveLength(1);
    expect(providerIdsOf(dev)).toEqual([]);
    expect(federatedOf(dev)).toBe(PROVIDER_ARN);
  });

  test('existing() publishers wait for it too (same stack or another)', () => {
    // GIVEN
    const app = new App();
    const org = newStack({ app, id: 'Org', env: PROD });
    stackSetIn(org);
    const dev = newStack({ app, id: 'Dev', env: DEV });
    publish(dev, OidcProviderSource.existing());
    publish(org, OidcProviderSource.existing());

    // WHEN
    app.synth();

    // THEN
    expect(dev.dependencies).toEqual([org]);
    Template.fromStack(org).hasResource('AWS::IAM::Role', { DependsOn: Match.arrayWith([providerIdsOf(org)[0]]) });
  });

  test('existing() without a provider the app declares depends on nothing', () => {
    const app = new App();
    const dev = newStack({ app, id: 'Dev', env: DEV });
    publish(dev, OidcProviderSource.existing());
    app.synth();
    expect(dev.dependencies).toEqual([]);
    Template.fromStack(dev).hasResource('AWS::IAM::Role', { DependsOn: Match.absent() });
  });

  test.each([
    ['another stack', 'Dev'],
    ['the same stack', 'Org'],
  ])('create() in %s of its account is a synth error naming both', (_where, stackId) => {
    // GIVEN
    const app = new App();
    const org = newStack({ app, id: 'Org', env: PROD });
    stackSetIn(org);
    const other = stackId === 'Org' ? org : newStack({ app, id: stackId, env: DEV });
    publish(other, OidcProviderSource.create());

    // THEN
    expect(() => app.synth()).toThrow(new RegExp(
      `^(${stackId}/Publisher: providerSource: "OidcProviderSource.create\\(\\)"|Org/Provider: includeThisAccount: true) creates the https://token.actions.githubusercontent.com provider of account ${ACCOUNT}, ` +
      'and so does (GitHubOidcProviderStackSet Org/Provider \\(includeThisAccount\\)|OidcProviderSource.create\\(\\) of [\\w/]+Publisher) in stack "[A-Za-z]+"; IAM allows one per account, so the second deploy would fail with EntityAlreadyExists'));
  });

  test('another account, or another issuer, is not a conflict', () => {
    const app = new App();
    stackSetIn(newStack({ app, id: 'Org', env: PROD }));
    publish(newStack({ app, id: 'B', env: { account: OTHER_ACCOUNT, region: 'us-east-1' } }), OidcProviderSource.create());
    addPublisher(newStack({ app, id: 'C', env: DEV }), { issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.create() });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('home stacks (a fleet\'s base stack) own a missing provider', () => {
  test('a home wins over every stack that needs it, the first home by path among several, of any region of the account', () => {
    // GIVEN
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND, [lookupKey(PROD)]: NOT_FOUND } });
    const first = newStack({ app, id: 'A', env: DEV });
    publish(first);
    const homeB = newStack({ app, id: 'HomeB', env: DEV });
    const homeA = newStack({ app, id: 'HomeA', env: PROD });
    markHomeStack(homeB);
    markHomeStack(homeA);

    // WHEN
    app.synth();

    // THEN
    expect(providerIdsOf(homeA)).toHaveLength(1);
    expect(providerIdsOf(homeB)).toEqual([]);
    expect(providerIdsOf(first)).toEqual([]);
    expect(first.dependencies).toEqual([homeA]);
  });

  test('a home of another account does not', () => {
    const app = new App({ context: { [lookupKey(DEV)]: NOT_FOUND } });
    const first = newStack({ app, id: 'A', env: DEV });
    publish(first);
    markHomeStack(newStack({ app, id: 'Home', env: { account: OTHER_ACCOUNT, region: 'us-east-1' } }));
    app.synth();
    expect(providerIdsOf(first)).toHaveLength(1);
  });
});
