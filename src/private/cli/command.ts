// SPDX-License-Identifier: Apache-2.0
//
// The rules every subcommand of the command-line tool follows, in one place so
// that a new subcommand only declares its options and its work:
// - `--help` / `-h` anywhere before `--` prints the subcommand's usage and exits 0;
// - options are parsed strictly (an unknown option or a missing value is a usage
//   error, exit 2); positional arguments only where the command declares them;
// - every line printed goes through `printable()`, so a name read from a cloud
//   assembly or an API (a stack name with a line break, a terminal escape)
//   cannot forge another line of output.
import { parseArgs, ParseArgsConfig } from 'util';
import { printableLines } from './printable';
import { UsageError } from './usage-error';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The environment child processes (`gh`, `git`) run with (PATH, GH_TOKEN, GH_HOST...). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Waits (rate limits); tests pass one that records. Default: a real wait. */
  readonly sleep?: (seconds: number) => void;
  /** The time records are stamped with. Default: now. */
  readonly now?: () => Date;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What util.parseArgs returns for these options. */
export type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

/** One subcommand: its usage text, its options and its work. */
export interface CommandSpec<O extends Options> {
  readonly name: string;
  /** The synopsis line and the option descriptions, indented as in the tool's usage. */
  readonly usage: string;
  readonly options: O;
  /** What the positional arguments are, e.g. "OWNER/REPO"; none are accepted when undefined. */
  readonly positionals?: string;
  run(values: Values<O>, positionals: string[], io: Io): number;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  main(args: string[], io: Io): number;
}

/** Whether the arguments ask for help (before a `--` that ends the options). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** A subcommand that follows the tool's rules. */
export function defineCommand<O extends Options>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    usage: spec.usage,
    main: (args, io) => {
      if (wantsHelp(args)) {
        io.out(`Usage: cdk-github-ecr-publisher ${spec.usage.trimStart()}`);
        return 0;
      }
      let parsed;
      try {
        parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
      } catch (e) {
        throw new UsageError(`${spec.name}: ${(e as Error).message} (see ${spec.name} --help)`, 2);
      }
      if (spec.positionals === undefined && parsed.positionals.length > 0) {
        throw new UsageError(`${spec.name} takes no arguments, only options: ${JSON.stringify(parsed.positionals[0])} (see ${spec.name} --help)`, 2);
      }
      return spec.run(parsed.values as Values<O>, parsed.positionals, io);
    },
  };
}

/**
 * `io` with every control character but the line feed escaped: a value that
 * slipped through unquoted can still not move the cursor, clear the screen or
 * rewrite a line (carriage return). Values are quoted where they are printed,
 * which also escapes their line feeds.
 */
export function safeIo(io: Io): Io {
  const clean = (write: (text: string) => void) => (text: string) => write(printableLines(text));
  return { ...io, out: clean(io.out), err: clean(io.err) };
}
