// SPDX-License-Identifier: Apache-2.0
//
// CloudFormation rejects a stack with more than 500 resources, 200 outputs or a
// template over 1 MB only when it is deployed. Stacks holding many publishers
// get there (four outputs each reach 200 at 51 publishers), so each stack that
// holds a publisher checks its limits at synth time, once, after every
// construct has been added.
import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

export const MAX_RESOURCES = 500;
export const MAX_OUTPUTS = 200;
/** 1 MB, the largest template CloudFormation accepts (from S3); counted conservatively as 10^6 bytes. */
export const MAX_TEMPLATE_BYTES = 1_000_000;

const CHECK_ID = 'CdkGitHubEcrPublisherStackLimits';

/** What one stack holds, as CloudFormation counts it. */
export interface StackCounts {
  readonly resources: number;
  readonly outputs: number;
  readonly publishers: number;
  readonly publishersWithOutputs: number;
}

/** The stack's check (one per stack), which also records its publishers. */
class StackLimitsCheck extends Construct {
  public publishers = 0;
  public publishersWithOutputs = 0;

  constructor(stack: Stack, id: string) {
    super(stack, id);
    stack.node.addValidation({ validate: () => stackLimitErrors(stack) });
  }
}

/** Records a publisher in its stack and adds the limit check to that stack (once). */
export function registerPublisher(stack: Stack, createOutputs: boolean): void {
  const check = (stack.node.tryFindChild(CHECK_ID) as StackLimitsCheck | undefined) ?? new StackLimitsCheck(stack, CHECK_ID);
  check.publishers++;
  if (createOutputs) {
    check.publishersWithOutputs++;
  }
}

export function countStack(stack: Stack): StackCounts {
  let resources = 0;
  let outputs = 0;
  const visit = (c: IConstruct) => {
    if (c !== stack && Stack.isStack(c)) {
      return; // nested stacks have their own template and limits (the nested stack resource is counted in its parent)
    }
    if (CfnResource.isCfnResource(c)) {
      resources++;
    } else if (c instanceof CfnOutput) {
      outputs++;
    }
    c.node.children.forEach(visit);
  };
  visit(stack);
  const check = stack.node.tryFindChild(CHECK_ID) as StackLimitsCheck | undefined;
  return { resources, outputs, publishers: check?.publishers ?? 0, publishersWithOutputs: check?.publishersWithOutputs ?? 0 };
}

export function stackLimitErrors(stack: Stack): string[] {
  const counts = countStack(stack);
  const errors: string[] = [];
  const split = 'or split the publishers across several stacks';
  if (counts.outputs > MAX_OUTPUTS) {
    errors.push(`Stack ${stack.node.path} has ${counts.outputs} outputs, above CloudFormation's ${MAX_OUTPUTS} per stack ` +
      `(${counts.publishersWithOutputs} GitHubEcrPublisher(s) add 4 each). Set createOutputs: false on the publishers ` +
      `(read the values from publisher.role.roleArn, publisher.repositoryUri, ... instead), ${split}.`);
  }
  if (counts.resources > MAX_RESOURCES) {
    errors.push(`Stack ${stack.node.path} has ${counts.resources} resources, above CloudFormation's ${MAX_RESOURCES} per stack ` +
      `(${counts.publishers} GitHubEcrPublisher(s) add 2 each). Split the publishers across several stacks.`);
  }
  // Rendering the template costs time, and only large stacks can reach 1 MB.
  if (counts.resources >= 100 || counts.outputs >= 100) {
    // _toCloudFormation() is aws-cdk-lib's own renderer (marked internal); it
    // is the only way to measure the template before it is written.
    const render = (stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation;
    if (typeof render === 'function') {
      const bytes = utf8Length(JSON.stringify(render.call(stack), undefined, 1));
      if (bytes > MAX_TEMPLATE_BYTES) {
        errors.push(`Stack ${stack.node.path} renders a ${bytes}-byte template, above CloudFormation's 1 MB limit. ` +
          `Set createOutputs: false on the publishers ${split}.`);
      }
    }
  }
  return errors;
}

function utf8Length(text: string): number {
  // Templates are almost all ASCII: count the rest as the UTF-8 worst case of 3 bytes per UTF-16 unit.
  const nonAscii = text.match(/[^\x00-\x7f]/g);
  return text.length + (nonAscii ? nonAscii.length * 2 : 0);
}
