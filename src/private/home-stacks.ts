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
//
// The records of such resources (the OIDC provider, the registry's signing
// configuration) share one mechanism, AppWideRegistry: they collect what the
// stacks of the app need while constructs are created, and decide once, when
// the app is synthesized, which stack holds what.
import { Aspects, AspectPriority, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
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

/**
 * An app-wide record, a child of the app root, that decides once which stack
 * holds what, when the app is synthesized (an aspect run before any template
 * is rendered, so what it adds to any stack is rendered).
 */
export abstract class AppWideRegistry extends Construct implements IAspect {
  private decided = false;
  // The stages (app or nested Stage) whose synthesis triggers the decision.
  private readonly stages = new Set<IConstruct>();

  protected constructor(root: IConstruct, id: string) {
    super(root as Construct, id);
  }

  public visit(node: IConstruct): void {
    if (this.decided || !this.stages.has(node)) {
      return;
    }
    this.decided = true;
    this.decide();
  }

  /**
   * Makes the stage of `stack` trigger the decision. Aspects do not cross
   * Stage boundaries, and nested Stages are synthesized before the app: every
   * stage that holds a stack of the record is watched, and the decision is
   * taken on the first one synthesized (all constructs exist by then).
   */
  protected watch(stack: Stack): void {
    const stage = Stage.of(stack) ?? this.node.root;
    if (!this.stages.has(stage)) {
      this.stages.add(stage);
      Aspects.of(stage).add(this, { priority: AspectPriority.MUTATING });
    }
  }

  /** Decides, once every construct of the app exists. */
  protected abstract decide(): void;
}

/** The app-wide record `id` of the app that holds `stack`, created by `create` on first use. */
export function appWideRegistry<T extends AppWideRegistry>(stack: Stack, id: string, create: (root: IConstruct, id: string) => T): T {
  const root = stack.node.root;
  return (root.node.tryFindChild(id) as T | undefined) ?? create(root, id);
}
