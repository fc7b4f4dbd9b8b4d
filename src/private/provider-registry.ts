// SPDX-License-Identifier: Apache-2.0
//
// Resolves an OidcProviderSource to a provider, keeping IAM's rule of one
// provider per issuer per account across every stack of the app.
//
// State lives in the construct tree (a child of the app root), never in module
// globals, so separate apps (and tests) never see each other.
import { Annotations, Arn, ArnFormat, ContextProvider, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct, IConstruct } from 'constructs';
import { GITHUB_COM_ISSUER_HOST, PROVIDER_LOOKUP_PROPERTIES, PROVIDER_NOT_FOUND, PROVIDER_TYPE_NAME, WARNING_PREFIX } from './constants';
import { hasConcreteEnv, providerArnOf, stsAudienceOf } from './env';
import { failAt, invalid } from './errors';
import { AppWideRegistry, appWideRegistry, byPath, homesWithinReach, ownerStack, Reach } from './home-stacks';
import { explainFailedProviderLookup } from './lookup-help';
import type { GitHubIssuer } from '../github-issuer';

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
  return lookupOptions(stack, issuer, [...PROVIDER_LOOKUP_PROPERTIES]);
}

/**
 * The query of versions before the lookup read the client IDs. Its answer,
 * committed in cdk.context.json, is still used (so that offline synth keeps
 * working), without the audience check, until it is refreshed.
 */
export function legacyProviderLookupOptions(stack: Stack, issuer: GitHubIssuer) {
  return lookupOptions(stack, issuer, ['Arn']);
}

function lookupOptions(stack: Stack, issuer: GitHubIssuer, propertiesToReturn: string[]) {
  return {
    provider: cxschema.ContextProvider.CC_API_PROVIDER,
    props: {
      typeName: PROVIDER_TYPE_NAME,
      exactIdentifier: providerArnOf(stack, issuer.hostPath),
      propertiesToReturn,
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
    failAt(publisher.node.path, [invalid('providerSource', issuerOfProvider, `is a provider for another issuer than ${issuer.url}`,
      'Pass the provider of the publisher\'s issuer, or set issuer to match the provider')]);
  }
  // STS accepts a web identity only through a provider in the role's own account.
  const account = Stack.of(publisher).account;
  const providerAccount = accountOf(provider);
  if (providerAccount !== undefined && !Token.isUnresolved(account) && providerAccount !== account) {
    failAt(publisher.node.path, [invalid('providerSource', provider.oidcProviderArn,
      `is a provider of account ${providerAccount}, but the role is in account ${account}; STS accepts a token only through a provider in the role's account`,
      'Pass the provider of the publisher\'s own account, or use OidcProviderSource.lookupOrCreate() (the default) or existing()')]);
  }
  return { provider, requireBefore: NO_DEPENDENCY };
}

/** The account of a provider: from a literal ARN, or of the stack that creates it. */
function accountOf(provider: iam.IOidcProvider): string | undefined {
  const arn = provider.oidcProviderArn;
  const account = Token.isUnresolved(arn) ? Stack.of(provider).account : Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).account;
  return account === undefined || Token.isUnresolved(account) ? undefined : account;
}

/** `OidcProviderSource.existing()`: the account's provider, by its ARN. */
export function bindExistingProvider(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
  const stack = Stack.of(publisher);
  // A provider this app declares in the account (a create() stack, the StackSet's
  // includeThisAccount) is created in the same deployment: the role waits for it.
  const entry = registryOf(stack).register(stack, issuer, audience, 'existing', publisher);
  return { provider: importProvider(stack, issuer), requireBefore: (dependent) => entry.dependents.push(dependent) };
}

/** `OidcProviderSource.create()`: the stack's own provider, one per stack and issuer. */
export function bindCreatedProvider(publisher: Construct, issuer: GitHubIssuer, audience: string, removalPolicy: RemovalPolicy): BoundProvider {
  const stack = Stack.of(publisher);
  const provider = ensureCreatedProvider(stack, issuer, audience, removalPolicy);
  if (provider.requestedRemovalPolicy !== removalPolicy) {
    failAt(publisher.node.path, [invalid('providerSource', `OidcProviderSource.create({ removalPolicy: ${removalPolicy} })`,
      `conflicts with another publisher in stack "${stack.node.path}" that creates the same provider with removalPolicy ${provider.requestedRemovalPolicy}`,
      'All publishers of a stack share one provider; give them the same removal policy')]);
  }
  registryOf(stack).register(stack, issuer, audience, 'create', publisher, provider);
  // The role references the provider created in its own stack: CloudFormation orders them.
  return { provider, requireBefore: NO_DEPENDENCY };
}

/** `OidcProviderSource.lookupOrCreate()`: import the account's provider, created by one stack of the app if the lookup finds none. */
export function bindLookupOrCreateProvider(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
  const stack = Stack.of(publisher);
  if (!hasConcreteEnv(stack)) {
    failAt(publisher.node.path, [invalid('providerSource', 'OidcProviderSource.lookupOrCreate()',
      `cannot look up the GitHub OIDC provider from stack "${stack.node.path}", which has no concrete account and region`,
      'Set env: { account, region } on the stack, or pick OidcProviderSource.create() or OidcProviderSource.existing()')]);
  }
  const found = lookupProvider(publisher, stack, issuer);
  if (found?.clientIds !== undefined && !found.clientIds.includes(audience)) {
    failAt(publisher.node.path, [invalid('providerSource', found.arn,
      `is the account's GitHub OIDC provider, but its client IDs ${JSON.stringify(found.clientIds)} lack the audience "${audience}" the role requires: every run would fail with "Incorrect token audience"`,
      `Add it (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${found.arn} --client-id ${audience}), ` +
      `then refresh the lookup: cdk context --reset ${ContextProvider.getKey(publisher, providerLookupOptions(stack, issuer)).key}`)]);
  }
  const entry = registryOf(stack).register(stack, issuer, audience, found ? 'found' : 'missing', publisher);
  return { provider: importProvider(stack, issuer), requireBefore: (dependent) => entry.dependents.push(dependent) };
}

interface FoundProvider {
  readonly arn: string;
  /** Unknown when the answer comes from the lookup of an earlier version. */
  readonly clientIds?: string[];
}

// One answer per stack and issuer: every publisher of a stack would read the
// same context entry (the key depends only on the stack's account, region and
// the issuer), and fleets have hundreds of publishers per stack.
const LOOKUPS = new WeakMap<Stack, Map<string, FoundProvider | undefined>>();

/** The account's provider, if the lookup (or its cached answer) found one. */
function lookupProvider(scope: Construct, stack: Stack, issuer: GitHubIssuer): FoundProvider | undefined {
  const answers = LOOKUPS.get(stack) ?? new Map<string, FoundProvider | undefined>();
  LOOKUPS.set(stack, answers);
  if (!answers.has(issuer.hostPath)) {
    answers.set(issuer.hostPath, readLookup(scope, stack, issuer));
  }
  return answers.get(issuer.hostPath);
}

function readLookup(scope: Construct, stack: Stack, issuer: GitHubIssuer): FoundProvider | undefined {
  const current = providerLookupOptions(stack, issuer);
  if (scope.node.tryGetContext(ContextProvider.getKey(scope, current).key) === undefined) {
    const legacy = legacyProviderLookupOptions(stack, issuer);
    const legacyKey = ContextProvider.getKey(scope, legacy).key;
    const answer = scope.node.tryGetContext(legacyKey);
    if (answer !== undefined) {
      Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}:legacyProviderLookup`,
        'cdk.context.json holds the GitHub OIDC provider lookup of an earlier version of cdk-github-ecr-publisher, which did not read the provider\'s client IDs, ' +
        `so the audience is not checked. Refresh it with AWS credentials: cdk context --reset ${legacyKey} && cdk synth`);
      return foundIn(answer);
    }
  }
  explainFailedProviderLookup(scope, ContextProvider.getKey(scope, current).key);
  const value = ContextProvider.getValue(scope, {
    ...current,
    // Not found is an answer, cached like any other, not an error.
    mustExist: false,
    dummyValue: [{ Arn: PROVIDER_NOT_FOUND }],
  }).value;
  return foundIn(value);
}

function foundIn(value: unknown): FoundProvider | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  if (typeof first !== 'object' || first === null) {
    return undefined;
  }
  const { Arn: arn, ClientIdList: clientIds } = first as { Arn?: unknown; ClientIdList?: unknown };
  if (typeof arn !== 'string' || arn === PROVIDER_NOT_FOUND) {
    return undefined;
  }
  return { arn, clientIds: Array.isArray(clientIds) ? clientIds.map(String) : undefined };
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

/**
 * How a stack of the app relates to the account's provider: it creates it
 * (`create()`), another construct declares it (`GitHubOidcProviderStackSet`
 * with `includeThisAccount`), its lookup found it or missed it, or it imports
 * it by ARN (`existing()`).
 */
type EntryKind = 'create' | 'declared' | 'found' | 'missing' | 'existing';

interface Entry {
  readonly stack: Stack;
  readonly issuer: GitHubIssuer;
  readonly audience: string;
  readonly kind: EntryKind;
  /** The publishers (or the declaring construct) that use this entry (errors name the first). */
  readonly publishers: Construct[];
  /** What must wait for a provider this app creates (the roles). */
  readonly dependents: IConstruct[];
  /** The provider of a `create` or `declared` entry. */
  readonly provider?: iam.IOidcProvider;
}

const REGISTRY_ID = 'CdkGitHubEcrPublisherProviderRegistry';

function registryOf(stack: Stack): ProviderRegistry {
  return appWideRegistry(stack, REGISTRY_ID, (root, id) => new ProviderRegistry(root, id));
}

/**
 * `GitHubOidcProviderStackSet({ includeThisAccount: true })`: a provider the
 * app declares outside any publisher. It counts as a creator: the publishers
 * of its account use it, and any other creator of the account is an error.
 */
export function declareProvider(declarer: Construct, provider: iam.IOidcProvider, issuer: GitHubIssuer): void {
  const stack = Stack.of(declarer);
  registryOf(stack).register(stack, issuer, stsAudienceOf(stack), 'declared', declarer, provider);
}

/**
 * App-wide record of which stacks create, find or miss the provider. When the
 * app is synthesized (an aspect on the root, run before any template is
 * rendered) it makes exactly one stack per account and issuer create a missing
 * provider (a home stack first: see home-stacks.ts) and makes the other stacks
 * of that account depend on it.
 */
class ProviderRegistry extends AppWideRegistry {
  private readonly entries: Entry[] = [];

  constructor(root: IConstruct, id: string) {
    super(root, id);
  }

  public register(stack: Stack, issuer: GitHubIssuer, audience: string, kind: EntryKind, publisher: Construct, provider?: iam.IOidcProvider): Entry {
    this.watch(stack);
    const found = kind !== 'declared' && this.entries.find((e) => e.stack === stack && e.issuer.hostPath === issuer.hostPath && e.kind === kind);
    if (found) {
      found.publishers.push(publisher);
      return found;
    }
    const entry: Entry = { stack, issuer, audience, kind, publishers: [publisher], dependents: [], provider };
    this.entries.push(entry);
    return entry;
  }

  protected decide(): void {
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
    const byStackPath = (a: Entry, b: Entry) => byPath(a.stack, b.stack);
    // One entry per provider: the create() publishers of a stack share one entry, each StackSet has its own.
    const creators = entries.filter((e) => e.kind === 'create' || e.kind === 'declared').sort(byStackPath);
    const finders = entries.filter((e) => e.kind === 'found');
    const missing = entries.filter((e) => e.kind === 'missing').sort(byStackPath);
    const account = entries[0].stack.account;
    const issuer = entries[0].issuer;

    if (creators.length > 1) {
      const [first, second] = creators;
      if (creators.every((c) => c.kind === 'create')) {
        failAt(creators[creators.length - 1].publishers[0].node.path, [invalid('providerSource', 'OidcProviderSource.create()',
          `is used by stacks ${creators.map((c) => `"${c.stack.node.path}"`).join(' and ')}, which share account ${account}; IAM allows one ${issuer.url} provider per account, so the second deploy would fail with EntityAlreadyExists`,
          'Create it in one stack and use OidcProviderSource.lookupOrCreate() (the default) or OidcProviderSource.existing() in the others')]);
      }
      const [prop, value] = declarationOf(second);
      failAt(second.publishers[0].node.path, [invalid(prop, value,
        `creates the ${issuer.url} provider of account ${account}, and so does ${describeCreator(first)}; IAM allows one per account, so the second deploy would fail with EntityAlreadyExists`,
        'Keep one of them: the other publishers of the account use it with OidcProviderSource.lookupOrCreate() (the default) or OidcProviderSource.existing()')]);
    }
    // A lookup that finds the provider while the StackSet declares it has
    // found the StackSet's own once that is deployed (every later lookup of the
    // account does): not an error, unlike an explicit create().
    if (creators.length === 1 && creators[0].kind === 'create' && finders.length > 0) {
      failAt(creators[0].publishers[0].node.path, [invalid('providerSource', 'OidcProviderSource.create()',
        `in stack "${creators[0].stack.node.path}" would create the ${issuer.url} provider, but stack "${finders[0].stack.node.path}" looked it up and found it already exists in account ${account}`,
        'Use OidcProviderSource.lookupOrCreate() or OidcProviderSource.existing() instead')]);
    }
    if (creators.length === 1) {
      // The app declares the provider: every stack of its account that uses it
      // by ARN waits for it.
      this.requireBefore(creators[0].stack, creators[0].provider!, entries.filter((e) => e.kind === 'missing' || e.kind === 'existing'));
      return;
    }
    if (missing.length === 0 || finders.length > 0) {
      // Nothing to create; or another stack's cached lookup already found the
      // provider (a stale "not found" elsewhere): every stack imports it by ARN.
      return;
    }
    const creatorStack = ownerStack(missing.map((e) => e.stack), Reach.ACCOUNT);
    const homes = homesWithinReach(creatorStack, Reach.ACCOUNT);
    if (homes.length > 1) {
      Annotations.of(creatorStack).addWarningV2(`${WARNING_PREFIX}:providerHome`,
        `${homes.length} fleets of account ${account} could hold the ${issuer.url} provider (${homes.map((h) => h.node.path).join(', ')}); ` +
        `it is created in ${creatorStack.node.path}, the first by construct path. If another of them created it in an earlier deploy, ` +
        'move it with stack refactoring (cdk refactor) before deploying, or refresh the provider lookup (cdk context --reset) so that it is imported.');
    }
    // The lookup-or-create provider is always retained: if a later lookup finds
    // it (context cleared) the resource leaves the template, and RETAIN keeps
    // it in the account for every role that trusts it.
    const provider = ensureCreatedProvider(creatorStack, issuer, missing[0].audience, RemovalPolicy.RETAIN);
    this.requireBefore(creatorStack, provider, missing);
  }

  /** Makes the roles of `entries` wait for `provider` of `creatorStack` where CloudFormation can order them. */
  private requireBefore(creatorStack: Stack, provider: iam.IOidcProvider, entries: Entry[]): void {
    for (const entry of entries) {
      if (entry.stack === creatorStack || Stage.of(entry.stack) === Stage.of(creatorStack)) {
        // Only the roles need the provider first (the publishers' other
        // children do not). Across stacks of one stage, a construct
        // dependency becomes a stack dependency, as Stack.addDependency does
        // (deprecated in newer aws-cdk-lib, its replacement missing in older
        // releases); between the roles and the provider it costs one pair of
        // resources per role instead of every pair of the two stacks.
        entry.dependents.forEach((d) => d.node.addDependency(provider));
      }
    }
  }
}

/** The prop and value that made an entry a creator, for errors. */
function declarationOf(entry: Entry): [string, string | boolean] {
  return entry.kind === 'create' ? ['providerSource', 'OidcProviderSource.create()'] : ['includeThisAccount', true];
}

function describeCreator(entry: Entry): string {
  return entry.kind === 'create'
    ? `OidcProviderSource.create() of ${entry.publishers[0].node.path} in stack "${entry.stack.node.path}"`
    : `GitHubOidcProviderStackSet ${entry.publishers[0].node.path} (includeThisAccount) in stack "${entry.stack.node.path}"`;
}
