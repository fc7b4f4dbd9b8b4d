// The manual guide's setup as one CDK app: the GitHub repository
// octo-org/chatgpt-web pushes to ECR in a development stack (us-east-1) and a
// production stack (us-west-2), with GitHub Environments for each.
//
// Run: npx projen example   (no AWS account needed: it synthesizes offline)
// Accounts and regions come from context (-c devAccount=...) or the
// environment (DEV_ACCOUNT, DEV_REGION, PROD_ACCOUNT, PROD_REGION); the
// defaults put both stacks in one account, the case where the GitHub OIDC
// provider must be created once and shared.
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// In your app: import { GitHubEcrPublisher } from 'cdk-github-ecr-publisher';
import { GitHubEcrPublisher, GitHubEcrPublisherProps } from '../../src';
import { describeStack } from '../describe';

const OUT_DIR = path.join(__dirname, 'out');
/** Stands in for a checkout of octo-org/chatgpt-web: the workflows land in its .github/workflows/. */
const REPOSITORY_CHECKOUT = path.join(OUT_DIR, 'repo');

class PublisherStack extends Stack {
  public readonly publisher: GitHubEcrPublisher;
  public readonly repositoryName: string;

  constructor(scope: Construct, id: string, props: StackProps & { publisher: GitHubEcrPublisherProps }) {
    super(scope, id, props);
    this.publisher = new GitHubEcrPublisher(this, 'ChatgptWeb', props.publisher);
    this.repositoryName = props.publisher.repositoryName!;
  }
}

function setting(app: App, key: string, env: string, fallback: string): string {
  return app.node.tryGetContext(key) ?? process.env[env] ?? fallback;
}

export function buildApp(app = new App({ outdir: path.join(__dirname, 'cdk.out') })) {
  const dev = new PublisherStack(app, 'ChatgptWebDev', {
    env: { account: setting(app, 'devAccount', 'DEV_ACCOUNT', '111111111111'), region: setting(app, 'devRegion', 'DEV_REGION', 'us-east-1') },
    publisher: {
      repo: 'octo-org/chatgpt-web',
      repositoryName: 'chatgpt-web-dev',
      branches: ['develop'],
      environments: ['development'],
    },
  });
  const prod = new PublisherStack(app, 'ChatgptWebProd', {
    env: { account: setting(app, 'prodAccount', 'PROD_ACCOUNT', '111111111111'), region: setting(app, 'prodRegion', 'PROD_REGION', 'us-west-2') },
    publisher: {
      repo: 'octo-org/chatgpt-web',
      repositoryName: 'chatgpt-web-prod',
      // Release tags publish through the protected `production` environment (the
      // generated workflow's job declares it); `v*` runs without it are trusted too,
      // so protect `v*` with a tag ruleset on GitHub.
      tags: ['v*'],
      environments: ['production'],
      maxImageCount: 10,
    },
  });
  return { app, stacks: [dev, prod] };
}

function main() {
  const { app, stacks } = buildApp();
  const assembly = app.synth();
  const lines: string[] = [];
  for (const stack of stacks) {
    const p = stack.publisher;
    lines.push(...describeStack(assembly, stack, p));
    // Both workflows go to .github/workflows/ of octo-org/chatgpt-web: each
    // publisher's file (and name) comes from its ECR repository, and its role
    // trusts only that file (job_workflow_ref). Each has its own diagnosis
    // action in .github/actions/. writeWorkflowTo(): the stand-in checkout is
    // a folder of this repository, not a repository root.
    const file = p.writeWorkflowTo(REPOSITORY_CHECKOUT, { workflowDispatch: true });
    lines.push(`  workflow: ${path.relative(process.cwd(), file)} and its diagnosis action (the role trusts jobs of this file only)`);
    for (const environment of p.environments) {
      lines.push(`  GitHub Environment "${environment}": create the environment secrets AWS_REGION=${stack.region}, ECR_REPOSITORY=${stack.repositoryName}, ` +
        `ECR_REGISTRY=${p.registry}, AWS_ROLE_ARN=(output AwsRoleArn after cdk deploy ${stack.stackName})`);
    }
  }
  lines.push(`cloud assembly: ${path.relative(process.cwd(), assembly.directory)}`);
  console.log(lines.join('\n'));
}

if (require.main === module) {
  main();
}
