// SPDX-License-Identifier: Apache-2.0
//
// TypeScript twin of test/consumers/python/app.py and test/consumers/java: the
// same configuration, synthesized from TypeScript, so compare.js can prove the
// three languages give one template.
// Usage: node -r ts-node/register/transpile-only test/consumers/typescript/app.ts <outdir>
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
// src/ rather than lib/: lint and type-check of test/ must not need a build first.
import { GitHubEcrPublisher, GitHubIssuer, OidcProviderSource, WorkflowValueSource } from '../../../src';

const outdir = process.argv[2];
if (!outdir) {
  throw new Error('usage: app.ts <outdir>');
}

const app = new App({ outdir: path.join(outdir, 'cdk.out.typescript') });
const stack = new Stack(app, 'ChatgptWebProd', {
  env: { account: '123456789012', region: 'us-west-2' },
});
const publisher = new GitHubEcrPublisher(stack, 'ChatgptWeb', {
  repo: 'octo-org/chatgpt-web',
  branches: ['main'],
  tags: ['v*'],
  environments: ['production'],
  issuer: GitHubIssuer.GITHUB_COM,
  providerSource: OidcProviderSource.create({ removalPolicy: RemovalPolicy.RETAIN }),
  repositoryName: 'chatgpt-web-prod',
  maxImageCount: 20,
  untaggedImageExpiry: Duration.days(7),
});

const workflow = publisher.renderWorkflow({
  workflowName: 'Publish chatgpt-web',
  valueSource: WorkflowValueSource.VARIABLES,
  workflowDispatch: true,
  platforms: ['linux/amd64', 'linux/arm64'],
});

const template = app.synth().getStackByName(stack.stackName).template;
fs.writeFileSync(path.join(outdir, 'typescript.template.json'), JSON.stringify(template, null, 2));
fs.writeFileSync(path.join(outdir, 'typescript.subjects.json'), JSON.stringify(publisher.subjectClaims, null, 2));
fs.writeFileSync(path.join(outdir, 'typescript.workflow.yml'), workflow);
console.log(`typescript: wrote ${path.join(outdir, 'typescript.template.json')}`);
