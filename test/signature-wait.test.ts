// The rendered wait for ECR's signature, run as GitHub runs a `run:` step
// (bash -eo pipefail) against a stand-in `aws` that answers as the ECR API
// reference documents (DescribeImageSigningStatus: signingStatuses of
// { signingProfileArn, status IN_PROGRESS | COMPLETE | FAILED, failureCode,
// failureReason }). No AWS call is made; jq is the runner's.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ImageSigning } from '../src';
import { newPublisher } from './helpers/fixture';

const PROFILE = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/P1';
const INDEX = `sha256:${'a'.repeat(64)}`;
const AMD64 = `sha256:${'b'.repeat(64)}`;
const ARM64 = `sha256:${'c'.repeat(64)}`;
const ATTESTATION = `sha256:${'d'.repeat(64)}`;

/** The stand-in CLI: records its calls, answers from files the test writes. */
const FAKE_AWS = String.raw`#!/usr/bin/env bash
echo "$*" >> "$FAKE_DIR/calls"
if [ "$1" = "--version" ]; then echo "aws-cli/2.0.0 Python/3.11"; exit 0; fi
if [ "$2" = "describe-image-signing-status" ] && [ "$#" -eq 2 ]; then
  if [ -n "$FAKE_OLD_CLI" ]; then echo "aws: error: argument operation: Invalid choice, valid choices are:" >&2; exit 252; fi
  echo "aws: error: the following arguments are required: --repository-name, --image-id" >&2; exit 252
fi
id=""
for arg in "$@"; do case "$arg" in imageDigest=*|imageTag=*) id="$arg";; esac; done
case "$2 $id" in
  "batch-get-image imageTag="*) cat "$FAKE_DIR/tag-digest"; exit 0;;
  "batch-get-image imageDigest="*) cat "$FAKE_DIR/manifest"; exit 0;;
  "describe-image-signing-status imageDigest="*)
    file="$FAKE_DIR/status-$(printf '%s' "$id" | sed 's/.*sha256://')"
    head -n 1 "$file"
    if [ "$(wc -l < "$file")" -gt 1 ]; then sed -i 1d "$file"; fi
    exit 0;;
esac
echo "unexpected call: $*" >&2
exit 1
`;

const status = (...statuses: Array<{ status: string; failureCode?: string; failureReason?: string }>) =>
  JSON.stringify({ signingStatuses: statuses.map((s) => ({ signingProfileArn: PROFILE, ...s })) });
const COMPLETE = status({ status: 'COMPLETE' });
const IN_PROGRESS = status({ status: 'IN_PROGRESS' });

const INDEX_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: AMD64, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: ARM64, platform: { os: 'linux', architecture: 'arm64' } },
    { digest: ATTESTATION, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': AMD64 } },
  ],
});

/** The wait step's script and settings, as the signing publisher's workflow renders them. */
function renderedWait(): { run: string; env: Record<string, string> } {
  const workflow = parse(newPublisher({ imageSigning: ImageSigning.managed() }).publisher.renderWorkflow());
  return workflow.jobs.publish.steps.find((s: { id?: string }) => s.id === 'signature');
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly calls: string[];
  readonly outputs: string;
  readonly summary: string;
}

/** Runs the step with `files` in the stand-in's folder and `env` over the step's own. */
function runWait(files: Record<string, string>, env: Record<string, string> = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signature-wait-'));
  try {
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'aws'), FAKE_AWS, { mode: 0o755 });
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content);
    }
    const step = renderedWait();
    fs.writeFileSync(path.join(dir, 'step.sh'), step.run);
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(dir, 'step.sh')], {
      encoding: 'utf8',
      env: {
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
        FAKE_DIR: dir,
        GITHUB_OUTPUT: path.join(dir, 'output'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
        ...step.env,
        ECR_REPOSITORY: 'chatgpt-web',
        ECR_REGISTRY: '111111111111.dkr.ecr.us-east-1.amazonaws.com',
        PUSHED_DIGEST: INDEX,
        IMAGE_TAGS: '111111111111.dkr.ecr.us-east-1.amazonaws.com/chatgpt-web:latest\n111111111111.dkr.ecr.us-east-1.amazonaws.com/chatgpt-web:sha-1234567',
        POLL_SECONDS: '0',
        ...env,
      },
    });
    const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '');
    return { status: result.status, stdout: result.stdout + result.stderr, calls: read('calls').split('\n').filter(Boolean), outputs: read('output'), summary: read('summary') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const statusFile = (digest: string) => `status-${digest.slice('sha256:'.length)}`;
const asked = (run: Run) => run.calls.filter((c) => c.startsWith('ecr describe-image-signing-status --')).map((c) => /imageDigest=(\S+)/.exec(c)![1]);

describe('the wait for the signature', () => {
  test('polls the index and each platform manifest until COMPLETE, skips the attestation manifest, then says how to verify', () => {
    const run = runWait({
      manifest: INDEX_MANIFEST,
      [statusFile(INDEX)]: `${IN_PROGRESS}\n${IN_PROGRESS}\n${COMPLETE}\n`,
      [statusFile(AMD64)]: `${COMPLETE}\n`,
      [statusFile(ARM64)]: `${IN_PROGRESS}\n${COMPLETE}\n`,
    });
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.status).toBe(0);
    expect(asked(run)).toEqual([INDEX, INDEX, INDEX, AMD64, ARM64, ARM64]);
    expect(asked(run)).not.toContain(ATTESTATION);
    expect(run.summary).toContain(`notation verify 111111111111.dkr.ecr.us-east-1.amazonaws.com/chatgpt-web@${INDEX}`);
    expect(run.summary).toContain(PROFILE);
    expect(run.outputs).toBe('');
  });

  test('fails on FAILED with the failure code and reason, and names the digest for the diagnosis', () => {
    const run = runWait({
      manifest: INDEX_MANIFEST,
      [statusFile(INDEX)]: `${COMPLETE}\n`,
      [statusFile(AMD64)]: `${status({ status: 'FAILED', failureCode: 'SomeCode', failureReason: 'the reason ECR gives' })}\n`,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error::ECR failed to sign chatgpt-web@${AMD64}: ${PROFILE}: SomeCode: the reason ECR gives`);
    expect(run.outputs).toBe(`unsigned=${AMD64}\n`);
  });

  test('fails after the timeout when the image stays unsigned (pushed but not signed)', () => {
    const run = runWait({ manifest: INDEX_MANIFEST, [statusFile(INDEX)]: '{"signingStatuses":[]}\n' }, { TIMEOUT_SECONDS: '0' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error::chatgpt-web@${INDEX} was pushed but is not signed after 0 s (status: [])`);
    expect(run.outputs).toBe(`unsigned=${INDEX}\n`);
  });

  test('a run whose push step pushed nothing waits for the image its first tag already points to', () => {
    const single = `sha256:${'e'.repeat(64)}`;
    const run = runWait({
      'tag-digest': single,
      'manifest': JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }),
      [statusFile(single)]: `${COMPLETE}\n`,
    }, { PUSHED_DIGEST: '' });
    expect(run.status).toBe(0);
    expect(run.calls.find((c) => c.startsWith('ecr batch-get-image'))).toContain('imageTag=latest');
    expect(asked(run)).toEqual([single]);
  });

  test('refuses to run on an AWS CLI without the call, saying so', () => {
    const run = runWait({}, { FAKE_OLD_CLI: '1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::The runner\'s AWS CLI (aws-cli/2.0.0 Python/3.11) cannot read ECR signing status');
  });
});
