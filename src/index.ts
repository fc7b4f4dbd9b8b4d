// SPDX-License-Identifier: Apache-2.0
export * from './github-ecr-publisher';
export * from './github-issuer';
export * from './oidc-provider-source';
export * from './workflow-options';
