// SPDX-License-Identifier: Apache-2.0

/**
 * A file the library renders for a GitHub repository: where it goes and what
 * it holds.
 */
export interface GeneratedFile {
  /**
   * The path relative to the repository root, with `/` separators, e.g.
   * `.github/workflows/publish-chatgpt-web.yml`.
   */
  readonly path: string;

  /** The file's text. */
  readonly content: string;
}
