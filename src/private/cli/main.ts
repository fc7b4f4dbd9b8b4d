#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// The package's command-line tool (package.json "bin"), run with
// `npx cdk-github-ecr-publisher ...` from the CDK app's folder, whatever the
// app's language. Plain Node.js, no aws-cdk-lib at run time. Every subcommand
// is a `defineCommand` (command.ts) and follows the same rules: help, strict
// options, printable output, and cdk.context.json written only through
// context-file.ts.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Command, defineCommand, Io, safeIo } from './command';
import { recordProviderLookups } from './context';
import { committable } from './git';
import { IDENTITY } from './identity';
import { printable, quote, shellCommand } from './printable';
import { checkValueKind, describeScope, ghArguments, planSecrets, ValueKind } from './secrets';
import { UsageError } from './usage-error';

export type { Io } from './command';

const SECRETS = defineCommand({
  name: 'secrets',
  usage: `
  secrets --outputs-file FILE [--cdk-out DIR] [--variables] [--run]
      Print the gh commands that set AWS_REGION, ECR_REPOSITORY, ECR_REGISTRY and
      AWS_ROLE_ARN for every GitHubEcrPublisher in FILE (written by
      \`cdk deploy --outputs-file FILE\`), in its GitHub repository or in each of its
      GitHub Environments, as the output descriptions in the cloud assembly say.
      FILE holds the account ID and role ARNs: keep it out of git.
        --cdk-out DIR   the app's cloud assembly (default: cdk.out)
        --variables     gh variable set (WorkflowValueSource.VARIABLES); default: gh secret set
        --run           run the commands with gh (logged in: gh auth login) instead of printing them
`,
  options: {
    'outputs-file': { type: 'string' },
    'cdk-out': { type: 'string', default: 'cdk.out' },
    'variables': { type: 'boolean', default: false },
    'run': { type: 'boolean', default: false },
  },
  run: (values, _positionals, io) => {
    if (values['outputs-file'] === undefined) {
      throw new UsageError('secrets needs --outputs-file FILE: the file `cdk deploy --outputs-file FILE` wrote', 2);
    }
    const outputsFile = path.resolve(io.cwd, values['outputs-file']);
    if (!fs.existsSync(outputsFile)) {
      throw new UsageError(`${values['outputs-file']} does not exist: deploy with \`cdk deploy --all --outputs-file ${values['outputs-file']}\` first`);
    }
    const plan = planSecrets(outputsFile, path.resolve(io.cwd, values['cdk-out']!));
    const kind: ValueKind = values.variables ? 'variable' : 'secret';
    checkValueKind(plan, kind);
    for (const stack of plan.notDeployed) {
      io.err(`note: stack ${quote(stack)} has publisher outputs but is not in ${values['outputs-file']} (not deployed with --outputs-file): skipped\n`);
    }
    if (committable(outputsFile, io.env)) {
      io.err(`note: ${values['outputs-file']} holds your account ID and role ARNs, and git would commit it: add it to .gitignore ` +
        '(commit cdk.context.json and the workflow file, not the outputs file)\n');
    }
    if (!values.run) {
      for (const scope of plan.scopes) {
        io.out(`# ${describeScope(scope)} (stack ${scope.stacks.map(printable).join(', ')})\n`);
        for (const a of scope.assignments) {
          io.out(`${shellCommand('gh', ghArguments(kind, a))}\n`);
        }
      }
      return 0;
    }
    const commands = plan.scopes.flatMap((scope) => scope.assignments.map((a) => ghArguments(kind, a)));
    // Every line is checked before the first value is set.
    const lines = commands.map((ghArgs) => shellCommand('gh', ghArgs));
    let done = 0;
    for (const [i, ghArgs] of commands.entries()) {
      io.out(`+ ${lines[i]}\n`);
      // An argument array and no shell: values are passed to gh exactly.
      const result = spawnSync('gh', ghArgs, { stdio: 'inherit', env: io.env, cwd: io.cwd });
      if (result.error) {
        const missing = (result.error as { code?: string }).code === 'ENOENT';
        throw new UsageError(missing
          ? 'gh (the GitHub CLI) is not on PATH: install it (https://cli.github.com), run `gh auth login`, or run without --run and set the values by hand'
          : `cannot run gh: ${result.error.message}`);
      }
      if (result.status !== 0) {
        throw new UsageError(`gh exited with ${result.status ?? result.signal}; ${done} of ${commands.length} values were set, the rest were not`);
      }
      done++;
    }
    io.out(`${done} ${kind === 'secret' ? 'secrets' : 'variables'} set in ${plan.scopes.map(describeScope).join('; ')}\n`);
    return 0;
  },
});

const CONTEXT = defineCommand({
  name: 'context',
  usage: `
  context --found | --not-found [--cdk-out DIR] [--context-file FILE] [--replace]
      Record in FILE (default: cdk.context.json) whether the account has the GitHub
      OIDC provider, for every provider lookup that \`cdk synth --no-lookups\` reported
      missing in DIR (default: cdk.out), so that cdk synth runs without AWS credentials.
      An answer FILE already holds is changed only with --replace.
        --replace       replace recorded answers that differ (each is reported)
`,
  options: {
    'found': { type: 'boolean', default: false },
    'not-found': { type: 'boolean', default: false },
    'cdk-out': { type: 'string', default: 'cdk.out' },
    'context-file': { type: 'string', default: 'cdk.context.json' },
    'replace': { type: 'boolean', default: false },
  },
  run: (values, _positionals, io) => {
    if (values.found === values['not-found']) {
      throw new UsageError('context needs exactly one of --found (the account has the GitHub OIDC provider) and --not-found ' +
        '(it has none: the app creates it); check with `aws iam list-open-id-connect-providers`', 2);
    }
    const contextFile = values['context-file']!;
    const result = recordProviderLookups(path.resolve(io.cwd, values['cdk-out']!), path.resolve(io.cwd, contextFile),
      values.found ? 'found' : 'not-found', values.replace);
    for (const { key, value } of result.recorded) {
      io.out(`${contextFile}: ${quote(key)}: ${printable(JSON.stringify(value))}\n`);
    }
    for (const change of result.write.replaced) {
      io.err(`note: replaced the recorded answer ${printable(JSON.stringify(change.previous))} of ${quote(change.key)}\n`);
    }
    if (result.otherMissing.length > 0) {
      io.err(`note: the app also needs ${result.otherMissing.length} other lookup(s), which this command does not answer: ` +
        `${result.otherMissing.map((m) => quote(m.key)).join(', ')}\n`);
    }
    return 0;
  },
});

/** Every subcommand, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [SECRETS, CONTEXT, IDENTITY];

export const USAGE = `Usage: cdk-github-ecr-publisher <command> [options]
${COMMANDS.map((c) => c.usage).join('')}
Run \`cdk-github-ecr-publisher <command> --help\` for one command.
`;

/** Runs the tool; returns the exit code (0 done, 1 failed, 2 usage). */
export function main(argv: string[], rawIo: Io): number {
  const io = safeIo(rawIo);
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      const command = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      return command ? command.main(['--help'], io) : (io.out(USAGE), name === undefined ? 2 : 0);
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      throw new UsageError(`unknown command ${quote(name)} (see --help)`, 2);
    }
    return command.main(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cdk-github-ecr-publisher: ${printable(e.message)}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
}
