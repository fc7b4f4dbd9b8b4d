// A stand-in for the GitHub CLI in tests: a `gh` on PATH that answers
// `gh api ... PATH` from a table (as the real gh does: the JSON body on stdout,
// "gh: MESSAGE (HTTP STATUS)" on stderr and exit 1 for an HTTP error) and logs
// every argument array it was called with. No network, no shell.
import * as fs from 'fs';
import * as path from 'path';

/** One answer: an HTTP status and body, or a process that fails before any request. */
export interface GhAnswer {
  readonly status?: number;
  readonly body?: unknown;
  /** Exit code and stderr of a gh that fails by itself (not logged in). */
  readonly exit?: number;
  readonly stderr?: string;
}

/** Answers by API path; a list is used in order, its last answer repeating. */
export type GhTable = Record<string, GhAnswer | GhAnswer[]>;

export class StandInGh {
  private readonly bin: string;

  constructor(private readonly dir: string, table: GhTable = {}) {
    this.bin = path.join(dir, 'gh-bin');
    fs.mkdirSync(this.bin, { recursive: true });
    this.answer(table);
    fs.writeFileSync(path.join(this.bin, 'gh'), `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const dir = ${JSON.stringify(dir)};
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'gh-calls.jsonl'), JSON.stringify(args) + '\\n');
const table = JSON.parse(fs.readFileSync(path.join(dir, 'gh-table.json'), 'utf8'));
const apiPath = args[args.length - 1];
const counts = fs.existsSync(path.join(dir, 'gh-counts.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'gh-counts.json'), 'utf8')) : {};
const n = counts[apiPath] = (counts[apiPath] || 0) + 1;
fs.writeFileSync(path.join(dir, 'gh-counts.json'), JSON.stringify(counts));
const entry = table[apiPath];
const answers = entry === undefined ? [{ status: 404, body: { message: 'Not Found' } }] : [].concat(entry);
const a = answers[Math.min(n, answers.length) - 1];
if (a.exit !== undefined) {
  process.stderr.write(a.stderr || '');
  process.exit(a.exit);
}
process.stdout.write(JSON.stringify(a.body ?? {}));
if ((a.status ?? 200) >= 400) {
  process.stderr.write('gh: ' + ((a.body && a.body.message) || 'error') + ' (HTTP ' + a.status + ')\\n');
  process.exit(1);
}
`, { mode: 0o755 });
  }

  /** Replaces the table (the call counts start again). */
  public answer(table: GhTable): void {
    fs.writeFileSync(path.join(this.dir, 'gh-table.json'), JSON.stringify(table));
    fs.rmSync(path.join(this.dir, 'gh-counts.json'), { force: true });
  }

  /** The environment with this gh first on PATH. */
  public env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${this.bin}${path.delimiter}${process.env.PATH}` };
    delete env.GH_HOST;
    return { ...env, ...extra };
  }

  /** The argument arrays of every call so far. */
  public calls(): string[][] {
    const file = path.join(this.dir, 'gh-calls.jsonl');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  }

  /** The API paths of every call so far. */
  public paths(): string[] {
    return this.calls().map((c) => c[c.length - 1]);
  }
}
