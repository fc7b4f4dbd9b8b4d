// ECR repository names are unique per account and region, role names per
// account: a second publisher claiming a name in the same place fails at
// synth, naming the first.
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { claimRepositoryName, claimRoleName, claimWorkflowFile } from '../../src/private/unique-names';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/fixture';

/** A stand-in for a publisher (only its path and stack matter) in stack `stackId` of `app`. */
function publisherIn(app: App, stackId: string, env?: { account: string; region: string }): Construct {
  const stack = (app.node.tryFindChild(stackId) as Stack | undefined) ?? new Stack(app, stackId, { env });
  return new Construct(stack, `Publisher${stack.node.children.length}`);
}

test('the same name twice in one account and region throws, naming both publishers and the place', () => {
  // GIVEN
  const app = new App();
  claimRepositoryName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'app');

  // THEN
  expect(() => claimRepositoryName(publisherIn(app, 'B', { account: ACCOUNT, region: 'us-east-1' }), 'app')).toThrow(new Error(
    `B/Publisher0: repositoryName: "app" is also the ECR repository of A/Publisher0 (account ${ACCOUNT}, region us-east-1); the second would fail to deploy. ` +
    'ECR repository names are unique per account and region: give one of the publishers another repositoryName'));
});

test('another name, region or account is fine', () => {
  // GIVEN
  const app = new App();
  claimRepositoryName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'app');

  // THEN
  expect(() => claimRepositoryName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'app2')).not.toThrow();
  expect(() => claimRepositoryName(publisherIn(app, 'B', { account: ACCOUNT, region: 'us-west-2' }), 'app')).not.toThrow();
  expect(() => claimRepositoryName(publisherIn(app, 'C', { account: OTHER_ACCOUNT, region: 'us-east-1' }), 'app')).not.toThrow();
});

test('environment-agnostic stacks compare within the stack only', () => {
  // GIVEN
  const app = new App();
  claimRepositoryName(publisherIn(app, 'D'), 'app');

  // THEN
  expect(() => claimRepositoryName(publisherIn(app, 'E'), 'app')).not.toThrow();
  expect(() => claimRepositoryName(publisherIn(app, 'D'), 'app')).toThrow(/^D\/Publisher1: repositoryName: "app" is also the ECR repository of D\/Publisher0 \(stack D\)/);
});

test('two apps do not share their names', () => {
  claimRepositoryName(publisherIn(new App(), 'A', { account: ACCOUNT, region: 'us-east-1' }), 'app');
  expect(() => claimRepositoryName(publisherIn(new App(), 'A', { account: ACCOUNT, region: 'us-east-1' }), 'app')).not.toThrow();
});

test('a name that is a token is not compared', () => {
  const app = new App();
  const name = Lazy.string({ produce: () => 'app' });
  claimRepositoryName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), name);
  expect(() => claimRepositoryName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), name)).not.toThrow();
});

test('a workflow file is unique per GitHub repository up to case and .yml/.yaml (its name and diagnosis action come from it)', () => {
  const app = new App();
  claimWorkflowFile(publisherIn(app, 'A'), 'octo-org/web', 'publish.yml', true);
  expect(() => claimWorkflowFile(publisherIn(app, 'B'), 'octo-org/web', 'Publish.yaml', true))
    .toThrow(/^B\/Publisher0: workflowFile: "Publish\.yaml" is also the workflow file of A\/Publisher0 for octo-org\/web \(up to \.yml\/\.yaml\); one would overwrite the other/);
  expect(() => claimWorkflowFile(publisherIn(app, 'C'), 'octo-org/api', 'publish.yml', true)).not.toThrow();
  expect(() => claimWorkflowFile(publisherIn(app, 'D'), 'octo-org/web', 'publish-2.yml', true)).not.toThrow();
});

describe('role names', () => {
  test('the same name in one account, any region, case or path, throws naming both publishers', () => {
    const app = new App();
    claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'octo-org.api');
    expect(() => claimRoleName(publisherIn(app, 'B', { account: ACCOUNT, region: 'eu-west-1' }), 'Octo-Org.API')).toThrow(new Error(
      `B/Publisher0: roleName: "Octo-Org.API" is also the role name of A/Publisher0 (account ${ACCOUNT}); IAM role names are unique per account whatever their case and path, ` +
      'so the second would fail to deploy. Give one of the publishers another roleName, or put the repositories of two fleets of one account into one fleet'));
  });

  test('another name or account, no fixed name, a token, or environment-agnostic stacks apart are fine', () => {
    const app = new App();
    claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'octo-org.api');
    expect(() => claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), 'octo-org.web')).not.toThrow();
    expect(() => claimRoleName(publisherIn(app, 'C', { account: OTHER_ACCOUNT, region: 'us-east-1' }), 'octo-org.api')).not.toThrow();
    expect(() => claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), undefined)).not.toThrow();
    expect(() => claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), undefined)).not.toThrow();
    const token = Lazy.string({ produce: () => 'octo-org.api' });
    expect(() => claimRoleName(publisherIn(app, 'A', { account: ACCOUNT, region: 'us-east-1' }), token)).not.toThrow();
    claimRoleName(publisherIn(app, 'D'), 'x');
    expect(() => claimRoleName(publisherIn(app, 'E'), 'x')).not.toThrow();
    expect(() => claimRoleName(publisherIn(app, 'D'), 'X')).toThrow(/^D\/Publisher1: roleName: "X" is also the role name of D\/Publisher0 \(stack D\)/);
  });
});
