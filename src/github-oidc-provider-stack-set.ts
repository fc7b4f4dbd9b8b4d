// SPDX-License-Identifier: Apache-2.0
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aws, CfnCondition, CfnParameter, DefaultStackSynthesizer, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cfn from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { GitHubIssuer } from './github-issuer';
import { checkAll, invalid } from './private/errors';
import { declareProvider } from './private/provider-registry';

/**
 * Properties of a {@link GitHubOidcProviderStackSet}.
 */
export interface GitHubOidcProviderStackSetProps {
  /**
   * The organizational units (`ou-...`, or the root `r-...`) whose accounts
   * get the provider, now and whenever an account joins them.
   */
  readonly organizationalUnitIds: string[];

  /**
   * Accounts of those units that already have the provider: their stack
   * instance only publishes its ARN (the template's `CreateProvider`
   * parameter is `false` for them), so nothing collides with it.
   *
   * @default - every account gets a new provider
   */
  readonly accountsWithProvider?: string[];

  /**
   * The one region each account's stack instance is deployed to. IAM is
   * global, so one region per account is enough; the SSM parameter lives in
   * this region.
   *
   * @default - the region of this stack
   */
  readonly region?: string;

  /**
   * The SSM parameter (String) that holds the provider ARN in every account.
   *
   * @default "/github/oidc-provider-arn"
   */
  readonly parameterName?: string;

  /**
   * The GitHub OIDC issuer.
   *
   * @default GitHubIssuer.GITHUB_COM
   */
  readonly issuer?: GitHubIssuer;

  /**
   * Also create the provider (and the parameter) in this stack's own
   * account. A service-managed StackSet never deploys to the organization's
   * management account; deploy this construct there with this set, or create
   * the provider there with a `GitHubEcrPublisher` (`OidcProviderSource.create()`).
   *
   * It is then the account's one provider in the app: publishers and fleets of
   * this account use it whatever their provider source (`lookupOrCreate()`
   * and `existing()` wait for it, and a lookup that finds the account's
   * provider is taken to have found this one; `create()` is a synth error
   * naming both).
   *
   * @default false
   */
  readonly includeThisAccount?: boolean;

  /**
   * The StackSet's name (letters, digits and "-", starting with a letter).
   *
   * @default "GitHubOidcProvider"
   */
  readonly stackSetName?: string;

  /**
   * Run as a delegated administrator of StackSets instead of the management account.
   *
   * @default false
   */
  readonly delegatedAdmin?: boolean;
}

/**
 * Installs the GitHub OIDC identity provider, and nothing else, in every
 * account of chosen organizational units, with a service-managed
 * CloudFormation StackSet.
 *
 * New accounts of those units get it automatically; the provider is retained
 * when an account leaves or the stack instance is deleted, because every role
 * of the account that trusts GitHub depends on it. Each account publishes the
 * provider ARN in an SSM parameter. Fleets and publishers in those accounts
 * then use `OidcProviderSource.existing()`.
 *
 * The StackSet's template is environment-agnostic (partition and account from
 * pseudo parameters), has no assets and no bootstrap-version rule, and is
 * passed inline.
 */
export class GitHubOidcProviderStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: cfn.CfnStackSet;

  /** The template each account's stack instance deploys (JSON). */
  public readonly templateBody: string;

  /** The name of the SSM parameter that holds the provider ARN in each account. */
  public readonly parameterName: string;

  /**
   * @param scope the construct scope (a stack in the management or delegated administrator account)
   * @param id the construct ID
   * @param props the organizational units and the parameter
   */
  constructor(scope: Construct, id: string, props: GitHubOidcProviderStackSetProps) {
    super(scope, id);
    validateStackSetProps(this.node.path, props);
    const issuer = props.issuer ?? GitHubIssuer.GITHUB_COM;
    this.parameterName = props.parameterName ?? '/github/oidc-provider-arn';
    this.templateBody = JSON.stringify(providerTemplate(issuer, this.parameterName));
    const region = props.region ?? Stack.of(this).region;
    const existing = props.accountsWithProvider ?? [];
    const group = (filter: string, create: boolean): cfn.CfnStackSet.StackInstancesProperty => ({
      deploymentTargets: {
        organizationalUnitIds: props.organizationalUnitIds,
        ...(existing.length > 0 ? { accounts: existing, accountFilterType: filter } : {}),
      },
      regions: [region],
      parameterOverrides: [{ parameterKey: 'CreateProvider', parameterValue: String(create) }],
    });
    this.stackSet = new cfn.CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? 'GitHubOidcProvider',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      managedExecution: { Active: true },
      callAs: props.delegatedAdmin ? 'DELEGATED_ADMIN' : 'SELF',
      capabilities: ['CAPABILITY_IAM'],
      description: `The ${issuer.url} OIDC identity provider and its ARN in SSM parameter ${this.parameterName}`,
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      parameters: [{ parameterKey: 'CreateProvider', parameterValue: 'true' }],
      stackInstancesGroup: existing.length > 0 ? [group('DIFFERENCE', true), group('INTERSECTION', false)] : [group('NONE', true)],
      templateBody: this.templateBody,
    });
    if (props.includeThisAccount) {
      const provider = new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
        url: issuer.url,
        clientIds: [`sts.${Aws.URL_SUFFIX}`],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new ssm.StringParameter(this, 'ProviderArn', { parameterName: this.parameterName, stringValue: provider.oidcProviderArn });
      // The account's one provider: publishers of this account in the app use it
      // (and wait for it) instead of creating another.
      declareProvider(this, provider, issuer);
    }
  }
}

/**
 * The template of each stack instance, rendered by aws-cdk-lib from a stack of
 * its own (a separate app: the template must not carry this app's bootstrap
 * parameter or metadata).
 */
function providerTemplate(issuer: GitHubIssuer, parameterName: string): unknown {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'github-oidc-stackset-'));
  try {
    const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': false } });
    const stack = new Stack(app, 'GitHubOidcProvider', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    const create = new CfnParameter(stack, 'CreateProvider', {
      type: 'String',
      allowedValues: ['true', 'false'],
      default: 'true',
      description: 'false in accounts that already have the provider: the stack then only publishes its ARN',
    });
    const condition = new CfnCondition(stack, 'Create', { expression: Fn.conditionEquals(create.valueAsString, 'true') });
    const provider = new iam.CfnOIDCProvider(stack, 'GitHubOidcProvider', {
      url: issuer.url,
      clientIdList: [`sts.${Aws.URL_SUFFIX}`],
    });
    provider.cfnOptions.condition = condition;
    provider.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // The ARN is deterministic, so the parameter is right whether this stack created the provider or not.
    new ssm.CfnParameter(stack, 'ProviderArn', {
      name: parameterName,
      type: 'String',
      value: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/${issuer.hostPath}`,
      description: `The ARN of the ${issuer.url} OIDC identity provider of this account`,
    });
    return app.synth().getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function validateStackSetProps(path_: string, props: GitHubOidcProviderStackSetProps): void {
  checkAll(path_, [
    () => {
      if (props.organizationalUnitIds.length === 0) {
        throw invalid('organizationalUnitIds', props.organizationalUnitIds, 'is an empty list', 'Give at least one organizational unit (ou-...) or the root (r-...)');
      }
      for (const ou of props.organizationalUnitIds) {
        if (!Token.isUnresolved(ou) && !/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/.test(ou)) {
          throw invalid('organizationalUnitIds', ou, 'is not an organizational unit or root ID', 'Use IDs such as "ou-ab12-cdefgh34" or "r-ab12"');
        }
      }
    },
    () => {
      for (const account of props.accountsWithProvider ?? []) {
        if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
          throw invalid('accountsWithProvider', account, 'is not an AWS account ID', 'Use 12-digit account IDs');
        }
      }
    },
    () => {
      const name = props.stackSetName;
      if (name !== undefined && !Token.isUnresolved(name) && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
        throw invalid('stackSetName', name, 'is not a StackSet name', 'Use up to 128 letters, digits and "-", starting with a letter');
      }
    },
    () => {
      const name = props.parameterName;
      if (name !== undefined && !Token.isUnresolved(name) && !/^\/?[A-Za-z0-9_.\-/]{1,1010}$/.test(name)) {
        throw invalid('parameterName', name, 'is not an SSM parameter name', 'Use letters, digits and "_.-/", e.g. "/github/oidc-provider-arn"');
      }
    },
  ]);
}
