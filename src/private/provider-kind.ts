// SPDX-License-Identifier: Apache-2.0

/** How an OidcProviderSource resolves to a provider (not part of the API). */
export enum ProviderSourceKind {
  CREATE = 'create',
  EXISTING = 'existing',
  PROVIDER = 'provider',
  LOOKUP_OR_CREATE = 'lookupOrCreate',
}
