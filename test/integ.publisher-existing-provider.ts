// Purpose: one stack creates the GitHub OIDC provider, a second imports it with OidcProviderSource.existing(); both roles trust that same provider.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { expectOidcProvider, expectTrustPolicy } from './integ-helpers';
import { GitHubEcrPublisher, OidcProviderSource } from '../src';

const app = new App();

const creating = new Stack(app, 'GitHubEcrPublisherProviderCreating');
const creator = new GitHubEcrPublisher(creating, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-provider-creating',
  // The integ tests deploy in the commercial partition, where STS evaluates GitHub's other claims; an
  // environment-agnostic stack cannot know its partition, so the claim conditions are asked for here.
  claimConditions: true,
  providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }),
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

const importing = new Stack(app, 'GitHubEcrPublisherProviderImporting');
// existing() references the provider by ARN only: deploy it after the stack that creates it (and destroy it first).
// (a construct dependency between the stacks: Stack.addDependency is deprecated in newer aws-cdk-lib)
importing.node.addDependency(creating);
const importer = new GitHubEcrPublisher(importing, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-provider-importing',
  claimConditions: true,
  providerSource: OidcProviderSource.existing(),
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

const integ = new IntegTest(app, 'PublisherExistingProvider', {
  testCases: [creating, importing],
  stackUpdateWorkflow: false,
});

// The ARN of the provider the first stack created (its Ref), compared with both roles' trust policies.
const providerArn = creator.oidcProvider.oidcProviderArn;
expectOidcProvider(integ.assertions, providerArn, { audience: 'sts.amazonaws.com' });
expectTrustPolicy(integ.assertions, creator.role.roleName, {
  providerArn,
  audience: 'sts.amazonaws.com',
  subjects: [
    'repo:cdk-github-ecr-publisher/integ-provider-creating:ref:refs/heads/main',
    'repo:cdk-github-ecr-publisher@*/integ-provider-creating@*:ref:refs/heads/main',
  ],
});
expectTrustPolicy(integ.assertions, importer.role.roleName, {
  providerArn,
  audience: 'sts.amazonaws.com',
  subjects: [
    'repo:cdk-github-ecr-publisher/integ-provider-importing:ref:refs/heads/main',
    'repo:cdk-github-ecr-publisher@*/integ-provider-importing@*:ref:refs/heads/main',
  ],
});
