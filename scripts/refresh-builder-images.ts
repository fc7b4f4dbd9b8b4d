// SPDX-License-Identifier: Apache-2.0
//
// Prints the digest-pinned references of the images the publishing job runs
// privileged (BuildKit of setup-buildx-action, binfmt of setup-qemu-action),
// read from their registries, as the values of the `buildkitImage` and
// `binfmtImage` workflow options; or verifies pinned references.
//
//   ts-node scripts/refresh-builder-images.ts                     # the actions' default tags, pinned now
//   ts-node scripts/refresh-builder-images.ts moby/buildkit:v0.20.1 # any reference, pinned now
//   ts-node scripts/refresh-builder-images.ts --verify <ref@sha256:...>...
//       # the registry serves that digest, and its content hashes to it
//
// It needs the registries (Docker Hub by default) and asks them anonymously,
// as the runner does; nothing is written. A digest is only printed when the
// registry's answer hashes to it.
import { createHash } from 'crypto';

/** The images the actions pull when their inputs are not set (setup-buildx-action, setup-qemu-action). */
export const ACTION_DEFAULT_IMAGES: Record<string, string> = {
  buildkitImage: 'moby/buildkit:buildx-stable-1',
  binfmtImage: 'docker.io/tonistiigi/binfmt:latest',
};

/** The manifest types a multi-platform image may be stored as. */
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface ImageReference {
  /** The registry's API host (Docker Hub's is registry-1.docker.io). */
  readonly host: string;
  /** The repository path (Docker Hub's official images under library/). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `[host[:port]/]path[:tag][@sha256:hex]` as Docker does (a first component with "." or ":" or "localhost" is a host). */
export function parseReference(reference: string): ImageReference {
  const [rest, digest] = reference.split('@');
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const explicitHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let host = explicitHost ? first : 'docker.io';
  let path = explicitHost ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(':');
  const tag = colon >= 0 ? path.slice(colon + 1) : undefined;
  path = colon >= 0 ? path.slice(0, colon) : path;
  if (host === 'docker.io') {
    host = 'registry-1.docker.io';
    path = path.includes('/') ? path : `library/${path}`;
  }
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`${reference}: the digest is not sha256:<64 hex>`);
  }
  return { host, path, tag: tag ?? (digest === undefined ? 'latest' : undefined), digest };
}

/** The Bearer challenge of a registry's 401 answer: where to get an anonymous token. */
export function parseChallenge(header: string): { realm: string; params: Record<string, string> } {
  if (!/^Bearer\s/i.test(header)) {
    throw new Error(`the registry asks for ${header.split(' ')[0]} authentication, not an anonymous Bearer token`);
  }
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) {
    params[m[1]] = m[2];
  }
  const { realm, ...rest } = params;
  if (!realm) {
    throw new Error(`no realm in the challenge ${header}`);
  }
  return { realm, params: rest };
}

/** The digest of a manifest's bytes, as registries name it. */
export function digestOf(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

async function fetchManifest(ref: ImageReference, reference: string): Promise<{ digest: string; header?: string }> {
  const url = `https://${ref.host}/v2/${ref.path}/manifests/${reference}`;
  let response = await fetch(url, { headers: { Accept: ACCEPT } });
  if (response.status === 401) {
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    const query = new URLSearchParams({ ...challenge.params, scope: challenge.params.scope ?? `repository:${ref.path}:pull` });
    const token = (await (await fetch(`${challenge.realm}?${query}`)).json()) as { token?: string; access_token?: string };
    response = await fetch(url, { headers: { Accept: ACCEPT, Authorization: `Bearer ${token.token ?? token.access_token}` } });
  }
  if (!response.ok) {
    throw new Error(`${url}: ${response.status} ${response.statusText}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  return { digest: digestOf(body), header: response.headers.get('docker-content-digest') ?? undefined };
}

/** The reference pinned to the digest its tag names now, checked against the manifest's own hash. */
async function pin(reference: string): Promise<string> {
  const ref = parseReference(reference);
  const { digest, header } = await fetchManifest(ref, ref.tag!);
  if (header !== undefined && header !== digest) {
    throw new Error(`${reference}: the registry names ${header}, its manifest hashes to ${digest}`);
  }
  return `${reference.split('@')[0]}@${digest}`;
}

async function verify(reference: string): Promise<void> {
  const ref = parseReference(reference);
  if (ref.digest === undefined) {
    throw new Error(`${reference} is not pinned to a digest`);
  }
  const { digest } = await fetchManifest(ref, ref.digest);
  if (digest !== ref.digest) {
    throw new Error(`${reference}: the registry's manifest hashes to ${digest}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--verify') {
    for (const reference of args.slice(1)) {
      await verify(reference);
      console.log(`ok   ${reference}`);
    }
    return;
  }
  const references = args.length > 0 ? Object.fromEntries(args.map((a) => [a, a])) : ACTION_DEFAULT_IMAGES;
  for (const [option, reference] of Object.entries(references)) {
    console.log(`${option}: '${await pin(reference)}'`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`refresh-builder-images: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
