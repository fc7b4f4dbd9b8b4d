// SPDX-License-Identifier: Apache-2.0
//
// Names two publishers must never share, checked at synth instead of failing
// at deploy (or silently overwriting a file): ECR repository names per
// account and region, role names per account, and workflow files per GitHub
// repository. The record
// lives in the construct tree (a child of the app root), so separate apps
// (and tests) never see each other.
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { failAt, invalid } from './errors';

const REGISTRY_ID = 'CdkGitHubEcrPublisherUniqueNames';

class UniqueNames extends Construct {
  public readonly owners = new Map<string, string>();
}

/** Records `key` for `publisher`; returns the path of the publisher that already holds it, if any. */
function claim(publisher: Construct, key: string): string | undefined {
  const root = publisher.node.root as Construct;
  const registry = (root.node.tryFindChild(REGISTRY_ID) as UniqueNames | undefined) ?? new UniqueNames(root, REGISTRY_ID);
  const other = registry.owners.get(key);
  if (other === undefined) {
    registry.owners.set(key, publisher.node.path);
  }
  return other;
}

/** Where a name must be unique: the account (and region), or the stack when those are only known at deploy time. */
function placeOf(publisher: Construct, perRegion: boolean): string {
  const stack = Stack.of(publisher);
  const concrete = !Token.isUnresolved(stack.account) && (!perRegion || !Token.isUnresolved(stack.region));
  // Environment-agnostic stacks can land anywhere: compare within the stack only.
  return !concrete ? `stack ${stack.node.path}` : perRegion ? `account ${stack.account}, region ${stack.region}` : `account ${stack.account}`;
}

/** Records that `publisher` creates the ECR repository `name`; throws if another publisher already does. */
export function claimRepositoryName(publisher: Construct, name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  const where = placeOf(publisher, true);
  const other = claim(publisher, `ecr|${where}|${name}`);
  if (other !== undefined) {
    failAt(publisher.node.path, [invalid('repositoryName', name, `is also the ECR repository of ${other} (${where}); the second would fail to deploy`,
      'ECR repository names are unique per account and region: give one of the publishers another repositoryName')]);
  }
}

/**
 * Records that `publisher` creates the role `name` (a fixed name, in any path);
 * throws if another publisher of the account already does. IAM role names are
 * unique per account, case-insensitively, whatever their path.
 */
export function claimRoleName(publisher: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const where = placeOf(publisher, false);
  const other = claim(publisher, `role|${where}|${name.toLowerCase()}`);
  if (other !== undefined) {
    failAt(publisher.node.path, [invalid('roleName', name, `is also the role name of ${other} (${where}); IAM role names are unique per account whatever their case and path, so the second would fail to deploy`,
      'Give one of the publishers another roleName, or put the repositories of two fleets of one account into one fleet')]);
  }
}

/** Records that `publisher` owns the workflow file `file` of `githubRepository`; throws if another publisher already does. */
export function claimWorkflowFile(publisher: Construct, githubRepository: string, file: string, explicit: boolean): void {
  // Case-insensitive: the two files would collide in a checkout on macOS or Windows.
  // Without the extension: `x.yml` and `x.yaml` share the default workflow name and the diagnosis action.
  const other = claim(publisher, `workflow|${githubRepository.toLowerCase()}|${file.toLowerCase().replace(/\.ya?ml$/, '')}`);
  if (other !== undefined) {
    failAt(publisher.node.path, [invalid('workflowFile', file,
      `${explicit ? 'is' : '(the default, from the ECR repository name) is'} also the workflow file of ${other} for ${githubRepository} (up to .yml/.yaml); one would overwrite the other, or its name and diagnosis action`,
      'Give one of the publishers another workflowFile (or another repositoryName)')]);
  }
}
