// The four provider sources, through the construct. The app-wide decision of
// lookupOrCreate() across stacks is in test/private/provider-registry.test.ts.
import { App, Environment, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GitHubIssuer, OidcProviderSource } from '../src';
import { ACCOUNT, addPublisher, ENV, lookupKey, newStack, PROVIDER_ARN } from './helpers/fixture';
import { PROVIDER_NOT_FOUND } from '../src/private/constants';

function federatedOf(stack: Stack): unknown[] {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  return Object.values(roles).map((role) => role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated);
}

function missingLookups(stack: Stack): unknown[] {
  return (stack.node.root as App).synth().manifest.missing ?? [];
}

describe('OidcProviderSource.create()', () => {
  test('creates a native AWS::IAM::OIDCProvider without thumbprints, for the audience, retained', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const publisher = addPublisher(stack, { providerSource: OidcProviderSource.create() });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
        ThumbprintList: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(publisher.oidcProvider).toBeInstanceOf(iam.OidcProviderNative);
    expect(stack.node.tryFindChild('GitHubOidcProvider')).toBe(publisher.oidcProvider);
  });

  test('the role trusts the created provider', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.create() });

    // THEN
    const [providerId] = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'));
    expect(federatedOf(stack)).toEqual([{ Ref: providerId }]);
  });

  test('makes no lookup', () => {
    const stack = newStack();
    addPublisher(stack, { providerSource: OidcProviderSource.create() });
    expect(missingLookups(stack)).toEqual([]);
  });

  test('one provider per stack however many publishers', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const a = addPublisher(stack, { providerSource: OidcProviderSource.create() }, 'A');
    const b = addPublisher(stack, { repo: 'octo-org/api', providerSource: OidcProviderSource.create() }, 'B');
    const c = addPublisher(stack, { repo: 'octo-org/worker', providerSource: OidcProviderSource.create() }, 'C');

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(new Set([a.oidcProvider, b.oidcProvider, c.oidcProvider]).size).toBe(1);
    expect(new Set(federatedOf(stack).map((f) => JSON.stringify(f))).size).toBe(1);
  });

  test('removalPolicy DESTROY deletes the provider with the stack', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }) });

    // THEN
    Template.fromStack(stack).hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('publishers of one stack with the same removal policy share the provider', () => {
    // GIVEN
    const stack = newStack();
    addPublisher(stack, { providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }) }, 'A');

    // THEN
    expect(() => addPublisher(stack, { repositoryName: 'second', providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }) }, 'B')).not.toThrow();
  });

  test('conflicting removal policies in one stack throw', () => {
    // GIVEN
    const stack = newStack();
    addPublisher(stack, { providerSource: OidcProviderSource.create() }, 'A');

    // THEN
    expect(() => addPublisher(stack, { repositoryName: 'second', providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }) }, 'B'))
      .toThrow(/^Stack\/B: providerSource: .*removalPolicy: destroy.* conflicts with another publisher in stack "Stack" that creates the same provider with removalPolicy retain/);
  });

  test('uses the China audience in cn-north-1', () => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region: 'cn-north-1' } });

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.create() });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com.cn'] });
  });

  test('works in an environment-agnostic stack, with the audience as a token', () => {
    // GIVEN
    const stack = newStack({ env: null });

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.create() });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', {
      ClientIdList: [{ 'Fn::Join': ['', ['sts.', { Ref: 'AWS::URLSuffix' }]] }],
    });
  });
});

describe('OidcProviderSource.existing()', () => {
  test('imports the provider by its ARN and creates nothing', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const publisher = addPublisher(stack, { providerSource: OidcProviderSource.existing() });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(federatedOf(stack)).toEqual([PROVIDER_ARN]);
    expect(stack.resolve(publisher.oidcProvider.oidcProviderArn)).toBe(PROVIDER_ARN);
    expect(stack.node.tryFindChild('ImportedGitHubOidcProvider')).toBeDefined();
    expect(missingLookups(stack)).toEqual([]);
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eu-west-1', 'aws'],
  ])('the ARN is partition-aware (%s -> %s)', (region, partition) => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region } });

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.existing() });

    // THEN
    expect(federatedOf(stack)).toEqual([`arn:${partition}:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`]);
  });

  test('in an environment-agnostic stack the ARN uses the partition and account pseudo parameters', () => {
    // GIVEN
    const stack = newStack({ env: null });

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.existing() });

    // THEN
    expect(federatedOf(stack)).toEqual([{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':oidc-provider/token.actions.githubusercontent.com']],
    }]);
  });

  test('publishers of one stack share the imported provider', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const a = addPublisher(stack, { providerSource: OidcProviderSource.existing() }, 'A');
    const b = addPublisher(stack, { repo: 'octo-org/api', providerSource: OidcProviderSource.existing() }, 'B');

    // THEN
    expect(a.oidcProvider).toBe(b.oidcProvider);
  });
});

describe('OidcProviderSource.fromProvider()', () => {
  test('uses the given provider', () => {
    // GIVEN
    const stack = newStack();
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Mine', arn);

    // WHEN
    const publisher = addPublisher(stack, { providerSource: OidcProviderSource.fromProvider(provider) });

    // THEN
    expect(publisher.oidcProvider).toBe(provider);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(federatedOf(stack)).toEqual([arn]);
  });

  test('accepts a provider created in the stack (issuer unknown until deploy)', () => {
    // GIVEN
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Mine', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });

    // WHEN
    addPublisher(stack, { providerSource: OidcProviderSource.fromProvider(provider) });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(federatedOf(stack)).toEqual([{ Ref: stack.getLogicalId(provider.node.defaultChild as iam.CfnOIDCProvider) }]);
  });

  test('accepts a provider of the publisher\'s enterprise issuer', () => {
    // GIVEN
    const stack = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Mine',
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com/octo-ent`);

    // THEN
    expect(() => addPublisher(stack, { issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.fromProvider(provider) }))
      .not.toThrow();
  });

  test('a provider of another issuer throws', () => {
    // GIVEN
    const stack = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Mine',
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com/octo-ent`);

    // THEN
    expect(() => addPublisher(stack, { providerSource: OidcProviderSource.fromProvider(provider) }))
      .toThrow(/^Stack\/Publisher: providerSource: "token\.actions\.githubusercontent\.com\/octo-ent" is a provider for another issuer than https:\/\/token\.actions\.githubusercontent\.com/);
  });
  test('a provider of another issuer created in the same app throws (its issuer attribute is a token)', () => {
    // GIVEN
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Mine', { url: 'https://token.actions.githubusercontent.com' });

    // THEN
    expect(() => addPublisher(stack, { issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.fromProvider(provider) }))
      .toThrow(/^Stack\/Publisher: providerSource: "https:\/\/token\.actions\.githubusercontent\.com" is a provider for another issuer/);
  });

  test('a provider created in a stack of another account throws: STS needs the provider in the role\'s account', () => {
    const app = new App();
    const other = newStack({ app, id: 'Other', env: { account: '222222222222', region: 'us-east-1' } });
    const provider = new iam.OidcProviderNative(other, 'Provider', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
    expect(() => addPublisher(newStack({ app }), { providerSource: OidcProviderSource.fromProvider(provider) }))
      .toThrow(/^Stack\/Publisher: providerSource: .* is a provider of account 222222222222, but the role is in account 111111111111; STS accepts a token only through a provider in the role's account/);
  });

  test('a provider of the same issuer created in the same app is accepted', () => {
    // GIVEN
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Mine', { url: 'https://token.actions.githubusercontent.com/octo-ent' });

    // THEN
    expect(() => addPublisher(stack, { issuer: GitHubIssuer.enterpriseSlug('octo-ent'), providerSource: OidcProviderSource.fromProvider(provider) }))
      .not.toThrow();
  });
});

describe('OidcProviderSource.lookupOrCreate() (the default)', () => {
  test.each([
    ['default', undefined],
    ['explicit', OidcProviderSource.lookupOrCreate()],
  ])('%s: no cached answer yet -> looks the provider up and creates it (retained) meanwhile', (_name, providerSource) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    addPublisher(stack, { providerSource });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(federatedOf(stack)).toEqual([PROVIDER_ARN]);
    expect(missingLookups(stack)).toEqual([expect.objectContaining({ key: lookupKey(ENV) })]);
  });

  test('found -> imports it: no provider resource, the role trusts its ARN', () => {
    // GIVEN
    const stack = newStack({ context: { [lookupKey(ENV)]: [{ Arn: PROVIDER_ARN }] } });

    // WHEN
    const publisher = addPublisher(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResource('AWS::IAM::Role', { DependsOn: Match.absent() });
    expect(federatedOf(stack)).toEqual([PROVIDER_ARN]);
    expect(stack.resolve(publisher.oidcProvider.oidcProviderArn)).toBe(PROVIDER_ARN);
    expect(missingLookups(stack)).toEqual([]);
  });

  test('not found -> creates it (retained), the role depends on it and trusts its ARN', () => {
    // GIVEN
    const stack = newStack({ context: { [lookupKey(ENV)]: [{ Arn: PROVIDER_NOT_FOUND }] } });

    // WHEN
    addPublisher(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'], ThumbprintList: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const [providerId] = Object.keys(template.findResources('AWS::IAM::OIDCProvider'));
    template.hasResource('AWS::IAM::Role', { DependsOn: [providerId] });
    expect(federatedOf(stack)).toEqual([PROVIDER_ARN]);
    expect(missingLookups(stack)).toEqual([]);
  });

  test.each([
    ['an empty answer', []],
    ['an answer without Arn', [{}]],
  ])('%s counts as not found', (_name, value) => {
    // GIVEN
    const stack = newStack({ context: { [lookupKey(ENV)]: value } });

    // WHEN
    addPublisher(stack);

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('not found, several publishers in one stack: one provider', () => {
    // GIVEN
    const stack = newStack({ context: { [lookupKey(ENV)]: [{ Arn: PROVIDER_NOT_FOUND }] } });

    // WHEN
    addPublisher(stack, {}, 'A');
    addPublisher(stack, { repo: 'octo-org/api' }, 'B');

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(federatedOf(stack)).toEqual([PROVIDER_ARN, PROVIDER_ARN]);
  });

  test.each<[string, Environment | null]>([
    ['no env', null],
    ['an account but no region', { account: ACCOUNT }],
    ['a region but no account', { region: 'us-east-1' }],
  ])('a stack with %s throws, naming env, create() and existing()', (_name, env) => {
    // GIVEN
    const stack = newStack({ env });

    // THEN
    expect(() => addPublisher(stack)).toThrow(/^Stack\/Publisher: providerSource: "OidcProviderSource\.lookupOrCreate\(\)" cannot look up the GitHub OIDC provider from stack "Stack", which has no concrete account and region\. Set env: \{ account, region \} on the stack, or pick OidcProviderSource\.create\(\) or OidcProviderSource\.existing\(\)/);
  });
});
