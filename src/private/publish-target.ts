// SPDX-License-Identifier: Apache-2.0
//
// What the workflow renderer knows about a publisher: plain values the
// construct computed once, never the construct or its resources.
import { Stack, Token } from 'aws-cdk-lib';
import { TrustData } from './claims-check';
import { partitionOf } from './env';
import { TrustScope } from './trust-policy';
import { BuildCache } from '../build-cache';

export interface PublishTarget {
  /** The publisher's construct path (named in errors and in the generated file). */
  readonly path: string;
  /** What the role trusts. */
  readonly trust: TrustScope;
  /** The trust policy's conditions, as the claim checker reads them. */
  readonly trustData: TrustData;
  /** The workflow file (in `.github/workflows/`) rendered for this publisher. */
  readonly workflowFile: string;
  /** Whether every image tag is immutable (so the workflow must push only tags it never pushes again). */
  readonly immutableTags: boolean;
  /** Where the workflow keeps the build cache. */
  readonly buildCache: BuildCache;
  /** Whether ECR signs what the workflow pushes (it then waits for the signature). */
  readonly signed: boolean;
  /** The audience the role requires (a token in an environment-agnostic stack). */
  readonly audience: string;
  /** Region, registry host and ECR repository name (tokens when only known at deploy time). */
  readonly region: string;
  readonly registry: string;
  readonly repositoryName: string;
  /** The role ARN when it is known at synth time (fixed name, concrete env). */
  readonly roleArn?: string;
  /** Why the role ARN is not known at synth time. */
  readonly roleArnUnknown?: string;
}

/**
 * The role's ARN, when it can be known before deployment: `role.roleArn` is a
 * `Fn::GetAtt` token even for a named role, so the ARN is built from the name,
 * path, account and partition.
 */
export function literalRoleArn(stack: Stack, roleName: string | undefined, rolePath: string | undefined): { arn?: string; unknown?: string } {
  if (roleName === undefined) {
    return { unknown: 'CloudFormation names the role at deploy time' };
  }
  const partition = partitionOf(stack);
  const path = rolePath ?? '/';
  if ([roleName, path, stack.account, partition].some((v) => Token.isUnresolved(v))) {
    return { unknown: 'the account, partition, role name or path is only known at deploy time' };
  }
  return { arn: `arn:${partition}:iam::${stack.account}:role${path}${roleName}` };
}
