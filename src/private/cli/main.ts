#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// The package's command-line tool (package.json "bin"), run with
// `npx cdk-github-ecr-publisher ...` from the CDK app's folder, whatever the
// app's language. Plain Node.js, no aws-cdk-lib at run time.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';
import { recordProviderLookups } from './context';
import { describeScope, ghArguments, planSecrets, shellCommand, ValueKind } from './secrets';
import { UsageError } from './usage-error';

export const USAGE = `Usage: cdk-github-ecr-publisher <command> [options]

  secrets --outputs-file FILE [--cdk-out DIR] [--variables] [--run]
      Print the gh commands that set AWS_REGION, ECR_REPOSITORY, ECR_REGISTRY and
      AWS_ROLE_ARN for every GitHubEcrPublisher in FILE (written by
      \`cdk deploy --outputs-file FILE\`), in its GitHub repository or in each of its
      GitHub Environments, as the output descriptions in the cloud assembly say.
        --cdk-out DIR   the app's cloud assembly (default: cdk.out)
        --variables     gh variable set (WorkflowValueSource.VARIABLES); default: gh secret set
        --run           run the commands with gh (logged in: gh auth login) instead of printing them

  context --found | --not-found [--cdk-out DIR] [--context-file FILE]
      Record in FILE (default: cdk.context.json) whether the account has the GitHub
      OIDC provider, for every provider lookup that \`cdk synth --no-lookups\` reported
      missing in DIR (default: cdk.out), so that cdk synth runs without AWS credentials.
`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The environment `gh` runs with (PATH, GH_TOKEN, GH_HOST...). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Runs the tool; returns the exit code (0 done, 1 failed, 2 usage). */
export function main(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'secrets':
        return secrets(rest, io);
      case 'context':
        return context(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (see --help)`, 2);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cdk-github-ecr-publisher: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

/** util.parseArgs, with its errors (unknown option, missing value) as usage errors. */
function parse<T extends ParseArgsConfig['options']>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message} (see --help)`, 2);
  }
}

function secrets(args: string[], io: Io): number {
  const values = parse('secrets', args, {
    'outputs-file': { type: 'string' },
    'cdk-out': { type: 'string', default: 'cdk.out' },
    'variables': { type: 'boolean', default: false },
    'run': { type: 'boolean', default: false },
  });
  if (values['outputs-file'] === undefined) {
    throw new UsageError('secrets needs --outputs-file FILE: the file `cdk deploy --outputs-file FILE` wrote', 2);
  }
  const outputsFile = path.resolve(io.cwd, values['outputs-file']);
  if (!fs.existsSync(outputsFile)) {
    throw new UsageError(`${values['outputs-file']} does not exist: deploy with \`cdk deploy --all --outputs-file ${values['outputs-file']}\` first`);
  }
  const plan = planSecrets(outputsFile, path.resolve(io.cwd, values['cdk-out']));
  const kind: ValueKind = values.variables ? 'variable' : 'secret';
  for (const stack of plan.notDeployed) {
    io.err(`note: stack "${stack}" has publisher outputs but is not in ${values['outputs-file']} (not deployed with --outputs-file): skipped\n`);
  }
  if (!values.run) {
    for (const scope of plan.scopes) {
      io.out(`# ${describeScope(scope)} (stack ${scope.stacks.join(', ')})\n`);
      for (const a of scope.assignments) {
        io.out(`${shellCommand('gh', ghArguments(kind, a))}\n`);
      }
    }
    return 0;
  }
  const commands = plan.scopes.flatMap((scope) => scope.assignments.map((a) => ghArguments(kind, a)));
  let done = 0;
  for (const ghArgs of commands) {
    io.out(`+ ${shellCommand('gh', ghArgs)}\n`);
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
}

function context(args: string[], io: Io): number {
  const values = parse('context', args, {
    'found': { type: 'boolean', default: false },
    'not-found': { type: 'boolean', default: false },
    'cdk-out': { type: 'string', default: 'cdk.out' },
    'context-file': { type: 'string', default: 'cdk.context.json' },
  });
  if (values.found === values['not-found']) {
    throw new UsageError('context needs exactly one of --found (the account has the GitHub OIDC provider) and --not-found ' +
      '(it has none: the app creates it); check with `aws iam list-open-id-connect-providers`', 2);
  }
  const result = recordProviderLookups(path.resolve(io.cwd, values['cdk-out']), path.resolve(io.cwd, values['context-file']),
    values.found ? 'found' : 'not-found');
  for (const { key, value } of result.recorded) {
    io.out(`${values['context-file']}: "${key}": ${JSON.stringify(value)}\n`);
  }
  if (result.otherMissing.length > 0) {
    io.err(`note: the app also needs ${result.otherMissing.length} other lookup(s), which this command does not answer: ` +
      `${result.otherMissing.map((m) => m.key).join(', ')}\n`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
}
