// SPDX-License-Identifier: Apache-2.0
//
// ECR managed signing: the registry's signing configuration
// (AWS::ECR::SigningConfiguration) is one object per account and region, so
// the publishers of every stack of the app that sign contribute repository
// filters to one configuration, held with its signing profile by one stack of
// that account and region (home-stacks.ts picks it: a fleet's base stack
// first). The record lives in the construct tree, like the provider registry.
import { Annotations, Arn, ArnFormat, Lazy, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct, IConstruct } from 'constructs';
import { WARNING_PREFIX } from './constants';
import { at, errorAt, failAt, invalid } from './errors';
import { AppWideRegistry, appWideRegistry, homesWithinReach, ownerStack, Reach } from './home-stacks';

/**
 * The ECR API's limits of a registry's signing configuration
 * (API_SigningConfiguration: 10 rules; API_SigningRule: 100 repository
 * filters per rule). CloudFormation's schema allows 50 rules, but the API
 * it calls binds.
 */
export const MAX_SIGNING_RULES = 10;
export const MAX_FILTERS_PER_RULE = 100;

/**
 * The regions whose CloudFormation resource specification (cfn-lint 1.58.0's
 * provider schemas, dated 2026-10-20) has both AWS::ECR::SigningConfiguration
 * and AWS::Signer::SigningProfile. A region missing from it (the China
 * regions, and several opened since 2021) would fail the deploy with an
 * unknown resource type.
 */
export const SIGNING_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-isoe-west-1', 'eu-north-1', 'eu-south-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eusc-de-east-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1', 'us-iso-east-1',
  'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'us-isof-east-1', 'us-isof-south-1', 'us-west-1', 'us-west-2',
];

/** Construct IDs of what the owning stack holds; stable, part of the contract. */
export const SIGNING_PROFILE_ID = 'EcrImageSigningProfile';
export const SIGNING_CONFIGURATION_ID = 'EcrSigningConfiguration';

/** What signing means for one publisher. */
export interface BoundSigning {
  /** Whether ECR signs what the publisher pushes (the workflow then waits for the signature). */
  readonly signed: boolean;
  /** The signing profile the role may sign with (a token for the profile this app creates). */
  readonly profileArn?: string;
}

type EntryKind = 'managed' | 'elsewhere' | 'none';

interface Entry {
  readonly stack: Stack;
  readonly publisher: Construct;
  readonly repositoryName: string;
  /** The name prefix a wildcard filter may cover (a fleet's `owner/`); none: an exact filter only. */
  readonly namespace?: string;
  readonly kind: EntryKind;
}

/** `ImageSigning.managed()`: this app's profile and configuration sign the repository. */
export function bindManagedSigning(publisher: Construct, repositoryName: string, namespace?: string): BoundSigning {
  const stack = Stack.of(publisher);
  checkSigningEnvironment(publisher, stack);
  const registry = registryOf(stack);
  registry.register({ stack, publisher, repositoryName, namespace, kind: 'managed' });
  return { signed: true, profileArn: Lazy.string({ produce: () => registry.profileArnOf(stack) }) };
}

/** `ImageSigning.configuredElsewhere()`: grant and wait only. */
export function bindConfiguredElsewhere(publisher: Construct, repositoryName: string, profileArn: string): BoundSigning {
  const stack = Stack.of(publisher);
  checkProfileArn(publisher, stack, profileArn);
  registryOf(stack).register({ stack, publisher, repositoryName, kind: 'elsewhere' });
  return { signed: true, profileArn };
}

/** No signing: recorded, so that no wildcard filter of the app matches the repository. */
export function bindNoSigning(publisher: Construct, repositoryName: string): BoundSigning {
  const stack = Stack.of(publisher);
  if (!Token.isUnresolved(repositoryName)) {
    registryOf(stack).register({ stack, publisher, repositoryName, kind: 'none' });
  }
  return { signed: false };
}

function checkSigningEnvironment(publisher: Construct, stack: Stack): void {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    failAt(publisher.node.path, [invalid('imageSigning', 'ImageSigning.managed()',
      `needs stack "${stack.node.path}" to have a concrete account and region: the registry's signing configuration is one per account and region`,
      'Set env: { account, region } on the stack')]);
  }
  if (!SIGNING_REGIONS.includes(stack.region)) {
    failAt(publisher.node.path, [invalid('imageSigning', 'ImageSigning.managed()',
      `is not available in region ${stack.region}: its CloudFormation resource specification has no AWS::ECR::SigningConfiguration or AWS::Signer::SigningProfile, so the deploy would fail`,
      `Sign in one of ${SIGNING_REGIONS.join(', ')}, or configure signing there outside CloudFormation and use ImageSigning.configuredElsewhere()`)]);
  }
}

function checkProfileArn(publisher: Construct, stack: Stack, profileArn: string): void {
  if (Token.isUnresolved(profileArn)) {
    return;
  }
  const problem = (problemText: string, allowed: string) => errorAt(publisher.node.path, [invalid('imageSigning', profileArn, problemText, allowed)]);
  if (!/^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,64}$/.test(profileArn)) {
    throw problem('is not the ARN of an AWS Signer signing profile',
      'Give arn:<partition>:signer:<region>:<account>:/signing-profiles/<name> (the profile, not a profile version)');
  }
  const { account, region } = Arn.split(profileArn, ArnFormat.SLASH_RESOURCE_NAME);
  if ((!Token.isUnresolved(stack.region) && region !== stack.region) || (!Token.isUnresolved(stack.account) && account !== stack.account)) {
    throw problem(`is a profile of ${account}/${region}, but the repository is in ${stack.account}/${stack.region}; ECR signs only with a profile of the registry's own account and region`,
      'Give the profile of the signing rule of this registry');
  }
}

const REGISTRY_ID = 'CdkGitHubEcrPublisherSigningRegistry';

function registryOf(stack: Stack): SigningRegistry {
  return appWideRegistry(stack, REGISTRY_ID, (root, id) => new SigningRegistry(root, id));
}

/** The profile and configuration of one registry (account and region). */
interface Owned {
  readonly stack: Stack;
  readonly profile: signer.SigningProfile;
}

/**
 * App-wide record of the publishers' signing. When the app is synthesized it
 * creates, per account and region with managed signing, the profile and the
 * configuration in one stack, with filters for exactly the signing
 * repositories, and refuses what ECR would refuse or what two owners would
 * fight over.
 */
class SigningRegistry extends AppWideRegistry {
  private readonly entries: Entry[] = [];
  private readonly owned = new Map<string, Owned>();

  constructor(root: IConstruct, id: string) {
    super(root, id);
  }

  public register(entry: Entry): void {
    this.watch(entry.stack);
    this.entries.push(entry);
  }

  /** The ARN of the profile that signs for `stack`'s registry (decided by then). */
  public profileArnOf(stack: Stack): string {
    const owned = this.owned.get(registryKey(stack));
    if (!owned) {
      throw new Error(`no signing profile was decided for ${stack.node.path}`);
    }
    return owned.profile.signingProfileArn;
  }

  protected decide(): void {
    const groups = new Map<string, Entry[]>();
    for (const entry of this.entries) {
      if (Token.isUnresolved(entry.stack.account) || Token.isUnresolved(entry.stack.region)) {
        continue; // no managed signing there (refused at bind): nothing to decide
      }
      const key = registryKey(entry.stack);
      groups.set(key, groups.get(key) ?? []);
      groups.get(key)!.push(entry);
    }
    for (const [key, entries] of groups) {
      const managed = entries.filter((e) => e.kind === 'managed');
      if (managed.length > 0) {
        this.owned.set(key, this.decideRegistry(entries, managed));
      }
    }
  }

  private decideRegistry(entries: Entry[], managed: Entry[]): Owned {
    const { account, region } = managed[0].stack;
    const elsewhere = entries.find((e) => e.kind === 'elsewhere');
    if (elsewhere) {
      failAt(elsewhere.publisher.node.path, [invalid('imageSigning', 'ImageSigning.configuredElsewhere()',
        `says the signing configuration of registry ${account}/${region} is managed elsewhere, but ${managed[0].publisher.node.path} has ImageSigning.managed(), so this app manages it: one registry has one signing configuration`,
        'Use ImageSigning.managed() for every publisher of this account and region, or configuredElsewhere() for all of them')]);
    }
    const stack = ownerStack(managed.map((e) => e.stack), Reach.REGION);
    const homes = homesWithinReach(stack, Reach.REGION);
    if (homes.length > 1) {
      Annotations.of(stack).addWarningV2(`${WARNING_PREFIX}:signingHome`,
        `${homes.length} fleets of ${account}/${region} could hold the registry's signing configuration (${homes.map((h) => h.node.path).join(', ')}); ` +
        `it is created in ${stack.node.path}, the first by construct path. If another of them held it in an earlier deploy, move it with stack refactoring (cdk refactor) ` +
        'before deploying: deleting it from one stack is assumed to clear the registry\'s configuration.');
    }
    const otherStage = managed.find((e) => Stage.of(e.stack) !== Stage.of(stack));
    if (otherStage) {
      failAt(otherStage.publisher.node.path, [invalid('imageSigning', 'ImageSigning.managed()',
        `is used in stages "${Stage.of(stack)?.node.path || '(app)'}" and "${Stage.of(otherStage.stack)?.node.path || '(app)'}", which share registry ${account}/${region}; each stage would deploy its own signing configuration of that registry, and the second would replace the first`,
        'Sign from one stage per account and region, and use ImageSigning.configuredElsewhere() with its profile in the others')]);
    }
    const filters = signingFilters(
      managed.map((e) => ({ name: e.repositoryName, namespace: e.namespace })),
      entries.filter((e) => e.kind === 'none').map((e) => e.repositoryName));
    const rules = at(stack.node.path, () => ruleCount(managed.length, filters.length, `${account}/${region}`));
    const profile = new signer.SigningProfile(stack, SIGNING_PROFILE_ID, {
      platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA,
      // No name: a fixed name of a retained profile would collide when the
      // stack is created again; CloudFormation's generated names never do.
    });
    // Deleting a profile cancels it: every signature it made stops verifying.
    profile.applyRemovalPolicy(RemovalPolicy.RETAIN);
    new ecr.CfnSigningConfiguration(stack, SIGNING_CONFIGURATION_ID, {
      rules: Array.from({ length: rules }, (_, i) => ({
        signingProfileArn: profile.signingProfileArn,
        repositoryFilters: filters.slice(i * MAX_FILTERS_PER_RULE, (i + 1) * MAX_FILTERS_PER_RULE)
          .map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
      })),
    });
    return { stack, profile };
  }
}

/** The rules `filters` filters take, within ECR's limits (10 rules of 100 filters). */
export function ruleCount(repositories: number, filters: number, registry: string): number {
  const rules = Math.ceil(filters / MAX_FILTERS_PER_RULE);
  if (rules > MAX_SIGNING_RULES) {
    throw invalid('imageSigning', `${repositories} signing repositories`,
      `need ${filters} repository filters in registry ${registry}, more than the ${MAX_SIGNING_RULES * MAX_FILTERS_PER_RULE} ECR allows (${MAX_SIGNING_RULES} rules of ${MAX_FILTERS_PER_RULE} filters); ` +
      'a fleet needs one wildcard filter when all its repositories sign, and more for each one that opts out',
      'Let fewer repositories of the fleet opt out (ImageSigning.none()), or sign the whole fleet');
  }
  return rules;
}

function registryKey(stack: Stack): string {
  return `${stack.account}|${stack.region}`;
}

/** A signing repository, and the prefix a wildcard may cover for it. */
export interface SigningName {
  readonly name: string;
  /** A prefix the app owns (a fleet's `owner/`); without it the repository gets an exact filter. */
  readonly namespace?: string;
}

/**
 * The fewest WILDCARD_MATCH filters (in the simple form this builds: a name,
 * or a prefix and `*`) that match every signing repository and none of
 * `unsigned`: the repositories of a namespace share `<namespace>*` when none
 * of the unsigned ones is in it, else their prefixes split at the first
 * character that sets them apart from the unsigned ones. Repositories
 * without a namespace get their exact name.
 */
export function signingFilters(signed: SigningName[], unsigned: string[]): string[] {
  const out = new Set<string>();
  const byNamespace = new Map<string, string[]>();
  for (const { name, namespace } of signed) {
    if (namespace === undefined || !name.startsWith(namespace) || Token.isUnresolved(name)) {
      out.add(name);
    } else {
      byNamespace.set(namespace, byNamespace.get(namespace) ?? []);
      byNamespace.get(namespace)!.push(name);
    }
  }
  for (const [namespace, names] of byNamespace) {
    const excluded = unsigned.filter((u) => u.startsWith(namespace));
    cover(namespace, [...new Set(names)], excluded).forEach((f) => out.add(f));
  }
  return [...out].sort();
}

function cover(prefix: string, names: string[], excluded: string[]): string[] {
  if (names.length === 1) {
    return names; // one repository: its exact name is as short a filter list, and narrower
  }
  const inPrefix = excluded.filter((e) => e.startsWith(prefix));
  if (inPrefix.length === 0) {
    return [`${prefix}*`];
  }
  const out = names.includes(prefix) ? [prefix] : [];
  const next = new Map<string, string[]>();
  for (const name of names.filter((n) => n.length > prefix.length)) {
    const c = name[prefix.length];
    next.set(c, next.get(c) ?? []);
    next.get(c)!.push(name);
  }
  for (const [c, group] of next) {
    out.push(...cover(prefix + c, group, inPrefix));
  }
  return out;
}
