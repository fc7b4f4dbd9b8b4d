// SPDX-License-Identifier: Apache-2.0
//
// `secrets`: from the file `cdk deploy --outputs-file` writes (stack name ->
// output key -> value) and the app's cloud assembly (whose templates say, in
// each output's description, which GitHub repository or Environment the value
// belongs to), the `gh secret set` / `gh variable set` commands that give
// every publisher's workflow its four values.
import { VALUE_NAMES } from '../constants';
import { parseOutputDescription, OutputTarget } from '../output-description';
import { AssemblyStack, readAssembly, readJson } from './cloud-assembly';
import { UsageError } from './usage-error';

/** Where the workflow reads the values: `secrets.*` or `vars.*` (WorkflowValueSource). */
export type ValueKind = 'secret' | 'variable';

/** One value to set. */
export interface Assignment {
  readonly repository: string;
  /** The GitHub Environment, or undefined for the repository. */
  readonly environment?: string;
  readonly name: string;
  readonly value: string;
  /** `Stack.OutputKey`, for messages. */
  readonly source: string;
}

/** The values of one repository or environment, with the stacks they come from. */
export interface Scope {
  readonly repository: string;
  readonly environment?: string;
  readonly stacks: string[];
  readonly assignments: Assignment[];
}

export interface SecretsPlan {
  readonly scopes: Scope[];
  /** Stacks of the assembly with publisher outputs that the outputs file does not have. */
  readonly notDeployed: string[];
}

type Outputs = Record<string, Record<string, string>>;

const ORDER: string[] = Object.values(VALUE_NAMES);
const FORMAT = '{ "StackName": { "OutputKey": "value", ... }, ... }, as `cdk deploy --outputs-file FILE` writes it';

/** Reads both inputs and decides every value to set; throws UsageError on anything ambiguous or missing. */
export function planSecrets(outputsFile: string, cdkOut: string): SecretsPlan {
  const outputs = readOutputsFile(outputsFile);
  const assembly = readAssembly(cdkOut);
  const byName = new Map<string, AssemblyStack[]>();
  for (const stack of assembly.stacks) {
    byName.set(stack.stackName, [...(byName.get(stack.stackName) ?? []), stack]);
  }

  const scopes = new Map<string, Scope>();
  for (const [stackName, values] of Object.entries(outputs)) {
    const candidates = byName.get(stackName) ?? [];
    if (candidates.length === 0) {
      throw new UsageError(`stack "${stackName}" of ${outputsFile} is not in ${cdkOut} (its stacks: ${[...byName.keys()].join(', ') || 'none'}). ` +
        'Synthesize the app that was deployed (cdk synth) or point --cdk-out at its cloud assembly');
    }
    if (candidates.length > 1) {
      throw new UsageError(`stack name "${stackName}" belongs to ${candidates.length} stacks of ${cdkOut} ` +
        `(${candidates.map((s) => `${s.artifactId} in ${s.environment}`).join(', ')}): ${outputsFile} cannot tell their outputs apart. ` +
        'Give the stacks distinct stackName values');
    }
    for (const [key, target] of publisherOutputs(candidates[0])) {
      const value = values[key];
      const source = `${stackName}.${key}`;
      if (value === undefined) {
        throw new UsageError(`${outputsFile} has no output ${key} (${target.name}) for stack "${stackName}", which ${cdkOut} has: ` +
          'the file comes from another version of the app. Deploy again with `cdk deploy --outputs-file` and synthesize the same app');
      }
      if (value === '') {
        throw new UsageError(`output ${source} (${target.name}) is empty in ${outputsFile}`);
      }
      const environments = target.environments.length === 0 ? [undefined] : target.environments;
      for (const environment of environments) {
        add(scopes, { repository: target.repository, environment, name: target.name, value, source }, stackName);
      }
    }
  }
  if (scopes.size === 0) {
    throw new UsageError(`no GitHubEcrPublisher outputs in the stacks of ${outputsFile} (${Object.keys(outputs).join(', ') || 'none'}). ` +
      'Publishers with createOutputs: false (and those of a GitHubEcrPublisherFleet) have none: set their values by hand');
  }
  for (const scope of scopes.values()) {
    const names = scope.assignments.map((a) => a.name);
    const absent = ORDER.filter((n) => !names.includes(n));
    if (absent.length > 0) {
      throw new UsageError(`${describeScope(scope)} would get ${names.join(', ')} but not ${absent.join(', ')} (from ${scope.stacks.join(', ')}): ` +
        'every publisher outputs all four values; is a template edited or an output removed?');
    }
    scope.assignments.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
  }
  const listed = new Set(Object.keys(outputs));
  const notDeployed = assembly.stacks.filter((s) => !listed.has(s.stackName) && publisherOutputs(s).length > 0).map((s) => s.stackName);
  return { scopes: [...scopes.values()], notDeployed };
}

function readOutputsFile(file: string): Outputs {
  const outputs = readJson(file);
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new UsageError(`${file} is not an outputs file: expected ${FORMAT}`);
  }
  for (const [stack, values] of Object.entries(outputs)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new UsageError(`${file}: stack "${stack}" holds ${JSON.stringify(values)}, not an object of outputs; expected ${FORMAT}`);
    }
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== 'string') {
        throw new UsageError(`${file}: output ${stack}.${key} is ${JSON.stringify(value)}, not a string; expected ${FORMAT}`);
      }
    }
  }
  return outputs as Outputs;
}

/** The stack's outputs that a publisher created, by output key. */
function publisherOutputs(stack: AssemblyStack): Array<[string, OutputTarget]> {
  const template = readJson(stack.templateFile) as { Outputs?: Record<string, { Description?: unknown }> };
  const found: Array<[string, OutputTarget]> = [];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (typeof output?.Description !== 'string') {
      continue;
    }
    try {
      const target = parseOutputDescription(output.Description);
      if (target) {
        found.push([key, target]);
      }
    } catch (e) {
      throw new UsageError(`${stack.templateFile}: output ${key}: ${(e as Error).message}`);
    }
  }
  return found;
}

function add(scopes: Map<string, Scope>, assignment: Assignment, stackName: string): void {
  // GitHub compares repository and environment names case-insensitively.
  const key = `${assignment.repository.toLowerCase()}\n${assignment.environment?.toLowerCase() ?? ''}`;
  const scope = scopes.get(key) ?? { repository: assignment.repository, environment: assignment.environment, stacks: [], assignments: [] };
  scopes.set(key, scope);
  if (!scope.stacks.includes(stackName)) {
    scope.stacks.push(stackName);
  }
  const other = scope.assignments.find((a) => a.name === assignment.name);
  if (other === undefined) {
    scope.assignments.push(assignment);
  } else if (other.value !== assignment.value) {
    throw new UsageError(`${describeScope(scope)} would get two values of ${assignment.name}: ${JSON.stringify(other.value)} from ${other.source} ` +
      `and ${JSON.stringify(assignment.value)} from ${assignment.source}. The workflow reads one ${assignment.name} there, so two publishers of one ` +
      'GitHub repository need different GitHub Environments (the environments prop), or WorkflowValueSource.INLINE');
  }
}

export function describeScope(scope: { repository: string; environment?: string }): string {
  return scope.environment === undefined ? `the GitHub repository ${scope.repository}` : `GitHub Environment ${JSON.stringify(scope.environment)} of ${scope.repository}`;
}

/** The gh arguments for one value. */
export function ghArguments(kind: ValueKind, a: Assignment): string[] {
  return [kind, 'set', a.name, '--repo', a.repository, ...(a.environment === undefined ? [] : ['--env', a.environment]), '--body', a.value];
}

/** A command line a POSIX shell runs with exactly these arguments. */
export function shellCommand(command: string, args: string[]): string {
  return [command, ...args].map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(' ');
}
