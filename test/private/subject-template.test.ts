import { TemplateInput, templateSubjects } from '../../src/private/subject-template';
import { REPO } from '../helpers/fixture';

const FILE_REF = `${REPO}/.github/workflows/publish-chatgpt-web.yml`;
const REUSABLE = 'octo-org/automation/.github/workflows/build.yml@refs/heads/main';

function input(claimKeys: string[], overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    key: 'cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web',
    templateSource: 'repository',
    repository: REPO,
    claimKeys,
    segments: [REPO],
    contexts: [{ context: 'ref:refs/heads/main', kind: 'branch', name: 'main' }],
    owner: 'octo-org',
    ownerId: 123,
    repoId: 456,
    environmentRefs: [],
    workflowFileRef: FILE_REF,
    jobWorkflowRefs: [],
    claimConditions: true,
    ...overrides,
  };
}

const ENVIRONMENT = { context: 'environment:production', kind: 'environment' as const, name: 'production' };
const TAG = { context: 'ref:refs/tags/v*', kind: 'tag' as const, name: 'v*' };
const PULL_REQUEST = { context: 'pull_request', kind: 'pull_request' as const };

describe('subjects built from the claim keys, in order', () => {
  test('the documented ["repo", "context", "job_workflow_ref"], with a reusable workflow next to the pinned file', () => {
    expect(templateSubjects(input(['repo', 'context', 'job_workflow_ref'], { jobWorkflowRefs: [REUSABLE] }))).toEqual([
      `repo:${REPO}:ref:refs/heads/main:job_workflow_ref:${FILE_REF}@refs/heads/main`,
      `repo:${REPO}:ref:refs/heads/main:job_workflow_ref:${REUSABLE}`,
    ]);
  });

  test('ids, owner, ref and ref_type; one subject per repository segment', () => {
    expect(templateSubjects(input(['repository_owner', 'repository_owner_id', 'repository_id', 'repo', 'ref', 'ref_type'], {
      segments: [REPO, 'octo-org@123/chatgpt-web@456'], contexts: [TAG],
    }))).toEqual([
      `repository_owner:octo-org:repository_owner_id:123:repository_id:456:repo:${REPO}:ref:refs/tags/v*:ref_type:tag`,
      'repository_owner:octo-org:repository_owner_id:123:repository_id:456:repo:octo-org@123/chatgpt-web@456:ref:refs/tags/v*:ref_type:tag',
    ]);
  });

  test('with environment, only environment jobs get a token: the branch context is left out', () => {
    expect(templateSubjects(input(['repo', 'environment'], { contexts: [{ context: 'ref:refs/heads/main', kind: 'branch', name: 'main' }, ENVIRONMENT] })))
      .toEqual([`repo:${REPO}:environment:production`]);
  });

  test('an environment job\'s ref and workflow ref are the trusted branches and tags', () => {
    expect(templateSubjects(input(['repo', 'context', 'ref'], { contexts: [ENVIRONMENT], environmentRefs: ['refs/heads/main'] })))
      .toEqual([`repo:${REPO}:environment:production:ref:refs/heads/main`]);
  });

  test('a pull request with only reusable workflows pinned', () => {
    expect(templateSubjects(input(['repo', 'context', 'job_workflow_ref'], { contexts: [PULL_REQUEST], workflowFileRef: undefined, jobWorkflowRefs: [REUSABLE] })))
      .toEqual([`repo:${REPO}:pull_request:job_workflow_ref:${REUSABLE}`]);
  });
});

describe('refused when a claim cannot be predicted exactly', () => {
  test.each<[string, TemplateInput, RegExp]>([
    ['a pull request\'s ref', input(['repo', 'context', 'ref'], { contexts: [PULL_REQUEST] }), /the ref claim of a pull request \(its merge ref carries the pull request number\) can be any ref/],
    ['an environment job\'s ref without trusted branches', input(['repo', 'context', 'ref'], { contexts: [ENVIRONMENT] }), /the ref claim of a job in an environment, when no branch or tag is trusted, can be any ref/],
    ['an environment job\'s ref_type', input(['repo', 'context', 'ref_type'], { contexts: [ENVIRONMENT] }), /the ref_type claim of a job in an environment is not fixed/],
    ['any workflow file (no pin)', input(['repo', 'context', 'job_workflow_ref'], { workflowFileRef: undefined }), /can name any workflow file, because the role pins none/],
    ['a pull request\'s pinned workflow ref', input(['repo', 'context', 'job_workflow_ref'], { contexts: [PULL_REQUEST] }), /the job_workflow_ref claim of a pull request names its merge ref/],
    ['a pull request named by no claim', input(['repo', 'ref'], { contexts: [PULL_REQUEST] }), /does not name the pull_request event/],
    ['several free-text claims', input(['repo', 'context', 'workflow', 'actor']), /cannot predict the claims "workflow", "actor" exactly/],
  ])('%s', (_label, given, message) => {
    expect(() => templateSubjects(given)).toThrow(message);
  });
});
