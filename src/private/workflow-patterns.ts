// SPDX-License-Identifier: Apache-2.0
//
// Turns the publisher's branch/tag patterns (IAM `StringLike` semantics) into
// GitHub workflow filter patterns that match exactly the same refs.

/**
 * The GitHub filter metacharacter that git allows in a ref name, so a ref can
 * contain it literally: `+` ("one or more of the preceding character"),
 * escaped with a backslash as GitHub documents for a literal match. (`*`,
 * `?` and `[` never occur in a git ref, and a leading `!` is rejected by the
 * publisher's validation.)
 *
 * `]` stays bare: GitHub's filter syntax gives it a meaning only as the end
 * of a `[...]` character class, which no ref can open, and actionlint refuses
 * `\]` (only `[`, `?`, `+`, `*`, `\` and `!` may be escaped).
 */
const LITERAL_METACHARACTERS = /\+/g;

/**
 * The GitHub `on.push.branches` / `on.push.tags` pattern that matches the
 * same refs as an IAM `StringLike` pattern.
 *
 * IAM's `*` matches any characters including `/`; GitHub's `*` stops at `/`
 * and only `**` crosses it, so every run of `*` becomes `**` (`release/*`
 * trusts `release/a/b`, so the workflow must trigger on it too). A `+`, which
 * GitHub reads as pattern syntax, is escaped with a backslash.
 */
export function githubFilterPattern(iamPattern: string): string {
  return iamPattern
    .replace(LITERAL_METACHARACTERS, (c) => `\\${c}`)
    .replace(/\*+/g, '**');
}
