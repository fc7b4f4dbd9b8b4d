// SPDX-License-Identifier: Apache-2.0

/** The cache tag of `BuildCache.registry()` when none is given. */
const DEFAULT_CACHE_TAG = 'buildcache';

// What the renderer and the repository settings read from a choice.
const REGISTRY = 'registry';
const GITHUB_ACTIONS = 'githubActions';
const NONE = 'none';

/**
 * Options for {@link BuildCache.registry}.
 */
export interface RegistryBuildCacheOptions {
  /**
   * The tag of the cache manifest in the publisher's ECR repository.
   *
   * An image tag (letters, digits, `_`, `.`, `-`; at most 128 characters)
   * that the workflow never pushes an image under: not `latest`, not a
   * `sha-<hex>` or `pr-<number>` tag, no branch or release tag name the
   * publisher trusts, and not matched by a filter that makes tags immutable.
   *
   * @default "buildcache"
   */
  readonly tag?: string;
}

/**
 * Where the rendered workflow keeps BuildKit's build cache, the layers a
 * build reuses instead of building them again.
 *
 * The cache decides what goes into the pushed image as much as the
 * Dockerfile does: whoever can write the cache can choose layers of the image
 * the trusted job then pushes with the role. So the default keeps it where
 * only the trusted job can write: the publisher's own ECR repository.
 */
export abstract class BuildCache {
  /**
   * A registry cache in the publisher's own ECR repository, under one tag
   * (the default): `cache-from: type=registry,ref=<repository>:<tag>` and
   * `cache-to: type=registry,ref=<repository>:<tag>,mode=max,image-manifest=true,oci-mediatypes=true`
   * (the manifest form ECR accepts).
   *
   * Only the role can write the repository, and only the rendered workflow's
   * trusted runs can assume the role, so no other workflow of the GitHub
   * repository can choose the layers. Pull-request runs (`allowPullRequests`)
   * read the cache but the rendered workflow never writes it from them. The
   * push policy already allows the registry calls of the cache, and the
   * lifecycle rules protect the current cache manifest without letting it
   * take an image's place in "keep the last N images".
   *
   * Per tag mutability: with `MUTABLE` nothing changes; with
   * `MUTABLE_WITH_EXCLUSION` the tag must not match an exclusion filter (those
   * tags are immutable); with `IMMUTABLE_WITH_EXCLUSION` the publisher adds
   * the tag itself as an exclusion filter, exactly (no wildcard), unless a
   * filter already matches it, because the cache must be rewritten by every
   * build and no image is ever pushed under that tag; with `IMMUTABLE` a
   * registry cache is impossible (the tag could be written once and never
   * refreshed) and choosing it is an error.
   *
   * @param options the cache tag
   */
  public static registry(options: RegistryBuildCacheOptions = {}): BuildCache {
    return new RegistryCache(options.tag ?? DEFAULT_CACHE_TAG);
  }

  /**
   * The GitHub Actions cache (`type=gha`), as GitHub's and Docker's guides
   * show it, and the GitHub Actions cache of setup-qemu-action's binfmt image
   * and setup-buildx-action's buildx binary.
   *
   * Warns at synth: every workflow of the GitHub repository that runs on the
   * default branch (a test job running third-party install scripts, a
   * scheduled bot, a dispatched event) writes the cache scope this job reads,
   * so any of them can choose layers of the image pushed with the role.
   * Acknowledge the warning only where no other workflow runs untrusted code.
   */
  public static githubActions(): BuildCache {
    return new GitHubActionsCache();
  }

  /**
   * No build cache: every build starts cold. What a publisher with
   * `imageTagMutability: IMMUTABLE` gets by default.
   */
  public static none(): BuildCache {
    return new NoCache();
  }

  /**
   * The tag of the cache manifest in the ECR repository, for the registry
   * cache; undefined otherwise.
   */
  public abstract readonly tag?: string;

  /**
   * "registry", "githubActions" or "none".
   * @internal
   */
  public abstract readonly _kind: string;
}

class RegistryCache extends BuildCache {
  public readonly _kind = REGISTRY;
  constructor(public readonly tag: string) {
    super();
  }
}

class GitHubActionsCache extends BuildCache {
  public readonly _kind = GITHUB_ACTIONS;
  public readonly tag = undefined;
}

class NoCache extends BuildCache {
  public readonly _kind = NONE;
  public readonly tag = undefined;
}
