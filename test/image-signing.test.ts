// ECR managed signing: the profile and the registry's one signing
// configuration per account and region, the role's permissions (evaluated
// with an IAM policy evaluator), what synth refuses, and the workflows' wait.
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { TagStatus } from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { BuildCache, FleetLayout, GitHubEcrPublisherFleet, ImageSigning, PushPolicy } from '../src';
import { ACCOUNT, addPublisher, ENV, lintRepositoryDir, newPublisher, newStack, REGION, writeForActionlint } from './helpers/fixture';
import { Decision, simulate } from './helpers/iam-evaluator';
import { SIGNING_CONFIGURATION_ID, SIGNING_PROFILE_ID } from '../src/private/signing-registry';

const PROFILE_ARN = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/ImageSigning_abc123`;
const OTHER_PROFILE_ARN = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/Other`;
const REPOSITORY_ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/chatgpt-web`;
const OTHER_REPOSITORY_ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/other`;

/** The only resource of `type` in a template, with its logical ID. */
function only(template: Template, type: string): [string, any] {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The role's push policy, with the repository's and the profile's GetAtt replaced by their ARNs. */
function pushPolicyOf(stack: Stack, pushPolicy = PushPolicy.INLINE): any {
  const json = JSON.stringify(Template.fromStack(stack).toJSON())
    .replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]*Repository[A-Za-z0-9]+","Arn"\]\}/g, JSON.stringify(REPOSITORY_ARN))
    .replace(/\{"Fn::GetAtt":\["EcrImageSigningProfile[A-Za-z0-9]+","Arn"\]\}/g, JSON.stringify(PROFILE_ARN));
  const resources = Object.values<any>(JSON.parse(json).Resources);
  return pushPolicy === PushPolicy.MANAGED
    ? resources.find((r) => r.Type === 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument
    : resources.find((r) => r.Type === 'AWS::IAM::Role').Properties.Policies[0].PolicyDocument;
}

function decision(policy: any, action: string, resource: string): Decision {
  return simulate({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/publisher`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
    identityPolicies: [{ name: 'push', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
}

/** The filters of the only signing configuration of a stack. */
function filtersOf(stack: Stack): string[] {
  const [, configuration] = only(Template.fromStack(stack), 'AWS::ECR::SigningConfiguration');
  return configuration.Properties.Rules.flatMap((r: any) => r.RepositoryFilters.map((f: any) => f.Filter));
}

describe('ImageSigning.managed()', () => {
  test('creates a retained Notation profile named by CloudFormation and one configuration matching the repository', () => {
    const template = newPublisher({ imageSigning: ImageSigning.managed() }).template();
    const [profileId, profile] = only(template, 'AWS::Signer::SigningProfile');
    expect(profileId).toMatch(new RegExp(`^${SIGNING_PROFILE_ID}`));
    expect(profile.Properties.PlatformId).toBe('Notation-OCI-SHA384-ECDSA');
    expect(profile.Properties.ProfileName).toBeUndefined();
    expect(profile.DeletionPolicy).toBe('Retain');
    expect(profile.UpdateReplacePolicy).toBe('Retain');
    const [configurationId, configuration] = only(template, 'AWS::ECR::SigningConfiguration');
    expect(configurationId).toMatch(new RegExp(`^${SIGNING_CONFIGURATION_ID}`));
    expect(configuration.Properties.Rules).toEqual([{
      SigningProfileArn: { 'Fn::GetAtt': [profileId, 'Arn'] },
      RepositoryFilters: [{ Filter: 'chatgpt-web', FilterType: 'WILDCARD_MATCH' }],
    }]);
  });

  test('the default lifecycle keeps 16 untagged manifests per kept image, room for their signatures (17 with the registry cache\'s replaced manifest)', () => {
    const untaggedCount = (buildCache: BuildCache | undefined) => {
      const [, repository] = only(newPublisher({ imageSigning: ImageSigning.managed(), maxImageCount: 5, buildCache }).template(), 'AWS::ECR::Repository');
      const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      return rules.find((r: any) => r.selection.tagStatus === 'untagged').selection.countNumber;
    };
    expect(untaggedCount(BuildCache.none())).toBe(80);
    expect(untaggedCount(undefined)).toBe(85);
  });

  test('publishers of several stacks share one profile and configuration, in the first stack by path', () => {
    const app = new App();
    const b = newStack({ app, id: 'B' });
    const a = newStack({ app, id: 'A' });
    addPublisher(b, { imageSigning: ImageSigning.managed() });
    addPublisher(a, { repo: 'octo-org/api', imageSigning: ImageSigning.managed() });
    addPublisher(a, { repo: 'octo-org/unsigned' }, 'Unsigned');
    expect(filtersOf(a)).toEqual(['api', 'chatgpt-web']);
    expect(Template.fromStack(b).findResources('AWS::ECR::SigningConfiguration')).toEqual({});
    expect(Template.fromStack(b).findResources('AWS::Signer::SigningProfile')).toEqual({});
    // The role of B signs with A's profile, by a cross-stack reference.
    const statement = pushPolicyOf(b).Statement.find((s: any) => s.Action === 'signer:SignPayload');
    expect(statement.Resource['Fn::ImportValue']).toMatch(/^A:ExportsOutputFnGetAttEcrImageSigningProfile/);
  });

  test('a fleet\'s base stack holds them even when another stack sorts first; the fleet\'s repositories share one wildcard, its opt-outs and unsigned publishers stay out', () => {
    const app = new App();
    const single = newStack({ app, id: 'A' });
    addPublisher(single, { imageSigning: ImageSigning.managed() });
    addPublisher(single, { repo: 'octo-org/web' }, 'Unsigned');
    const fleet = new GitHubEcrPublisherFleet(app, 'Fleet', {
      env: ENV,
      shards: 2,
      defaults: { imageSigning: ImageSigning.managed() },
      repositories: [{ repo: 'octo-org/api' }, { repo: 'octo-org/app' }, { repo: 'octo-org/apx', imageSigning: ImageSigning.none() }, { repo: 'team-b/one' }, { repo: 'team-b/two' }],
    });
    expect(Template.fromStack(single).findResources('AWS::ECR::SigningConfiguration')).toEqual({});
    expect(filtersOf(fleet.baseStack)).toEqual(['chatgpt-web', 'octo-org/api', 'octo-org/app', 'team-b/*']);
  });

  test('two fleets of one registry: the first by path holds them, with an acknowledgeable warning', () => {
    const app = new App();
    const fleets = ['Web', 'Api'].map((id) => new GitHubEcrPublisherFleet(app, id, {
      env: ENV,
      shards: 1,
      defaults: { imageSigning: ImageSigning.managed() },
      repositories: [{ repo: `${id.toLowerCase()}-org/one` }],
    }));
    expect(filtersOf(fleets[1].baseStack)).toEqual(['api-org/one', 'web-org/one']);
    expect(Template.fromStack(fleets[0].baseStack).findResources('AWS::ECR::SigningConfiguration')).toEqual({});
    const warnings = Annotations.fromStack(fleets[1].baseStack).findWarning('*', Match.stringLikeRegexp('signingHome'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/2 fleets of 111111111111\/us-east-1 could hold the registry's signing configuration \(Api-Base, Web-Base\); it is created in Api-Base/);
  });

  test('in a fleet of nested stacks the parent holds them, and the shards\' roles get the profile as a parameter', () => {
    const app = new App();
    const fleet = new GitHubEcrPublisherFleet(app, 'Fleet', {
      env: ENV,
      shards: 2,
      layout: FleetLayout.NESTED_STACKS,
      defaults: { imageSigning: ImageSigning.managed() },
      repositories: [{ repo: 'octo-org/api' }, { repo: 'octo-org/web' }, { repo: 'octo-org/worker' }],
    });
    expect(fleet.baseStack).toBe(fleet.parentStack);
    expect(filtersOf(fleet.baseStack)).toEqual(['octo-org/*']);
    for (const shard of fleet.shardStacks) {
      const statement = pushPolicyOf(shard).Statement.find((s: any) => s.Action === 'signer:SignPayload');
      expect(statement.Resource.Ref).toMatch(/EcrImageSigningProfile/);
    }
  });

  test('custom lifecycleRules with an untagged rule get an acknowledgeable warning with signing, not without', () => {
    const rules = [{ tagStatus: TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: 10 }, { tagStatus: TagStatus.UNTAGGED, maxImageCount: 10 }];
    const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('lifecycleRulesExpireSignatures'));
    expect(warnings(newPublisher({ imageSigning: ImageSigning.managed(), lifecycleRules: rules }).stack)).toHaveLength(1);
    expect(warnings(newPublisher({ lifecycleRules: rules }).stack)).toHaveLength(0);
    expect(warnings(newPublisher({ imageSigning: ImageSigning.managed(), lifecycleRules: [rules[0]] }).stack)).toHaveLength(0);
  });

  describe('the push role (iam-simulate)', () => {
    test.each([PushPolicy.INLINE, PushPolicy.MANAGED])('%s: may sign with the profile and read the signing status of its repository, nothing else', (pushPolicy) => {
      const policy = pushPolicyOf(newPublisher({ imageSigning: ImageSigning.managed(), pushPolicy }).stack, pushPolicy);
      expect(decision(policy, 'signer:SignPayload', PROFILE_ARN)).toBe('Allowed');
      expect(decision(policy, 'ecr:DescribeImageSigningStatus', REPOSITORY_ARN)).toBe('Allowed');
      expect(decision(policy, 'signer:SignPayload', OTHER_PROFILE_ARN)).toBe('ImplicitlyDenied');
      expect(decision(policy, 'ecr:DescribeImageSigningStatus', OTHER_REPOSITORY_ARN)).toBe('ImplicitlyDenied');
      for (const action of ['signer:PutSigningProfile', 'signer:CancelSigningProfile', 'signer:RevokeSignature', 'ecr:PutSigningConfiguration', 'ecr:DeleteSigningConfiguration']) {
        expect([action, decision(policy, action, action.startsWith('signer') ? PROFILE_ARN : REPOSITORY_ARN)]).toEqual([action, 'ImplicitlyDenied']);
      }
    });

    test('a publisher without signing may do neither', () => {
      const policy = pushPolicyOf(newPublisher().stack);
      expect(policy.Statement).toHaveLength(2);
      expect(decision(policy, 'signer:SignPayload', PROFILE_ARN)).toBe('ImplicitlyDenied');
      expect(decision(policy, 'ecr:DescribeImageSigningStatus', REPOSITORY_ARN)).toBe('ImplicitlyDenied');
    });
  });
});

describe('ImageSigning.configuredElsewhere()', () => {
  test('creates nothing; the role may sign with the given profile only', () => {
    const { stack, template } = newPublisher({ imageSigning: ImageSigning.configuredElsewhere(OTHER_PROFILE_ARN) });
    expect(template().findResources('AWS::ECR::SigningConfiguration')).toEqual({});
    expect(template().findResources('AWS::Signer::SigningProfile')).toEqual({});
    const policy = pushPolicyOf(stack);
    expect(decision(policy, 'signer:SignPayload', OTHER_PROFILE_ARN)).toBe('Allowed');
    expect(decision(policy, 'signer:SignPayload', PROFILE_ARN)).toBe('ImplicitlyDenied');
    expect(decision(policy, 'ecr:DescribeImageSigningStatus', REPOSITORY_ARN)).toBe('Allowed');
  });

  test.each([
    ['not a profile ARN', `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/bad-name`, /is not the ARN of an AWS Signer signing profile/],
    ['a profile version', `${PROFILE_ARN}/abcdef`, /is not the ARN of an AWS Signer signing profile/],
    ['a profile of another region', `arn:aws:signer:eu-west-1:${ACCOUNT}:/signing-profiles/P1`, /is a profile of 111111111111\/eu-west-1, but the repository is in 111111111111\/us-east-1/],
  ])('refuses %s', (_, arn, message) => {
    expect(() => newPublisher({ imageSigning: ImageSigning.configuredElsewhere(arn) })).toThrow(message);
  });
});

describe('what synth refuses', () => {
  test('managed() and configuredElsewhere() in one registry: two owners of its one configuration', () => {
    const stack = newStack();
    addPublisher(stack, { imageSigning: ImageSigning.managed() });
    addPublisher(stack, { repo: 'octo-org/api', imageSigning: ImageSigning.configuredElsewhere(PROFILE_ARN) }, 'Api');
    expect(() => Template.fromStack(stack)).toThrow(/Stack\/Api: imageSigning: "ImageSigning.configuredElsewhere\(\)" says the signing configuration of registry 111111111111\/us-east-1 is managed elsewhere, but Stack\/Publisher has ImageSigning.managed\(\)/);
  });

  test('but both in different regions are fine', () => {
    const app = new App();
    addPublisher(newStack({ app }), { imageSigning: ImageSigning.managed() });
    const other = newStack({ app, id: 'West', env: { account: ACCOUNT, region: 'us-west-2' } });
    addPublisher(other, { workflowFile: 'publish-west.yml', imageSigning: ImageSigning.configuredElsewhere(`arn:aws:signer:us-west-2:${ACCOUNT}:/signing-profiles/P1`) });
    expect(() => app.synth()).not.toThrow();
  });

  test('two stages signing in one registry: each would deploy its own configuration', () => {
    const app = new App();
    for (const id of ['Dev', 'Prod']) {
      const stage = new Stage(app, id);
      addPublisher(new Stack(stage, 'Stack', { env: ENV }), { imageSigning: ImageSigning.managed(), repositoryName: id.toLowerCase() });
    }
    expect(() => app.synth()).toThrow(/imageSigning: "ImageSigning.managed\(\)" is used in stages "Dev" and "Prod", which share registry 111111111111\/us-east-1/);
  });

  test.each(['cn-north-1', 'ap-southeast-5', 'il-central-1'])('a region whose resource specification lacks the types: %s', (region) => {
    expect(() => newPublisher({ imageSigning: ImageSigning.managed() }, { env: { account: ACCOUNT, region } }))
      .toThrow(new RegExp(`is not available in region ${region}: its CloudFormation resource specification has no AWS::ECR::SigningConfiguration`));
  });

  test('an environment-agnostic stack', () => {
    expect(() => newPublisher({ imageSigning: ImageSigning.managed(), providerSource: undefined }, { env: null }))
      .toThrow(/imageSigning: "ImageSigning.managed\(\)" needs stack "Stack" to have a concrete account and region/);
  });

  test('untaggedImageExpiry with signing (an age rule would expire old images\' signatures), not without', () => {
    expect(() => newPublisher({ imageSigning: ImageSigning.managed(), untaggedImageExpiry: Duration.days(7) }))
      .toThrow(/untaggedImageExpiry: 7 days is combined with imageSigning/);
    expect(() => newPublisher({ imageSigning: ImageSigning.none(), untaggedImageExpiry: Duration.days(7) })).not.toThrow();
    expect(() => newPublisher({ untaggedImageExpiry: Duration.days(7) })).not.toThrow();
  });
});

describe('the workflows wait for the signature', () => {
  type Step = { name: string; id?: string; if?: string; env?: Record<string, string>; with?: Record<string, string>; run?: string; uses?: string };
  const stepsOf = (workflow: string, job = 'publish'): Step[] => parse(workflow).jobs[job].steps;

  test('a signing publisher\'s workflow waits after the push, and its diagnosis learns which digest is unsigned', () => {
    const { publisher } = newPublisher({ imageSigning: ImageSigning.managed() });
    const files = publisher.renderWorkflowFiles();
    // Linted by actionlint and zizmor in CI (scripts/lint-workflows.sh), with its diagnosis action.
    publisher.writeWorkflowTo(lintRepositoryDir('signing'));
    publisher.writeWorkflowTo(lintRepositoryDir('signing-inline-diagnosis'), { diagnose: false, platforms: ['linux/amd64', 'linux/arm64'] });
    const steps = stepsOf(files[0].content);
    const names = steps.map((s) => s.name);
    expect(names.indexOf('Wait for the image signature')).toBeGreaterThan(names.indexOf('Build and push'));
    const wait = steps.find((s) => s.id === 'signature')!;
    expect(wait.if).toBeUndefined();
    expect(wait.env).toMatchObject({ PUSHED_DIGEST: '${{ steps.build.outputs.digest }}', POLL_SECONDS: '10', TIMEOUT_SECONDS: '600' });
    expect(steps.find((s) => s.name === 'Diagnose the failure')!.with!.unsigned).toBe('${{ steps.signature.outputs.unsigned }}');
    expect(parse(files[1].content).inputs.unsigned).toBeDefined();
  });

  test('without signing: no wait, no unsigned input', () => {
    const files = newPublisher().publisher.renderWorkflowFiles();
    expect(stepsOf(files[0].content).map((s) => s.id)).not.toContain('signature');
    expect(parse(files[1].content).inputs.unsigned).toBeUndefined();
  });

  test('the organisation workflow waits when the caller says so; each caller passes its own setting', () => {
    const app = new App();
    const fleet = new GitHubEcrPublisherFleet(app, 'Fleet', {
      env: ENV,
      shards: 1,
      defaults: { imageSigning: ImageSigning.managed() },
      repositories: [{ repo: 'octo-org/api' }, { repo: 'octo-org/web', imageSigning: ImageSigning.none() }],
      organizationWorkflow: { repository: 'octo-org/platform' },
    });
    const workflow = parse(writeForActionlint('fleet-organization-signing', fleet.renderOrganizationWorkflow()));
    writeForActionlint('fleet-caller-signing', fleet.renderCallerWorkflow('octo-org/api'));
    expect(workflow.on.workflow_call.inputs['image-signing']).toMatchObject({ type: 'boolean', default: true });
    for (const job of ['publish', 'publish-in-environment']) {
      const steps: Step[] = workflow.jobs[job].steps;
      expect(steps.find((s) => s.id === 'signature')!.if).toBe('inputs.image-signing');
      expect(steps.find((s) => s.name === 'Diagnose the failure')!.env!.DIAGNOSE_UNSIGNED).toBe('${{ steps.signature.outputs.unsigned }}');
    }
    expect(parse(fleet.renderCallerWorkflow('octo-org/api')).jobs.publish.with['image-signing']).toBe(true);
    expect(parse(fleet.renderCallerWorkflow('octo-org/web')).jobs.publish.with['image-signing']).toBe(false);
  });
});
