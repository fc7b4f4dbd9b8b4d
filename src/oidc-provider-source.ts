// SPDX-License-Identifier: Apache-2.0
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubIssuer } from './github-issuer';
import {
  BoundProvider, bindCreatedProvider, bindExistingProvider, bindLookupOrCreateProvider, bindUserProvider,
} from './private/provider-registry';

/**
 * Options for an identity provider the publisher creates.
 */
export interface CreateOidcProviderOptions {
  /**
   * What happens to the provider when it is removed from the stack or the
   * stack is deleted.
   *
   * The provider is shared by every role in the account that trusts GitHub,
   * so it is retained by default. Use `RemovalPolicy.DESTROY` only for
   * throw-away accounts (integration tests).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where the GitHub OIDC identity provider comes from.
 *
 * IAM allows one provider per issuer URL per account. The provider is global
 * to the account (all regions), so stacks for two regions of one account share
 * it.
 */
export abstract class OidcProviderSource {
  /**
   * Look the provider up at synth time and create it only if the account has
   * none (the default).
   *
   * The lookup goes through the CDK context-provider mechanism (Cloud Control
   * API, `AWS::IAM::OIDCProvider` by its ARN), so its answer, "found" or "not
   * found", is cached in `cdk.context.json` like every lookup; no Lambda and no
   * custom resource are involved.
   *
   * - Found: the provider is imported.
   * - Not found: one stack per account and issuer in the app creates it,
   *   retained on deletion; the other stacks of that account reference it by
   *   ARN and depend on the creating stack. That stack is a stack of the app
   *   that declares the provider (`create()`, or `GitHubOidcProviderStackSet`
   *   with `includeThisAccount`), else the base stack of a
   *   `GitHubEcrPublisherFleet` of the account (the first by construct path),
   *   else the first stack by construct path, whatever the order of construction.
   *
   * The stack must have a concrete `env` (account and region); an
   * environment-agnostic stack cannot look anything up.
   */
  public static lookupOrCreate(): OidcProviderSource {
    return new LookupOrCreateSource();
  }

  /**
   * Create the provider in this stack (`AWS::IAM::OIDCProvider`, no
   * thumbprints, retained on deletion by default).
   *
   * Every publisher in the stack shares the one provider. Creating it in two
   * stacks of one account fails at deploy time with `EntityAlreadyExists`, so
   * synth fails first when two stacks of the same concrete account would.
   *
   * @param options how the created provider is removed
   */
  public static create(options: CreateOidcProviderOptions = {}): OidcProviderSource {
    return new CreateSource(options.removalPolicy ?? RemovalPolicy.RETAIN);
  }

  /**
   * Use the provider that already exists in the stack's account, by its
   * deterministic, partition-aware ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/<issuer host and path>`).
   */
  public static existing(): OidcProviderSource {
    return new ExistingSource();
  }

  /**
   * Use a provider you manage yourself.
   *
   * Its issuer must be the publisher's `issuer`.
   *
   * @param provider the identity provider, e.g. `iam.OidcProviderNative.fromOidcProviderArn(...)`
   */
  public static fromProvider(provider: iam.IOidcProvider): OidcProviderSource {
    return new UserProviderSource(provider);
  }

  protected constructor() {}

  /**
   * Resolves the source to the provider one publisher's role trusts.
   *
   * @internal
   */
  public abstract _bind(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider;
}

class LookupOrCreateSource extends OidcProviderSource {
  public _bind(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
    return bindLookupOrCreateProvider(publisher, issuer, audience);
  }
}

class CreateSource extends OidcProviderSource {
  constructor(private readonly removalPolicy: RemovalPolicy) {
    super();
  }

  public _bind(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
    return bindCreatedProvider(publisher, issuer, audience, this.removalPolicy);
  }
}

class ExistingSource extends OidcProviderSource {
  public _bind(publisher: Construct, issuer: GitHubIssuer, audience: string): BoundProvider {
    return bindExistingProvider(publisher, issuer, audience);
  }
}

class UserProviderSource extends OidcProviderSource {
  constructor(private readonly provider: iam.IOidcProvider) {
    super();
  }

  public _bind(publisher: Construct, issuer: GitHubIssuer): BoundProvider {
    return bindUserProvider(publisher, this.provider, issuer);
  }
}
