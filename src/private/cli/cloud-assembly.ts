// SPDX-License-Identifier: Apache-2.0
//
// Reads what the command-line tool needs from a cloud assembly (cdk.out):
// the stacks (with their templates) and the context lookups reported missing,
// including those of nested assemblies (Stages). Only the manifest fields
// every aws-cdk-lib 2.x writes are read.
//
// The manifest is input like any other: every file it names (templates,
// nested assemblies) must lie inside the cloud assembly, also once symbolic
// links are resolved, or it is refused without being read; a nested assembly
// that contains itself is refused rather than followed for ever.
import * as fs from 'fs';
import * as path from 'path';
import { quote } from './printable';
import { UsageError } from './usage-error';

/** A CloudFormation stack of the assembly. */
export interface AssemblyStack {
  /** The artifact ID (unique in its assembly). */
  readonly artifactId: string;
  /** The CloudFormation stack name: the key `cdk deploy --outputs-file` uses. */
  readonly stackName: string;
  /** `aws://account/region`. */
  readonly environment: string;
  /** The template file. */
  readonly templateFile: string;
}

/** A context lookup the app asked for and cdk.context.json did not answer. */
export interface MissingContext {
  readonly key: string;
  readonly provider: string;
  readonly props: Record<string, unknown>;
}

export interface Assembly {
  readonly directory: string;
  readonly stacks: AssemblyStack[];
  readonly missing: MissingContext[];
  /** The text of every annotation (info, warning, error) of the stacks. */
  readonly annotations: string[];
}

interface Manifest {
  readonly artifacts?: Record<string, {
    type?: string;
    environment?: string;
    properties?: Record<string, unknown>;
    metadata?: Metadata;
    additionalMetadataFile?: unknown;
  }>;
  readonly missing?: MissingContext[];
}

/** Reads `directory` (a cdk.out) and its nested assemblies. */
export function readAssembly(directory: string): Assembly {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new UsageError(`${directory} is not a cloud assembly (no manifest.json): run \`cdk synth\` first, or point --cdk-out at the app's output folder (the "output" setting of cdk.json, default cdk.out)`);
  }
  const stacks: AssemblyStack[] = [];
  const missing = new Map<string, MissingContext>();
  const annotations: string[] = [];
  collect(fs.realpathSync(directory), directory, [], { stacks, missing, annotations });
  return { directory, stacks, missing: [...missing.values()], annotations };
}

/**
 * `name` (from `manifestFile`) resolved in `directory`, if it stays inside
 * `root` both as written and with links resolved; otherwise a UsageError.
 */
function inside(root: string, directory: string, name: string, manifestFile: string, what: string): string {
  const full = path.resolve(directory, name);
  const within = (p: string) => {
    const relative = path.relative(root, p);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  let real = full;
  try {
    real = fs.realpathSync(full);
  } catch {
    // Not there: reading it fails later with a message of its own.
  }
  if (!within(full) || !within(real)) {
    throw new UsageError(`${manifestFile} names the ${what} ${quote(name)}, which is outside the cloud assembly ${root}: refused, not read. ` +
      'Synthesize the app again (cdk synth) into a fresh folder');
  }
  return full;
}

type Metadata = Record<string, Array<{ type?: unknown; data?: unknown }>>;

/** The text of the info, warning and error entries of a stack's metadata. */
function annotationsIn(metadata: Metadata | undefined): string[] {
  const texts: string[] = [];
  for (const entries of Object.values(metadata ?? {})) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      if (typeof entry?.type === 'string' && /^aws:cdk:(info|warning|error)$/.test(entry.type) && typeof entry.data === 'string') {
        texts.push(entry.data);
      }
    }
  }
  return texts;
}

interface Found {
  readonly stacks: AssemblyStack[];
  readonly missing: Map<string, MissingContext>;
  readonly annotations: string[];
}

function collect(root: string, directory: string, parents: string[], found: Found): void {
  const manifestFile = path.join(directory, 'manifest.json');
  const here = fs.realpathSync(directory);
  if (parents.includes(here)) {
    throw new UsageError(`${manifestFile}: the nested cloud assembly ${directory} contains itself (a cycle through ${parents.length} level(s)): ` +
      'the manifest was edited or written by something else than the CDK; synthesize the app again');
  }
  const manifest = readJson(manifestFile) as Manifest;
  if (typeof manifest !== 'object' || manifest === null) {
    throw new UsageError(`${manifestFile} is not a cloud assembly manifest`);
  }
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact?.properties ?? {};
    if (artifact?.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      // Metadata is in the manifest, or (newer aws-cdk-lib) in a file of its own.
      const metadata = typeof artifact.additionalMetadataFile === 'string'
        ? readJson(inside(root, here, artifact.additionalMetadataFile, manifestFile, `metadata of stack ${quote(artifactId)}`)) as Metadata
        : artifact.metadata;
      found.annotations.push(...annotationsIn(metadata));
      found.stacks.push({
        artifactId,
        stackName: typeof props.stackName === 'string' ? props.stackName : artifactId,
        environment: artifact.environment ?? 'aws://unknown-account/unknown-region',
        templateFile: inside(root, here, props.templateFile, manifestFile, `template of stack ${quote(artifactId)}`),
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      const nested = inside(root, here, props.directoryName, manifestFile, `nested assembly ${quote(artifactId)}`);
      collect(root, nested, [...parents, here], found);
    }
  }
  for (const entry of Array.isArray(manifest.missing) ? manifest.missing : []) {
    found.missing.set(entry.key, entry);
  }
}

/** A JSON file, or a UsageError that names it. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // Not the parser's message: it quotes the text, which may be anything the file holds.
    const where = /position \d+/.exec((e as Error).message);
    throw new UsageError(`${file} is not valid JSON${where ? ` (at ${where[0]})` : ''}`);
  }
}
