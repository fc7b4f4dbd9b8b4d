// SPDX-License-Identifier: Apache-2.0
//
// The README's two-environment app (dev and prod stacks), written as a user's
// CDK app: the library comes from the registry by name. The publish rehearsal
// (scripts/ci/rehearse.sh) runs it with ts-node, type-checked, in a fresh
// folder and compares what it writes with the Python and Java versions of the
// same app.
//
// Usage: ts-node app.ts <outdir>   (writes <Stack>.template.json and <Stack>.workflow.yml)
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
// Resolved in the rehearsal's fresh folder, where the package is installed by name; not in this repository.
// eslint-disable-next-line import/no-unresolved
import { GitHubEcrPublisher } from 'cdk-github-ecr-publisher';

const outdir = process.argv[2];
if (!outdir) {
  throw new Error('usage: app.ts <outdir>');
}
const app = new App({ outdir: path.join(outdir, 'cdk.out') });

const dev = new Stack(app, 'ChatgptWebDev', { env: { account: '111111111111', region: 'us-east-1' } });
const devPublisher = new GitHubEcrPublisher(dev, 'ChatgptWeb', {
  repo: 'octo-org/chatgpt-web',
  repositoryName: 'chatgpt-web-dev',
  branches: ['develop'],
  environments: ['development'],
});

const prod = new Stack(app, 'ChatgptWebProd', { env: { account: '111111111111', region: 'us-west-2' } });
const prodPublisher = new GitHubEcrPublisher(prod, 'ChatgptWeb', {
  repo: 'octo-org/chatgpt-web',
  repositoryName: 'chatgpt-web-prod',
  tags: ['v*'],
  environments: ['production'],
});

const assembly = app.synth();
fs.mkdirSync(outdir, { recursive: true });
for (const [stack, publisher] of [[dev, devPublisher], [prod, prodPublisher]] as const) {
  const template = assembly.getStackByName(stack.stackName).template;
  fs.writeFileSync(path.join(outdir, `${stack.stackName}.template.json`), JSON.stringify(template, null, 2));
  fs.writeFileSync(path.join(outdir, `${stack.stackName}.workflow.yml`),
    publisher.renderWorkflow({ workflowName: `Publish ${stack.stackName}`, workflowDispatch: true }));
  console.log(`${stack.stackName}: ${Object.keys(template.Resources ?? {}).length} resources, ${publisher.subjectClaims.length} trusted subjects`);
}
