// SPDX-License-Identifier: Apache-2.0
//
// How many branches fit in one trust policy: synthesizes roles that trust
// `feature-01` ... `feature-NN` of one repository and finds the largest N whose
// trust policy is within the quota, counted as IAM counts it (whitespace
// removed) with deploy-time values at their longest expansion (the
// construct's own measure, src/private/trust-policy-size.ts).
//
// - ours, without IDs: the construct admits the legacy subject
//   `repo:O/R:...` and the immutable one `repo:O@*/R@*:...`, and pins
//   `repository`; the construct itself throws above the quota, so the largest
//   N is the largest that constructs.
// - ours, with ownerId/repoId: legacy + `repo:O@OID/R@RID:...`, and pins
//   `repository_id`.
// - legacy form only (what the floor and aws-cdk-github-oidc write): a
//   `CfnRole` with the hand-written policy of the floor app, measured the same way.
//
// Prints one JSON object on stdout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, REGION, floorTrustPolicy } from './variants';
import { GitHubEcrPublisher, GitHubIssuer, OidcProviderSource } from '../src';
import { worstCaseSize } from '../src/private/trust-policy-size';

const REPO = 'octo-org/chatgpt-web';
// Realistic widths: organization IDs have 8-9 digits, new repository IDs 10.
const OWNER_ID = 123456789;
const REPO_ID = 1234567890;
const LIMIT = 1000;

type Mode = 'ours' | 'oursWithIds' | 'legacyOnly';

interface Attempt {
  readonly ok: boolean;
  /** Size of the trust policy; from the construct's error message when it refused to build. */
  readonly size?: number;
}

function branches(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `feature-${String(i + 1).padStart(2, '0')}`);
}

/** Builds and synthesizes one role trusting n branches; the trust policy size, or the construct's refusal. */
function attempt(mode: Mode, n: number, quota: number): Attempt {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-capacity-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Capacity', { env: { account: ACCOUNT, region: REGION } });
    if (mode === 'legacyOnly') {
      const provider = new iam.CfnOIDCProvider(stack, 'GitHubOidcProvider', {
        url: 'https://token.actions.githubusercontent.com',
        clientIdList: ['sts.amazonaws.com'],
      });
      new iam.CfnRole(stack, 'Role', {
        assumeRolePolicyDocument: floorTrustPolicy(provider.ref, REPO, branches(n).map((b) => `ref:refs/heads/${b}`)),
      });
    } else {
      try {
        new GitHubEcrPublisher(stack, 'Publisher', {
          repo: REPO,
          branches: branches(n),
          ...(mode === 'oursWithIds' ? { ownerId: OWNER_ID, repoId: REPO_ID } : {}),
          providerSource: OidcProviderSource.create(),
          trustPolicySizeQuota: quota,
          createOutputs: false,
        });
      } catch (e) {
        const message = (e as Error).message;
        // `<path>: trustPolicySizeQuota: <quota> is smaller than the role's trust policy, <size> non-whitespace characters ...`
        const size = /: trustPolicySizeQuota: \d+ is smaller than the role's trust policy, (\d+) non-whitespace characters/.exec(message);
        if (!size) {
          throw e;
        }
        return { ok: false, size: Number(size[1]) };
      }
    }
    const template = app.synth().getStackByName('Capacity').template as {
      Resources: Record<string, { Type: string; Properties: { AssumeRolePolicyDocument?: unknown } }>;
    };
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    if (roles.length !== 1) {
      throw new Error(`expected one role, found ${roles.length}`);
    }
    const size = worstCaseSize(roles[0].Properties.AssumeRolePolicyDocument, GitHubIssuer.GITHUB_COM);
    return { ok: size <= quota, size };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function largest(mode: Mode, quota: number) {
  if (!attempt(mode, 1, quota).ok) {
    throw new Error(`${mode}: one branch does not fit ${quota}`);
  }
  let lo = 1; // fits
  let hi = LIMIT; // assumed not to fit, checked below
  if (attempt(mode, hi, quota).ok) {
    throw new Error(`${mode}: ${LIMIT} branches fit ${quota}; raise LIMIT`);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (attempt(mode, mid, quota).ok) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const atMax = attempt(mode, lo, quota);
  const above = attempt(mode, lo + 1, quota);
  return { maxBranches: lo, sizeAtMax: atMax.size!, sizeAboveMax: above.size ?? NaN };
}

function main(): void {
  const labels: Record<Mode, string> = {
    legacyOnly: 'legacy form only, `repo:O/R:ref` (floor, aws-cdk-github-oidc)',
    ours: 'ours without IDs: legacy + `repo:O@*/R@*:ref`, `repository` pin',
    oursWithIds: `ours with ownerId ${OWNER_ID}/repoId ${REPO_ID}: legacy + \`repo:O@OID/R@RID:ref\`, \`repository_id\` pin`,
  };
  const rows = [];
  for (const quota of [2048, 4096]) {
    for (const mode of ['legacyOnly', 'ours', 'oursWithIds'] as Mode[]) {
      const r = largest(mode, quota);
      // Each branch is one `sub` value per repository form.
      const forms = mode === 'legacyOnly' ? 1 : 2;
      rows.push({ label: labels[mode], mode, quota, ...r, subjects: r.maxBranches * forms });
    }
  }
  process.stdout.write(JSON.stringify({ repo: REPO, ownerId: OWNER_ID, repoId: REPO_ID, rows }, undefined, 2) + '\n');
}

main();
