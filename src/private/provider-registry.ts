// SPDX-License-Identifier: Apache-2.0
//
// Resolves an OidcProviderSource to a provider, keeping IAM's rule of one
// provider per issuer per account across every stack of the app.
//
// State lives in the construct tree (a child of the app root), never in module
// globals, so separate apps (and tests) never see each other.
import { Aspects, AspectPriority, ContextProvider, IAspect, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct, IConstruct } from 'constructs';
import { GITHUB_COM_ISSUER_HOST } from './constants';
import { hasConcreteEnv, providerArnOf } from './env';
import { errorAt, invalid } from './errors';
import type { GitHubIssuer } from '../github-issuer';

/** Marker the lookup returns when the account has no provider for the issuer. */
export const PROVIDER_NOT_FOUND = 'GITHUB_OIDC_PROVIDER_NOT_FOUND';

/** CloudFormation type the Cloud Control API context provider reads. */
export const PROVIDER_TYPE_NAME = 'AWS::IAM::OIDCProvider';

/** The provider a publisher's role trusts. */
export interface BoundProvider {
  /** The provider, created or imported. */
  readonly provider: iam.IOidcProvider;
  /**
   * Makes `dependent` (the role) wait for the provider where nothing else
   * orders them: a provider this app creates for lookup-or-create is
   * referenced by its literal ARN, not by a CloudFormation reference.
   */
  requireBefore(dependent: IConstruct): void;
}

/** Construct id of the provider a stack creates for an issuer; stable, part of the contract. */
export function createdProviderId(issuer: GitHubIssuer): string {
  return `GitHubOidcProvider${issuerSuffix(issuer)}`;
}

function importedProviderId(issuer: GitHubIssuer): string {
  return `ImportedGitHubOidcProvider${issuerSuffix(issuer)}`;
}

function issuerSuffix(issuer: GitHubIssuer): string {
  if (issuer.hostPath === GITHUB_COM_ISSUER_HOST) {
    return '';
  }
  return issuer.hostPath.split(/[^A-Za-z0-9]+/).filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
}

/** The context-provider query that looks the provider up (exported for tests and docs). */
export function providerLookupOptions(stack: Stack, issuer: GitHubIssuer) {
  return {
    provider: cxschema.ContextProvider.CC_API_PROVIDER,
    props: {
      typeName: PROVIDER_TYPE_NAME,
      exactIdentifier: providerArnOf(stack, issuer.hostPath),
      propertiesToReturn: ['Arn'],
    },
  };
}

const NO_DEPENDENCY = () => undefined;

/** `OidcProviderSource.fromProvider()`: the user's provider, if it is for the publisher's issuer. */
export function bindUserProvider(publisher: Construct, provider: iam.IOidcProvider, issuer: GitHubIssuer): BoundProvider {
  // A provider created in this app has a token issuer; its L1 still holds the literal URL.
  const cfn = provider.node.defaultChild;
  const issuerOfProvider = cfn instanceof iam.CfnOIDCProvider && typeof cfn.url === 'string' && !Token.isUnresolved(cfn.url)
    ? cfn.url
    : provider.oidcProviderIssuer;
  if (!Token.isUnresolved(issuerOfProvider) && issuerOfProvider.replace(/^https:\/\//, '') !== issuer.hostPath) {
    throw errorAt(publisher.node.path, [invalid('providerSource', issuerOfProvider, `is a provider for another issuer than ${issuer.url}`,
      'Pass the provider of the publisher\'s issuer, or set issuer to match the provider')]);
  }
  return { provider, requireBefore: NO_DEPENDENCY };
}

/** `OidcProviderSource.existing()`: the account's provider, by its ARN. */
export function bindExistingProvider(publisher: Construct, issuer: GitHubIssuer): BoundProvider {
  return { provider: importProvider(Stack.of(publisher), issuer), requireBefore: NO_DEPENDENCY };
}

/** `OidcProviderSource.create()`: the stack's own provider, one per stack and issuer. */
export function bindCreatedProvider(publisher: Construct, issuer: GitHubIssuer, audience: string, removalPolicy: RemovalPolicy): BoundProvider {
  const stack = Stack.of(publisher);
  const provider = ensureCreatedProvider(stack, issuer, audience, removalPolicy);
  if (provider.requestedRemovalPolicy !== removalPolicy) {
    throw errorAt(publisher.node.path, [invalid('providerSource', `OidcProviderSource.create({ removalPolicy: ${removalPolicy} })`,
      `conflicts with another publisher in stack "${stack.node.path}" that creates the same provider with removalPolicy ${provider.requestedRemovalPolicy}`,
      'All publishers of a stack share one provider; give them the same removal policy')]);
  }
  registryOf(stack).register(stack, issuer, audience, 'create', publisher);
  // The role references the provider created in its own stack: CloudFormation orders them.
  return { provider, requireBefore: NO_DEPENDENCY };
}

/** `OidcProviderSource.lookupOrCreate()`: import the account's provider, created by one stack of the app if the lookup finds none. */
export function bindLookupOrCreateProvider(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
  const stack = Stack.of(publisher);
  if (!hasConcreteEnv(stack)) {
    throw errorAt(publisher.node.path, [invalid('providerSource', 'OidcProviderSource.lookupOrCreate()',
      `cannot look up the GitHub OIDC provider from stack "${stack.node.path}", which has no concrete account and region`,
      'Set env: { account, region } on the stack, or pick OidcProviderSource.create() or OidcProviderSource.existing()')]);
  }
  const found = lookupProvider(publisher, stack, issuer);
  const entry = registryOf(stack).register(stack, issuer, audience, found ? 'found' : 'missing', publisher);
  return { provider: importProvider(stack, issuer), requireBefore: (dependent) => entry.dependents.push(dependent) };
}

function lookupProvider(scope: Construct, stack: Stack, issuer: GitHubIssuer): boolean {
  const value = ContextProvider.getValue(scope, {
    ...providerLookupOptions(stack, issuer),
    // Not found is an answer, cached like any other, not an error.
    mustExist: false,
    dummyValue: [{ Arn: PROVIDER_NOT_FOUND }],
  }).value;
  return Array.isArray(value) && value.length > 0 && typeof value[0]?.Arn === 'string' && value[0].Arn !== PROVIDER_NOT_FOUND;
}

function importProvider(stack: Stack, issuer: GitHubIssuer): iam.IOidcProvider {
  const id = importedProviderId(issuer);
  const existing = stack.node.tryFindChild(id) as iam.IOidcProvider | undefined;
  return existing ?? iam.OidcProviderNative.fromOidcProviderArn(stack, id, providerArnOf(stack, issuer.hostPath));
}

/** The provider a stack creates; remembers the removal policy its publishers asked for. */
class CreatedGitHubProvider extends iam.OidcProviderNative {
  constructor(scope: Construct, id: string, props: iam.OidcProviderNativeProps, public readonly requestedRemovalPolicy: RemovalPolicy) {
    super(scope, id, props);
  }
}

/** The stack's provider for the issuer, created on first use. */
function ensureCreatedProvider(stack: Stack, issuer: GitHubIssuer, audience: string, removalPolicy: RemovalPolicy): CreatedGitHubProvider {
  const id = createdProviderId(issuer);
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof CreatedGitHubProvider) {
    return existing;
  }
  return new CreatedGitHubProvider(stack, id, {
    url: issuer.url,
    clientIds: [audience],
    // No thumbprints: IAM verifies GitHub's issuer against its trusted root CAs.
    removalPolicy,
  }, removalPolicy);
}

type EntryKind = 'create' | 'found' | 'missing';

interface Entry {
  readonly stack: Stack;
  readonly issuer: GitHubIssuer;
  readonly audience: string;
  readonly kind: EntryKind;
  /** The publishers that use this entry (errors name the first). */
  readonly publishers: Construct[];
  /** What must wait for a provider this app creates (the roles). */
  readonly dependents: IConstruct[];
}

const REGISTRY_ID = 'CdkGitHubEcrPublisherProviderRegistry';

function registryOf(stack: Stack): ProviderRegistry {
  const root = stack.node.root;
  return (root.node.tryFindChild(REGISTRY_ID) as ProviderRegistry | undefined) ?? new ProviderRegistry(root, REGISTRY_ID);
}

/**
 * App-wide record of which stacks create, find or miss the provider. When the
 * app is synthesized (an aspect on the root, run before any template is
 * rendered) it makes exactly one stack per account and issuer create a missing
 * provider and makes the other stacks of that account depend on it.
 */
class ProviderRegistry extends Construct implements IAspect {
  private readonly entries: Entry[] = [];
  private decided = false;

  // The stages (app or nested Stage) whose synthesis triggers the decision.
  private readonly stages = new Set<IConstruct>();

  constructor(root: IConstruct, id: string) {
    super(root as Construct, id);
  }

  public register(stack: Stack, issuer: GitHubIssuer, audience: string, kind: EntryKind, publisher: Construct): Entry {
    // Aspects do not cross Stage boundaries, and nested Stages are synthesized
    // before the app: watch every stage that holds a publisher, and decide on
    // the first one synthesized (all constructs exist by then).
    const stage = Stage.of(stack) ?? this.node.root;
    if (!this.stages.has(stage)) {
      this.stages.add(stage);
      Aspects.of(stage).add(this, { priority: AspectPriority.MUTATING });
    }
    const found = this.entries.find((e) => e.stack === stack && e.issuer.hostPath === issuer.hostPath && e.kind === kind);
    if (found) {
      found.publishers.push(publisher);
      return found;
    }
    const entry: Entry = { stack, issuer, audience, kind, publishers: [publisher], dependents: [] };
    this.entries.push(entry);
    return entry;
  }

  public visit(node: IConstruct): void {
    if (this.decided || !this.stages.has(node)) {
      return;
    }
    this.decided = true;
    this.decide();
  }

  private decide(): void {
    const groups = new Map<string, Entry[]>();
    for (const entry of this.entries) {
      if (Token.isUnresolved(entry.stack.account)) {
        continue; // environment-agnostic create(): nothing to compare with
      }
      const key = `${entry.stack.account}|${entry.issuer.hostPath}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    for (const entries of groups.values()) {
      this.decideGroup(entries);
    }
  }

  private decideGroup(entries: Entry[]): void {
    // Code-point order, not localeCompare: every machine must pick the same creator.
    const byPath = (a: Entry, b: Entry) => (a.stack.node.path < b.stack.node.path ? -1 : a.stack.node.path > b.stack.node.path ? 1 : 0);
    const creatorEntries = entries.filter((e) => e.kind === 'create').sort(byPath);
    const creators = uniqueStacks(creatorEntries);
    const finders = entries.filter((e) => e.kind === 'found');
    const missing = entries.filter((e) => e.kind === 'missing').sort(byPath);
    const account = entries[0].stack.account;
    const issuer = entries[0].issuer;

    if (creators.length > 1) {
      throw errorAt(creatorEntries[creatorEntries.length - 1].publishers[0].node.path, [invalid('providerSource', 'OidcProviderSource.create()',
        `is used by stacks ${creators.map((s) => `"${s.node.path}"`).join(' and ')}, which share account ${account}; IAM allows one ${issuer.url} provider per account, so the second deploy would fail with EntityAlreadyExists`,
        'Create it in one stack and use OidcProviderSource.lookupOrCreate() (the default) or OidcProviderSource.existing() in the others')]);
    }
    if (creators.length === 1 && finders.length > 0) {
      throw errorAt(creatorEntries[0].publishers[0].node.path, [invalid('providerSource', 'OidcProviderSource.create()',
        `in stack "${creators[0].node.path}" would create the ${issuer.url} provider, but stack "${finders[0].stack.node.path}" looked it up and found it already exists in account ${account}`,
        'Use OidcProviderSource.lookupOrCreate() or OidcProviderSource.existing() instead')]);
    }
    if (missing.length === 0 || finders.length > 0) {
      // Nothing to create; or another stack's cached lookup already found the
      // provider (a stale "not found" elsewhere): every stack imports it by ARN.
      return;
    }
    const creatorStack = creators[0] ?? missing[0].stack;
    // The lookup-or-create provider is always retained: if a later lookup finds
    // it (context cleared) the resource leaves the template, and RETAIN keeps
    // it in the account for every role that trusts it.
    const provider = ensureCreatedProvider(creatorStack, issuer, missing[0].audience, RemovalPolicy.RETAIN);
    for (const entry of missing) {
      if (entry.stack === creatorStack) {
        // Only the roles need the provider first (the publishers' other children do not).
        entry.dependents.forEach((d) => d.node.addDependency(provider));
      } else if (Stage.of(entry.stack) === Stage.of(creatorStack)) {
        entry.stack.addDependency(creatorStack, `creates the ${issuer.url} OIDC provider of account ${account}`);
      }
    }
  }
}

function uniqueStacks(entries: Entry[]): Stack[] {
  return [...new Set(entries.map((e) => e.stack))];
}
