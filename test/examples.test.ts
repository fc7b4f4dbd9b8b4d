// The example app (the README's main job) synthesizes and has what the README promises.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { TempDir } from './helpers/cloud-assembly';
import { buildApp } from '../examples/chatgpt-web/app';

describe('examples/chatgpt-web', () => {
  const { app, stacks } = buildApp(new App());
  const [dev, prod] = stacks;

  test('dev and prod synthesize in one account and two regions', () => {
    // WHEN
    const assembly = app.synth();

    // THEN
    expect(assembly.stacks.map((s) => `${s.stackName}:${s.environment.region}`)).toEqual(['ChatgptWebDev:us-east-1', 'ChatgptWebProd:us-west-2']);
  });

  test('each stack has its repository, role and the four outputs', () => {
    for (const [stack, name] of [[dev, 'chatgpt-web-dev'], [prod, 'chatgpt-web-prod']] as const) {
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: name });
      template.resourceCountIs('AWS::IAM::Role', 1);
      for (const value of ['AWS_REGION', 'ECR_REPOSITORY', 'ECR_REGISTRY', 'AWS_ROLE_ARN']) {
        expect(Object.values(template.findOutputs('*')).filter((o) => String(o.Description).includes(value))).toHaveLength(1);
      }
      template.resourceCountIs('AWS::Lambda::Function', 0);
    }
  });

  test('the shared account gets one provider, created by dev; prod depends on dev', () => {
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(prod.dependencies).toEqual([dev]);
  });

  test('dev trusts develop and the development environment; prod the production environment and v* tags', () => {
    expect(dev.publisher.subjectClaims).toEqual(expect.arrayContaining([
      'repo:octo-org/chatgpt-web:ref:refs/heads/develop',
      'repo:octo-org/chatgpt-web:environment:development',
    ]));
    expect(prod.publisher.subjectClaims).toEqual(expect.arrayContaining([
      'repo:octo-org/chatgpt-web:ref:refs/tags/v*',
      'repo:octo-org/chatgpt-web:environment:production',
    ]));
    expect(prod.publisher.subjectClaims.some((s) => s.includes('refs/heads/'))).toBe(false);
  });

  test('each workflow has one job, in its environment', () => {
    for (const [stack, environment] of [[dev, 'development'], [prod, 'production']] as const) {
      const jobs: Record<string, { environment?: string }> = parse(stack.publisher.renderWorkflow()).jobs;
      expect(Object.entries(jobs).map(([id, job]) => [id, job.environment])).toEqual([[`publish-${environment}`, environment]]);
    }
  });

  test('the templates are the committed snapshot, on every aws-cdk-lib of the range (scripts/ci/cdk-range.sh runs this suite on the floor and the newest)', () => {
    for (const stack of stacks) {
      expect(Template.fromStack(stack).toJSON()).toMatchSnapshot(stack.stackName);
    }
  });

  test('dev and prod workflows: two files side by side in .github/workflows, two names, so two concurrency groups', () => {
    const dir = new TempDir();
    const root = dir.path;
    try {
      // WHEN
      const files = stacks.map((stack) => stack.publisher.writeWorkflow(root));

      // THEN
      expect(fs.readdirSync(path.join(root, '.github', 'workflows')).sort()).toEqual(['publish-chatgpt-web-dev.yml', 'publish-chatgpt-web-prod.yml']);
      const workflows = files.map((file) => parse(fs.readFileSync(file, 'utf8')));
      expect(workflows.map((w) => w.name)).toEqual(['publish-chatgpt-web-dev', 'publish-chatgpt-web-prod']);
      // The group names the workflow, so runs of the two never wait for (or cancel) each other.
      for (const w of workflows) {
        expect(w.concurrency.group).toBe('${{ github.workflow }}-${{ github.ref }}');
      }
    } finally {
      dir.cleanUp();
    }
  });
});
