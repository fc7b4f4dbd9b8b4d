// SPDX-License-Identifier: Apache-2.0
import { Annotations, CfnOutput, CfnResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BuildCache } from './build-cache';
import { ClaimsVerdict } from './claims-verdict';
import { GeneratedFile } from './generated-file';
import { GitHubIssuer } from './github-issuer';
import { ImageSigning } from './image-signing';
import { OidcProviderSource } from './oidc-provider-source';
import { checkClaims, claimStrings, trustDataOf } from './private/claims-check';
import {
  DEFAULT_TRUST_POLICY_QUOTA, LOGIN_ACTION, REPOSITORY_PUSH_ACTIONS, SIGNING_ACTION, SIGNING_STATUS_ACTION, VALUE_NAMES, WARNING_PREFIX,
} from './private/constants';
import { partitionOf, registryHostOf, stsAudienceOf } from './private/env';
import { at, checkAll, invalid } from './private/errors';
import { checkAgainstRecord, IDENTITY_COMMAND, readIdentityRecord, subjectFormOf, WITHOUT_NPX } from './private/identity-context';
import { warnIdentityNotRecorded } from './private/identity-notice';
import { describeOutput, ValueKind, ValueName } from './private/output-description';
import { BoundProvider } from './private/provider-registry';
import { literalRoleArn, PublishTarget } from './private/publish-target';
import { checkRepositoryRoot, writeFiles } from './private/repository-files';
import {
  defaultLifecycleRules, resolveBuildCache, tagMutabilityOf, warnIfRulesCountCache, warnIfRulesCountManifests, warnIfRulesExpireSignatures,
} from './private/repository-settings';
import { BoundSigning } from './private/signing-registry';
import { registerPublisher } from './private/stack-limits';
import { Conditions, resolveTrustScope, stsEvaluatesClaims, subjectClaims, trustConditions, TrustScope } from './private/trust-policy';
import { checkTrustPolicySize } from './private/trust-policy-size';
import { claimRepositoryName, claimRoleName, claimWorkflowFile } from './private/unique-names';
import {
  validateDerivedRepositoryName, validateEnvironments, validateIds, validateJobWorkflowRefs, validateLifecycleRules,
  validateMaxImageCount, validateRefPatterns, validateRepo, validateRoleDescription, validateRolePath, validateTrustPolicySizeQuota,
  validateUntaggedImageExpiry, validateWorkflowFile,
} from './private/validation';
import { renderWorkflowFiles } from './private/workflow-renderer';
import { PushPolicy } from './push-policy';
import { WorkflowOptions, WorkflowValueSource } from './workflow-options';

/**
 * Settings of a {@link GitHubEcrPublisher}: everything but the GitHub
 * repository. A {@link GitHubEcrPublisherFleet} takes them as defaults for
 * all its repositories and per repository.
 *
 * Values that are unresolved tokens (known only at deploy time) are not
 * validated at synth time; every literal value is, and the props that shape
 * the trust policy must be literals.
 */
export interface GitHubEcrPublisherOptions {
  /**
   * Branches whose workflow runs may push (`push`, `workflow_dispatch`,
   * `schedule`... on that branch, in jobs without a GitHub Environment).
   *
   * Names as git has them, without `refs/heads/`. `*` matches any characters,
   * including `/` (`release/*` also matches `release/a/b`).
   *
   * @default - `['main']` when none of `branches`, `tags`, `environments`
   * and `allowPullRequests` is set; otherwise no branch
   */
  readonly branches?: string[];

  /**
   * Git tags whose workflow runs may push (e.g. `v*`), without `refs/tags/`.
   *
   * @default - no tag
   */
  readonly tags?: string[];

  /**
   * GitHub Environments whose jobs may push.
   *
   * A job that declares `environment:` receives a token whose subject names
   * the environment and not the branch, so the environment must be listed here
   * (and protected on GitHub with deployment branch rules or reviewers: any
   * writer can reference an environment from any branch).
   *
   * @default - no environment
   */
  readonly environments?: string[];

  /**
   * Whether `pull_request` runs may push.
   *
   * Pull-request code is less trusted than the code on your branches; this
   * is off by default and warns when enabled.
   *
   * @default false
   */
  readonly allowPullRequests?: boolean;

  /**
   * The GitHub numeric ID of the repository owner (user or organization).
   *
   * With `repoId`, the trust policy admits the exact immutable subject
   * (`repo:OWNER@OWNER_ID/REPO@REPO_ID:...`) as well as the name form, and,
   * on GitHub.com, pins the `repository_id` claim STS evaluates, so that a
   * deleted and re-created (or transferred) repository with the same name can
   * never assume the role. Get it with `gh api repos/OWNER/REPO --jq .owner.id`.
   *
   * Without IDs, on GitHub.com the immutable form is admitted by name
   * (`OWNER@*` / `REPO@*`, with the `repository` claim pinned); for the other
   * issuers, where STS is not documented to evaluate those claims, only the
   * name form is admitted, so a repository that uses immutable subjects there
   * needs `ownerId` and `repoId`.
   *
   * @default - no ID pinning
   */
  readonly ownerId?: number;

  /**
   * The GitHub numeric ID of the repository (`gh api repos/OWNER/REPO --jq .id`).
   *
   * Set together with `ownerId`.
   *
   * @default - no ID pinning
   */
  readonly repoId?: number;

  /**
   * Whether synth fails when the context has no identity record for `repo`.
   *
   * The record (`npx cdk-github-ecr-publisher identity OWNER/REPO` writes it
   * to `cdk.context.json`) holds the repository's IDs and the subject format
   * GitHub sends; with it the trust admits exactly those subjects. Without it
   * the trust falls back to guessing (and warns). Set this once the record is
   * committed, so that clearing the context (`cdk context --clear`) fails the
   * synth instead of silently widening or breaking the trust.
   *
   * Not available for the GitHub Enterprise Server issuer, which has no record.
   *
   * @default false
   */
  readonly requireIdentityRecord?: boolean;

  /**
   * Reusable workflows (usually of another repository) whose jobs may assume
   * the role, checked with the `job_workflow_ref` claim
   * (`owner/repo/.github/workflows/file.yml@refs/heads/main`): a caller
   * workflow of `repo` on a trusted branch, tag or environment runs them.
   *
   * They are trusted next to the pinned `workflowFile`; with
   * `pinWorkflowFile: false` they are the only workflows trusted. Needs claim
   * conditions (see `claimConditions`).
   *
   * @default - no reusable workflow
   */
  readonly jobWorkflowRefs?: string[];

  /**
   * The workflow file, in `.github/workflows/` of `repo`, whose jobs may
   * assume the role.
   *
   * The trust policy requires the token's `job_workflow_ref` claim to be this
   * file of this repository, so another workflow that runs on a trusted branch
   * (an `issue_comment` bot, a `schedule` or `workflow_run` job, a
   * `pull_request_target` workflow that checks out untrusted code) cannot
   * assume the role. Jobs in a GitHub Environment must also run from a
   * trusted branch or tag, when the publisher trusts any: a changed copy of
   * the file on another branch cannot use the environment.
   *
   * The default is the file `renderWorkflow()` renders and `writeWorkflow()`
   * writes, so committing the rendered workflow is all it takes. It is named
   * after the ECR repository, so two publishers of one GitHub repository get
   * two files (synth fails if two publishers would share one). If you write
   * the workflow yourself, give its file name, or set `pinWorkflowFile: false`.
   *
   * @default - `publish-<repositoryName>.yml` ("/" in the name becomes "-")
   */
  readonly workflowFile?: string;

  /**
   * Whether the trust policy pins `workflowFile` with the `job_workflow_ref`
   * claim. Turning it off lets any workflow of the repository on a trusted
   * branch, tag or environment assume the role (and warns).
   *
   * Only takes effect with claim conditions (see `claimConditions`).
   *
   * @default true
   */
  readonly pinWorkflowFile?: boolean;

  /**
   * Whether the trust policy may condition on GitHub claims other than `sub`
   * and `aud`: `repository` or `repository_id` (the repository, beyond its
   * subject) and `job_workflow_ref` (`workflowFile`, `jobWorkflowRefs`).
   *
   * STS evaluates these claims only where AWS documents it: for the GitHub.com
   * issuer in the commercial partition (`aws`). A condition on a claim STS
   * does not fill is never true and would lock every workflow out, so
   * elsewhere the default leaves them out and the trust stays exact with
   * subjects alone: the name form, plus the exact immutable form when
   * `ownerId` and `repoId` are given (a repository that emits immutable
   * subjects then needs them). Set it to `true` once AWS supports these claims
   * for your partition and issuer.
   *
   * @default - true for the GitHub.com issuer in a stack whose region is in
   * the `aws` partition; false for other issuers, other partitions and stacks
   * whose region is only known at deploy time
   */
  readonly claimConditions?: boolean;

  /**
   * The GitHub OIDC issuer (GitHub.com, an Enterprise Cloud slug, a GHE.com
   * subdomain, or an Enterprise Server host).
   *
   * @default GitHubIssuer.GITHUB_COM
   */
  readonly issuer?: GitHubIssuer;

  /**
   * Where the account's GitHub OIDC identity provider comes from.
   *
   * @default OidcProviderSource.lookupOrCreate()
   */
  readonly providerSource?: OidcProviderSource;

  /**
   * The trust-policy size quota of the account, in non-whitespace characters.
   *
   * Synth fails when the role's trust policy is larger. Raise it only after
   * raising the IAM quota "Role trust policy length" (L-C07B4B0D).
   *
   * @default 2048
   */
  readonly trustPolicySizeQuota?: number;

  /**
   * Name of the ECR repository.
   *
   * @default - the GitHub repository name, lower-cased
   */
  readonly repositoryName?: string;

  /**
   * Lifecycle: keep the N most recently pushed images that carry a tag, each
   * with the manifests it references (one per platform and per attestation,
   * which are untagged and not counted), and the newest N untagged manifests
   * beyond those (the manifests of expired images go).
   *
   * @default 10
   */
  readonly maxImageCount?: number;

  /**
   * Lifecycle: expire untagged manifests this long after they were pushed
   * (whole days), instead of keeping the newest `maxImageCount` of them.
   * The manifests of a kept image are never expired before it.
   *
   * @default - the newest `maxImageCount` untagged manifests are kept
   */
  readonly untaggedImageExpiry?: Duration;

  /**
   * Full control over the lifecycle policy; replaces the rules that
   * `maxImageCount` and `untaggedImageExpiry` would create (so it cannot be
   * combined with them).
   *
   * @default - keep the last `maxImageCount` images
   */
  readonly lifecycleRules?: ecr.LifecycleRule[];

  /**
   * Tag mutability of the repository.
   *
   * The default suits the generated workflow, which re-pushes `latest`, branch
   * and `sha-` tags on every run: `MUTABLE_WITH_EXCLUSION` with the release
   * tags of `tags` (e.g. `v*`) as the immutable exceptions, so a release tag,
   * once pushed, can never be overwritten. Without `tags` there is no release
   * tag to protect and the default is `MUTABLE`. Use `IMMUTABLE` only with a
   * workflow that pushes unique tags.
   *
   * @default - `MUTABLE_WITH_EXCLUSION` protecting the `tags` patterns, or
   * `MUTABLE` when `tags` is not set
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Exclusion filters for `IMMUTABLE_WITH_EXCLUSION` / `MUTABLE_WITH_EXCLUSION`
   * (1 to 5).
   *
   * @default - the `tags` patterns when `imageTagMutability` is not set
   */
  readonly imageTagMutabilityExclusionFilters?: ecr.ImageTagMutabilityExclusionFilter[];

  /**
   * Where the rendered workflow keeps BuildKit's build cache.
   *
   * The default keeps it in this ECR repository under its own tag, written
   * only by the workflow's trusted runs (never by pull-request runs), so no
   * other workflow of the GitHub repository can choose layers of the pushed
   * image, as any workflow on the default branch can through the GitHub
   * Actions cache. The lifecycle rules keep the current cache manifest apart
   * from "keep the last N images". With `imageTagMutability: IMMUTABLE` no tag
   * can be rewritten, so there the default is no cache; with
   * `IMMUTABLE_WITH_EXCLUSION` the cache tag is added as an exclusion (see
   * `BuildCache.registry()`).
   *
   * A setting of the publisher rather than of `renderWorkflow()`, because the
   * repository's lifecycle rules and tag mutability depend on it.
   *
   * @default - `BuildCache.registry()` (tag `buildcache`); `BuildCache.none()`
   * with `imageTagMutability: IMMUTABLE`
   */
  readonly buildCache?: BuildCache;

  /**
   * Scan images for vulnerabilities when they are pushed (basic scanning).
   *
   * @default true
   */
  readonly imageScanOnPush?: boolean;

  /**
   * Server-side encryption of the repository (fixed at creation).
   *
   * @default - `KMS` when `encryptionKey` is set, otherwise `AES_256`
   */
  readonly encryption?: ecr.RepositoryEncryption;

  /**
   * Customer-managed KMS key for `RepositoryEncryption.KMS`.
   *
   * @default - the AWS-managed `aws/ecr` key when encryption is `KMS`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the repository when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete the images when the repository is deleted (needs
   * `removalPolicy: RemovalPolicy.DESTROY`).
   *
   * @default false
   */
  readonly emptyOnDelete?: boolean;

  /**
   * Physical name of the role.
   *
   * @default - a unique name generated by CloudFormation
   */
  readonly roleName?: string;

  /**
   * IAM path of the role (e.g. `/github/`).
   *
   * @default "/"
   */
  readonly rolePath?: string;

  /**
   * Maximum session duration of the role (1 to 12 hours).
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Permissions boundary of the role.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Description of the role.
   *
   * @default - says which GitHub repository pushes to which ECR repository
   */
  readonly roleDescription?: string;

  /**
   * How the role gets its push permissions: an inline policy (two resources
   * per publisher), or a customer-managed policy attached to the role (three),
   * for accounts whose compliance rules forbid inline policies.
   *
   * Either way the policy allows `ecr:GetAuthorizationToken` on `*` (it has no
   * resource type) and the push actions on this repository only; its resource
   * carries the CloudFormation Guard suppression of
   * `IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE` for that reason.
   *
   * @default PushPolicy.INLINE
   */
  readonly pushPolicy?: PushPolicy;

  /**
   * Create the stack outputs `AWS_REGION`, `ECR_REPOSITORY`, `ECR_REGISTRY` and
   * `AWS_ROLE_ARN` (four per publisher). Turn them off in stacks that hold many
   * publishers: CloudFormation allows 200 outputs per stack.
   *
   * @default true
   */
  readonly createOutputs?: boolean;

  /**
   * Whether Amazon ECR signs the pushed images (ECR managed signing), and who
   * manages the registry's signing configuration.
   *
   * With signing, the role may also sign with the signing profile
   * (`signer:SignPayload` on that profile only) and read the repository's
   * signing status, the rendered workflow waits after the push until every
   * pushed manifest is signed, and the default lifecycle rules keep the
   * signatures of the images they keep (see `maxImageCount`).
   *
   * @default ImageSigning.none()
   */
  readonly imageSigning?: ImageSigning;
}

/**
 * Properties of a {@link GitHubEcrPublisher}.
 */
export interface GitHubEcrPublisherProps extends GitHubEcrPublisherOptions {
  /**
   * The GitHub repository whose workflows may push, as `owner/name`
   * (e.g. `octo-org/chatgpt-web`).
   *
   * Exactly one repository, no wildcards: use the exact casing GitHub shows,
   * because IAM compares the token's subject case-sensitively.
   */
  readonly repo: string;
}

/**
 * Lets the workflows of one GitHub repository push images to one Amazon ECR
 * repository with GitHub OIDC, without stored keys.
 *
 * Creates the ECR repository (scan on push, lifecycle "keep the last 10",
 * release tags immutable), finds or creates the account's GitHub OIDC
 * provider, and a role that only the named branches, tags, environments (and,
 * if allowed, pull requests) of that repository can assume, with the
 * permissions a push needs on that repository only. Outputs the four values
 * the workflow needs and can render that workflow.
 *
 * @example
 * const publisher = new GitHubEcrPublisher(stack, 'ChatgptWeb', {
 *   repo: 'octo-org/chatgpt-web',
 *   tags: ['v*'],
 * });
 * // The workflow (.github/workflows/publish-chatgpt-web.yml) and its diagnosis action,
 * // with their paths in octo-org/chatgpt-web; writeWorkflow() writes them into a checkout.
 * const files = publisher.renderWorkflowFiles();
 */
export class GitHubEcrPublisher extends Construct implements iam.IGrantable {
  /** The ECR repository. */
  public readonly repository: ecr.IRepository;

  /** The role GitHub Actions assumes. */
  public readonly role: iam.IRole;

  /** The GitHub OIDC identity provider the role trusts. */
  public readonly oidcProvider: iam.IOidcProvider;

  /** The repository URI, `<registry>/<repositoryName>`. */
  public readonly repositoryUri: string;

  /** The registry host, `<account>.dkr.ecr.<region>.<url suffix>`. */
  public readonly registry: string;

  /** The region of the repository. */
  public readonly region: string;

  /** The principal to grant more permissions to (the role). */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The GitHub repository, `owner/name`. */
  public readonly githubRepository: string;

  /** The branch patterns the role trusts. */
  public readonly branches: string[];

  /** The tag patterns the role trusts. */
  public readonly tags: string[];

  /** The GitHub Environments the role trusts. */
  public readonly environments: string[];

  /** Whether `pull_request` runs may push. */
  public readonly allowPullRequests: boolean;

  /** The issuer whose tokens the role trusts. */
  public readonly issuer: GitHubIssuer;

  /** The audience the role requires in the token (`sts.amazonaws.com`, or `sts.amazonaws.com.cn` in China). */
  public readonly audience: string;

  /** Every `sub` claim value the trust policy admits. */
  public readonly subjectClaims: string[];

  /** The reusable workflows the role trusts besides the pinned workflow file. */
  public readonly jobWorkflowRefs: string[];

  /** The workflow file (in `.github/workflows/`) that `renderWorkflow()` renders and the role trusts. */
  public readonly workflowFile: string;

  /** Whether the trust policy conditions on claims beyond `sub` and `aud` (see the `claimConditions` prop). */
  public readonly claimConditions: boolean;

  /** Where the rendered workflow keeps the build cache: the `buildCache` prop, or its default for the tag mutability. */
  public readonly buildCache: BuildCache;

  /** What renderWorkflow() needs, computed once. */
  private readonly target: PublishTarget;

  /** The value sources of the workflows rendered, named in the output descriptions. */
  private readonly renderedValueSources = new Set<WorkflowValueSource>();

  /**
   * @param scope the construct scope (a Stack with a concrete account and region for the default provider source)
   * @param id the construct ID; also prefixes the outputs' logical IDs
   * @param props the GitHub repository, what it may push from, and the repository and role settings
   */
  constructor(scope: Construct, id: string, props: GitHubEcrPublisherProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateProps(this.node.path, props);

    const [owner, name] = props.repo.split('/');
    const repositoryName = props.repositoryName ?? name.toLowerCase();
    this.githubRepository = `${owner}/${name}`;
    this.issuer = props.issuer ?? GitHubIssuer.GITHUB_COM;
    this.audience = stsAudienceOf(stack);
    this.workflowFile = props.workflowFile ?? defaultWorkflowFile(repositoryName);
    const trust = this.resolveTrust(props, owner, name);
    this.claimConditions = trust.claimConditions;
    this.branches = trust.branches;
    this.tags = trust.tags;
    this.environments = trust.environments;
    this.allowPullRequests = trust.pullRequests;
    this.jobWorkflowRefs = trust.jobWorkflowRefs;
    this.subjectClaims = subjectClaims(trust);

    const signing = (props.imageSigning ?? ImageSigning.none())._bind(this, repositoryName);
    const { repository, cache } = this.createRepository(props, repositoryName, signing.signed);
    this.repository = repository;
    this.buildCache = cache;
    const provider = (props.providerSource ?? OidcProviderSource.lookupOrCreate())._bind(this, this.issuer, this.audience);
    this.oidcProvider = provider.provider;
    const conditions = trustConditions(trust, this.issuer, this.audience);
    this.role = this.createRole(props, conditions, provider, repositoryName, signing);
    this.grantPrincipal = this.role;

    this.region = stack.region;
    this.registry = registryHostOf(stack);
    this.repositoryUri = `${this.registry}/${this.repository.repositoryName}`;
    const createOutputs = props.createOutputs ?? true;
    registerPublisher(stack, createOutputs);
    if (createOutputs) {
      this.createOutputs();
    }

    const roleArn = literalRoleArn(stack, props.roleName, props.rolePath);
    this.target = {
      path: this.node.path,
      trust,
      trustData: trustDataOf(trust, this.issuer, conditions),
      workflowFile: this.workflowFile,
      audience: this.audience,
      region: this.region,
      registry: this.registry,
      repositoryName,
      immutableTags: props.imageTagMutability === ecr.TagMutability.IMMUTABLE,
      buildCache: cache,
      signed: signing.signed,
      roleArn: roleArn.arn,
      roleArnUnknown: roleArn.unknown,
    };
  }

  /**
   * Renders the GitHub Actions workflow that builds and pushes the image with
   * this publisher's role, for `.github/workflows/<workflowFile>`.
   *
   * Its triggers and jobs come from the same branches, tags and environments as
   * the trust policy, so every run it starts can assume the role.
   *
   * With `diagnose` (the default) its failure step runs a local action,
   * `.github/actions/<workflowFile without .yml>-diagnose/action.yml`, which
   * this text does not contain: commit the files of `renderWorkflowFiles()`
   * (or let `writeWorkflow()` write them), not this text alone.
   *
   * @param options the workflow's name, triggers, value source and build settings
   */
  public renderWorkflow(options: WorkflowOptions = {}): string {
    return this.renderWorkflowFiles(options)[0].content;
  }

  /**
   * Renders every file the workflow needs, each with its path relative to the
   * repository root: the workflow (first), and with `diagnose` (the default)
   * the diagnosis action its failure step runs. `writeWorkflow()` writes
   * exactly these.
   *
   * @param options the same options as `renderWorkflow()`
   */
  public renderWorkflowFiles(options: WorkflowOptions = {}): GeneratedFile[] {
    const files = renderWorkflowFiles(this.target, options);
    this.renderedValueSources.add(options.valueSource ?? WorkflowValueSource.SECRETS);
    return files;
  }

  /**
   * Explains whether a GitHub OIDC token with these claims may assume the
   * role, and if not, which condition refuses it and what to change.
   *
   * Give the claims as GitHub writes them (`sub`, `aud`, `repository`,
   * `repository_id`, `job_workflow_ref`, ...; `iss` is checked against the
   * issuer when given), for example as the workflow's diagnosis step prints
   * them. The check applies the role's own conditions with IAM's semantics;
   * a trusted value only known at deploy time is reported, not guessed.
   * Every value must be a string, as in GitHub's token: an array, object,
   * number or null is an error (leave out the numeric `exp`, `iat`, `nbf`).
   *
   * @param claims the token's claims, by name
   */
  public explainClaims(claims: { [name: string]: string }): ClaimsVerdict {
    const verdict = checkClaims(this.target.trustData, at(this.node.path, () => claimStrings(claims)));
    return {
      allowed: verdict.allowed,
      failures: verdict.failures.map((f) => ({ key: f.key, conditionOperator: f.operator, accepted: f.accepted, actual: f.actual, hint: f.hint })),
    };
  }

  /**
   * Writes the files of `renderWorkflowFiles()` under `repositoryRoot` (a
   * checkout of the GitHub repository): the workflow to
   * `.github/workflows/<workflowFile>` and, with `diagnose`, its diagnosis
   * action to `.github/actions/`, creating the folders they need. Returns the
   * workflow's path.
   *
   * A folder inside a git checkout that is not its root is refused (GitHub
   * would never run files written there, e.g. `writeWorkflow('.')` run from
   * `infra/`); outside any checkout the folder is taken as the root. To write
   * under another folder on purpose, use `writeWorkflowTo()`.
   *
   * The text is deterministic: writing it again changes the files only when
   * the publisher or the options changed. A file it no longer writes (the
   * action after `diagnose: false`) is left in place.
   *
   * @param repositoryRoot the root of a checkout of `repo`
   * @param options the same options as `renderWorkflow()`
   */
  public writeWorkflow(repositoryRoot: string, options: WorkflowOptions = {}): string {
    at(this.node.path, () => checkRepositoryRoot('writeWorkflow', repositoryRoot));
    return this.writeWorkflowTo(repositoryRoot, options);
  }

  /**
   * Writes the same files as `writeWorkflow()` under any folder, without
   * checking that it is the root of a git checkout: for a folder that stands
   * in for the repository (a template, a test, an example), or one copied
   * into the repository later. Returns the workflow's path.
   *
   * @param directory the folder that stands for the repository root
   * @param options the same options as `renderWorkflow()`
   */
  public writeWorkflowTo(directory: string, options: WorkflowOptions = {}): string {
    return writeFiles(directory, this.renderWorkflowFiles(options))[0];
  }

  /** What the role trusts: the scope props, and which claim conditions apply where. */
  private resolveTrust(props: GitHubEcrPublisherProps, owner: string, name: string): TrustScope {
    const claimConditions = props.claimConditions ?? stsEvaluatesClaims(this.issuer, literalPartitionOf(Stack.of(this)));
    const pin = props.pinWorkflowFile ?? true;
    at(this.node.path, () => checkClaimConditions(props, claimConditions));
    claimWorkflowFile(this, `${owner}/${name}`, this.workflowFile, props.workflowFile !== undefined);
    const identity = at(this.node.path, () => this.readIdentity(props, pin, claimConditions));
    const scopeProps = { ...props, ...identity };
    const trust = at(this.node.path, () => resolveTrustScope(owner, name, scopeProps, claimConditions, pin ? this.workflowFile : undefined));
    this.warnOnRiskyScope(props, trust);
    return trust;
  }

  /**
   * The repository's identity record, checked against the props, as the trust
   * scope takes it (the recorded IDs and subject format); without a record,
   * nothing (and a warning), or an error with `requireIdentityRecord`.
   */
  private readIdentity(props: GitHubEcrPublisherProps, pin: boolean, claimConditions: boolean): Pick<TrustScope, 'ownerId' | 'repoId' | 'recorded'> {
    const read = readIdentityRecord(this, this.issuer, this.githubRepository);
    if (read === undefined) {
      return {};
    }
    const record = read.record;
    if (record === undefined) {
      if (props.requireIdentityRecord) {
        throw invalid('requireIdentityRecord', true, `is set, but the context has no identity record for ${this.githubRepository} (key "${read.key}")`,
          `Run "${IDENTITY_COMMAND} ${this.githubRepository}"${WITHOUT_NPX} in the app's directory and commit cdk.context.json (a cleared context removes the record)`);
      }
      const ids = props.ownerId !== undefined;
      warnIdentityNotRecorded(this, { repo: this.githubRepository, key: read.key, guess: ids ? 'ids' : claimConditions ? 'pattern' : 'nameOnly' });
      return {};
    }
    checkAgainstRecord(props, read.key, record);
    return {
      ownerId: record.ownerId,
      repoId: record.repositoryId,
      recorded: {
        key: read.key,
        form: subjectFormOf(read.key, record),
        claimKeys: record.includeClaimKeys,
        templateSource: record.templateSource,
        workflowFile: pin ? this.workflowFile : undefined,
      },
    };
  }

  /** The ECR repository: scan on push, release tags immutable, "keep the last N images". */
  private createRepository(
    props: GitHubEcrPublisherProps, repositoryName: string, signed: boolean,
  ): { repository: ecr.Repository; cache: BuildCache } {
    if (props.repositoryName === undefined) {
      at(this.node.path, () => validateDerivedRepositoryName(repositoryName, this.githubRepository));
    }
    claimRepositoryName(this, repositoryName);
    const { cache, mutability: tagMutability } = at(this.node.path, () => resolveBuildCache(props.buildCache,
      tagMutabilityOf(props.imageTagMutability, props.imageTagMutabilityExclusionFilters, this.tags), this));
    if (cache._kind === 'githubActions') {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:githubActionsCache`,
        `buildCache is BuildCache.githubActions(): every workflow of ${this.githubRepository} that runs on the default branch (a test running third-party install scripts, a scheduled bot, a dispatched event) can write cache entries the pushed image is built from. ` +
        'The default, BuildCache.registry(), keeps the cache in this ECR repository, which only the trusted runs of the rendered workflow write.');
    }
    if (tagMutability.mutability === ecr.TagMutability.MUTABLE && props.imageTagMutability !== undefined) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:mutableTags`,
        'imageTagMutability is MUTABLE: every tag, release tags included, can be overwritten by a later push. The default protects the release tags of `tags`.');
    }
    warnIfRulesCountManifests(this, props.lifecycleRules);
    warnIfRulesCountCache(this, props.lifecycleRules, cache);
    warnIfRulesExpireSignatures(this, props.lifecycleRules, signed);
    const repository = new ecr.Repository(this, 'Repository', {
      repositoryName,
      imageScanOnPush: props.imageScanOnPush ?? true,
      imageTagMutability: tagMutability.mutability,
      imageTagMutabilityExclusionFilters: tagMutability.filters,
      encryption: props.encryption ?? (props.encryptionKey ? ecr.RepositoryEncryption.KMS : ecr.RepositoryEncryption.AES_256),
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      emptyOnDelete: props.emptyOnDelete,
      lifecycleRules: props.lifecycleRules ?? defaultLifecycleRules(props.maxImageCount ?? 10, props.untaggedImageExpiry, cache.tag, signed),
    });
    return { repository, cache };
  }

  /** The role only the trusted runs of the repository can assume, allowed to push to this repository only. */
  private createRole(props: GitHubEcrPublisherProps, conditions: Conditions, bound: BoundProvider, repositoryName: string,
    signing: BoundSigning): iam.Role {
    const push = new iam.PolicyDocument({
      statements: [
        // GetAuthorizationToken has no resource type: IAM requires "*".
        new iam.PolicyStatement({ actions: [LOGIN_ACTION], resources: ['*'] }),
        new iam.PolicyStatement({ actions: REPOSITORY_PUSH_ACTIONS, resources: [this.repository.repositoryArn] }),
        // ECR signs as the identity that pushes; the workflow then reads the signing status.
        ...(signing.profileArn !== undefined ? [
          new iam.PolicyStatement({ actions: [SIGNING_ACTION], resources: [signing.profileArn] }),
          new iam.PolicyStatement({ actions: [SIGNING_STATUS_ACTION], resources: [this.repository.repositoryArn] }),
        ] : []),
      ],
    });
    const managed = props.pushPolicy === PushPolicy.MANAGED;
    claimRoleName(this, props.roleName);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(bound.provider.oidcProviderArn, conditions),
      roleName: props.roleName,
      path: props.rolePath,
      maxSessionDuration: props.maxSessionDuration,
      permissionsBoundary: props.permissionsBoundary,
      description: props.roleDescription ?? `GitHub ${this.githubRepository} pushes to ECR ${repositoryName}`,
      // Inline rather than repository.grantPullPush(role): the grant would add a
      // separate AWS::IAM::Policy resource (DefaultPolicy) per publisher, and an
      // inline policy keeps every publisher at two resources. The actions are
      // grantPullPush's, plus BatchGetImage; see REPOSITORY_PUSH_ACTIONS.
      inlinePolicies: managed ? undefined : { EcrPush: push },
    });
    const holder = managed ? new iam.ManagedPolicy(this, 'PushPolicy', { document: push, roles: [role] }) : role;
    suppressWildcardResourceRule(holder.node.defaultChild as CfnResource);
    bound.requireBefore(role);
    checkTrustPolicySize(this, bound.provider.oidcProviderArn, conditions, props.trustPolicySizeQuota ?? DEFAULT_TRUST_POLICY_QUOTA, this.issuer);
    return role;
  }

  /** One output per value the workflow reads; their IDs are per publisher, so two publishers never collide. */
  private createOutputs(): void {
    const outputs: Array<[string, ValueName, string]> = [
      ['AwsRegion', VALUE_NAMES.region, this.region],
      ['EcrRepository', VALUE_NAMES.repository, this.repository.repositoryName],
      ['EcrRegistry', VALUE_NAMES.registry, this.registry],
      ['AwsRoleArn', VALUE_NAMES.roleArn, this.role.roleArn],
    ];
    // Jobs in a GitHub Environment read that environment's secrets: say where
    // the value belongs (the command-line tool reads this to set them).
    // Lazy: the workflow is rendered after the constructor, and the description
    // says which source it reads, so that the tool sets secrets or variables to match.
    for (const [outputId, name, value] of outputs) {
      const description = Lazy.string({
        produce: () => describeOutput({ name, repository: this.githubRepository, environments: this.environments, kind: this.renderedValueKind() }),
      });
      new CfnOutput(this, outputId, { value, description });
    }
  }

  /** Where the rendered workflow reads its values; undefined if none was rendered, or several that differ. */
  private renderedValueKind(): ValueKind | undefined {
    if (this.renderedValueSources.size !== 1) {
      return undefined;
    }
    const kinds: Record<WorkflowValueSource, ValueKind> = {
      [WorkflowValueSource.SECRETS]: 'secret',
      [WorkflowValueSource.VARIABLES]: 'variable',
      [WorkflowValueSource.INLINE]: 'inline',
    };
    return kinds[[...this.renderedValueSources][0]];
  }

  private warnOnRiskyScope(props: GitHubEcrPublisherProps, trust: TrustScope): void {
    const everything = (p: string) => /^\*+$/.test(p);
    if (trust.claimConditions && trust.workflowFile === undefined) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:workflowFileNotPinned`,
        `pinWorkflowFile is false: any workflow of ${trust.owner}/${trust.repo} that runs on a trusted branch, tag or environment (an issue_comment bot, a schedule or workflow_run job, a pull_request_target workflow) may push images.`);
    }
    if (!trust.claimConditions && (props.workflowFile !== undefined || props.pinWorkflowFile === true)) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:workflowFileNotEnforced`,
        `workflowFile "${this.workflowFile}" is not enforced: the trust policy has no claim conditions here (claimConditions is false), so any workflow of ${trust.owner}/${trust.repo} on a trusted branch, tag or environment may push images.`);
    }
    if (trust.branches.some(everything)) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:allBranches`,
        `branches includes "*": a workflow on any branch of ${trust.owner}/${trust.repo}, which anyone with write access can create, may push images.`);
    }
    if (trust.tags.some(everything)) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:allTags`,
        `tags includes "*": anyone who can push a tag to ${trust.owner}/${trust.repo} may push images. Prefer a release pattern such as "v*" protected by a tag ruleset.`);
    }
    if (trust.pullRequests) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:pullRequests`,
        `allowPullRequests is true: pull_request runs of ${trust.owner}/${trust.repo} (code not yet reviewed, the workflow file included) assume the push role, so the author of a pull request from a branch of the repository can push any image under any mutable tag (latest and branch tags included) and overwrite the build cache, which the rendered workflow's pull-request runs only read.`);
    }
    if (props.roleName !== undefined && !Token.isUnresolved(props.roleName) && /^github[-_]?actions/i.test(props.roleName)) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}:roleName`,
        `roleName "${props.roleName}": aws-actions/configure-aws-credentials is reported to fail with roles named like "GitHubActions" (aws-actions/configure-aws-credentials#953). Prefer another name.`);
    }
  }
}

/**
 * Every check of the props that needs no other construct, reported together.
 * aws-cdk-lib checks roleName, rolePath, maxSessionDuration, emptyOnDelete,
 * encryption with encryptionKey and the tag-mutability filters itself.
 */
function validateProps(constructPath: string, props: GitHubEcrPublisherProps): void {
  const issuer = props.issuer ?? GitHubIssuer.GITHUB_COM;
  checkAll(constructPath, [
    () => validateRepo(props.repo),
    () => validateRefPatterns('branches', props.branches),
    () => validateRefPatterns('tags', props.tags),
    () => validateEnvironments(props.environments),
    () => validateIds(props.ownerId, props.repoId),
    () => validateJobWorkflowRefs(props.jobWorkflowRefs),
    () => validateWorkflowFile(props.workflowFile),
    () => validateTrustPolicySizeQuota(props.trustPolicySizeQuota),
    () => validateMaxImageCount(props.maxImageCount),
    () => validateUntaggedImageExpiry(props.untaggedImageExpiry),
    () => validateLifecycleRules(props.lifecycleRules),
    () => validateRoleDescription(props.roleDescription),
    () => validateRolePath(props.rolePath),
    () => {
      // Signatures are untagged reference artifacts, which an untagged age
      // rule may count and expire (see defaultLifecycleRules).
      if (props.imageSigning?._signs && props.untaggedImageExpiry !== undefined) {
        throw invalid('untaggedImageExpiry', props.untaggedImageExpiry,
          'is combined with imageSigning: an untagged rule by age would expire the signatures of kept images older than it',
          'Omit untaggedImageExpiry (with signing the default rules keep enough untagged manifests for the signatures of the kept images), or write lifecycleRules');
      }
    },
    () => {
      if (props.lifecycleRules && (props.maxImageCount !== undefined || props.untaggedImageExpiry !== undefined)) {
        throw invalid('lifecycleRules', `${props.lifecycleRules.length} rule(s)`, 'are combined with maxImageCount or untaggedImageExpiry',
          'lifecycleRules replaces the generated rules: set either lifecycleRules or maxImageCount/untaggedImageExpiry');
      }
    },
    () => {
      // aws-cdk-lib only says "Unexpected 'encryptionType': [object Object]".
      if (props.encryption === ecr.RepositoryEncryption.KMS_DSSE) {
        throw invalid('encryption', props.encryption.value, 'is not supported',
          'Use RepositoryEncryption.AES_256 or RepositoryEncryption.KMS (KMS_DSSE exists only in GovCloud and aws-cdk-lib cannot render it for ECR)');
      }
    },
    () => {
      if ((props.ownerId !== undefined || props.repoId !== undefined) && !issuer.supportsImmutableSubjects) {
        const prop = props.ownerId !== undefined ? 'ownerId' : 'repoId';
        throw invalid(prop, props[prop], `cannot be used with the GitHub Enterprise Server issuer ${issuer.url}`,
          'GitHub Enterprise Server does not emit immutable subjects; omit ownerId and repoId');
      }
    },
    () => {
      if (props.requireIdentityRecord && !issuer.supportsImmutableSubjects) {
        throw invalid('requireIdentityRecord', true, `cannot be used with the GitHub Enterprise Server issuer ${issuer.url}`,
          'GitHub Enterprise Server repositories have no identity record (their subjects have one form, the name form); omit requireIdentityRecord');
      }
    },
  ]);
}

/** The stack's partition, undefined when only known at deploy time. */
function literalPartitionOf(stack: Stack): string | undefined {
  const partition = partitionOf(stack);
  return Token.isUnresolved(partition) ? undefined : partition;
}

/** The default workflow file: named after the ECR repository, so each publisher of one GitHub repository gets its own. */
function defaultWorkflowFile(repositoryName: string): string {
  return Token.isUnresolved(repositoryName) ? 'publish-image.yml' : `publish-${repositoryName.replace(/\//g, '-')}.yml`;
}

/** Claims beyond sub and aud cannot be required where the trust policy has no claim conditions. */
function checkClaimConditions(props: GitHubEcrPublisherProps, claimConditions: boolean): void {
  if (!claimConditions && props.jobWorkflowRefs !== undefined) {
    throw invalid('jobWorkflowRefs', props.jobWorkflowRefs,
      'need the job_workflow_ref claim, which the trust policy cannot use here (claimConditions is false: STS is documented to evaluate it only for the GitHub.com issuer in the aws partition)',
      'Set claimConditions: true if STS evaluates job_workflow_ref for your partition and issuer, or drop jobWorkflowRefs');
  }
}

/**
 * The push policy needs `Resource: "*"` for `ecr:GetAuthorizationToken`, which
 * has no resource-level permission, so the CloudFormation Guard rule
 * IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE (behind AWS Config's managed rules)
 * can never pass on it. Guard reads suppressions from the resource's
 * `Metadata.guard.SuppressedRules`; aws-cdk-lib has no API for that, hence the L1.
 */
function suppressWildcardResourceRule(resource: CfnResource): void {
  resource.addMetadata('guard', { SuppressedRules: ['IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE'] });
}
