// SPDX-License-Identifier: Apache-2.0
//
// ECR repository names are unique per account and region. Two publishers that
// would create the same name fail at deploy time; catch it at synth instead.
// The record lives in the construct tree (a child of the app root).
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { errorAt, invalid } from './errors';

const REGISTRY_ID = 'CdkGitHubEcrPublisherRepositoryNames';

class RepositoryNames extends Construct {
  public readonly owners = new Map<string, string>();
}

/** Records that `publisher` creates the ECR repository `name`; throws if another publisher already does. */
export function claimRepositoryName(publisher: Construct, name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  const stack = Stack.of(publisher);
  const concrete = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  // Environment-agnostic stacks can land anywhere: compare within the stack only.
  const where = concrete ? `account ${stack.account}, region ${stack.region}` : `stack ${stack.node.path}`;
  const root = stack.node.root as Construct;
  const registry = (root.node.tryFindChild(REGISTRY_ID) as RepositoryNames | undefined) ?? new RepositoryNames(root, REGISTRY_ID);
  const key = `${where}|${name}`;
  const other = registry.owners.get(key);
  if (other !== undefined) {
    throw errorAt(publisher.node.path, [invalid('repositoryName', name, `is also the ECR repository of ${other} (${where}); the second would fail to deploy`,
      'ECR repository names are unique per account and region: give one of the publishers another repositoryName')]);
  }
  registry.owners.set(key, publisher.node.path);
}
