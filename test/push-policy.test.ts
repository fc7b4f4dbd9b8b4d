// The push permissions against what each publishing step does to the registry.
// Every Docker Registry HTTP call ECR serves needs one IAM action (ECR's
// "Amazon ECR API actions used by the Docker CLI" mapping); the table lists the
// calls of a buildx push, of BuildKit attestations, of BuildKit's registry
// cache (import and export) in the same repository, of the immutable-mode
// check of existing tags, and of an artifact attestation pushed to the
// registry. The synthesized push policy must allow
// every action the table needs on the publisher's repository (sufficient),
// grant nothing the table does not need (least privilege), and allow nothing
// on another repository. Both push-policy forms are evaluated with an IAM
// policy evaluator nobody here wrote.
import { PushPolicy } from '../src';
import { ACCOUNT, newPublisher } from './helpers/fixture';
import { Decision, simulate } from './helpers/iam-evaluator';

/** The IAM action each registry call needs. */
const ACTION_OF: Record<string, string> = {
  'login (GetAuthorizationToken)': 'ecr:GetAuthorizationToken',
  'HEAD /v2/<repo>/blobs/<digest>': 'ecr:BatchCheckLayerAvailability',
  'POST /v2/<repo>/blobs/uploads/': 'ecr:InitiateLayerUpload',
  'PATCH /v2/<repo>/blobs/uploads/<id>': 'ecr:UploadLayerPart',
  'PUT /v2/<repo>/blobs/uploads/<id>?digest=': 'ecr:CompleteLayerUpload',
  'GET /v2/<repo>/blobs/<digest>': 'ecr:GetDownloadUrlForLayer',
  'HEAD /v2/<repo>/manifests/<reference>': 'ecr:BatchGetImage',
  'GET /v2/<repo>/manifests/<reference>': 'ecr:BatchGetImage',
  'PUT /v2/<repo>/manifests/<reference>': 'ecr:PutImage',
  'BatchGetImage API (aws ecr batch-get-image)': 'ecr:BatchGetImage',
};

/** The registry calls of each step of the rendered workflow that talks to ECR. */
const CALLS: Record<string, string[]> = {
  'amazon-ecr-login': ['login (GetAuthorizationToken)'],
  'build-push-action: push layers, platform manifests and the image index': [
    'HEAD /v2/<repo>/blobs/<digest>', 'POST /v2/<repo>/blobs/uploads/', 'PATCH /v2/<repo>/blobs/uploads/<id>',
    'PUT /v2/<repo>/blobs/uploads/<id>?digest=', 'HEAD /v2/<repo>/manifests/<reference>', 'PUT /v2/<repo>/manifests/<reference>',
  ],
  'build-push-action: layers already in the repository (cross-build reuse) are read, not uploaded': [
    'GET /v2/<repo>/blobs/<digest>', 'GET /v2/<repo>/manifests/<reference>',
  ],
  'buildAttestations: provenance (mode=max) and SBOM manifests in the same image index': [
    'HEAD /v2/<repo>/blobs/<digest>', 'POST /v2/<repo>/blobs/uploads/', 'PATCH /v2/<repo>/blobs/uploads/<id>',
    'PUT /v2/<repo>/blobs/uploads/<id>?digest=', 'PUT /v2/<repo>/manifests/<reference>',
  ],
  // The cache manifest is an OCI image manifest (image-manifest=true) whose
  // layers are the cached layers; BuildKit resolves the cache tag, reads the
  // manifest and its config, and fetches a layer only when the build uses it.
  'registry cache import (cache-from type=registry, in the own repository)': [
    'HEAD /v2/<repo>/manifests/<reference>', 'GET /v2/<repo>/manifests/<reference>', 'GET /v2/<repo>/blobs/<digest>',
  ],
  // Export: layers the repository lacks are uploaded (most are the image's own, already there), then the
  // cache config blob, then the manifest under the cache tag.
  'registry cache export (cache-to type=registry,mode=max,image-manifest=true,oci-mediatypes=true)': [
    'HEAD /v2/<repo>/blobs/<digest>', 'POST /v2/<repo>/blobs/uploads/', 'PATCH /v2/<repo>/blobs/uploads/<id>',
    'PUT /v2/<repo>/blobs/uploads/<id>?digest=', 'HEAD /v2/<repo>/manifests/<reference>', 'PUT /v2/<repo>/manifests/<reference>',
  ],
  'immutable tags: the check whether the run\'s tags exist (aws ecr batch-get-image)': ['BatchGetImage API (aws ecr batch-get-image)'],
  'artifactAttestation: actions/attest reads the image, uploads the bundle, writes a manifest that refers to the image (and the sha256-<digest> tag index)': [
    'HEAD /v2/<repo>/manifests/<reference>', 'GET /v2/<repo>/manifests/<reference>', 'HEAD /v2/<repo>/blobs/<digest>',
    'POST /v2/<repo>/blobs/uploads/', 'PATCH /v2/<repo>/blobs/uploads/<id>', 'PUT /v2/<repo>/blobs/uploads/<id>?digest=',
    'PUT /v2/<repo>/manifests/<reference>',
  ],
};

const REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/chatgpt-web`;
const OTHER_REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other`;

/** The push policy document of a publisher, with the repository's ARN in place of its GetAtt. */
function pushPolicyOf(pushPolicy: PushPolicy): any {
  const json = JSON.stringify(newPublisher({ pushPolicy }).template().toJSON());
  const template = JSON.parse(json.replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]+","Arn"\]\}/g, JSON.stringify(REPOSITORY_ARN)));
  const resources = Object.values<any>(template.Resources);
  const document = pushPolicy === PushPolicy.MANAGED
    ? resources.find((r) => r.Type === 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument
    : resources.find((r) => r.Type === 'AWS::IAM::Role').Properties.Policies[0].PolicyDocument;
  expect(document.Statement.length).toBe(2);
  return document;
}

function decision(policy: any, action: string, resource: string): Decision {
  return simulate({
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/publisher`,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: {},
    },
    identityPolicies: [{ name: 'push', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
}

const needed = [...new Set(Object.values(CALLS).flat().map((call) => ACTION_OF[call]))].sort();

describe.each([PushPolicy.INLINE, PushPolicy.MANAGED])('push policy %s', (pushPolicy) => {
  const policy = pushPolicyOf(pushPolicy);
  const granted = policy.Statement.flatMap((s: any) => ([] as string[]).concat(s.Action)).sort();

  test('grants exactly the actions the registry calls need: nothing missing, nothing more', () => {
    expect(needed).toHaveLength(8);
    expect(granted).toEqual(needed);
  });

  test.each(Object.entries(CALLS))('allows every call of %s on the repository', (_step, calls) => {
    for (const call of calls) {
      const action = ACTION_OF[call];
      const resource = action === 'ecr:GetAuthorizationToken' ? '*' : REPOSITORY_ARN;
      expect([call, decision(policy, action, resource)]).toEqual([call, 'Allowed']);
    }
  });

  test('allows no repository action on another repository', () => {
    for (const action of needed.filter((a) => a !== 'ecr:GetAuthorizationToken')) {
      expect([action, decision(policy, action, OTHER_REPOSITORY_ARN)]).toEqual([action, 'ImplicitlyDenied']);
    }
  });

  test('allows nothing the push does not need, even on the repository', () => {
    for (const action of ['ecr:BatchDeleteImage', 'ecr:DeleteRepository', 'ecr:SetRepositoryPolicy', 'ecr:PutLifecyclePolicy', 'ecr:DescribeImages', 'ecr:ListImages']) {
      expect([action, decision(policy, action, REPOSITORY_ARN)]).toEqual([action, 'ImplicitlyDenied']);
    }
  });
});
