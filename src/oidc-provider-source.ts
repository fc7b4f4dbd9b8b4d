// SPDX-License-Identifier: Apache-2.0
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProviderSourceKind } from './private/provider-kind';

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
export class OidcProviderSource {
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
   * - Not found: one stack per account and issuer in the app creates it (the
   *   first by construct path, whatever the order of construction), retained on
   *   deletion; the other stacks of that account reference it by ARN and
   *   depend on the creating stack.
   *
   * The stack must have a concrete `env` (account and region); an
   * environment-agnostic stack cannot look anything up.
   */
  public static lookupOrCreate(): OidcProviderSource {
    return new OidcProviderSource(ProviderSourceKind.LOOKUP_OR_CREATE);
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
    return new OidcProviderSource(ProviderSourceKind.CREATE, undefined, options.removalPolicy);
  }

  /**
   * Use the provider that already exists in the stack's account, by its
   * deterministic, partition-aware ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/<issuer host and path>`).
   */
  public static existing(): OidcProviderSource {
    return new OidcProviderSource(ProviderSourceKind.EXISTING);
  }

  /**
   * Use a provider you manage yourself.
   *
   * Its issuer must be the publisher's `issuer`.
   *
   * @param provider the identity provider, e.g. `iam.OidcProviderNative.fromOidcProviderArn(...)`
   */
  public static fromProvider(provider: iam.IOidcProvider): OidcProviderSource {
    return new OidcProviderSource(ProviderSourceKind.PROVIDER, provider);
  }

  /** @internal */
  public readonly _kind: ProviderSourceKind;
  /** @internal */
  public readonly _provider?: iam.IOidcProvider;
  /** @internal */
  public readonly _removalPolicy?: RemovalPolicy;

  private constructor(kind: ProviderSourceKind, provider?: iam.IOidcProvider, removalPolicy?: RemovalPolicy) {
    this._kind = kind;
    this._provider = provider;
    this._removalPolicy = removalPolicy;
  }
}
