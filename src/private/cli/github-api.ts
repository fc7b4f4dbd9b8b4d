// SPDX-License-Identifier: Apache-2.0
//
// GitHub's REST API through the GitHub CLI (`gh api`): the user's login, host
// and token handling are gh's, and an argument array (no shell) passes every
// path exactly. The answer is parsed here, so a stand-in `gh` serves in tests.
// Every failure becomes a UsageError that says what to do; rate-limit answers
// are waited out (until the limit resets) and retried.
import { spawnSync } from 'child_process';
import { quote } from './printable';
import { UsageError } from './usage-error';

export interface GitHubApiOptions {
  readonly host: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Waits; tests pass one that records instead. */
  readonly sleep: (seconds: number) => void;
  /** Says that it waits, and why. */
  readonly note: (text: string) => void;
  /** Retries of one call after rate-limit answers. */
  readonly maxRetries?: number;
}

/** An answer GitHub gave with an HTTP error status. */
export class GitHubHttpError extends UsageError {
  constructor(message: string, public readonly status: number) {
    super(message);
    this.name = 'GitHubHttpError';
  }
}

/** Waits `seconds` (the tool is synchronous end to end). */
export function sleepSeconds(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

// The longest wait for a limit to reset: the primary limit resets within the hour.
const MAX_WAIT_SECONDS = 3700;

export class GitHubApi {
  constructor(private readonly options: GitHubApiOptions) {}

  /** `GET path`; the parsed JSON. */
  public get(path: string): unknown {
    const retries = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const answer = this.call(path);
      if (answer.ok) {
        return answer.body;
      }
      if (!answer.rateLimited || attempt >= retries) {
        throw answer.error;
      }
      const wait = this.waitSeconds(answer.secondary);
      this.options.note(`GitHub's rate limit (${answer.secondary ? 'secondary' : 'primary'}) answered ${path}: waiting ${wait} s, then retrying (${attempt + 1} of ${retries})\n`);
      this.options.sleep(wait);
    }
  }

  private call(path: string): { ok: true; body: unknown } | { ok: false; error: UsageError; rateLimited: boolean; secondary: boolean } {
    const result = spawnSync('gh', ['api', '--hostname', this.options.host, '-H', 'Accept: application/vnd.github+json', path],
      { env: this.options.env, cwd: this.options.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) {
      throw new UsageError((result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'gh (the GitHub CLI) is not on PATH: install it (https://cli.github.com) and log in with `gh auth login`'
        : `cannot run gh: ${result.error.message}`);
    }
    if (result.status === 0) {
      try {
        return { ok: true, body: JSON.parse(result.stdout) };
      } catch {
        throw new UsageError(`gh api ${path} did not answer JSON`);
      }
    }
    const stderr = result.stderr ?? '';
    if (result.status === 4 || /gh auth login|not logged in|authentication required/i.test(stderr)) {
      throw new UsageError(`gh is not logged in to ${this.options.host}: run \`gh auth login --hostname ${this.options.host}\` (or set GH_TOKEN)`);
    }
    const status = Number(/\(HTTP (\d{3})\)/.exec(stderr)?.[1] ?? 0);
    let message = '';
    try {
      message = String((JSON.parse(result.stdout) as { message?: unknown }).message ?? '');
    } catch {
      message = stderr.trim().split('\n').pop() ?? '';
    }
    const rateLimited = (status === 403 || status === 429) && /rate limit/i.test(`${message} ${stderr}`);
    const error = new GitHubHttpError(`GitHub answered ${path} on ${this.options.host} with HTTP ${status || '?'}: ${quote(message || stderr.trim())}`, status);
    return { ok: false, error, rateLimited, secondary: /secondary/i.test(`${message} ${stderr}`) };
  }

  /** How long until the limit resets (rate_limit itself is not counted); a minute for a secondary limit. */
  private waitSeconds(secondary: boolean): number {
    if (secondary) {
      return 60;
    }
    const answer = this.call('rate_limit');
    const reset = answer.ok ? Number((answer.body as { resources?: { core?: { reset?: unknown } } }).resources?.core?.reset) : NaN;
    const seconds = Number.isFinite(reset) ? Math.ceil(reset - Date.now() / 1000) + 1 : 60;
    return Math.min(Math.max(seconds, 1), MAX_WAIT_SECONDS);
  }
}
