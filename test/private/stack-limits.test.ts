// CloudFormation's per-stack limits are checked at synth (issue: scale limits).
import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { GitHubEcrPublisher, OidcProviderSource } from '../../src';
import { countStack, MAX_OUTPUTS, MAX_RESOURCES } from '../../src/private/stack-limits';

function stackWith(publishers: number, createOutputs: boolean): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Many', { env: { account: '111111111111', region: 'us-east-1' } });
  for (let i = 0; i < publishers; i++) {
    new GitHubEcrPublisher(stack, `P${i}`, { repo: `octo-org/service-${i}`, createOutputs, providerSource: OidcProviderSource.create() });
  }
  return { app, stack };
}

describe('outputs (200 per stack)', () => {
  test('50 publishers with outputs (200 outputs) synthesize', () => {
    // GIVEN
    const { app, stack } = stackWith(50, true);

    // THEN
    expect(countStack(stack).outputs).toBe(MAX_OUTPUTS);
    expect(() => app.synth()).not.toThrow();
  });

  test('51 publishers with outputs fail at synth and say to set createOutputs: false or split', () => {
    // GIVEN
    const { app } = stackWith(51, true);

    // THEN
    expect(() => app.synth()).toThrow(/Stack Many has 204 outputs, above CloudFormation's 200 per stack \(51 GitHubEcrPublisher\(s\) add 4 each\)\. Set createOutputs: false .*split the publishers/);
  });

  test('51 publishers without outputs synthesize', () => {
    expect(() => stackWith(51, false).app.synth()).not.toThrow();
  });
});

describe('resources (500 per stack)', () => {
  test('249 publishers and the provider (499 resources) synthesize', () => {
    // GIVEN
    const { app, stack } = stackWith(249, false);

    // THEN
    expect(countStack(stack).resources).toBe(499);
    expect(() => app.synth()).not.toThrow();
  });

  test('250 publishers and the provider (501 resources) fail at synth and say to split', () => {
    // GIVEN
    const { app, stack } = stackWith(250, false);

    // THEN
    expect(countStack(stack).resources).toBeGreaterThan(MAX_RESOURCES);
    expect(() => app.synth()).toThrow(/has 501 resources, above CloudFormation's 500 per stack .*Split the publishers across several stacks/);
  });
});

describe('template size (1 MB)', () => {
  function withPayload(bytes: number): App {
    const { app, stack } = stackWith(60, false);
    // Another construct's large resource: the check counts the whole template.
    new CfnResource(stack, 'Big', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(bytes) } });
    return app;
  }

  test('a template over 1 MB fails at synth', () => {
    expect(() => withPayload(1_000_000).synth()).toThrow(/renders a \d+-byte template, above CloudFormation's 1 MB limit/);
  });

  test('the same stack under 1 MB synthesizes', () => {
    expect(() => withPayload(500_000).synth()).not.toThrow();
  });
});

describe('counting', () => {
  test('counts only this stack: a nested stack has its own template', () => {
    // GIVEN
    const { stack } = stackWith(2, true);
    const nested = new NestedStack(stack, 'Nested');
    new GitHubEcrPublisher(nested, 'Inner', { repo: 'octo-org/inner', providerSource: OidcProviderSource.existing() });

    // THEN: 2 repositories + 2 roles + the provider + the nested stack resource
    expect(countStack(stack)).toEqual({ resources: 6, outputs: 8, publishers: 2, publishersWithOutputs: 2 });
  });
});
