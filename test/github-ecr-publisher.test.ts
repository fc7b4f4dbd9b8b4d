// The construct: what GitHubEcrPublisher creates for its props. Invalid props
// are in test/bad-input.test.ts (wiring) and test/private/ (the rules).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BuildCache, GitHubEcrPublisherProps, GitHubIssuer, OidcProviderSource, PushPolicy, WorkflowValueSource } from '../src';
import {
  ACCOUNT, addPublisher, GITHUB_COM_HOST as GH, identityContext, identityRecord, newPublisher, newStack, PROVIDER_ARN, REPO,
} from './helpers/fixture';
import { evaluate, githubToken, trustPolicyOf } from './helpers/iam-evaluator';

const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

function trustStatementOf(stack: Stack): any {
  const policy = trustPolicyOf(stack);
  expect(policy.Statement).toHaveLength(1);
  return policy.Statement[0];
}

function conditionsOf(stack: Stack): Record<string, Record<string, unknown>> {
  return trustStatementOf(stack).Condition;
}

/** The `sub` values of the trust policy, whichever operator holds them. */
function subsOf(stack: Stack): string[] {
  const conditions = conditionsOf(stack);
  const values = [conditions.StringEquals?.[`${GH}:sub`], conditions.StringLike?.[`${GH}:sub`]].filter((v) => v !== undefined);
  expect(values).toHaveLength(1);
  return ([] as string[]).concat(values[0] as string | string[]);
}

function lifecycleRulesOf(stack: Stack): any[] {
  const repos = Template.fromStack(stack).findResources('AWS::ECR::Repository');
  const [repo] = Object.values(repos);
  return JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}

describe('repository', () => {
  describe('name', () => {
    test('defaults to the GitHub repository name, lower-cased', () => {
      // WHEN
      const { template } = newPublisher({ repo: 'Octo-Org/ChatGPT-Web' });

      // THEN
      template().hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'chatgpt-web' });
    });

    test('repositoryName sets it', () => {
      // WHEN
      const { template } = newPublisher({ repositoryName: 'team/chatgpt-web' });

      // THEN
      template().hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/chatgpt-web' });
    });

    test('a repositoryName that is a token is passed as it is', () => {
      newPublisher({ repositoryName: Lazy.string({ produce: () => 'team/web' }) }).template()
        .hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/web' });
    });
  });

  describe('scan on push', () => {
    test('is on by default', () => {
      newPublisher().template().hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
    });

    test('imageScanOnPush: false turns it off', () => {
      newPublisher({ imageScanOnPush: false }).template().hasResourceProperties('AWS::ECR::Repository', {
        ImageScanningConfiguration: { ScanOnPush: false },
      });
    });
  });

  describe('tag mutability', () => {
    test('default without tags: MUTABLE, no exclusion filters', () => {
      newPublisher().template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'MUTABLE',
        ImageTagMutabilityExclusionFilters: Match.absent(),
      });
    });

    test('default with tags: MUTABLE_WITH_EXCLUSION, the tag patterns immutable ("/" -> "-")', () => {
      // WHEN
      const { template } = newPublisher({ tags: ['v*', 'release/*'] });

      // THEN
      template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [
          { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'v*' },
          { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'release-*' },
        ],
      });
    });

    test('default with tags: ["*"]: MUTABLE (latest and branch tags stay mutable)', () => {
      newPublisher({ tags: ['*'] }).template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'MUTABLE',
        ImageTagMutabilityExclusionFilters: Match.absent(),
      });
    });

    test('six tag patterns (more than ECR\'s five filters) are fine with explicit mutability', () => {
      newPublisher({ tags: ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'], imageTagMutability: ecr.TagMutability.IMMUTABLE }).template()
        .hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE', ImageTagMutabilityExclusionFilters: Match.absent() });
    });

    test('imageTagMutability overrides the default, even with tags', () => {
      newPublisher({ tags: ['v*'], imageTagMutability: ecr.TagMutability.IMMUTABLE }).template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'IMMUTABLE',
        ImageTagMutabilityExclusionFilters: Match.absent(),
      });
    });

    test('explicit mutability with explicit exclusion filters, and the registry cache\'s tag (mutable) after them', () => {
      // WHEN
      const { template } = newPublisher({
        tags: ['v*'],
        imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
        imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
      });

      // THEN
      template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [
          { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
          { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'buildcache' },
        ],
      });
    });

    test('explicit exclusion filters stay as given without a registry cache', () => {
      newPublisher({
        imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
        imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
        buildCache: BuildCache.none(),
      }).template().hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }],
      });
    });
  });

  describe('encryption', () => {
    test('default: AES256, the service default, so no EncryptionConfiguration', () => {
      newPublisher().template().hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: Match.absent() });
    });

    test('encryptionKey: KMS with that key', () => {
      // GIVEN
      const stack = newStack();
      const key = new kms.Key(stack, 'Key');

      // WHEN
      addPublisher(stack, { encryptionKey: key });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        EncryptionConfiguration: {
          EncryptionType: 'KMS',
          KmsKey: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
        },
      });
    });

    test('encryption: KMS without a key uses the AWS-managed key', () => {
      newPublisher({ encryption: ecr.RepositoryEncryption.KMS }).template().hasResourceProperties('AWS::ECR::Repository', {
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.absent() },
      });
    });
  });

  describe('removal', () => {
    test('default: RETAIN', () => {
      newPublisher().template().hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ EmptyOnDelete: Match.absent() }),
      });
    });

    test('DESTROY with emptyOnDelete deletes the repository and its images', () => {
      newPublisher({ removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true }).template().hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: Match.objectLike({ EmptyOnDelete: true }),
      });
    });
  });

  describe('lifecycle', () => {
    const keepCache = {
      rulePriority: 1,
      description: 'Keep the build cache (tag buildcache)',
      selection: { tagStatus: 'tagged', tagPatternList: ['buildcache'], countType: 'imageCountMoreThan', countNumber: 1 },
      action: { type: 'expire' },
    };
    const keepTagged = (count: number) => ({
      rulePriority: 2,
      description: `Keep the last ${count} images (${count + 1} tagged images with the build cache)`,
      selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: count + 1 },
      action: { type: 'expire' },
    });

    test('default: the registry cache\'s tag, the last 10 tagged images besides it, and 10 untagged manifests', () => {
      // WHEN
      const { stack } = newPublisher();

      // THEN
      expect(lifecycleRulesOf(stack)).toEqual([keepCache, keepTagged(10), {
        rulePriority: 3,
        description: 'Keep the last 10 untagged manifests (those of kept images stay regardless)',
        selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      }]);
    });

    test('maxImageCount sets both counts', () => {
      const { stack } = newPublisher({ maxImageCount: 25 });
      expect(lifecycleRulesOf(stack)).toEqual([keepCache, keepTagged(25), expect.objectContaining({
        selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 25 },
      })]);
    });

    test('untaggedImageExpiry replaces the untagged count with an age', () => {
      // WHEN
      const { stack } = newPublisher({ untaggedImageExpiry: Duration.days(7) });

      // THEN
      expect(lifecycleRulesOf(stack)).toEqual([
        keepCache,
        keepTagged(10),
        {
          rulePriority: 3,
          description: 'Expire untagged images after 7 days',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' },
          action: { type: 'expire' },
        },
      ]);
    });

    test.each([['BuildCache.githubActions()', BuildCache.githubActions()], ['BuildCache.none()', BuildCache.none()]])('with %s no cache rule, and N tagged images', (_, buildCache) => {
      expect(lifecycleRulesOf(newPublisher({ buildCache }).stack)).toEqual([
        { ...keepTagged(10), rulePriority: 2, description: 'Keep the last 10 images', selection: { ...keepTagged(10).selection, countNumber: 10 } },
        expect.objectContaining({ rulePriority: 3 }),
      ]);
    });

    test('a registry cache of another tag is the tag the rules keep', () => {
      expect(lifecycleRulesOf(newPublisher({ buildCache: BuildCache.registry({ tag: 'cache-amd64' }) }).stack)[0]).toEqual(expect.objectContaining({
        selection: expect.objectContaining({ tagPatternList: ['cache-amd64'] }),
      }));
    });

    test('lifecycleRules replaces the generated rules', () => {
      // WHEN
      const { stack } = newPublisher({
        lifecycleRules: [
          { rulePriority: 1, tagPrefixList: ['v'], maxImageCount: 100 },
          { rulePriority: 2, maxImageAge: Duration.days(30) },
        ],
      });

      // THEN
      expect(lifecycleRulesOf(stack)).toEqual([
        { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
        { rulePriority: 2, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 30, countUnit: 'days' }, action: { type: 'expire' } },
      ]);
    });
  });
});

describe('role', () => {
  test('defaults: generated name, default path and session, no boundary, a description naming both repositories', () => {
    newPublisher().template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      Path: Match.absent(),
      MaxSessionDuration: Match.absent(),
      PermissionsBoundary: Match.absent(),
      Description: 'GitHub octo-org/chatgpt-web pushes to ECR chatgpt-web',
    });
  });

  test('roleName, rolePath, maxSessionDuration, permissionsBoundary and roleDescription', () => {
    // GIVEN
    const stack = newStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'github-boundary');

    // WHEN
    addPublisher(stack, {
      roleName: 'chatgpt-web-publisher',
      rolePath: '/github/',
      maxSessionDuration: Duration.hours(2),
      permissionsBoundary: boundary,
      roleDescription: 'Pushes chatgpt-web images',
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'chatgpt-web-publisher',
      Path: '/github/',
      MaxSessionDuration: 7200,
      PermissionsBoundary: stack.resolve(boundary.managedPolicyArn),
      Description: 'Pushes chatgpt-web images',
    });
  });
});

describe('push permissions', () => {
  test('exactly the 7 repository actions on the repository ARN, plus GetAuthorizationToken on *', () => {
    // WHEN
    const { template } = newPublisher();

    // THEN
    const roles = template().findResources('AWS::IAM::Role');
    const [role] = Object.values(roles);
    const [repoId] = Object.keys(template().findResources('AWS::ECR::Repository'));
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'EcrPush',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          { Effect: 'Allow', Action: PUSH_ACTIONS, Resource: { 'Fn::GetAtt': [repoId, 'Arn'] } },
        ],
      },
    }]);
  });

  test('no other policy, managed policy or ecr:* anywhere', () => {
    // WHEN
    const { template } = newPublisher();

    // THEN
    template().resourceCountIs('AWS::IAM::Policy', 0);
    template().resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template().hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    expect(JSON.stringify(template().toJSON())).not.toMatch(/"ecr:\*"|"\*:\*"|"ecr:Delete/);
  });

  test('the role carries the CloudFormation Guard suppression of the wildcard-resource rule, for the login statement', () => {
    const { template } = newPublisher();
    template().hasResource('AWS::IAM::Role', { Metadata: { guard: { SuppressedRules: ['IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE'] } } });
  });

  test('pushPolicy MANAGED: the same statements in one customer-managed policy attached to the role, no inline policy', () => {
    // WHEN
    const { template } = newPublisher({ pushPolicy: PushPolicy.MANAGED });

    // THEN
    const [repoId] = Object.keys(template().findResources('AWS::ECR::Repository'));
    const [roleId] = Object.keys(template().findResources('AWS::IAM::Role'));
    template().hasResource('AWS::IAM::Role', { Properties: { Policies: Match.absent() }, Metadata: Match.absent() });
    template().resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template().hasResource('AWS::IAM::ManagedPolicy', {
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Effect: 'Allow', Action: PUSH_ACTIONS, Resource: { 'Fn::GetAtt': [repoId, 'Arn'] } },
          ],
        },
        Roles: [{ Ref: roleId }],
      },
      Metadata: { guard: { SuppressedRules: ['IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE'] } },
    });
    // three resources per publisher, and the provider it creates
    expect(Object.keys(template().toJSON().Resources).filter((id) => !id.startsWith('CDKMetadata'))).toHaveLength(4);
  });

  test('the publisher is the role for grants', () => {
    // GIVEN
    const { stack, publisher, template } = newPublisher();
    const bucket = new s3.Bucket(stack, 'Cache');

    // WHEN
    bucket.grantRead(publisher);

    // THEN
    expect(publisher.grantPrincipal).toBe(publisher.role);
    template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(publisher.role.roleName)],
    });
  });
});

describe('outputs', () => {
  const description = (name: string) => `Set as the secret (or variable) ${name} of the GitHub repository octo-org/chatgpt-web`;

  test('four outputs with the values the workflow needs and descriptions that say so', () => {
    // WHEN
    const { publisher, template, stack } = newPublisher();

    // THEN
    const outputs = template().findOutputs('*');
    expect(Object.keys(outputs)).toHaveLength(4);
    const [repoId] = Object.keys(template().findResources('AWS::ECR::Repository'));
    const [roleId] = Object.keys(template().findResources('AWS::IAM::Role'));
    template().hasOutput(stack.getLogicalId(publisher.node.findChild('AwsRegion') as CfnOutput), {
      Value: 'us-east-1', Description: description('AWS_REGION'),
    });
    template().hasOutput(stack.getLogicalId(publisher.node.findChild('EcrRepository') as CfnOutput), {
      Value: { Ref: repoId }, Description: description('ECR_REPOSITORY'),
    });
    template().hasOutput(stack.getLogicalId(publisher.node.findChild('EcrRegistry') as CfnOutput), {
      Value: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`, Description: description('ECR_REGISTRY'),
    });
    template().hasOutput(stack.getLogicalId(publisher.node.findChild('AwsRoleArn') as CfnOutput), {
      Value: { 'Fn::GetAtt': [roleId, 'Arn'] }, Description: description('AWS_ROLE_ARN'),
    });
  });

  test.each([
    [[], 'Set as the secret (or variable) AWS_ROLE_ARN'],
    [[WorkflowValueSource.SECRETS], 'Set as the secret AWS_ROLE_ARN'],
    [[WorkflowValueSource.VARIABLES, WorkflowValueSource.VARIABLES], 'Set as the variable AWS_ROLE_ARN'],
    [[WorkflowValueSource.SECRETS, WorkflowValueSource.VARIABLES], 'Set as the secret (or variable) AWS_ROLE_ARN'],
  ])('the descriptions name the value source of the workflows rendered (%j), for the command-line tool', (sources, start) => {
    // WHEN
    const { publisher, template, stack } = newPublisher({ roleName: 'web-push' });
    sources.forEach((valueSource) => publisher.renderWorkflow({ valueSource }));

    // THEN
    const logicalId = stack.getLogicalId(publisher.node.findChild('AwsRoleArn') as CfnOutput);
    expect(template().findOutputs(logicalId)[logicalId].Description).toBe(`${start} of the GitHub repository octo-org/chatgpt-web`);
  });

  test('a workflow written with writeWorkflowTo() counts too', () => {
    // WHEN
    const { publisher, template, stack } = newPublisher({ roleName: 'web-push' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-values-'));
    try {
      publisher.writeWorkflowTo(dir, { valueSource: WorkflowValueSource.VARIABLES });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // THEN
    const logicalId = stack.getLogicalId(publisher.node.findChild('AwsRoleArn') as CfnOutput);
    expect(template().findOutputs(logicalId)[logicalId].Description).toMatch(/^Set as the variable AWS_ROLE_ARN /);
  });

  test('createOutputs: false creates none', () => {
    // WHEN
    const { template } = newPublisher({ createOutputs: false });

    // THEN
    expect(template().findOutputs('*')).toEqual({});
    template().resourceCountIs('AWS::ECR::Repository', 1);
  });

  test('two publishers in one stack: one provider, eight outputs that do not collide', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    addPublisher(stack, { repo: 'octo-org/web' }, 'Web');
    addPublisher(stack, { repo: 'octo-org/api' }, 'Api');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('AWS::ECR::Repository', 2);
    template.resourceCountIs('AWS::IAM::Role', 2);
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toHaveLength(8);
    const descriptions = Object.values(outputs).map((o) => o.Description);
    expect(new Set(descriptions).size).toBe(8);
    const repositoryValues = Object.values(outputs).filter((o) => o.Description.includes('ECR_REPOSITORY')).map((o) => JSON.stringify(o.Value));
    expect(new Set(repositoryValues).size).toBe(2);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toBe(PROVIDER_ARN);
    }
  });
});

describe('members', () => {
  test('expose the values the workflow needs', () => {
    // WHEN
    const { stack, publisher } = newPublisher({ tags: ['v*'] });

    // THEN
    expect(publisher.githubRepository).toBe(REPO);
    expect(publisher.region).toBe('us-east-1');
    expect(publisher.registry).toBe(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`);
    expect(stack.resolve(publisher.repositoryUri)).toEqual({
      'Fn::Join': ['', [`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/`, { Ref: stack.getLogicalId(publisher.repository.node.defaultChild as ecr.CfnRepository) }]],
    });
    expect(publisher.issuer).toBe(GitHubIssuer.GITHUB_COM);
    expect(publisher.audience).toBe('sts.amazonaws.com');
    expect(publisher.branches).toEqual([]);
    expect(publisher.tags).toEqual(['v*']);
    expect(publisher.environments).toEqual([]);
    expect(publisher.allowPullRequests).toBe(false);
    expect(publisher.repository).toBe(publisher.node.findChild('Repository'));
    expect(publisher.role).toBe(publisher.node.findChild('Role'));
  });

  test('registry in China ends with amazonaws.com.cn', () => {
    const { publisher } = newPublisher({}, { env: { account: ACCOUNT, region: 'cn-north-1' } });
    expect(publisher.registry).toBe(`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`);
  });

  test('the props arrays are copied, not shared', () => {
    // GIVEN
    const branches = ['main'];

    // WHEN
    const { publisher } = newPublisher({ branches });
    branches.push('dev');

    // THEN
    expect(publisher.branches).toEqual(['main']);
  });
});

describe('trust scope', () => {
  test('default: branch main only', () => {
    // WHEN
    const { stack, publisher } = newPublisher();

    // THEN
    expect(publisher.branches).toEqual(['main']);
    expect(publisher.subjectClaims).toEqual([
      'repo:octo-org/chatgpt-web:ref:refs/heads/main',
      'repo:octo-org@*/chatgpt-web@*:ref:refs/heads/main',
    ]);
    expect(subsOf(stack)).toEqual(publisher.subjectClaims);
  });

  test.each<[string, Partial<GitHubEcrPublisherProps>, string[]]>([
    ['branches', { branches: ['dev'] }, ['ref:refs/heads/dev']],
    ['tags', { tags: ['v*'] }, ['ref:refs/tags/v*']],
    ['environments', { environments: ['production'] }, ['environment:production']],
    ['allowPullRequests', { allowPullRequests: true }, ['pull_request']],
    ['all of them', { branches: ['main', 'release/*'], tags: ['v*'], environments: ['production'], allowPullRequests: true },
      ['ref:refs/heads/main', 'ref:refs/heads/release/*', 'ref:refs/tags/v*', 'environment:production', 'pull_request']],
  ])('with %s set: exactly what is set, no default main', (_name, props, contexts) => {
    // WHEN
    const { stack } = newPublisher(props);

    // THEN
    expect(subsOf(stack)).toEqual([
      ...contexts.map((c) => `repo:octo-org/chatgpt-web:${c}`),
      ...contexts.map((c) => `repo:octo-org@*/chatgpt-web@*:${c}`),
    ]);
  });

  test('environment names are trusted exactly as given (":" and "%" are refused, see bad-input)', () => {
    // WHEN
    const { publisher } = newPublisher({ environments: ['Prod EU', 'préprod'] });

    // THEN
    expect(publisher.subjectClaims).toEqual(expect.arrayContaining(['repo:octo-org/chatgpt-web:environment:Prod EU', 'repo:octo-org/chatgpt-web:environment:préprod']));
    expect(publisher.environments).toEqual(['Prod EU', 'préprod']);
  });

  test('the statement lets the provider call AssumeRoleWithWebIdentity, checking aud, sub, the repository and the workflow file', () => {
    // WHEN
    const { stack, publisher } = newPublisher();

    // THEN
    expect(publisher.workflowFile).toBe('publish-chatgpt-web.yml');
    expect(publisher.claimConditions).toBe(true);
    expect(trustStatementOf(stack)).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER_ARN },
      Condition: {
        StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:repository`]: REPO },
        StringLike: {
          [`${GH}:sub`]: ['repo:octo-org/chatgpt-web:ref:refs/heads/main', 'repo:octo-org@*/chatgpt-web@*:ref:refs/heads/main'],
          [`${GH}:job_workflow_ref`]: 'octo-org/chatgpt-web/.github/workflows/publish-chatgpt-web.yml@refs/*',
        },
      },
    });
  });

  test('workflowFile names the pinned file; pinWorkflowFile: false drops the pin (and warns)', () => {
    const pinned = newPublisher({ workflowFile: 'release.yml' });
    expect(conditionsOf(pinned.stack).StringLike[`${GH}:job_workflow_ref`]).toBe('octo-org/chatgpt-web/.github/workflows/release.yml@refs/*');
    const unpinned = newPublisher({ pinWorkflowFile: false });
    expect(conditionsOf(unpinned.stack).StringLike[`${GH}:job_workflow_ref`]).toBeUndefined();
    Annotations.fromStack(unpinned.stack).hasWarning('/Stack/Publisher', Match.stringLikeRegexp('pinWorkflowFile is false: any workflow of octo-org/chatgpt-web'));
  });

  test('without claim conditions (China, GovCloud, other issuers): no repository or workflow pin, name form only', () => {
    const { stack, publisher } = newPublisher({}, { env: { account: ACCOUNT, region: 'cn-north-1' } });
    expect(publisher.claimConditions).toBe(false);
    expect(conditionsOf(stack)).toEqual({
      StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com.cn', [`${GH}:sub`]: 'repo:octo-org/chatgpt-web:ref:refs/heads/main' },
    });
    const optedIn = newPublisher({ claimConditions: true }, { env: { account: ACCOUNT, region: 'cn-north-1' } });
    expect(conditionsOf(optedIn.stack).StringEquals[`${GH}:repository`]).toBe(REPO);
  });

  test('an explicit workflowFile that cannot be enforced warns', () => {
    const { stack } = newPublisher({ workflowFile: 'release.yml' }, { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    Annotations.fromStack(stack).hasWarning('/Stack/Publisher', Match.stringLikeRegexp('workflowFile "release.yml" is not enforced'));
  });

  test('with IDs and no wildcard: StringEquals only, both subject forms, repository_id pinned', () => {
    // WHEN
    const { stack } = newPublisher({ ownerId: 123, repoId: 456 });

    // THEN
    expect(conditionsOf(stack)).toEqual({
      StringEquals: {
        [`${GH}:aud`]: 'sts.amazonaws.com',
        [`${GH}:sub`]: ['repo:octo-org/chatgpt-web:ref:refs/heads/main', 'repo:octo-org@123/chatgpt-web@456:ref:refs/heads/main'],
        [`${GH}:repository_id`]: '456',
      },
      StringLike: { [`${GH}:job_workflow_ref`]: 'octo-org/chatgpt-web/.github/workflows/publish-chatgpt-web.yml@refs/*' },
    });
  });

  test('with IDs and a wildcard: every sub value under StringLike', () => {
    // WHEN
    const { stack } = newPublisher({ ownerId: 123, repoId: 456, tags: ['v*'] });

    // THEN
    expect(conditionsOf(stack)).toEqual({
      StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:repository_id`]: '456' },
      StringLike: {
        [`${GH}:sub`]: ['repo:octo-org/chatgpt-web:ref:refs/tags/v*', 'repo:octo-org@123/chatgpt-web@456:ref:refs/tags/v*'],
        [`${GH}:job_workflow_ref`]: 'octo-org/chatgpt-web/.github/workflows/publish-chatgpt-web.yml@refs/*',
      },
    });
  });

  test.each<[string, Partial<GitHubEcrPublisherProps>]>([
    ['default', {}],
    ['IDs', { ownerId: 1, repoId: 2 }],
    ['IDs and wildcards', { ownerId: 1, repoId: 2, branches: ['main', 'release/*'], tags: ['v*'] }],
    ['everything', { branches: ['main'], tags: ['v*'], environments: ['prod-eu'], allowPullRequests: true, jobWorkflowRefs: ['octo-org/automation/.github/workflows/build.yml@refs/heads/*'] }],
    ['GHES', { issuer: GitHubIssuer.enterpriseServer('github.example.com'), tags: ['v*'] }],
  ])('%s: no key under two operators, and only StringEquals / StringLike', (_name, props) => {
    // WHEN
    const { stack } = newPublisher(props);

    // THEN
    const conditions = conditionsOf(stack);
    expect(Object.keys(conditions).filter((op) => op !== 'StringEquals' && op !== 'StringLike')).toEqual([]);
    const equalsKeys = Object.keys(conditions.StringEquals ?? {});
    const likeKeys = Object.keys(conditions.StringLike ?? {});
    expect(equalsKeys.filter((k) => likeKeys.includes(k))).toEqual([]);
  });

  test('jobWorkflowRefs are trusted next to the pinned workflow file (or alone without the pin)', () => {
    // GIVEN
    const ref = 'octo-org/automation/.github/workflows/build.yml@refs/heads/main';

    // WHEN
    const { stack } = newPublisher({ ownerId: 1, repoId: 2, jobWorkflowRefs: [ref] });
    const alone = newPublisher({ ownerId: 1, repoId: 2, jobWorkflowRefs: [ref], pinWorkflowFile: false });

    // THEN
    expect(conditionsOf(stack).StringLike[`${GH}:job_workflow_ref`]).toEqual([ref, 'octo-org/chatgpt-web/.github/workflows/publish-chatgpt-web.yml@refs/*']);
    expect(conditionsOf(alone.stack).StringEquals[`${GH}:job_workflow_ref`]).toBe(ref);
  });

  describe('audience', () => {
    test('sts.amazonaws.com by default', () => {
      const { stack, publisher } = newPublisher();
      expect(publisher.audience).toBe('sts.amazonaws.com');
      expect(conditionsOf(stack).StringEquals[`${GH}:aud`]).toBe('sts.amazonaws.com');
    });

    test('sts.amazonaws.com.cn in a cn-north-1 stack, with the aws-cn provider ARN', () => {
      // WHEN
      const { stack, publisher } = newPublisher({}, { env: { account: ACCOUNT, region: 'cn-north-1' } });

      // THEN
      expect(publisher.audience).toBe('sts.amazonaws.com.cn');
      expect(conditionsOf(stack).StringEquals[`${GH}:aud`]).toBe('sts.amazonaws.com.cn');
      expect(trustStatementOf(stack).Principal.Federated).toBe(`arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${GH}`);
    });

    test('a token in an environment-agnostic stack with create()', () => {
      // WHEN
      const { stack } = newPublisher({ providerSource: OidcProviderSource.create() }, { env: null });

      // THEN
      const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
      const statement = Object.values(roles)[0].Properties.AssumeRolePolicyDocument.Statement[0];
      expect(statement.Condition.StringEquals[`${GH}:aud`]).toEqual({ 'Fn::Join': ['', ['sts.', { Ref: 'AWS::URLSuffix' }]] });
    });
  });
});

describe('trust policy evaluation', () => {
  test('default scope with release tags: main and v* runs may assume the role, nothing else', () => {
    // GIVEN
    const { stack } = newPublisher({ branches: ['main'], tags: ['v*'] });
    const policy = trustPolicyOf(stack);

    // THEN: allowed (so the deny cases cannot pass because everything is denied)
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main'))).toBe('Allowed');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/tags/v1.2.3'))).toBe('Allowed');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { ownerId: 11, repoId: 22 }))).toBe('Allowed');
    // denied
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/dev'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'pull_request'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'environment:production'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken('octo-org/other', 'ref:refs/heads/main'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken('octo-org/other', 'ref:refs/heads/main', { ownerId: 11, repoId: 23 }))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { aud: 'https://github.com/octo-org' }))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, { ...githubToken(REPO, 'ref:refs/heads/main'), providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/example.com` })).toBe('ImplicitlyDenied');
  });

  test('with IDs: both subject forms of this repository are allowed, a recycled name is not', () => {
    // GIVEN
    const { stack } = newPublisher({ ownerId: 123, repoId: 456 });
    const policy = trustPolicyOf(stack);

    // THEN
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { repoId: 456 }))).toBe('Allowed');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { ownerId: 123, repoId: 456 }))).toBe('Allowed');
    // The same owner/name, deleted and re-created: a new repository ID
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { repoId: 999 }))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main', { ownerId: 123, repoId: 999 }))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/dev', { ownerId: 123, repoId: 456 }))).toBe('ImplicitlyDenied');
  });
});

describe('warnings', () => {
  const ack = (name: string) => `\\[ack: cdk-github-ecr-publisher:${name}\\]$`;

  test('none in the default case with an identity record', () => {
    // WHEN
    const { stack } = newPublisher({}, { context: identityContext(identityRecord()) });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('only the missing identity record in the default case without one', () => {
    // WHEN
    const { stack } = newPublisher();

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.entry.data))
      .toEqual([expect.stringMatching(ack('identityNotRecorded'))]);
  });

  test.each<[string, Partial<GitHubEcrPublisherProps>, string]>([
    ['allBranches', { branches: ['*'] }, 'branches includes "\\*"'],
    ['allBranches', { branches: ['main', '**'] }, 'branches includes "\\*"'],
    ['allTags', { tags: ['*'] }, 'tags includes "\\*"'],
    ['pullRequests', { allowPullRequests: true }, 'allowPullRequests is true'],
    ['mutableTags', { imageTagMutability: ecr.TagMutability.MUTABLE }, 'imageTagMutability is MUTABLE'],
    ['roleName', { roleName: 'GitHubActionsRole' }, 'roleName "GitHubActionsRole"'],
    ['roleName', { roleName: 'github-actions-ecr' }, 'roleName "github-actions-ecr"'],
  ])('%s: warns for %j', (name, props, text) => {
    // WHEN
    const { stack } = newPublisher(props);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Publisher', Match.stringLikeRegexp(`^${text}.*${ack(name)}`));
  });

  test.each<[string, Partial<GitHubEcrPublisherProps>]>([
    ['allBranches', { branches: ['release/*'] }],
    ['allTags', { tags: ['v*'] }],
    ['pullRequests', { allowPullRequests: false, branches: ['main'] }],
    ['mutableTags', { imageTagMutability: ecr.TagMutability.IMMUTABLE }],
    ['roleName', { roleName: 'chatgpt-web-publisher' }],
    ['roleName', { roleName: Lazy.string({ produce: () => 'GitHubActions' }) }],
  ])('%s: no warning for %j', (name, props) => {
    // WHEN
    const { stack } = newPublisher(props);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(ack(name)));
  });
});
