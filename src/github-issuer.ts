// SPDX-License-Identifier: Apache-2.0
import { GITHUB_COM_ISSUER_HOST } from './private/constants';
import { invalid } from './private/errors';

/**
 * The GitHub OIDC token issuer that signs the workflow's identity token.
 *
 * The issuer decides the IAM identity provider's URL, its ARN
 * (`arn:<partition>:iam::<account>:oidc-provider/<host and path>`) and the
 * prefix of every trust-policy condition key (`<host and path>:sub`,
 * `<host and path>:aud`, ...).
 */
export class GitHubIssuer {
  /**
   * GitHub.com and GitHub Enterprise Cloud without a custom issuer:
   * `https://token.actions.githubusercontent.com`.
   */
  public static readonly GITHUB_COM = new GitHubIssuer(GITHUB_COM_ISSUER_HOST, true);

  /**
   * GitHub Enterprise Cloud with a unique issuer URL for the enterprise:
   * `https://token.actions.githubusercontent.com/<slug>`.
   *
   * @param slug the enterprise slug, as in `https://github.com/enterprises/<slug>`
   */
  public static enterpriseSlug(slug: string): GitHubIssuer {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,253}[a-z0-9])?$/i.test(slug ?? '')) {
      throw invalid('GitHubIssuer.enterpriseSlug', slug, 'is not an enterprise slug',
        'Use the slug from https://github.com/enterprises/<slug>: letters, digits and inner hyphens');
    }
    // The token's `iss` carries the slug as GitHub writes it in the
    // enterprise's URL, which is lower case, and IAM compares the provider URL
    // with `iss` exactly. Lower-casing here would hide a typo; refuse instead.
    if (slug !== slug.toLowerCase()) {
      throw invalid('GitHubIssuer.enterpriseSlug', slug, 'has upper-case letters, but enterprise slugs are lower case in GitHub\'s URLs and in the token\'s issuer',
        `Use "${slug.toLowerCase()}", as in https://github.com/enterprises/${slug.toLowerCase()}`);
    }
    return new GitHubIssuer(`${GITHUB_COM_ISSUER_HOST}/${slug}`, true);
  }

  /**
   * GitHub Enterprise Server: `https://<host>/_services/token`.
   *
   * GitHub Enterprise Server does not issue immutable (`owner@id/repo@id`)
   * subjects, so `ownerId` / `repoId` cannot be used with it.
   *
   * @param host the server's host name, without scheme, port or path (e.g. `github.example.com`)
   */
  public static enterpriseServer(host: string): GitHubIssuer {
    validateHostName('GitHubIssuer.enterpriseServer', host);
    return new GitHubIssuer(`${host.toLowerCase()}/_services/token`, false);
  }

  /**
   * GitHub Enterprise Cloud with data residency (GHE.com):
   * `https://token.actions.<subdomain>.ghe.com`.
   *
   * @param subdomain the enterprise's subdomain of ghe.com (`octocorp` for `octocorp.ghe.com`)
   */
  public static dataResidency(subdomain: string): GitHubIssuer {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(subdomain ?? '')) {
      throw invalid('GitHubIssuer.dataResidency', subdomain, 'is not a ghe.com subdomain',
        'Give the single DNS label before .ghe.com (letters, digits, inner hyphens, at most 63 characters)');
    }
    return new GitHubIssuer(`token.actions.${subdomain.toLowerCase()}.ghe.com`, true);
  }

  /**
   * The issuer without `https://`: the identity provider's name in its ARN and
   * the prefix of the trust policy's condition keys.
   */
  public readonly hostPath: string;

  /** The issuer URL, `https://<hostPath>` (no trailing slash, as in the token's `iss`). */
  public readonly url: string;

  /** Whether repositories on this issuer can emit immutable `owner@id/repo@id` subjects. */
  public readonly supportsImmutableSubjects: boolean;

  private constructor(hostPath: string, supportsImmutableSubjects: boolean) {
    this.hostPath = hostPath;
    this.url = `https://${hostPath}`;
    this.supportsImmutableSubjects = supportsImmutableSubjects;
  }

  /**
   * The full condition key for a claim, e.g. `token.actions.githubusercontent.com:sub`.
   *
   * @param claim the token claim, e.g. `sub`, `aud`, `repository_id`
   */
  public conditionKey(claim: string): string {
    return `${this.hostPath}:${claim}`;
  }
}

function validateHostName(prop: string, host: string): void {
  const allowed = 'Give the host name only, e.g. "github.example.com" (no https://, port or path)';
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) {
    throw invalid(prop, host, 'is not a host name', allowed);
  }
  if (/^[a-z]+:\/\//i.test(host) || host.includes('/') || host.includes(':')) {
    throw invalid(prop, host, 'contains a scheme, port or path', allowed);
  }
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l))) {
    throw invalid(prop, host, 'is not a fully qualified DNS name', allowed);
  }
  if (host.toLowerCase() === 'github.com' || host.toLowerCase().endsWith('.githubusercontent.com')) {
    throw invalid(prop, host, 'is GitHub.com, not a GitHub Enterprise Server', 'Use GitHubIssuer.GITHUB_COM or GitHubIssuer.enterpriseSlug(slug)');
  }
}
