// SPDX-License-Identifier: Apache-2.0
//
// CloudFormation rejects a stack with more than 200 outputs or a template over
// 1 MB only when it is deployed, and aws-cdk-lib at most warns about them.
// Stacks holding many publishers get there (four outputs each reach 200 at 51
// publishers), so each stack that holds a publisher checks both at synth time.
// (Its 500-resource limit needs no check here: aws-cdk-lib fails synth itself.)
import * as fs from 'fs';
import * as path from 'path';
import { CfnOutput, ISynthesisSession, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

export const MAX_OUTPUTS = 200;
/** 1 MB, the largest template CloudFormation accepts (from S3); counted conservatively as 10^6 bytes. */
export const MAX_TEMPLATE_BYTES = 1_000_000;

const CHECK_ID = 'CdkGitHubEcrPublisherStackLimits';

/** The stack's check (one per stack), which also counts the publishers that add outputs. */
class StackLimitsCheck extends Construct {
  public publishersWithOutputs = 0;

  constructor(stack: Stack, id: string) {
    super(stack, id);
    stack.node.addValidation({ validate: () => outputLimitErrors(stack, this.publishersWithOutputs) });
    checkTemplateSizeWhenWritten(stack);
  }
}

/** Records a publisher in its stack and adds the limit checks to that stack (once). */
export function registerPublisher(stack: Stack, createOutputs: boolean): void {
  const check = (stack.node.tryFindChild(CHECK_ID) as StackLimitsCheck | undefined) ?? new StackLimitsCheck(stack, CHECK_ID);
  if (createOutputs) {
    check.publishersWithOutputs++;
  }
}

/** The outputs of a stack's own template (a nested stack's belong to its template). */
export function countOutputs(stack: Stack): number {
  let outputs = 0;
  const visit = (c: IConstruct) => {
    if (c !== stack && Stack.isStack(c)) {
      return;
    }
    if (c instanceof CfnOutput) {
      outputs++;
    }
    c.node.children.forEach(visit);
  };
  visit(stack);
  return outputs;
}

export function outputLimitErrors(stack: Stack, publishersWithOutputs: number): string[] {
  const outputs = countOutputs(stack);
  if (outputs <= MAX_OUTPUTS) {
    return [];
  }
  return [`${stack.node.path}: the stack has ${outputs} outputs, above CloudFormation's ${MAX_OUTPUTS} per stack ` +
    `(${publishersWithOutputs} GitHubEcrPublisher(s) add 4 each). Set createOutputs: false on the publishers ` +
    '(read the values from publisher.role.roleArn, publisher.repositoryUri, ... instead), or split the publishers across several stacks.'];
}

/** The error for a template of `bytes` bytes, if that is above the limit. */
export function templateSizeError(stackPath: string, bytes: number): string | undefined {
  if (bytes <= MAX_TEMPLATE_BYTES) {
    return undefined;
  }
  return `${stackPath}: the stack's template is ${bytes} bytes, above CloudFormation's 1 MB limit. ` +
    'Set createOutputs: false on the publishers or split the publishers across several stacks.';
}

/**
 * Fails the synth once the stack's template is written, if it is over 1 MB.
 *
 * aws-cdk-lib renders a template once, when the stack's synthesizer writes it,
 * and offers no public hook after that. Rendering it a second time in a
 * validation to measure it doubled the cost of that step (a third of the synth
 * time of a stack of 200 publishers), so this wraps the stack's own
 * synthesizer and measures the file it wrote.
 */
function checkTemplateSizeWhenWritten(stack: Stack): void {
  const synthesizer = stack.synthesizer as { synthesize(session: ISynthesisSession): void };
  const synthesize = synthesizer.synthesize.bind(synthesizer);
  synthesizer.synthesize = (session: ISynthesisSession) => {
    synthesize(session);
    const file = path.join(session.outdir, stack.templateFile);
    if (fs.existsSync(file)) {
      const error = templateSizeError(stack.node.path, fs.statSync(file).size);
      if (error) {
        throw new Error(error);
      }
    }
  };
}
