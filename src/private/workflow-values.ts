// SPDX-License-Identifier: Apache-2.0
//
// The four values the workflow needs, as `${{ secrets.X }}`, `${{ vars.X }}`
// or literal strings.
import { Token } from 'aws-cdk-lib';
import { VALUE_NAMES } from './constants';
import { invalid } from './errors';
import { PublishTarget } from './publish-target';
import { WorkflowValueSource } from '../workflow-options';

export interface WorkflowValues {
  readonly region: string;
  /** The region inside a `${{ }}` expression (`secrets.AWS_REGION`, or a quoted literal). */
  readonly regionExpression: string;
  readonly repository: string;
  readonly registry: string;
  readonly roleArn: string;
}

export function workflowValues(target: PublishTarget, source: WorkflowValueSource): WorkflowValues {
  switch (source) {
    case WorkflowValueSource.SECRETS:
      return expressions('secrets');
    case WorkflowValueSource.VARIABLES:
      return expressions('vars');
    default:
      // resolveWorkflowOptions has refused anything but the three values.
      return inlineValues(target);
  }
}

function expressions(context: 'secrets' | 'vars'): WorkflowValues {
  const ref = (name: string) => `\${{ ${context}.${name} }}`;
  return {
    region: ref(VALUE_NAMES.region),
    regionExpression: `${context}.${VALUE_NAMES.region}`,
    repository: ref(VALUE_NAMES.repository),
    registry: ref(VALUE_NAMES.registry),
    roleArn: ref(VALUE_NAMES.roleArn),
  };
}

function inlineValues(target: PublishTarget): WorkflowValues {
  const fix = 'or use WorkflowValueSource.SECRETS or VARIABLES and set the values from the stack outputs';
  const concrete = (what: string, value: string, why: string): string => {
    if (Token.isUnresolved(value)) {
      throw invalid('valueSource', WorkflowValueSource.INLINE,
        `cannot inline the ${what}: it is only known at deploy time (${why})`, `Give the stack a concrete env (account and region) ${fix}`);
    }
    return value;
  };
  const region = concrete('region (AWS_REGION)', target.region, 'the stack has no concrete region');
  const registry = concrete('registry (ECR_REGISTRY)', target.registry, 'the stack has no concrete account and region');
  const repository = concrete('repository name (ECR_REPOSITORY)', target.repositoryName, 'the repository name is a token');
  if (target.roleArn === undefined) {
    throw invalid('valueSource', WorkflowValueSource.INLINE,
      `cannot inline the role ARN (AWS_ROLE_ARN): ${target.roleArnUnknown}`,
      `Set a literal roleName on the publisher (with a stack that has a concrete account and region) ${fix}`);
  }
  return { region, regionExpression: `'${region}'`, registry, repository, roleArn: target.roleArn };
}
