// SPDX-License-Identifier: Apache-2.0
//
// The one writer of cdk.context.json for every subcommand. Its rules:
// - never through a symbolic link (nor onto anything but a regular file): a link
//   planted in a checkout would make the tool overwrite its target;
// - the file is replaced in one step (a temporary file in the same folder,
//   renamed over it), so an interrupted run leaves the old file whole, and the
//   rename replaces the directory entry instead of following it;
// - an answer already recorded is never changed silently: a different value
//   for a key that holds one is refused, naming both, unless the caller passes
//   `replace` (the user's `--replace`); then each change is reported.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { quote } from './printable';
import { UsageError } from './usage-error';

export interface ContextEntry {
  readonly key: string;
  readonly value: unknown;
}

export interface ContextChange {
  readonly key: string;
  readonly previous: unknown;
  readonly value: unknown;
}

export interface ContextWrite {
  /** Keys that had no value. */
  readonly added: string[];
  /** Keys that already held exactly this value. */
  readonly unchanged: string[];
  /** Keys whose value was replaced (only with `replace`). */
  readonly replaced: ContextChange[];
}

export interface WriteOptions {
  /** Replace values that differ from the recorded ones (the user asked to). */
  readonly replace: boolean;
  /** How a value reads in a message ("found", "not found", ...). */
  readonly describe: (value: unknown) => string;
  /** The option that allows replacing, named in the refusal. */
  readonly replaceOption: string;
}

/** Refuses a path that is a symbolic link or not a regular file. */
function checkRegularFile(file: string): fs.Stats | undefined {
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (stats.isSymbolicLink()) {
    throw new UsageError(`${file} is a symbolic link: the tool never writes through one (it would change the file the link points to). ` +
      'Replace it with a regular file (copy the content) and run the command again');
  }
  if (!stats.isFile()) {
    throw new UsageError(`${file} is not a regular file`);
  }
  return stats;
}

/** The context values in `file` ({} when it does not exist). */
export function readContextFile(file: string): Record<string, unknown> {
  if (checkRegularFile(file) === undefined) {
    return {};
  }
  let text: string;
  try {
    // O_NOFOLLOW: a link swapped in after the check is not followed either (flags combine bitwise).
    // eslint-disable-next-line no-bitwise
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let context: unknown;
  try {
    context = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON: fix or delete it, then run the command again`);
  }
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new UsageError(`${file} is not a JSON object of context values`);
  }
  return context as Record<string, unknown>;
}

/** JSON with sorted keys, to compare values whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** Records `entries` in `file`, keeping every other value; see the rules above. */
export function writeContextEntries(file: string, entries: ContextEntry[], options: WriteOptions): ContextWrite {
  const context = readContextFile(file);
  const added: string[] = [];
  const unchanged: string[] = [];
  const replaced: ContextChange[] = [];
  for (const { key, value } of entries) {
    if (!(key in context)) {
      added.push(key);
    } else if (canonical(context[key]) === canonical(value)) {
      unchanged.push(key);
    } else {
      replaced.push({ key, previous: context[key], value });
    }
  }
  if (replaced.length > 0 && !options.replace) {
    throw new UsageError(`${file} already records another answer; nothing was written. ` +
      replaced.map((c) => `${quote(c.key)}: recorded ${options.describe(c.previous)}, this run would record ${options.describe(c.value)}`).join('; ') +
      `. If the recorded answer is out of date, run the command again with ${options.replaceOption}`);
  }
  if (added.length === 0 && replaced.length === 0) {
    return { added, unchanged, replaced };
  }
  for (const { key, value } of entries) {
    context[key] = value;
  }
  // The CDK CLI writes cdk.context.json with two-space indentation.
  writeAtomically(file, `${JSON.stringify(context, undefined, 2)}\n`);
  return { added, unchanged, replaced };
}

function writeAtomically(file: string, text: string): void {
  const existing = checkRegularFile(file);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx': created new, never an existing file or a link someone placed there.
    fs.writeFileSync(temp, text, { flag: 'wx', mode: existing ? existing.mode % 0o1000 : 0o644 });
    checkRegularFile(file);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    if (e instanceof UsageError) {
      throw e;
    }
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
