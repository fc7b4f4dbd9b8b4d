// Purpose: against a real account (credentials needed), OidcProviderSource.lookupOrCreate() creates the GitHub OIDC provider on the first deploy, and a stack deployed afterwards finds and imports it.
//
// integ-runner deploys the two test cases of this file one after the other, each with a fresh lookup:
//   1. "first": the account has no provider, so the lookup answers "not found" and this stack creates it
//      (retained, as lookupOrCreate() always does) and tags it through the stack's tags;
//   2. "second": after case 1 was destroyed, the retained provider is found and imported (creating it again
//      would fail with EntityAlreadyExists). Deleting this stack deletes the provider, but only if it carries
//      the tag of case 1, so a provider the account already had is never touched.
// The account must have no token.actions.githubusercontent.com provider before the run.
import { AwsApiCall, IntegTest, IntegTestCaseStack } from '@aws-cdk/integ-tests-alpha';
import { App, ContextProvider, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ApiCaller, expectOidcProvider, expectTrustPolicy } from './integ-helpers';
import { GitHubEcrPublisher, GitHubIssuer } from '../src';
import { PROVIDER_NOT_FOUND } from '../src/private/constants';
import { providerLookupOptions } from '../src/private/provider-registry';

// integ-runner synthesizes the snapshot with placeholder variables (CDK_INTEG_ACCOUNT=12345678,
// CDK_INTEG_REGION=test-region, lookups off) and deploys with the CLI's own CDK_DEFAULT_ACCOUNT/REGION.
// A lookup needs a region the library knows, so the snapshot uses this fixed, fictitious environment.
const SNAPSHOT_ENV = { account: '123456789012', region: 'us-east-1' };
const snapshot = process.env.CDK_INTEG_ACCOUNT !== undefined;
const env = snapshot ? SNAPSHOT_ENV : { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

const TAG_KEY = 'cdk-github-ecr-publisher-integ';
const TAG_VALUE = 'provider-lookup-or-create';
const providerArn = `arn:aws:iam::${env.account}:oidc-provider/token.actions.githubusercontent.com`;

/** The snapshot's lookup answer, "not found", as the CLI would cache it: keyed by the fictitious account, it never applies to a real one. */
function snapshotContext(): Record<string, unknown> {
  const scratch = new Stack(new App({ autoSynth: false }), 'Key', { env: SNAPSHOT_ENV });
  const { key } = ContextProvider.getKey(scratch, providerLookupOptions(scratch, GitHubIssuer.GITHUB_COM));
  return { [key]: [{ Arn: PROVIDER_NOT_FOUND }] };
}

const app = new App({ context: snapshot ? snapshotContext() : {} });

// ---- Case 1: the first deploy creates the provider ----
const first = new Stack(app, 'GitHubEcrPublisherLookup1First', { env });
// Stack tags reach the provider: the mark of the provider this test created.
Tags.of(first).add(TAG_KEY, TAG_VALUE);
new GitHubEcrPublisher(first, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-lookup-first',
  // Physical names keep the assertions free of cross-stack references, so deploying the
  // assertion stack (a new synth, whose lookup now finds the provider) never updates this stack.
  roleName: 'cdk-github-ecr-publisher-integ-lookup-first',
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

// ---- Case 2: a later deploy finds and imports it ----
const secondAssertions = new Stack(app, 'GitHubEcrPublisherLookup2SecondAssertions');
// IntegTestCaseStack hands its props to IntegTestCase, which honours assertionStack,
// although IntegTestCaseStackProps does not declare it (hence a variable, not a literal).
const secondProps = { env, assertionStack: secondAssertions, stackUpdateWorkflow: false };
const second = new IntegTestCaseStack(app, 'GitHubEcrPublisherLookup2Second', secondProps);
new GitHubEcrPublisher(second, 'Publisher', {
  repo: 'cdk-github-ecr-publisher/integ-lookup-second',
  roleName: 'cdk-github-ecr-publisher-integ-lookup-second',
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});
// Cleanup: delete the provider with this stack. IAM only allows it for the provider tagged by case 1;
// any other provider answers AccessDenied, which is ignored.
new cr.AwsCustomResource(second, 'DeleteTestProvider', {
  onDelete: {
    service: 'IAM',
    action: 'deleteOpenIDConnectProvider',
    parameters: { OpenIDConnectProviderArn: providerArn },
    ignoreErrorCodesMatching: 'AccessDenied|NoSuchEntity',
  },
  policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
    actions: ['iam:DeleteOpenIDConnectProvider'],
    resources: [providerArn],
    conditions: { StringEquals: { [`aws:ResourceTag/${TAG_KEY}`]: TAG_VALUE } },
  })]),
  installLatestAwsSdk: false,
});

const integ = new IntegTest(app, 'ProviderLookupOrCreate', {
  // Case 1 is the default test case; case 2 (an IntegTestCaseStack) runs after it.
  testCases: [first, second],
  enableLookups: true,
  stackUpdateWorkflow: false,
});

/** Adds SDK calls to case 2's own assertion stack. */
function callerIn(stack: Stack): ApiCaller {
  let count = 0;
  return {
    awsApiCall: (service, api, parameters) => new AwsApiCall(stack, `AwsApiCall${service}${api}${++count}`, { service, api, parameters }),
  };
}

const tag = { key: TAG_KEY, value: TAG_VALUE };
const trust = (repo: string) => ({
  providerArn,
  audience: 'sts.amazonaws.com',
  subjects: [`repo:cdk-github-ecr-publisher/${repo}:ref:refs/heads/main`, `repo:cdk-github-ecr-publisher@*/${repo}@*:ref:refs/heads/main`],
  claims: { job_workflow_ref: `cdk-github-ecr-publisher/${repo}/.github/workflows/publish-${repo}.yml@refs/*` },
});
// Case 1: the provider exists and carries this test's tag (a provider that was already there would not).
expectOidcProvider(integ.assertions, providerArn, { audience: 'sts.amazonaws.com', tag });
expectTrustPolicy(integ.assertions, 'cdk-github-ecr-publisher-integ-lookup-first', trust('integ-lookup-first'));
// Case 2: the same provider (still tagged by case 1) is trusted by the second role.
const caseTwo = callerIn(secondAssertions);
expectOidcProvider(caseTwo, providerArn, { audience: 'sts.amazonaws.com', tag });
expectTrustPolicy(caseTwo, 'cdk-github-ecr-publisher-integ-lookup-second', trust('integ-lookup-second'));
