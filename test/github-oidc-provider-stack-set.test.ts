import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubIssuer, GitHubOidcProviderStackSet, GitHubOidcProviderStackSetProps } from '../src';
import { errorOf, newStack } from './helpers/fixture';

const OU = 'ou-ab12-cdefgh34';

function stackSet(props: Partial<GitHubOidcProviderStackSetProps> = {}) {
  const stack = newStack({ id: 'Org' });
  const construct = new GitHubOidcProviderStackSet(stack, 'Provider', { organizationalUnitIds: [OU], ...props });
  return { stack, construct, template: () => Template.fromStack(stack) };
}

describe('the StackSet', () => {
  test('service-managed, auto-deployed, retained on account removal, one region, managed execution', () => {
    const { template } = stackSet();
    template().hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      CallAs: 'SELF',
      Capabilities: ['CAPABILITY_IAM'],
      StackSetName: 'GitHubOidcProvider',
      StackInstancesGroup: [{
        DeploymentTargets: { OrganizationalUnitIds: [OU] },
        Regions: ['us-east-1'],
        ParameterOverrides: [{ ParameterKey: 'CreateProvider', ParameterValue: 'true' }],
      }],
    });
  });

  test('accounts that already have the provider get only the parameter (create-or-existing switch)', () => {
    const { template } = stackSet({ accountsWithProvider: ['222222222222'], region: 'eu-west-1', delegatedAdmin: true });
    template().hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: ['222222222222'], AccountFilterType: 'DIFFERENCE' },
          Regions: ['eu-west-1'],
          ParameterOverrides: [{ ParameterKey: 'CreateProvider', ParameterValue: 'true' }],
        },
        {
          DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: ['222222222222'], AccountFilterType: 'INTERSECTION' },
          Regions: ['eu-west-1'],
          ParameterOverrides: [{ ParameterKey: 'CreateProvider', ParameterValue: 'false' }],
        },
      ],
    });
  });

  test('includeThisAccount also creates the provider (retained) and the parameter in this stack (the management account)', () => {
    const { template } = stackSet({ includeThisAccount: true });
    template().hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Retain' });
    const [providerId] = Object.keys(template().findResources('AWS::IAM::OIDCProvider'));
    template().hasResourceProperties('AWS::SSM::Parameter', { Name: '/github/oidc-provider-arn', Type: 'String', Value: { Ref: providerId } });
    template().hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com' });
    expect(Object.keys(stackSet().template().findResources('AWS::IAM::OIDCProvider'))).toEqual([]);
  });
});

describe('the template of each stack instance', () => {
  const body = () => JSON.parse(stackSet().construct.templateBody);

  test('environment-agnostic: partition, account and DNS suffix from pseudo parameters', () => {
    const t = body();
    expect(t.Resources.GitHubOidcProvider).toEqual({
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'Create',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: [{ 'Fn::Join': ['', ['sts.', { Ref: 'AWS::URLSuffix' }]] }],
      },
    });
    expect(t.Resources.ProviderArn.Properties.Value).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':oidc-provider/token.actions.githubusercontent.com']],
    });
    expect(t.Conditions).toEqual({ Create: { 'Fn::Equals': [{ Ref: 'CreateProvider' }, 'true'] } });
  });

  test('no bootstrap-version parameter or rule, no assets, no metadata, within the inline template limit', () => {
    const { construct } = stackSet();
    const t = JSON.parse(construct.templateBody);
    expect(Object.keys(t.Parameters)).toEqual(['CreateProvider']);
    expect(t.Rules).toBeUndefined();
    expect(Object.keys(t.Resources).sort()).toEqual(['GitHubOidcProvider', 'ProviderArn']);
    expect(construct.templateBody).not.toMatch(/BootstrapVersion|cdk-bootstrap|Asset|aws:cdk:path|111111111111/);
    expect(Buffer.byteLength(construct.templateBody)).toBeLessThan(51_200);
  });

  test('follows the issuer and the parameter name', () => {
    const { construct } = stackSet({ issuer: GitHubIssuer.enterpriseSlug('octocorp'), parameterName: '/platform/github-oidc' });
    const t = JSON.parse(construct.templateBody);
    expect(t.Resources.GitHubOidcProvider.Properties.Url).toBe('https://token.actions.githubusercontent.com/octocorp');
    expect(t.Resources.ProviderArn.Properties.Name).toBe('/platform/github-oidc');
  });
});

describe('validation', () => {
  test.each<[string, Partial<GitHubOidcProviderStackSetProps>, RegExp]>([
    ['no unit', { organizationalUnitIds: [] }, /^Org\/Provider: organizationalUnitIds: \[\] is an empty list/],
    ['not an OU', { organizationalUnitIds: ['octo-org'] }, /organizationalUnitIds: "octo-org" is not an organizational unit or root ID/],
    ['not an account', { accountsWithProvider: ['12345'] }, /accountsWithProvider: "12345" is not an AWS account ID/],
    ['a StackSet name with "_"', { stackSetName: 'github_oidc' }, /stackSetName: "github_oidc" is not a StackSet name/],
    ['a parameter name with a space', { parameterName: '/github oidc' }, /parameterName: "\/github oidc" is not an SSM parameter name/],
  ])('%s fails', (_name, props, message) => {
    expect(errorOf(() => stackSet(props))).toMatch(message);
  });

  test('the root and a valid neighbour of each pass', () => {
    expect(errorOf(() => stackSet({ organizationalUnitIds: ['r-ab12', OU], accountsWithProvider: ['123456789012'], stackSetName: 'github-oidc', parameterName: '/github/oidc' }))).toBeUndefined();
  });
});

test('the StackSet template synthesizes in an app of its own (this app\'s stacks are untouched)', () => {
  const app = new App();
  const stack = new Stack(app, 'Org', { env: { account: '111111111111', region: 'us-east-1' } });
  new GitHubOidcProviderStackSet(stack, 'Provider', { organizationalUnitIds: [OU] });
  expect(app.synth().stacks.map((s) => s.stackName)).toEqual(['Org']);
});
