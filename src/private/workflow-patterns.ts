// SPDX-License-Identifier: Apache-2.0
//
// Turns the publisher's branch/tag patterns (IAM `StringLike` semantics) into
// GitHub workflow filter patterns that match exactly the same refs.

/**
 * GitHub filter metacharacters that git allows in a ref name, so a ref can
 * contain them literally. (`*`, `?` and `[` never occur in a git ref, and a
 * leading `!` is rejected by the publisher's validation.)
 */
const LITERAL_METACHARACTERS = /[+\]]/g;

/**
 * The GitHub `on.push.branches` / `on.push.tags` pattern that matches the
 * same refs as an IAM `StringLike` pattern.
 *
 * IAM's `*` matches any characters including `/`; GitHub's `*` stops at `/`
 * and only `**` crosses it, so every run of `*` becomes `**` (`release/*`
 * trusts `release/a/b`, so the workflow must trigger on it too). Characters
 * that GitHub reads as pattern syntax but git allows in refs (`+`, `]`) are
 * escaped with a backslash.
 */
export function githubFilterPattern(iamPattern: string): string {
  return iamPattern
    .replace(LITERAL_METACHARACTERS, (c) => `\\${c}`)
    .replace(/\*+/g, '**');
}
