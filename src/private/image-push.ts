// SPDX-License-Identifier: Apache-2.0
//
// The parts of the publishing job that decide what a run writes to the
// registry: where the build cache is read and written, the image tags of
// immutable mode, and the check that lets a run whose tags already exist
// succeed without pushing. Steps that act on the pushed image (attestation,
// signing) come after the build step and read its digest from PUSHED_DIGEST.
import { BuildCache } from '../build-cache';

/** BuildKit's registry cache export in the form ECR accepts (an image manifest with OCI media types), every layer included. */
const REGISTRY_CACHE_EXPORT = 'mode=max,image-manifest=true,oci-mediatypes=true';

/** Pull-request runs read the cache; only the other runs write it. */
const NOT_PULL_REQUEST = "github.event_name != 'pull_request'";

/** How a job's build uses the cache. */
export interface CacheRendering {
  /** build-push-action's `cache-from`, when the build reads a cache. */
  readonly from?: string;
  /** build-push-action's `cache-to`, when the build writes one (an expression that is empty for pull-request runs where they exist). */
  readonly to?: string;
  /** setup-qemu-action's `cache-image` and setup-buildx-action's `cache-binary`: the GitHub Actions cache, only when it is the chosen cache. */
  readonly actionsCache: boolean | string;
}

/** The registry cache's reference in the publisher's own repository. */
function registryCacheRef(registry: string, repository: string, tag: string): string {
  return `type=registry,ref=${registry}/${repository}:${tag}`;
}

/**
 * A publisher's cache, fixed at render time. With a `pull_request` trigger
 * the cache export is an expression that is empty for pull-request runs
 * (build-push-action then exports no cache).
 */
export function publisherCache(cache: BuildCache, registry: string, repository: string, pullRequests: boolean): CacheRendering {
  const writeUnlessPullRequest = (value: string) => pullRequests ? `\${{ ${NOT_PULL_REQUEST} && ${asExpression(value)} || '' }}` : value;
  if (cache._kind === 'registry' && cache.tag !== undefined) {
    const ref = registryCacheRef(registry, repository, cache.tag);
    return { from: ref, to: writeUnlessPullRequest(`${ref},${REGISTRY_CACHE_EXPORT}`), actionsCache: false };
  }
  if (cache._kind === 'githubActions') {
    return { from: 'type=gha', to: writeUnlessPullRequest('type=gha,mode=max'), actionsCache: true };
  }
  return { actionsCache: false };
}

/** The organisation workflow's inputs that choose the cache. */
export const CACHE_INPUTS = { kind: 'build-cache', tag: 'cache-tag' } as const;

/** The `build-cache` input's value for each choice. */
export const CACHE_INPUT_VALUES: Record<string, string> = { registry: 'registry', githubActions: 'github-actions', none: 'none' };

/**
 * The organisation workflow's cache, chosen by the caller's inputs: the same
 * values as publisherCache renders, as expressions (the organisation's
 * repositories may run pull requests, so the export is always guarded).
 */
export function organizationCache(registry: string, repository: string): CacheRendering {
  const kind = `inputs.${CACHE_INPUTS.kind}`;
  const ref = registryCacheRef(registry, repository, `\${{ inputs.${CACHE_INPUTS.tag} }}`);
  const registryChosen = `${kind} == '${CACHE_INPUT_VALUES.registry}'`;
  const actionsChosen = `${kind} == '${CACHE_INPUT_VALUES.githubActions}'`;
  return {
    from: `\${{ ${registryChosen} && ${asExpression(ref)} || ${actionsChosen} && 'type=gha' || '' }}`,
    to: `\${{ ${NOT_PULL_REQUEST} && (${registryChosen} && ${asExpression(`${ref},${REGISTRY_CACHE_EXPORT}`)} || ${actionsChosen} && 'type=gha,mode=max') || '' }}`,
    actionsCache: `\${{ ${actionsChosen} }}`,
  };
}

/**
 * A string that may hold `${{ }}` expressions as one expression operand:
 * a quoted literal, the inner expression, or `format()` of both.
 */
export function asExpression(text: string): string {
  const parts = text.split(/\$\{\{\s*(.*?)\s*\}\}/);
  if (parts.length === 1) {
    return quote(text);
  }
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') {
    return parts[1];
  }
  const args: string[] = [];
  let template = '';
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      template += part.replace(/[{}]/g, (c) => c + c);
    } else {
      template += `{${args.length}}`;
      args.push(part);
    }
  });
  return `format(${[quote(template), ...args].join(', ')})`;
}

function quote(literal: string): string {
  return `'${literal.replace(/'/g, "''")}'`;
}

/**
 * The image tags when every tag is immutable: each run pushes tags no other
 * run pushes, so no run fails on a tag another one wrote.
 * - a push of a git tag: the git tag name, alone (the branch run of the same
 *   commit pushes `sha-<full SHA>`);
 * - a push to a branch: `sha-<full SHA>` (a second branch run of the same
 *   commit finds that tag and pushes nothing, see existingTagsStep);
 * - `workflow_dispatch`: `sha-<full SHA>-run-<run ID>`, a new build of its own;
 * - `pull_request`: `pr-<number>-sha-<full SHA>` (of the merge commit).
 * A re-run of a job keeps its run ID, so it computes the same tags.
 *
 * @param when an expression that must also hold (the organisation workflow's input), or '' for always
 */
export function immutableTagRules(when: string, dispatch: boolean, pullRequests: boolean): string[] {
  const enable = (condition: string) => `enable=\${{ ${when === '' ? '' : `${when} && `}${condition} }}`;
  return [
    `type=ref,event=tag,${enable("github.event_name == 'push'")}`,
    `type=sha,prefix=sha-,format=long,${enable("github.event_name == 'push' && startsWith(github.ref, 'refs/heads/')")}`,
    ...(dispatch ? [`type=sha,prefix=sha-,suffix=-run-\${{ github.run_id }},format=long,${enable("github.event_name == 'workflow_dispatch'")}`] : []),
    ...(pullRequests ? [`type=sha,prefix=pr-\${{ github.event.pull_request.number }}-sha-,format=long,${enable("github.event_name == 'pull_request'")}`] : []),
  ];
}

/** The ID of the step that looks for the run's tags. */
const EXISTING_STEP_ID = 'pushed';

/** The build step's condition when the check runs: build and push unless every tag already names one image. */
export const BUILD_UNLESS_PUSHED = `steps.${EXISTING_STEP_ID}.outputs.exists != 'true'`;

/** The digest of the image this run pushed, or found already pushed under its tags. */
export const PUSHED_DIGEST = `\${{ steps.build.outputs.digest || steps.${EXISTING_STEP_ID}.outputs.digest }}`;

/** The manifest types BatchGetImage may return (ECR refuses to return a type not accepted). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/**
 * Before an immutable push: whether the run's tags exist. None: build and
 * push. All, naming one image: an earlier attempt of this run (or a run of
 * the same commit) pushed it; succeed without pushing and pass its digest on.
 * Some, or several images: fail, naming them (a push would fail on them).
 * `aws ecr batch-get-image` needs ecr:BatchGetImage, which a push needs
 * already; the tags reach the script through the environment.
 */
const EXISTING_TAGS_SCRIPT = `set -euo pipefail
ids=()
while IFS= read -r ref; do
  if [ -n "$ref" ]; then ids+=("imageTag=\${ref##*:}"); fi
done <<< "$TAGS"
rows="$(aws ecr batch-get-image --repository-name "$ECR_REPOSITORY_NAME" --image-ids "\${ids[@]}" \\
  --accepted-media-types ${MANIFEST_TYPES.join(' ')} \\
  --query "[images[].['found', imageId.imageTag, imageId.imageDigest], failures[?failureCode!='ImageTagDoesNotExist'].['failed', imageId.imageTag, failureCode]][]" \\
  --output text)"
if grep -q '^failed' <<< "$rows"; then
  echo "::error::ECR could not answer for every tag of this run:"; echo "$rows"; exit 1
fi
found="$(grep -c '^found' <<< "$rows" || true)"
digests="$(awk '$1 == "found" { print $3 }' <<< "$rows" | sort -u)"
if [ "$found" -eq 0 ]; then
  echo "exists=false" >> "$GITHUB_OUTPUT"
elif [ "$found" -eq "\${#ids[@]}" ] && [ "$(wc -l <<< "$digests")" -eq 1 ]; then
  echo "::notice::Every tag of this run already names \${digests}: an earlier attempt pushed it, nothing to push again."
  { echo "exists=true"; echo "digest=\${digests}"; } >> "$GITHUB_OUTPUT"
else
  echo "::error::Some immutable tags of this run already exist, or name different images; a push would fail on them:"
  echo "$rows"; exit 1
fi
`;

/**
 * The step that looks for the run's tags before an immutable push.
 *
 * @param repository the ECR repository name, as the workflow reads it
 * @param condition when the step runs (the organisation workflow's input), undefined for always
 */
export function existingTagsStep(repository: string, condition: string | undefined): Record<string, unknown> {
  return {
    name: 'Tags already pushed',
    id: EXISTING_STEP_ID,
    ...(condition !== undefined ? { if: condition } : {}),
    env: { TAGS: '${{ steps.meta.outputs.tags }}', ECR_REPOSITORY_NAME: repository },
    run: EXISTING_TAGS_SCRIPT,
  };
}
