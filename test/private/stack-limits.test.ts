// CloudFormation's per-stack limits that aws-cdk-lib does not enforce (200
// outputs, a 1 MB template) are checked at synth in every stack that holds a
// publisher. (Its 500-resource limit aws-cdk-lib enforces itself.)
import * as fs from 'fs';
import { App, CfnOutput, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { OidcProviderSource } from '../../src';
import { countOutputs, MAX_OUTPUTS, MAX_TEMPLATE_BYTES, outputLimitErrors, templateSizeError } from '../../src/private/stack-limits';
import { addPublisher, errorOf, newStack } from '../helpers/fixture';

/** A stack `Many` with `count` publishers of their own repositories. */
function stackWithPublishers(count: number): Stack {
  const stack = newStack({ id: 'Many' });
  for (let i = 0; i < count; i++) {
    addPublisher(stack, { repo: `octo-org/service-${i}`, providerSource: OidcProviderSource.create() }, `P${i}`);
  }
  return stack;
}

function addOutputs(stack: Stack, count: number): void {
  for (let i = 0; i < count; i++) {
    new CfnOutput(stack, `Extra${i}`, { value: 'x' });
  }
}

const synth = (stack: Stack) => () => (stack.node.root as App).synth();

describe('outputs (200 per stack)', () => {
  test('outputLimitErrors: 200 outputs pass, 201 fail, naming the count and the publishers', () => {
    // GIVEN
    const stack = newStack({ id: 'Outputs' });
    addOutputs(stack, MAX_OUTPUTS);

    // THEN
    expect(outputLimitErrors(stack, 3)).toEqual([]);
    addOutputs(new Stack(stack, 'Nested'), 1); // another stack's outputs do not count
    expect(outputLimitErrors(stack, 3)).toEqual([]);
    new CfnOutput(stack, 'OneMore', { value: 'x' });
    expect(outputLimitErrors(stack, 3)).toEqual([
      'Outputs: the stack has 201 outputs, above CloudFormation\'s 200 per stack (3 GitHubEcrPublisher(s) add 4 each). ' +
      'Set createOutputs: false on the publishers (read the values from publisher.role.roleArn, publisher.repositoryUri, ... instead), ' +
      'or split the publishers across several stacks.',
    ]);
  });

  test('GIVEN 50 publishers with outputs (200) THEN synth passes; one more output THEN synth fails', () => {
    // GIVEN 50 publishers with outputs, and one without
    const build = (extraOutputs: number) => {
      const stack = stackWithPublishers(50);
      addPublisher(stack, { repo: 'octo-org/silent', createOutputs: false, providerSource: OidcProviderSource.create() }, 'Silent');
      addOutputs(stack, extraOutputs);
      return stack;
    };
    const atLimit = build(0);
    expect(countOutputs(atLimit)).toBe(200);

    // THEN
    expect(synth(atLimit)).not.toThrow();
    expect(errorOf(synth(build(1)))).toMatch(/^Validation failed with the following errors:\n {2}\[Many\] Many: the stack has 201 outputs, above CloudFormation's 200 per stack \(50 GitHubEcrPublisher\(s\) add 4 each\)\. Set createOutputs: false/);
  });

  test('counts only this stack: a nested stack has its own template', () => {
    // GIVEN
    const stack = stackWithPublishers(2);
    const nested = new NestedStack(stack, 'Nested');
    addPublisher(nested, { repo: 'octo-org/inner', providerSource: OidcProviderSource.existing() }, 'Inner');

    // THEN
    expect(countOutputs(stack)).toBe(8);
    expect(countOutputs(nested)).toBe(4);
  });
});

describe('template size (1 MB)', () => {
  test('templateSizeError: 1,000,000 bytes pass, 1,000,001 fail', () => {
    expect(templateSizeError('Big', MAX_TEMPLATE_BYTES)).toBeUndefined();
    expect(templateSizeError('Big', MAX_TEMPLATE_BYTES + 1)).toBe(
      'Big: the stack\'s template is 1000001 bytes, above CloudFormation\'s 1 MB limit. ' +
      'Set createOutputs: false on the publishers or split the publishers across several stacks.');
  });

  /** A stack `Big` with a publisher and another construct's resource holding `payload` characters. */
  function bigStack(payload: number): Stack {
    const stack = newStack({ id: 'Big' });
    addPublisher(stack);
    new CfnResource(stack, 'Parameter', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(payload) } });
    return stack;
  }

  /** The size of the template file synth writes for bigStack(payload). */
  function templateBytes(payload: number): number {
    const stack = bigStack(payload);
    const assembly = (stack.node.root as App).synth();
    return fs.statSync(assembly.getStackArtifact(stack.artifactId).templateFullPath).size;
  }

  test('GIVEN a template file of exactly 1,000,000 bytes THEN synth passes; one byte more THEN synth fails', () => {
    // GIVEN the payload that makes the written template exactly 1 MB (one more character, one more byte)
    const payload = 1000 + MAX_TEMPLATE_BYTES - templateBytes(1000);
    expect(templateBytes(payload)).toBe(MAX_TEMPLATE_BYTES);

    // THEN
    expect(errorOf(synth(bigStack(payload + 1)))).toBe(
      'Big: the stack\'s template is 1000001 bytes, above CloudFormation\'s 1 MB limit. ' +
      'Set createOutputs: false on the publishers or split the publishers across several stacks.');
  });

  test('a stack without a publisher is not checked', () => {
    const stack = newStack({ id: 'Plain' });
    new CfnResource(stack, 'Parameter', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(MAX_TEMPLATE_BYTES) } });
    expect(synth(stack)).not.toThrow();
  });
});
