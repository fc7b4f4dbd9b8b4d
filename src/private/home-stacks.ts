// SPDX-License-Identifier: Apache-2.0
//
// Which stack of an app owns a resource that AWS allows once per account (the
// GitHub OIDC provider) or once per account and region (a registry-wide
// setting), when several stacks need it and none declares it.
//
// A fleet marks its base stack as a home: homes win over every other stack, so
// adding a repository, a shard or a single publisher never moves such a
// resource out of it. Among homes, and among other stacks, the first by
// construct path wins (code-point order: every machine picks the same one).
// The record lives in the construct tree (a child of the app root), so
// separate apps (and tests) never see each other.
import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** How far a resource reaches, so which homes compete for it. */
export enum Reach {
  /** One per account (IAM is global): a home of any region of the account. */
  ACCOUNT = 'ACCOUNT',
  /** One per account and region: a home of the same account and region. */
  REGION = 'REGION',
}

const REGISTRY_ID = 'CdkGitHubEcrPublisherHomeStacks';

class HomeStacks extends Construct {
  public readonly stacks: Stack[] = [];
}

function homesOf(root: IConstruct): HomeStacks | undefined {
  return root.node.tryFindChild(REGISTRY_ID) as HomeStacks | undefined;
}

/** Marks `stack` (a concrete account and region) as a home of account- and region-wide resources. */
export function markHomeStack(stack: Stack): void {
  const root = stack.node.root as Construct;
  const homes = homesOf(root) ?? new HomeStacks(root, REGISTRY_ID);
  if (!homes.stacks.includes(stack)) {
    homes.stacks.push(stack);
  }
}

/** Code-point order of construct paths. */
export function byPath(a: IConstruct, b: IConstruct): number {
  return a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0;
}

/** The homes within reach of `stack`: of its account, and of its region for `Reach.REGION`; by path. */
export function homesWithinReach(stack: Stack, reach: Reach): Stack[] {
  const withinReach = (s: Stack) => !Token.isUnresolved(s.account) && s.account === stack.account &&
    (reach === Reach.ACCOUNT || s.region === stack.region);
  return (homesOf(stack.node.root)?.stacks ?? []).filter(withinReach).sort(byPath);
}

/**
 * The stack that owns a resource the stacks `needing` (one concrete account,
 * and one region for `Reach.REGION`) need: the first home within reach by
 * path, else the first of `needing` by path.
 */
export function ownerStack(needing: Stack[], reach: Reach): Stack {
  const [home] = homesWithinReach(needing[0], reach);
  return home ?? [...needing].sort(byPath)[0];
}
