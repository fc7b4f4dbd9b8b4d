// SPDX-License-Identifier: Apache-2.0
//
// Output quoting for the command-line tool. Names it prints come from files
// and APIs it does not control (a cloud assembly's stack names, GitHub's
// answers): printed raw, a line break in one would start a line of its own,
// for example a second `gh` command in the printed list; a terminal escape
// could hide or rewrite what is shown.
import { UsageError } from './usage-error';

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(text: string, keepLineFeeds: boolean): string {
  return text.replace(new RegExp(CONTROL.source, 'g'), (ch) => (ch === '\n' && keepLineFeeds)
    ? ch
    : ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `text` with its control characters written as escapes (`\n`, `\u001b`),
 * so that it prints as one line and cannot drive the terminal.
 */
export function printable(text: string): string {
  return escape(text, false);
}

/** `printable`, but line feeds kept: for whole messages whose lines are the tool's own. */
export function printableLines(text: string): string {
  return escape(text, true);
}

/** A name inside a message: JSON-quoted, so its extent and every character are visible. */
export function quote(text: string): string {
  return printable(JSON.stringify(text));
}

/**
 * A command line a POSIX shell runs with exactly these arguments. Arguments
 * with control characters are refused: inside single quotes a line break is
 * legal shell, but on screen it reads as two commands.
 */
export function shellCommand(command: string, args: string[]): string {
  return [command, ...args].map((arg) => {
    if (CONTROL.test(arg)) {
      throw new UsageError(`refusing to print a command with the argument ${quote(arg)}: it contains a control character or line break`);
    }
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
  }).join(' ');
}
