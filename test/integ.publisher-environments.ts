// Purpose: a publisher trusted by branches, release tags and GitHub Environments with immutable owner/repository IDs, whose role may push to its own repository only.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { expectDecision, expectKeepLastImages, expectRepository, expectTrustPolicy } from './integ-helpers';
import { GitHubEcrPublisher, OidcProviderSource } from '../src';

const app = new App();
const stack = new Stack(app, 'GitHubEcrPublisherEnvironments');

const publisher = new GitHubEcrPublisher(stack, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-environments',
  branches: ['main', 'release/*'],
  tags: ['v*'],
  environments: ['production', 'staging'],
  // Example IDs: only the policy text is checked, no GitHub token is exchanged.
  ownerId: 1234567,
  repoId: 89012345,
  // The integ tests deploy in the commercial partition, where STS evaluates GitHub's other claims; an
  // environment-agnostic stack cannot know its partition, so the claim conditions are asked for here.
  claimConditions: true,
  providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.DESTROY }),
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

const integ = new IntegTest(app, 'PublisherEnvironments', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

const repositoryName = publisher.repository.repositoryName;
expectRepository(integ.assertions, repositoryName, {
  scanOnPush: true,
  // Release tags are immutable, every other tag (latest, branch, sha-) may be re-pushed.
  tagMutability: 'MUTABLE_WITH_EXCLUSION',
  immutableTagFilters: ['v*'],
});
expectKeepLastImages(integ.assertions, repositoryName, 10);

const legacy = 'repo:cdk-github-ecr-publisher/integ-environments';
const immutable = 'repo:cdk-github-ecr-publisher@1234567/integ-environments@89012345';
const contexts = ['ref:refs/heads/main', 'ref:refs/heads/release/*', 'ref:refs/tags/v*', 'environment:production', 'environment:staging'];
expectTrustPolicy(integ.assertions, publisher.role.roleName, {
  providerArn: publisher.oidcProvider.oidcProviderArn,
  audience: 'sts.amazonaws.com',
  subjects: [legacy, immutable].flatMap((repo) => contexts.map((context) => `${repo}:${context}`)),
  claims: {
    repository_id: '89012345',
    // the first of the pinned file's trusted refs (environment jobs must run from a trusted branch or tag)
    job_workflow_ref: 'cdk-github-ecr-publisher/integ-environments/.github/workflows/publish-integ-environments.yml@refs/heads/main',
  },
});

// The push policy, as IAM evaluates it: PutImage on this repository only, not on a neighbour with a longer name.
const roleArn = publisher.role.roleArn;
const otherRepositoryArn = `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/integ-environments-other`;
expectDecision(integ.assertions, roleArn, 'ecr:PutImage', publisher.repository.repositoryArn, 'allowed');
expectDecision(integ.assertions, roleArn, 'ecr:PutImage', otherRepositoryArn, 'implicitDeny');
expectDecision(integ.assertions, roleArn, 'ecr:DeleteRepository', publisher.repository.repositoryArn, 'implicitDeny');
