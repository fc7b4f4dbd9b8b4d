// The seed's setup in its smallest form: octo-org/chatgpt-web pushes to the ECR
// repository chatgpt-web from `main` and from `v*` tags, keeping the last 10
// images. The app of the README's "Use it in your app", as a runnable app.
//
// Run: npx projen example:minimal   (no AWS account needed: it synthesizes offline)
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
// In your app: import { GitHubEcrPublisher } from 'cdk-github-ecr-publisher';
import { GitHubEcrPublisher } from '../../src';
import { describeStack } from '../describe';

const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new Stack(app, 'ChatgptWebEcr', {
  env: { account: app.node.tryGetContext('account') ?? '111111111111', region: app.node.tryGetContext('region') ?? 'us-east-1' },
});
const publisher = new GitHubEcrPublisher(stack, 'ChatgptWeb', {
  repo: 'octo-org/chatgpt-web',
  branches: ['main'],
  tags: ['v*'],
  maxImageCount: 10,
});

const assembly = app.synth();
// out/repo stands in for a checkout of octo-org/chatgpt-web, inside this repository's own checkout:
// writeWorkflowTo() writes there on purpose (in your app, writeWorkflow('..') from infra/ writes to the root).
const workflow = publisher.writeWorkflowTo(path.join(__dirname, 'out', 'repo'));
console.log([
  ...describeStack(assembly, stack, publisher),
  `  workflow: ${path.relative(process.cwd(), workflow)} and its diagnosis action under .github/actions/ ` +
    '(commit both to octo-org/chatgpt-web; the role trusts jobs of this file only)',
  `  repository secrets to set: AWS_REGION=${stack.region}, ECR_REPOSITORY=chatgpt-web, ECR_REGISTRY=${publisher.registry}, AWS_ROLE_ARN=(output AwsRoleArn after cdk deploy)`,
].join('\n'));
