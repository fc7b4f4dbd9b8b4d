// Purpose: the minimal publisher (provider created here) deploys with a scanned repository that keeps the last 10 images and a role only `main` can assume.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { expectKeepLastImages, expectOidcProvider, expectRepository, expectTrustPolicy } from './integ-helpers';
import { GitHubEcrPublisher, OidcProviderSource } from '../src';

const app = new App();
const stack = new Stack(app, 'GitHubEcrPublisherMinimal');

const publisher = new GitHubEcrPublisher(stack, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-minimal',
  // The integ tests deploy in the commercial partition, where STS evaluates GitHub's other claims; an
  // environment-agnostic stack cannot know its partition, so the claim conditions are asked for here.
  claimConditions: true,
  // Everything this test creates is deleted with the stack.
  providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }),
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

const integ = new IntegTest(app, 'PublisherMinimal', {
  testCases: [stack],
  // The committed snapshot has no assets to deploy first.
  stackUpdateWorkflow: false,
});

expectRepository(integ.assertions, publisher.repository.repositoryName, { scanOnPush: true, tagMutability: 'MUTABLE' });
expectKeepLastImages(integ.assertions, publisher.repository.repositoryName, 10);
expectOidcProvider(integ.assertions, publisher.oidcProvider.oidcProviderArn, { audience: 'sts.amazonaws.com' });
expectTrustPolicy(integ.assertions, publisher.role.roleName, {
  providerArn: publisher.oidcProvider.oidcProviderArn,
  audience: 'sts.amazonaws.com',
  subjects: [
    'repo:cdk-github-ecr-publisher/integ-minimal:ref:refs/heads/main',
    'repo:cdk-github-ecr-publisher@*/integ-minimal@*:ref:refs/heads/main',
  ],
  claims: {
    repository: 'cdk-github-ecr-publisher/integ-minimal',
    job_workflow_ref: 'cdk-github-ecr-publisher/integ-minimal/.github/workflows/publish-integ-minimal.yml@refs/*',
  },
});
