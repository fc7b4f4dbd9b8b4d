// The builder-image refresher reads registries, which this machine cannot
// reach: these cases check how it names registries and repositories, reads a
// registry's token challenge and hashes a manifest, and that its defaults are
// the images the pinned actions pull.
import { ACTION_DEFAULT_IMAGES, digestOf, parseChallenge, parseReference } from '../../scripts/refresh-builder-images';
import { WorkflowOptions } from '../../src';

const DIGEST = `sha256:${'0a'.repeat(32)}`;

describe('parseReference', () => {
  test.each<[string, ReturnType<typeof parseReference>]>([
    ['moby/buildkit:buildx-stable-1', { host: 'registry-1.docker.io', path: 'moby/buildkit', tag: 'buildx-stable-1', digest: undefined }],
    ['docker.io/tonistiigi/binfmt:latest', { host: 'registry-1.docker.io', path: 'tonistiigi/binfmt', tag: 'latest', digest: undefined }],
    ['alpine', { host: 'registry-1.docker.io', path: 'library/alpine', tag: 'latest', digest: undefined }],
    [`moby/buildkit@${DIGEST}`, { host: 'registry-1.docker.io', path: 'moby/buildkit', tag: undefined, digest: DIGEST }],
    [`public.ecr.aws/docker/buildkit:v0.20@${DIGEST}`, { host: 'public.ecr.aws', path: 'docker/buildkit', tag: 'v0.20', digest: DIGEST }],
    ['localhost:5000/team/buildkit', { host: 'localhost:5000', path: 'team/buildkit', tag: 'latest', digest: undefined }],
  ])('%s', (reference, expected) => {
    expect(parseReference(reference)).toEqual(expected);
  });

  test('refuses a digest that is not sha256:<64 hex>', () => {
    expect(() => parseReference('moby/buildkit@sha256:abc')).toThrow(/the digest is not sha256:<64 hex>/);
  });
});

test('parseChallenge reads Docker Hub\'s challenge and refuses Basic authentication', () => {
  expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:moby/buildkit:pull"')).toEqual({
    realm: 'https://auth.docker.io/token', params: { service: 'registry.docker.io', scope: 'repository:moby/buildkit:pull' },
  });
  expect(() => parseChallenge('Basic realm="x"')).toThrow(/asks for Basic authentication/);
});

test('digestOf is the sha256 of the manifest bytes', () => {
  expect(digestOf(Buffer.from(''))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('the defaults are the images the actions pull, one per workflow option', () => {
  const options: Array<keyof WorkflowOptions> = ['buildkitImage', 'binfmtImage'];
  expect(Object.keys(ACTION_DEFAULT_IMAGES)).toEqual(options);
  expect(ACTION_DEFAULT_IMAGES.binfmtImage).toBe('docker.io/tonistiigi/binfmt:latest');
});
