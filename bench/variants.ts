// SPDX-License-Identifier: Apache-2.0
//
// The three equivalent apps the benchmark compares. Each holds N GitHub
// repositories, and for each: an ECR repository named after it with a
// "keep the last 10 images" lifecycle rule, and a role that GitHub Actions runs
// on `main` and on `v*` tags of that repository (audience checked) can assume,
// allowed to push to that repository. One GitHub OIDC provider per app.
//
// Modules are required inside the builders, not at the top, so that a child
// process loads only the code of the variant it measures.
import type { Stack } from 'aws-cdk-lib';
import { REPOSITORY_PUSH_ACTIONS } from '../src/private/constants';

export type VariantName = 'floor' | 'alternative' | 'ours' | 'l1' | 'l2';

/** The three variants the issue compares. */
export const VARIANTS: VariantName[] = ['floor', 'alternative', 'ours'];

/**
 * References, not contenders: ours' template built two other ways. `l1`
 * writes it with L1 constructs only (the floor plus ours' extra features),
 * `l2` with plain aws-cdk-lib L2 constructs. So floor -> l1 is the cost of the
 * features, l1 -> l2 the cost of the L2 layer, l2 -> ours the cost of the
 * library's own code (validation and checks). run.ts checks that both deploy
 * exactly ours' resources and outputs.
 */
export const REFERENCES: VariantName[] = ['l1', 'l2'];

export const OWNER = 'octo-org';
export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const ISSUER_HOST = 'token.actions.githubusercontent.com';
export const AUDIENCE = 'sts.amazonaws.com';

/** GitHub repository name number i; also the ECR repository name. */
export function repoName(i: number): string {
  return `service-${String(i).padStart(3, '0')}`;
}

/** The actions the construct grants on the repository: the floor grants the same. */
export const PUSH_ACTIONS = REPOSITORY_PUSH_ACTIONS;

/**
 * "Keep the last 10 images" as ours renders it with its default registry build
 * cache (the L1 apps write the text by hand, the L2 reference the same rules):
 * the cache tag protected, the last 10 tagged images (11 with the cache), the
 * newest 10 untagged manifests.
 */
const KEEP_10_RULES = [
  { description: 'Keep the build cache (tag buildcache)', tagPatternList: ['buildcache'], count: 1 },
  { description: 'Keep the last 10 images (11 tagged images with the build cache)', tagPatternList: ['*'], count: 11 },
  { description: 'Keep the last 10 untagged manifests (those of kept images stay regardless)', count: 10 },
];
const KEEP_10_LIFECYCLE_TEXT = JSON.stringify({
  rules: KEEP_10_RULES.map((r, i) => ({
    rulePriority: i + 1,
    description: r.description,
    selection: {
      tagStatus: r.tagPatternList ? 'tagged' : 'untagged',
      ...(r.tagPatternList ? { tagPatternList: r.tagPatternList } : {}),
      countType: 'imageCountMoreThan',
      countNumber: r.count,
    },
    action: { type: 'expire' },
  })),
});

export interface BuildOptions {
  /** ours only: create the four outputs per publisher (CloudFormation allows 200 per stack). */
  readonly createOutputs: boolean;
}

export function build(variant: VariantName, stack: Stack, n: number, options: BuildOptions): void {
  switch (variant) {
    case 'floor': return buildFloor(stack, n);
    case 'alternative': return buildAlternative(stack, n);
    case 'ours': return buildOurs(stack, n, options);
    case 'l1': return buildL1(stack, n, options);
    case 'l2': return buildL2(stack, n, options);
  }
}

/** Raw L1: what a careful hand-written template holds, and nothing else. */
function buildFloor(stack: Stack, n: number): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ecr: typeof import('aws-cdk-lib/aws-ecr') = require('aws-cdk-lib/aws-ecr');
  const iam: typeof import('aws-cdk-lib/aws-iam') = require('aws-cdk-lib/aws-iam');
  const provider = new iam.CfnOIDCProvider(stack, 'GitHubOidcProvider', {
    url: `https://${ISSUER_HOST}`,
    clientIdList: [AUDIENCE],
  });
  const lifecyclePolicyText = KEEP_10_LIFECYCLE_TEXT;
  for (let i = 0; i < n; i++) {
    const name = repoName(i);
    const repository = new ecr.CfnRepository(stack, `Repository${i}`, {
      repositoryName: name,
      lifecyclePolicy: { lifecyclePolicyText },
    });
    new iam.CfnRole(stack, `Role${i}`, {
      assumeRolePolicyDocument: floorTrustPolicy(provider.ref, `${OWNER}/${name}`, ['ref:refs/heads/main', 'ref:refs/tags/v*']),
      policies: [{
        policyName: 'EcrPush',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Effect: 'Allow', Action: PUSH_ACTIONS, Resource: repository.attrArn },
          ],
        },
      }],
    });
  }
}

/**
 * The legacy-subject trust policy people write by hand (also used by the
 * trust-policy capacity measurement, as the "legacy form only" case).
 */
export function floorTrustPolicy(providerArn: string, repo: string, contexts: string[]): Record<string, unknown> {
  const subjects = contexts.map((c) => `repo:${repo}:${c}`);
  const wildcard = subjects.some((s) => s.includes('*'));
  const sub = subjects.length === 1 ? subjects[0] : subjects;
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: wildcard
        ? { StringEquals: { [`${ISSUER_HOST}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER_HOST}:sub`]: sub } }
        : { StringEquals: { [`${ISSUER_HOST}:aud`]: AUDIENCE, [`${ISSUER_HOST}:sub`]: sub } },
    }],
  };
}

/**
 * What users assemble today: aws-cdk-github-oidc plus the ECR L2.
 *
 * `GithubActionsRole` takes one `filter`, so the `v*` tags get a second trust
 * statement added with the same principal and audience check, which is how
 * its users trust two refs without widening the filter to `ref:refs/*`.
 */
function buildAlternative(stack: Stack, n: number): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ecr: typeof import('aws-cdk-lib/aws-ecr') = require('aws-cdk-lib/aws-ecr');
  const iam: typeof import('aws-cdk-lib/aws-iam') = require('aws-cdk-lib/aws-iam');
  // eslint-disable-next-line import/no-extraneous-dependencies -- pinned devDependency, benchmark only
  const oidc: typeof import('aws-cdk-github-oidc') = require('aws-cdk-github-oidc');
  const provider = new oidc.GithubActionsIdentityProvider(stack, 'GithubProvider');
  for (let i = 0; i < n; i++) {
    const name = repoName(i);
    const repository = new ecr.Repository(stack, `Repository${i}`, { repositoryName: name });
    repository.addLifecycleRule({ description: 'Keep the last 10 images', maxImageCount: 10 });
    const role = new oidc.GithubActionsRole(stack, `Role${i}`, {
      provider,
      owner: OWNER,
      repo: name,
      filter: 'ref:refs/heads/main',
    });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, {
        StringLike: { [`${ISSUER_HOST}:sub`]: `repo:${OWNER}/${name}:ref:refs/tags/v*` },
        StringEquals: { [`${ISSUER_HOST}:aud`]: AUDIENCE },
      })],
    }));
    repository.grantPullPush(role);
  }
}

/**
 * This library. `OidcProviderSource.create()`: the provider is created in this
 * stack like in the other two apps, and the app needs no context value, so
 * every run does the same work (the default, lookupOrCreate(), creates the
 * same provider when the cached lookup says "not found"; run.ts checks that
 * both give the same template and times the default once).
 */
function buildOurs(stack: Stack, n: number, options: BuildOptions): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const lib: typeof import('../src') = require('../src');
  const providerSource = process.env.BENCH_PROVIDER_SOURCE === 'default' ? undefined : lib.OidcProviderSource.create();
  for (let i = 0; i < n; i++) {
    new lib.GitHubEcrPublisher(stack, `Publisher${i}`, {
      repo: `${OWNER}/${repoName(i)}`,
      branches: ['main'],
      tags: ['v*'],
      providerSource,
      createOutputs: options.createOutputs,
    });
  }
}

/** The subjects and conditions ours renders for `main` and `v*` without IDs (workflow file pinned). */
function oursConditions(name: string): Record<string, Record<string, string | string[]>> {
  const repo = `${OWNER}/${name}`;
  const contexts = ['ref:refs/heads/main', 'ref:refs/tags/v*'];
  return {
    StringEquals: { [`${ISSUER_HOST}:aud`]: AUDIENCE, [`${ISSUER_HOST}:repository`]: repo },
    StringLike: {
      [`${ISSUER_HOST}:sub`]: [
        ...contexts.map((c) => `repo:${repo}:${c}`),
        ...contexts.map((c) => `repo:${OWNER}@*/${name}@*:${c}`),
      ],
      // Only jobs of the workflow file the publisher renders.
      [`${ISSUER_HOST}:job_workflow_ref`]: `${repo}/.github/workflows/publish-${name}.yml@refs/*`,
    },
  };
}

/** Ours marks the role for the Guard rules registry: the login action has no resource type, so "*" is required. */
function suppressLoginWildcardRule(role: import('aws-cdk-lib').CfnResource): void {
  role.addMetadata('guard', { SuppressedRules: ['IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE'] });
}

function oursDescription(name: string): string {
  return `GitHub ${OWNER}/${name} pushes to ECR ${name}`;
}

function oursOutputs(cdk: typeof import('aws-cdk-lib'), scope: import('constructs').Construct, name: string,
  values: { region: string; repositoryName: string; registry: string; roleArn: string }): void {
  // The same text as the construct's outputs (publishers without environments).
  const where = `of the GitHub repository ${OWNER}/${name}`;
  const output = (id: string, value: string, variable: string) =>
    new cdk.CfnOutput(scope, id, { value, description: `Set as the secret (or variable) ${variable} ${where}` });
  output('AwsRegion', values.region, 'AWS_REGION');
  output('EcrRepository', values.repositoryName, 'ECR_REPOSITORY');
  output('EcrRegistry', values.registry, 'ECR_REGISTRY');
  output('AwsRoleArn', values.roleArn, 'AWS_ROLE_ARN');
}

/**
 * L1 only, with ours' construct paths (so the same logical IDs) and ours'
 * settings: scan on push, release tags immutable, retained repository and
 * provider, both subject forms, the `repository` and workflow-file pins, the
 * Guard suppression metadata, description.
 */
function buildL1(stack: Stack, n: number, options: BuildOptions): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
  const ecr: typeof import('aws-cdk-lib/aws-ecr') = require('aws-cdk-lib/aws-ecr');
  const iam: typeof import('aws-cdk-lib/aws-iam') = require('aws-cdk-lib/aws-iam');
  const { Construct }: typeof import('constructs') = require('constructs');
  const provider = new iam.CfnOIDCProvider(new Construct(stack, 'GitHubOidcProvider'), 'Resource', {
    url: `https://${ISSUER_HOST}`,
    clientIdList: [AUDIENCE],
  });
  provider.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
  const lifecyclePolicyText = KEEP_10_LIFECYCLE_TEXT;
  const registry = `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com`;
  for (let i = 0; i < n; i++) {
    const name = repoName(i);
    const scope = new Construct(stack, `Publisher${i}`);
    const repository = new ecr.CfnRepository(new Construct(scope, 'Repository'), 'Resource', {
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: 'v*' }],
      lifecyclePolicy: { lifecyclePolicyText },
      repositoryName: name,
    });
    repository.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
    const role = new iam.CfnRole(new Construct(scope, 'Role'), 'Resource', {
      // Key order as aws-cdk-lib renders policy documents, so templates compare equal.
      assumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: oursConditions(name),
          Effect: 'Allow',
          Principal: { Federated: provider.ref },
        }],
        Version: '2012-10-17',
      },
      description: oursDescription(name),
      policies: [{
        policyDocument: {
          Statement: [
            { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
            { Action: PUSH_ACTIONS, Effect: 'Allow', Resource: repository.attrArn },
          ],
          Version: '2012-10-17',
        },
        policyName: 'EcrPush',
      }],
    });
    suppressLoginWildcardRule(role);
    if (options.createOutputs) {
      oursOutputs(cdk, scope, name, { region: stack.region, repositoryName: repository.ref, registry, roleArn: role.attrArn });
    }
  }
}

/**
 * Plain L2s with ours' construct paths and settings: the same template as
 * ours (run.ts checks it), without any of the library's validation and checks.
 */
function buildL2(stack: Stack, n: number, options: BuildOptions): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
  const ecr: typeof import('aws-cdk-lib/aws-ecr') = require('aws-cdk-lib/aws-ecr');
  const iam: typeof import('aws-cdk-lib/aws-iam') = require('aws-cdk-lib/aws-iam');
  const { Construct }: typeof import('constructs') = require('constructs');
  const provider = new iam.OidcProviderNative(stack, 'GitHubOidcProvider', {
    url: `https://${ISSUER_HOST}`,
    clientIds: [AUDIENCE],
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
  const registry = `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com`;
  for (let i = 0; i < n; i++) {
    const name = repoName(i);
    const scope = new Construct(stack, `Publisher${i}`);
    const repository = new ecr.Repository(scope, 'Repository', {
      repositoryName: name,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('v*')],
      encryption: ecr.RepositoryEncryption.AES_256,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
      lifecycleRules: KEEP_10_RULES.map((r, k) => ({
        rulePriority: k + 1,
        description: r.description,
        tagStatus: r.tagPatternList ? ecr.TagStatus.TAGGED : ecr.TagStatus.UNTAGGED,
        tagPatternList: r.tagPatternList,
        maxImageCount: r.count,
      })),
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, oursConditions(name)),
      description: oursDescription(name),
      inlinePolicies: {
        EcrPush: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
            new iam.PolicyStatement({ actions: PUSH_ACTIONS, resources: [repository.repositoryArn] }),
          ],
        }),
      },
    });
    suppressLoginWildcardRule(role.node.defaultChild as import('aws-cdk-lib').CfnResource);
    if (options.createOutputs) {
      oursOutputs(cdk, scope, name, { region: stack.region, repositoryName: repository.repositoryName, registry, roleArn: role.roleArn });
    }
  }
}
