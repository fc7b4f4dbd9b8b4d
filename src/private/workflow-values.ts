// SPDX-License-Identifier: Apache-2.0
//
// The four values the workflow needs, as `${{ secrets.X }}`, `${{ vars.X }}`
// or literal strings.
import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { VALUE_NAMES } from './constants';
import { partitionOf } from './env';
import { invalid } from './validation';
import type { GitHubEcrPublisher } from '../github-ecr-publisher';
import { WorkflowValueSource } from '../workflow';

export interface WorkflowValues {
  readonly region: string;
  readonly repository: string;
  readonly registry: string;
  readonly roleArn: string;
}

export function workflowValues(publisher: GitHubEcrPublisher, source: WorkflowValueSource): WorkflowValues {
  switch (source) {
    case WorkflowValueSource.SECRETS:
      return expressions('secrets');
    case WorkflowValueSource.VARIABLES:
      return expressions('vars');
    default:
      // resolveWorkflowOptions has refused anything but the three values.
      return inlineValues(publisher);
  }
}

function expressions(context: 'secrets' | 'vars'): WorkflowValues {
  const ref = (name: string) => `\${{ ${context}.${name} }}`;
  return {
    region: ref(VALUE_NAMES.region),
    repository: ref(VALUE_NAMES.repository),
    registry: ref(VALUE_NAMES.registry),
    roleArn: ref(VALUE_NAMES.roleArn),
  };
}

function inlineValues(publisher: GitHubEcrPublisher): WorkflowValues {
  const stack = Stack.of(publisher);
  const fix = 'or use WorkflowValueSource.SECRETS or VARIABLES and set the values from the stack outputs';
  const concrete = (what: string, value: string | undefined, why: string): string => {
    if (value === undefined || Token.isUnresolved(value)) {
      throw invalid('valueSource', WorkflowValueSource.INLINE,
        `cannot inline the ${what}: it is only known at deploy time (${why})`, `Give the stack a concrete env (account and region) ${fix}`);
    }
    return value;
  };
  const region = concrete('region (AWS_REGION)', publisher.region, 'the stack has no concrete region');
  const registry = concrete('registry (ECR_REGISTRY)', publisher.registry, 'the stack has no concrete account and region');
  const repository = concrete('repository name (ECR_REPOSITORY)', repositoryNameOf(publisher), 'the repository name is a token');
  return { region, registry, repository, roleArn: roleArnOf(publisher, stack, fix) };
}

function repositoryNameOf(publisher: GitHubEcrPublisher): string | undefined {
  const cfn = publisher.repository.node.defaultChild;
  // The construct always names the repository, so the L1 property holds the
  // literal name even though `repository.repositoryName` is a `Ref` token.
  return cfn instanceof ecr.CfnRepository ? cfn.repositoryName : publisher.repository.repositoryName;
}

/**
 * The role ARN, when it can be known before deployment: `role.roleArn` is a
 * `Fn::GetAtt` token even for a named role, so the ARN is built from the
 * role's physical name and path, the account and the partition.
 */
function roleArnOf(publisher: GitHubEcrPublisher, stack: Stack, fix: string): string {
  const cfn = publisher.role.node.defaultChild;
  // Resolved because iam.Role keeps a lazy "generate if needed" name when none is given.
  const roleName: unknown = cfn instanceof iam.CfnRole ? stack.resolve(cfn.roleName) : undefined;
  const path: unknown = (cfn instanceof iam.CfnRole ? stack.resolve(cfn.path) : undefined) ?? '/';
  const partition = partitionOf(stack);
  if (roleName === undefined) {
    throw invalid('valueSource', WorkflowValueSource.INLINE,
      'cannot inline the role ARN (AWS_ROLE_ARN): CloudFormation names the role at deploy time',
      `Set roleName on the publisher (with a stack that has a concrete account and region) ${fix}`);
  }
  if (typeof roleName !== 'string' || typeof path !== 'string' || [roleName, path, stack.account, partition].some((v) => Token.isUnresolved(v))) {
    throw invalid('valueSource', WorkflowValueSource.INLINE,
      'cannot inline the role ARN (AWS_ROLE_ARN): the account, partition, role name or path is only known at deploy time',
      `Give the stack a concrete env (account and region) and a literal roleName ${fix}`);
  }
  return `arn:${partition}:iam::${stack.account}:role${path}${roleName}`;
}
