// SPDX-License-Identifier: Apache-2.0

/** Prefix of every acknowledgeable warning id this library emits. */
export const WARNING_PREFIX = 'cdk-github-ecr-publisher';

/** Default GitHub.com OIDC issuer host (also the condition-key prefix). */
export const GITHUB_COM_ISSUER_HOST = 'token.actions.githubusercontent.com';

/** The action a GitHub OIDC token is exchanged with. */
export const ASSUME_ACTION = 'sts:AssumeRoleWithWebIdentity';

/** IAM's default trust-policy size quota (non-whitespace characters). */
export const DEFAULT_TRUST_POLICY_QUOTA = 2048;

/** The largest trust-policy size quota IAM can be raised to. */
export const MAX_TRUST_POLICY_QUOTA = 4096;

/** ECR's images-per-repository quota, the useful upper bound of "keep the last N". */
export const MAX_IMAGE_COUNT = 20000;

/**
 * The actions a `docker push` and a `docker buildx build --push` need on the
 * repository: the five upload actions, plus `BatchGetImage` and
 * `GetDownloadUrlForLayer`, which buildx uses to read existing manifests and
 * layers (AWS's image-push IAM page lists `BatchGetImage`, which
 * aws-cdk-lib's `grantPush` omits).
 */
export const REPOSITORY_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/** What ECR managed signing needs of the pushing identity, on the signing profile. */
export const SIGNING_ACTION = 'signer:SignPayload';

/** What the workflow's wait for the signature needs, on the repository. */
export const SIGNING_STATUS_ACTION = 'ecr:DescribeImageSigningStatus';

/** The registry login action; it has no resource type, so IAM requires `*`. */
export const LOGIN_ACTION = 'ecr:GetAuthorizationToken';

/**
 * The guide's names of the four values the workflow reads: the stack outputs
 * describe them and the generated workflow reads secrets or variables of
 * these names.
 */
export const VALUE_NAMES = {
  region: 'AWS_REGION',
  repository: 'ECR_REPOSITORY',
  registry: 'ECR_REGISTRY',
  roleArn: 'AWS_ROLE_ARN',
} as const;

/** Marker the provider lookup returns when the account has no provider for the issuer. */
export const PROVIDER_NOT_FOUND = 'GITHUB_OIDC_PROVIDER_NOT_FOUND';

/** CloudFormation type the Cloud Control API context provider reads for the provider lookup. */
export const PROVIDER_TYPE_NAME = 'AWS::IAM::OIDCProvider';

/** The provider's properties the lookup asks for (they are part of its context key). */
export const PROVIDER_LOOKUP_PROPERTIES = ['Arn', 'ClientIdList'] as const;
