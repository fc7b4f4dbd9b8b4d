// SPDX-License-Identifier: Apache-2.0
import { Annotations, Aspects, CfnResource, CfnWaitConditionHandle, Environment, NestedStack, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GitHubEcrPublisher, GitHubEcrPublisherOptions } from './github-ecr-publisher';
import { OidcProviderSource } from './oidc-provider-source';
import { WARNING_PREFIX } from './private/constants';
import { partitionOf, registryHostOf, stsAudienceOf } from './private/env';
import { checkAll, errorAt, failAt, invalid, InvalidProp } from './private/errors';
import { fleetNamespace, fleetRepositoryName, fleetRoleName } from './private/fleet-names';
import { markHomeStack } from './private/home-stacks';
import { warnFleetIdentityNotRecorded } from './private/identity-notice';
import { jumpHash, nameKey } from './private/jump-hash';
import { validateDerivedRepositoryName, validateRepo, validateRolePath } from './private/validation';
import { renderOrganizationWorkflowYaml, renderCallerWorkflowYaml } from './private/workflow-renderer';
import { PushPolicy } from './push-policy';
import { WorkflowOptions } from './workflow-options';

/**
 * How a fleet's shards are deployed.
 */
export enum FleetLayout {
  /**
   * One top-level stack per shard (`<id>-Shard00`, `<id>-Shard01`, ...): each
   * deploys on its own, so a change to one repository touches one stack.
   */
  STACKS = 'STACKS',

  /**
   * One top-level stack (`<id>-Fleet`) with a nested stack per shard: one
   * deployment for the whole fleet, for smaller fleets. Each nested stack has
   * its own 500-resource and 1 MB limits.
   */
  NESTED_STACKS = 'NESTED_STACKS',
}

/**
 * One repository of a {@link GitHubEcrPublisherFleet}: the fleet's defaults,
 * overridden by what is set here.
 */
export interface FleetRepository extends GitHubEcrPublisherOptions {
  /** The GitHub repository, `owner/name`, in the exact casing GitHub shows. */
  readonly repo: string;

  /**
   * Put the repository in this shard (0 to `shards` - 1) instead of the one
   * its name hashes to, to group repositories by hand. Changing it later moves
   * the repository's role and ECR repository to another stack (see the growth
   * procedure in the fleet's documentation).
   *
   * @default - the shard the consistent hash of the lower-cased name picks
   */
  readonly shard?: number;
}

/**
 * Where the organisation's reusable publishing workflow lives.
 */
export interface OrganizationWorkflow {
  /** The repository that holds the workflow, `owner/name` (e.g. `octo-org/platform`). */
  readonly repository: string;

  /**
   * The workflow's file name in `.github/workflows/` of that repository.
   *
   * @default "ecr-publish.yml"
   */
  readonly file?: string;

  /**
   * The ref callers use it at (`uses: <repository>/.github/workflows/<file>@<ref>`),
   * a branch or tag ref. The roles trust the workflow at this ref only.
   *
   * @default "refs/heads/main"
   */
  readonly gitRef?: string;
}

/**
 * Properties of a {@link GitHubEcrPublisherFleet}.
 */
export interface GitHubEcrPublisherFleetProps {
  /** The account and region of every shard (both concrete). */
  readonly env: Environment;

  /**
   * The number of shard stacks, a whole number from 1 up.
   *
   * Keep it stable: it is never derived from the number of repositories,
   * because each repository stays in its shard only while `shards` stays the
   * same. Grow it by one when a shard is full: about 1/(shards + 1) of the
   * repositories then move, all into the new shard (synth lists them).
   */
  readonly shards: number;

  /** The repositories, each with its own settings over `defaults`. */
  readonly repositories: FleetRepository[];

  /**
   * Settings every repository gets unless it sets its own.
   *
   * The fleet sets the role name, path and outputs itself: `roleName`,
   * `rolePath` and `createOutputs` are refused here and per repository.
   *
   * @default - the publisher's defaults
   */
  readonly defaults?: GitHubEcrPublisherOptions;

  /**
   * How the shards are deployed.
   *
   * @default FleetLayout.STACKS
   */
  readonly layout?: FleetLayout;

  /**
   * The IAM path of every role (the organisation workflow builds role ARNs from it).
   *
   * @default "/github-ecr/"
   */
  readonly rolePath?: string;

  /**
   * The account's quota of IAM roles (Service Quotas "Roles per account",
   * L-FE177D64): synth fails when the app would create more roles in one
   * account, counting every GitHubEcrPublisher of the app. Roles the account
   * already has outside this app (bootstrap, SSO, other stacks) use the same
   * quota: give the quota less those.
   *
   * @default 1000 (IAM's default; it can be raised to 5,000)
   */
  readonly roleQuota?: number;

  /**
   * The account's quota of customer-managed IAM policies (Service Quotas
   * "Customer managed policies per account", L-E95E4862): with
   * `pushPolicy: PushPolicy.MANAGED` every publisher creates one, and synth
   * fails when the app would create more in one account. Policies the account
   * already has outside this app use the same quota: give the quota less those.
   *
   * @default 1500 (IAM's default; it can be raised to 5,000)
   */
  readonly managedPolicyQuota?: number;

  /**
   * Trust, in every role, the organisation's reusable workflow that
   * `renderOrganizationWorkflow()` renders: a caller workflow in each
   * repository (`renderCallerWorkflow()`) runs it, and the job's
   * `job_workflow_ref` names it. It is trusted next to each repository's own
   * pinned workflow file.
   *
   * @default - each repository uses its own workflow (`publisherOf(repo).renderWorkflow()`)
   */
  readonly organizationWorkflow?: OrganizationWorkflow;
}

/** CloudFormation's resources per stack, less room for the provider, the CDK metadata and later additions. */
const RESOURCE_BUDGET = 480;
const DEFAULT_ROLE_QUOTA = 1000;
const MAX_ROLE_QUOTA = 5000;
const DEFAULT_MANAGED_POLICY_QUOTA = 1500;
const MAX_MANAGED_POLICY_QUOTA = 5000;
/** ECR's default quota of repositories per account and region. */
const ECR_REPOSITORY_QUOTA = 100_000;

interface Member {
  readonly repository: FleetRepository;
  readonly name: string;
  readonly shard: number;
  readonly hashed: boolean;
}

/**
 * Publishers for many GitHub repositories of one account and region, spread
 * over shard stacks by a consistent hash of each repository's name.
 *
 * Every repository gets a {@link GitHubEcrPublisher} with a role named by a
 * fixed rule (`<owner>.<repo>`, lower case, under `rolePath`) and the ECR
 * repository `<owner>/<repo>` (lower case), without stack outputs, so that one
 * organisation-level workflow can derive both from `github.repository`. The
 * account's OIDC provider is looked up, or created once in the fleet's base
 * stack (`<id>-Base`), which every shard depends on and no repository change
 * moves.
 *
 * Synth fails, before anything is deployed, when a shard would exceed
 * CloudFormation's limits (it lists the repositories that growing `shards`
 * by one would move), when the account would exceed its IAM role or
 * managed-policy quota, when two roles of the account would share a name, and
 * when two repositories differ only in case.
 */
export class GitHubEcrPublisherFleet extends Construct {
  /**
   * The stacks that hold the publishers, one per shard that holds at least
   * one repository (CloudFormation deploys no stack without resources), in
   * shard order; nested stacks with `FleetLayout.NESTED_STACKS`.
   */
  public readonly shardStacks: Stack[];

  /** The parent stack with `FleetLayout.NESTED_STACKS`. */
  public readonly parentStack?: Stack;

  /**
   * The stack of the fleet's account- and region-wide resources: the GitHub
   * OIDC provider when the app creates it, and with `ImageSigning.managed()`
   * the signing profile and the registry's signing configuration. With `FleetLayout.STACKS` it is
   * `<id>-Base`, always synthesized, and every shard depends on it; with
   * `FleetLayout.NESTED_STACKS` it is the parent stack `<id>-Fleet`. Adding
   * repositories or shards never moves what it holds.
   */
  public readonly baseStack: Stack;

  /** The IAM path of the roles. */
  public readonly rolePath: string;

  private readonly members: Member[];
  private readonly publishersByName = new Map<string, GitHubEcrPublisher>();
  private readonly organizationWorkflow?: Required<OrganizationWorkflow>;
  private readonly props: GitHubEcrPublisherFleetProps;

  /**
   * @param scope the app or stage that holds the shard stacks
   * @param id the fleet's ID; shard stacks are `<id>-Shard00`, `<id>-Shard01`, ..., the base stack `<id>-Base`
   * @param props the repositories, the shards and the defaults
   */
  constructor(scope: Construct, id: string, props: GitHubEcrPublisherFleetProps) {
    super(scope, id);
    this.props = props;
    this.rolePath = props.rolePath ?? '/github-ecr/';
    validateFleetProps(this.node.path, props);
    this.organizationWorkflow = props.organizationWorkflow && {
      repository: props.organizationWorkflow.repository,
      file: props.organizationWorkflow.file ?? 'ecr-publish.yml',
      gitRef: props.organizationWorkflow.gitRef ?? 'refs/heads/main',
    };
    this.members = assignShards(this.node.path, props);
    checkShardCapacity(this.node.path, props, this.members);

    const layout = props.layout ?? FleetLayout.STACKS;
    const used = [...new Set(this.members.map((m) => m.shard))].sort((a, b) => a - b);
    const parent = layout === FleetLayout.NESTED_STACKS ? new Stack(scope, `${id}-Fleet`, { env: props.env }) : undefined;
    this.parentStack = parent;
    // The account's and region's own resources (the provider, when the app
    // creates it) live in one stack that no repository change moves: the
    // parent of the nested shards, or a base stack every shard depends on.
    this.baseStack = parent ?? new Stack(scope, `${id}-Base`, { env: props.env });
    markHomeStack(this.baseStack);
    const stacks = new Map(used.map((i) => [i, parent ? new NestedStack(parent, shardId(i)) : new Stack(scope, `${id}-${shardId(i)}`, { env: props.env })]));
    this.shardStacks = [...stacks.values()];
    if (!parent) {
      keepDeployable(this.baseStack);
      // A construct dependency between stacks is a stack dependency (see provider-registry.ts).
      this.shardStacks.forEach((shard) => shard.node.addDependency(this.baseStack));
    }

    const providerSource = props.defaults?.providerSource ?? OidcProviderSource.lookupOrCreate();
    for (const member of this.members) {
      this.publishersByName.set(member.name, this.createPublisher(stacks.get(member.shard)!, member, providerSource));
    }
    warnFleetIdentityNotRecorded(this, this.publishers);
    const quotas = { roles: props.roleQuota ?? DEFAULT_ROLE_QUOTA, policies: props.managedPolicyQuota ?? DEFAULT_MANAGED_POLICY_QUOTA };
    this.node.addValidation({ validate: () => quotaErrors(this, quotas.roles, quotas.policies) });
    this.warnOnDeletingRepositories();
  }

  /** Once per fleet: repositories deleted with their stack lose their images when a shard move is deployed without refactoring. */
  private warnOnDeletingRepositories(): void {
    const deleting = this.members.filter((m) => {
      const options = { ...this.props.defaults, ...m.repository };
      return options.removalPolicy === RemovalPolicy.DESTROY || options.emptyOnDelete === true;
    });
    if (deleting.length > 0) {
      // On the base stack: the fleet itself is outside any stack, where annotations are not reported.
      Annotations.of(this.baseStack).addWarningV2(`${WARNING_PREFIX}:fleetDeletesRepositories`,
        `${deleting.length} repositories of the fleet (${deleting.slice(0, 3).map((m) => m.repository.repo).join(', ')}${deleting.length > 3 ? ', ...' : ''}) have removalPolicy DESTROY or emptyOnDelete: ` +
        'when growing shards moves one to another stack, deploying without stack refactoring deletes the ECR repository and its images. ' +
        'Keep the default RETAIN in fleets, or always move repositories with cdk refactor');
    }
  }

  /** Every publisher of the fleet. */
  public get publishers(): GitHubEcrPublisher[] {
    return [...this.publishersByName.values()];
  }

  /**
   * The publisher of one repository.
   *
   * @param repo the GitHub repository, `owner/name` (any casing)
   */
  public publisherOf(repo: string): GitHubEcrPublisher {
    const publisher = this.publishersByName.get(repo.toLowerCase());
    if (!publisher) {
      throw this.notInFleet(repo);
    }
    return publisher;
  }

  /**
   * The shard (0 to `shards` - 1) that holds a repository.
   *
   * @param repo the GitHub repository, `owner/name` (any casing)
   */
  public shardOf(repo: string): number {
    const member = this.members.find((m) => m.name === repo.toLowerCase());
    if (!member) {
      throw this.notInFleet(repo);
    }
    return member.shard;
  }

  private notInFleet(repo: string): Error {
    return errorAt(this.node.path, [invalid('repo', repo, 'is not a repository of this fleet', 'Give one of the fleet\'s repositories')]);
  }

  /**
   * Renders the organisation's reusable workflow (`on: workflow_call`), for
   * `.github/workflows/<file>` of `organizationWorkflow.repository`.
   *
   * It derives the role ARN and the ECR repository of the calling repository
   * from `github.repository` with the fleet's naming rule, so one file serves
   * every repository of the fleet; the account, region and role path are
   * written into it (none of them is a secret). What differs per repository
   * comes from the caller's inputs: `environment`, `pull-requests`,
   * `immutable-tags` (default: the fleet's `defaults.imageTagMutability`),
   * `ecr-repository` and `image-signing` (default: whether the fleet's
   * `defaults.imageSigning` signs; with it the job waits until ECR has signed
   * the pushed image).
   *
   * @param options build settings (the triggers live in each caller workflow)
   */
  public renderOrganizationWorkflow(options: WorkflowOptions = {}): string {
    const workflow = this.requireOrganizationWorkflow('renderOrganizationWorkflow');
    const stack = Stack.of(this.shardStacks[0]);
    return renderOrganizationWorkflowYaml({
      path: this.node.path,
      workflow,
      account: stack.account,
      region: stack.region,
      partition: partitionOf(stack),
      registry: registryHostOf(stack),
      audience: stsAudienceOf(stack),
      rolePath: this.rolePath,
      immutableTags: this.props.defaults?.imageTagMutability === ecr.TagMutability.IMMUTABLE,
      signed: this.props.defaults?.imageSigning?._signs ?? false,
    }, options);
  }

  /**
   * Renders the small workflow a repository of the fleet commits to call the
   * organisation workflow.
   *
   * The repository's own settings shape it: its triggers are the branches and
   * tags its role trusts (pushes to the default branch when it trusts only
   * environments; `pull_request` when it allows pull requests), and it calls
   * the organisation workflow once without an environment and once per
   * environment, passing its settings as inputs (`environment`,
   * `pull-requests`, `immutable-tags` from its `imageTagMutability`,
   * `image-signing` from its `imageSigning`, and `ecr-repository` when it
   * sets its own `repositoryName`).
   *
   * @param repo the GitHub repository, `owner/name`
   * @param options the trigger and job options of `renderWorkflow()` (`workflowName`,
   * `jobId`, `environments`, `refJob`, `workflowDispatch`, `pullRequests`,
   * `defaultBranch`); the build settings belong to `renderOrganizationWorkflow()`
   */
  public renderCallerWorkflow(repo: string, options: WorkflowOptions = {}): string {
    const workflow = this.requireOrganizationWorkflow('renderCallerWorkflow');
    const publisher = this.publisherOf(repo);
    const member = this.members.find((m) => m.name === repo.toLowerCase())!;
    const own = { ...this.props.defaults, ...member.repository };
    const [owner, name] = publisher.githubRepository.split('/');
    return renderCallerWorkflowYaml({
      path: publisher.node.path,
      workflow,
      trust: {
        owner,
        repo: name,
        branches: publisher.branches,
        tags: publisher.tags,
        environments: publisher.environments,
        pullRequests: publisher.allowPullRequests,
        jobWorkflowRefs: publisher.jobWorkflowRefs,
        claimConditions: publisher.claimConditions,
      },
      immutableTags: own.imageTagMutability === ecr.TagMutability.IMMUTABLE,
      signed: own.imageSigning?._signs ?? false,
      ecrRepository: own.repositoryName === fleetRepositoryName(member.repository.repo) ? undefined : own.repositoryName,
      buildCache: publisher.buildCache,
    }, options);
  }

  private requireOrganizationWorkflow(method: string): Required<OrganizationWorkflow> {
    if (!this.organizationWorkflow) {
      failAt(this.node.path, [invalid(method, 'organizationWorkflow', 'is not set',
        'Set organizationWorkflow on the fleet (where the reusable workflow lives) so that the roles trust it')]);
    }
    return this.organizationWorkflow;
  }

  private createPublisher(stack: Stack, member: Member, providerSource: OidcProviderSource): GitHubEcrPublisher {
    const { repo, shard: _shard, ...own } = member.repository;
    const options: GitHubEcrPublisherOptions = { ...this.props.defaults, ...own };
    const workflow = this.organizationWorkflow;
    const jobWorkflowRefs = workflow
      ? [...(options.jobWorkflowRefs ?? []), `${workflow.repository}/.github/workflows/${workflow.file}@${workflow.gitRef}`]
      : options.jobWorkflowRefs;
    const derivedName = options.repositoryName === undefined;
    return new GitHubEcrPublisher(stack, member.name.replace('/', '.'), {
      ...options,
      repo,
      repositoryName: options.repositoryName ?? fleetRepositoryName(repo),
      // A derived name is under `<owner>/`, which the fleet names: the signing
      // filters may cover the repositories there with one wildcard.
      imageSigning: derivedName ? options.imageSigning?._inNamespace(fleetNamespace(repo)) : options.imageSigning,
      roleName: fleetRoleName(repo),
      rolePath: this.rolePath,
      createOutputs: false,
      providerSource,
      jobWorkflowRefs,
    });
  }
}

/**
 * CloudFormation refuses a template without resources, and the CDK CLI skips
 * such a stack (or deletes it once deployed). The base stack must exist for the
 * shards to depend on it, so when nothing else lands in it (the provider is
 * found, or imported) it holds a wait-condition handle: no AWS resource, no cost.
 */
function keepDeployable(stack: Stack): void {
  Aspects.of(stack).add({
    visit: (node) => {
      // Run on the stack itself, after the provider registry (an aspect of the app) placed the provider.
      if (node === stack && !stack.node.findAll().some((c) => c instanceof CfnResource)) {
        new CfnWaitConditionHandle(stack, 'Anchor');
      }
    },
  });
}

function shardId(i: number): string {
  return `Shard${String(i).padStart(2, '0')}`;
}

/** Every repository's shard: the one it is pinned to, or its consistent hash. */
function assignShards(path: string, props: GitHubEcrPublisherFleetProps): Member[] {
  const seen = new Map<string, string>();
  const problems = [];
  const members: Member[] = [];
  for (const repository of props.repositories) {
    const name = repository.repo.toLowerCase();
    const other = seen.get(name);
    if (other !== undefined) {
      problems.push(invalid('repositories', repository.repo, `is listed twice (also as "${other}"; GitHub names are case-insensitive)`, 'List each repository once'));
      continue;
    }
    seen.set(name, repository.repo);
    const pinned = repository.shard;
    if (pinned !== undefined && (!Number.isInteger(pinned) || pinned < 0 || pinned >= props.shards)) {
      problems.push(invalid(`repositories[${repository.repo}].shard`, pinned, `is not a shard of this fleet (0 to ${props.shards - 1})`, 'Pin it to an existing shard, or omit shard'));
      continue;
    }
    members.push({ repository, name, shard: pinned ?? jumpHash(nameKey(name), props.shards), hashed: pinned === undefined });
  }
  if (problems.length > 0) {
    failAt(path, problems);
  }
  return members;
}

/** Publishers a shard can hold: CloudFormation's resources per stack over the resources of one publisher. */
function shardCapacity(pushPolicy: PushPolicy | undefined): number {
  return Math.floor(RESOURCE_BUDGET / (pushPolicy === PushPolicy.MANAGED ? 3 : 2));
}

function checkShardCapacity(path: string, props: GitHubEcrPublisherFleetProps, members: Member[]): void {
  const capacity = shardCapacity(props.defaults?.pushPolicy);
  const managed = members.some((m) => (m.repository.pushPolicy ?? props.defaults?.pushPolicy) === PushPolicy.MANAGED);
  const cap = managed ? shardCapacity(PushPolicy.MANAGED) : capacity;
  const counts = countPerShard(members, props.shards);
  const full = counts.map((count, shard) => ({ shard, count })).filter((s) => s.count > cap);
  if (full.length === 0) {
    return;
  }
  const grown = props.shards + 1;
  const moving = members.filter((m) => m.hashed && jumpHash(nameKey(m.name), grown) !== m.shard).map((m) => m.repository.repo);
  const needed = shardsNeeded(members, props.shards, cap);
  const perPublisher = managed ? '3 resources each with the managed push policy' : '2 resources each with the inline push policy';
  failAt(path, [invalid('shards', props.shards,
    `leaves ${full.map((s) => `shard ${shardId(s.shard)} with ${s.count}`).join(', ')} repositories, above ${cap} per shard (${perPublisher}, within CloudFormation's 500 resources per stack)`,
    `With shards: ${grown}, these ${moving.length} repositories move to the new ${shardId(props.shards)} and no other repository moves: ${moving.join(', ')}. ` +
    'Their roles and ECR repositories are named and retained, so move them with CloudFormation stack refactoring (cdk refactor, or aws cloudformation create-stack-refactor) instead of deleting and re-creating them' +
    (needed > grown ? `. One more shard is not enough: ${needed} shards keep every shard within ${cap}` : ''))]);
}

function countPerShard(members: Member[], shards: number): number[] {
  const counts = new Array<number>(shards).fill(0);
  members.forEach((m) => counts[m.shard]++);
  return counts;
}

/** The fewest shards (from `from` up) that keep every shard within the cap. */
function shardsNeeded(members: Member[], from: number, cap: number): number {
  for (let shards = from + 1; shards < from + 10_000; shards++) {
    const counts = new Array<number>(shards).fill(0);
    for (const m of members) {
      counts[m.hashed ? jumpHash(nameKey(m.name), shards) : m.shard]++;
    }
    if (counts.every((c) => c <= cap)) {
      return shards;
    }
  }
  return from + 10_000;
}

function validateFleetProps(path: string, props: GitHubEcrPublisherFleetProps): void {
  checkAll(path, [
    () => {
      if (!Number.isInteger(props.shards) || props.shards < 1) {
        throw invalid('shards', props.shards, 'is not a whole number from 1 up', 'Give the number of shard stacks, e.g. 8; keep it stable');
      }
    },
    () => {
      if (!props.env || !props.env.account || !props.env.region || Token.isUnresolved(props.env.account) || Token.isUnresolved(props.env.region)) {
        throw invalid('env', props.env, 'needs a concrete account and region', 'Give env: { account: "111111111111", region: "us-east-1" }');
      }
    },
    () => checkQuota('roleQuota', props.roleQuota, MAX_ROLE_QUOTA, 'Give the account\'s "Roles per account" quota (IAM\'s default is 1,000, the maximum 5,000)'),
    () => checkQuota('managedPolicyQuota', props.managedPolicyQuota, MAX_MANAGED_POLICY_QUOTA,
      'Give the account\'s "Customer managed policies per account" quota (IAM\'s default is 1,500, the maximum 5,000)'),
    () => {
      if (props.repositories.length === 0) {
        throw invalid('repositories', props.repositories, 'is an empty list', 'List at least one repository');
      }
    },
    () => validateRolePath(props.rolePath),
    () => rejectFleetOwned('defaults', props.defaults),
    () => rejectSharedIds(props),
    ...props.repositories.map((r) => () => {
      validateRepo(r.repo, 'repositories[].repo');
      rejectFleetOwned(`repositories[${r.repo}]`, r);
      if (r.providerSource !== undefined) {
        throw invalid(`repositories[${r.repo}].providerSource`, 'an OidcProviderSource', 'is set per repository, but every role of the fleet trusts the one provider of the fleet\'s account',
          'Omit it here and set defaults.providerSource');
      }
      checkDerivedRepositoryName(r, props);
    }),
    () => {
      if (props.organizationWorkflow) {
        validateRepo(props.organizationWorkflow.repository, 'organizationWorkflow.repository');
        validateWorkflowRef(props.organizationWorkflow.gitRef);
      }
    },
  ]);
}

/** An IAM quota the user states: a whole number from 1 to the most IAM grants. */
function checkQuota(prop: string, value: number | undefined, max: number, allowed: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw invalid(prop, value, `is outside 1 to ${max}`, allowed);
  }
}

/**
 * The ref the roles trust the organisation workflow at: one branch or tag
 * (`refs/heads/...`, `refs/tags/...`) or one commit, never a pattern.
 */
function validateWorkflowRef(ref: string | undefined): void {
  if (ref === undefined || Token.isUnresolved(ref)) {
    return;
  }
  const allowed = 'Give one ref callers use the workflow at: "refs/heads/main", "refs/tags/v1" or a 40-character commit SHA';
  if (/[*?[\]\s]/.test(ref) || ref.includes('${{')) {
    throw invalid('organizationWorkflow.gitRef', ref, 'is a pattern: every matching branch or tag of the organisation repository, which its writers can create, would be trusted to push', allowed);
  }
  if (!/^(refs\/(heads|tags)\/\S*[^/]|[0-9a-f]{40})$/.test(ref)) {
    throw invalid('organizationWorkflow.gitRef', ref, 'is not a full branch or tag ref, or a commit SHA', allowed);
  }
}

/**
 * IDs in `defaults` pin the same number into every role: a repository ID is
 * one repository's, and an owner ID is right only when every repository of
 * the fleet has that owner.
 */
function rejectSharedIds(props: GitHubEcrPublisherFleetProps): void {
  if (props.defaults?.repoId !== undefined) {
    throw invalid('defaults.repoId', props.defaults.repoId, 'would pin one repository\'s ID into the role of every repository of the fleet, which then refuses them all but one',
      'Set repoId (with ownerId) per repository');
  }
  const owners = [...new Set(props.repositories.map((r) => r.repo.split('/')[0].toLowerCase()))];
  if (props.defaults?.ownerId !== undefined && owners.length > 1) {
    throw invalid('defaults.ownerId', props.defaults.ownerId, `would pin one owner's ID into the role of every repository, but the fleet's repositories have ${owners.length} owners (${owners.slice(0, 5).join(', ')}${owners.length > 5 ? ', ...' : ''})`,
      'Set ownerId per repository, or in defaults only when every repository has the same owner');
  }
}

/** The derived ECR name (`owner/repo`, lower case) must be one ECR accepts (`.github`, `a--b` are not). */
function checkDerivedRepositoryName(r: FleetRepository, props: GitHubEcrPublisherFleetProps): void {
  const derived = fleetRepositoryName(r.repo);
  if ((r.repositoryName ?? props.defaults?.repositoryName) !== undefined || Token.isUnresolved(r.repo)) {
    return;
  }
  try {
    validateDerivedRepositoryName(derived, r.repo);
  } catch (e) {
    if (!(e instanceof InvalidProp)) {
      throw e;
    }
    throw invalid(`repositories[${r.repo}].repositoryName`, derived, '(the default, derived from the GitHub name) is not a name ECR accepts',
      'Set repositoryName on this repository: 2-256 lowercase letters, digits and single ".", "_", "-" or "/" separators, starting and ending with a letter or digit' +
      (props.organizationWorkflow ? '; its caller workflow passes it to the organisation workflow' : ''));
  }
}

function rejectFleetOwned(where: string, options: GitHubEcrPublisherOptions | undefined): void {
  for (const prop of ['roleName', 'rolePath', 'createOutputs'] as const) {
    if (options?.[prop] !== undefined) {
      throw invalid(`${where}.${prop}`, options[prop], 'is set by the fleet (roles are named by a fixed rule, under the fleet\'s rolePath, without outputs)',
        `Omit ${prop}${prop === 'rolePath' ? ' here and set the fleet\'s rolePath' : ''}`);
    }
  }
}

/** Roles and managed policies per account and ECR repositories per account and region, over every publisher of the app. */
function quotaErrors(fleet: GitHubEcrPublisherFleet, roleQuota: number, managedPolicyQuota: number): string[] {
  const roles = new Map<string, number>();
  const policies = new Map<string, number>();
  const repositories = new Map<string, number>();
  const increment = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const visit = (c: IConstruct) => {
    if (c instanceof GitHubEcrPublisher) {
      const stack = Stack.of(c);
      if (!Token.isUnresolved(stack.account)) {
        increment(roles, stack.account);
        increment(repositories, `${stack.account} ${stack.region}`);
        if (c.node.tryFindChild('PushPolicy') instanceof iam.ManagedPolicy) {
          increment(policies, stack.account);
        }
      }
      return;
    }
    c.node.children.forEach(visit);
  };
  visit(fleet.node.root);
  const errors: string[] = [];
  for (const [account, count] of roles) {
    if (count > roleQuota) {
      errors.push(`${fleet.node.path}: roleQuota: ${roleQuota} is below the ${count} roles the app's publishers create in account ${account}. ` +
        'Raise the IAM quota "Roles per account" (L-FE177D64, up to 5,000) and set roleQuota to it, or spread the repositories over more accounts');
    }
  }
  for (const [account, count] of policies) {
    if (count > managedPolicyQuota) {
      errors.push(`${fleet.node.path}: managedPolicyQuota: ${managedPolicyQuota} is below the ${count} customer-managed push policies the app's publishers create in account ${account} (pushPolicy: PushPolicy.MANAGED). ` +
        'Raise the IAM quota "Customer managed policies per account" (L-E95E4862, up to 5,000) and set managedPolicyQuota to it, use the inline push policy, or spread the repositories over more accounts');
    }
  }
  for (const [where, count] of repositories) {
    if (count > ECR_REPOSITORY_QUOTA) {
      errors.push(`${fleet.node.path}: the app's publishers create ${count} ECR repositories in account and region ${where}, above ECR's ${ECR_REPOSITORY_QUOTA} per region. Spread them over more regions or accounts`);
    }
  }
  return errors;
}

