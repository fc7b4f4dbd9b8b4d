// The one way the tests build "an app, a stack and a publisher", and the names
// they share. Also loaded outside jest (test/fixtures/lint/synth-configurations.ts),
// so nothing here may use jest.
import * as fs from 'fs';
import * as path from 'path';
import { App, ContextProvider, Environment, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher, GitHubEcrPublisherProps, GitHubIssuer } from '../../src';
import { IdentityRecord, identityContextKey } from '../../src/private/identity-context';
import { providerLookupOptions } from '../../src/private/provider-registry';
import { TrustScope } from '../../src/private/trust-policy';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const REGION = 'us-east-1';
/** The default stack environment: concrete, so ARNs and the audience are literal. */
export const ENV: Environment = { account: ACCOUNT, region: REGION };
export const OWNER = 'octo-org';
export const NAME = 'chatgpt-web';
export const REPO = `${OWNER}/${NAME}`;
/** The github.com issuer's host, also the prefix of its condition keys. */
export const GITHUB_COM_HOST = 'token.actions.githubusercontent.com';
/** The github.com provider of ACCOUNT. */
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB_COM_HOST}`;

export interface StackOptions {
  /** The stack's environment; `null` for an environment-agnostic stack. Default: ENV. */
  readonly env?: Environment | null;
  /** The app to add the stack to. Default: a new app with `context`. */
  readonly app?: App;
  /** Context of the new app (cached lookups). */
  readonly context?: Record<string, unknown>;
  /** Default: 'Stack'. */
  readonly id?: string;
}

/** A stack, in a new app unless `options.app` is given. */
export function newStack(options: StackOptions = {}): Stack {
  const app = options.app ?? new App({ context: options.context });
  const env = options.env === undefined ? ENV : options.env ?? undefined;
  return new Stack(app, options.id ?? 'Stack', { env });
}

/** A publisher of REPO (unless `props.repo` says otherwise), with id 'Publisher' unless given. */
export function addPublisher(stack: Stack, props: Partial<GitHubEcrPublisherProps> = {}, id = 'Publisher'): GitHubEcrPublisher {
  return new GitHubEcrPublisher(stack, id, { repo: REPO, ...props });
}

export interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly publisher: GitHubEcrPublisher;
  /** The stack's template, synthesized now. */
  template(): Template;
}

/** A new app and stack holding one publisher `Stack/Publisher`. */
export function newPublisher(props: Partial<GitHubEcrPublisherProps> = {}, options: StackOptions = {}): Fixture {
  const stack = newStack(options);
  const publisher = addPublisher(stack, props);
  return { app: stack.node.root as App, stack, publisher, template: () => Template.fromStack(stack) };
}

/** The workflow file a publisher of REPO pins by default (named after its ECR repository). */
export const WORKFLOW_FILE = `publish-${NAME}.yml`;

/** The `job_workflow_ref` of a job of REPO's default workflow file, run for `ref`. */
export function workflowRefOf(ref: string, file = WORKFLOW_FILE, repo = REPO): string {
  return `${repo}/.github/workflows/${file}@${ref}`;
}

/**
 * A trust scope of OWNER/NAME (branch main unless overridden), for the private
 * modules that take one: with claim conditions (GitHub.com in the aws
 * partition) and no workflow-file pin unless given.
 */
export function trustScope(overrides: Partial<TrustScope> = {}): TrustScope {
  return {
    owner: OWNER,
    repo: NAME,
    branches: ['main'],
    tags: [],
    environments: [],
    pullRequests: false,
    jobWorkflowRefs: [],
    claimConditions: true,
    workflowFile: undefined,
    ...overrides,
  };
}

/** The context key of the provider lookup a stack in `env` makes (set it to answer the lookup); `options`: another query. */
export function lookupKey(env: Environment, issuer: GitHubIssuer = GitHubIssuer.GITHUB_COM, options = providerLookupOptions): string {
  const stack = newStack({ env, id: 'KeyStack' });
  return ContextProvider.getKey(stack, options(stack, issuer)).key;
}

/** The `sub` of a job of REPO on main (GitHub's default subject template). */
export const MAIN_SUBJECT = `repo:${REPO}:ref:refs/heads/main`;

/** The claims of a job of the pinned workflow file on main, overridden as given (undefined removes a claim). */
export function jobClaims(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    sub: MAIN_SUBJECT, aud: 'sts.amazonaws.com', repository: REPO, job_workflow_ref: workflowRefOf('refs/heads/main'), ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `text` as a regular expression that matches exactly it. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The message of the error `build` throws, or undefined when it throws none. */
export function errorOf(build: () => unknown): string | undefined {
  try {
    build();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Where tests write the workflows they render, for scripts/lint-workflows.sh (actionlint). Not committed. */
export const LINT_WORKFLOWS_DIR = path.join(__dirname, '..', '..', '.lint-out', 'workflows');

/**
 * A fresh folder `.lint-out/repositories/<name>` for a test to write a
 * publisher's files into (workflow and diagnosis action, as in a checkout):
 * scripts/lint-workflows.sh lints each such folder as a repository. Not committed.
 */
export function lintRepositoryDir(name: string): string {
  const dir = path.join(__dirname, '..', '..', '.lint-out', 'repositories', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a rendered workflow to LINT_WORKFLOWS_DIR as `<name>.yml` and returns the text. */
export function writeForActionlint(name: string, yamlText: string): string {
  fs.mkdirSync(LINT_WORKFLOWS_DIR, { recursive: true });
  fs.writeFileSync(path.join(LINT_WORKFLOWS_DIR, `${name}.yml`), yamlText);
  return yamlText;
}

/** The IDs GitHub reports for OWNER and REPO in the identity records of the tests. */
export const RECORDED_OWNER_ID = 123;
export const RECORDED_REPO_ID = 456;

/** The identity record of REPO on github.com as the `identity` command writes it (name-form subjects unless overridden). */
export function identityRecord(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    host: 'github.com',
    fullName: REPO,
    ownerId: RECORDED_OWNER_ID,
    repositoryId: RECORDED_REPO_ID,
    subClaimPrefix: `repo:${REPO}`,
    useDefault: true,
    useImmutableSubject: false,
    templateSource: 'default',
    recordedAt: '2026-12-07T10:00:00Z',
    ...overrides,
  };
}

/** The immutable subject prefix of REPO with the recorded IDs. */
export const IMMUTABLE_PREFIX = `repo:${OWNER}@${RECORDED_OWNER_ID}/${NAME}@${RECORDED_REPO_ID}`;

/** App context holding these identity records (under their own keys). */
export function identityContext(...records: IdentityRecord[]): Record<string, unknown> {
  return Object.fromEntries(records.map((r) => [identityContextKey(r.host, r.fullName), r]));
}
