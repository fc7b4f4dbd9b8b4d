// SPDX-License-Identifier: Apache-2.0
//
// Proves that the TypeScript, Python and Java versions of the README's
// two-environment app, each using the library installed from a registry by
// name, synthesized the same templates and rendered the same workflows.
// Usage: node compare.js <outdir>   (after each app wrote <outdir>/<lang>/<Stack>.*)
//
// Normalised before comparing, because they legitimately differ per language:
// Resources.CDKMetadata and Conditions.CDKMetadataAvailable (the analytics
// resource encodes the runtime) and each resource's Metadata["aws:cdk:path"].
// Everything else must be equal; the workflows byte for byte.
'use strict';
const fs = require('fs');
const path = require('path');
const { differences, normalise, reporter } = require('../ci/template-diff');

const LANGUAGES = ['typescript', 'python', 'java'];
// What the app must synthesize, so that empty or truncated templates cannot compare equal.
// Both stacks are in one account: the first (by construct path) creates the GitHub OIDC provider.
const EXPECTED = {
  ChatgptWebDev: ['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role'],
  ChatgptWebProd: ['AWS::ECR::Repository', 'AWS::IAM::Role'],
};

function read(file) {
  if (!fs.existsSync(file)) throw new Error(`missing ${file}: did that app run?`);
  return fs.readFileSync(file, 'utf-8');
}

function main(outdir) {
  const { report, done } = reporter();
  for (const [stack, types] of Object.entries(EXPECTED)) {
    const templates = Object.fromEntries(LANGUAGES.map((l) => [l, normalise(JSON.parse(read(path.join(outdir, l, `${stack}.template.json`))))]));
    const workflows = Object.fromEntries(LANGUAGES.map((l) => [l, read(path.join(outdir, l, `${stack}.workflow.yml`))]));
    const reference = templates.typescript;
    const found = [...new Set(Object.values(reference.Resources ?? {}).map((r) => r.Type))].sort();
    report(JSON.stringify(found) === JSON.stringify(types) && Object.keys(reference.Outputs ?? {}).length === 4,
      `${stack}: typescript template has ${types.join(', ')} and 4 outputs (found ${found.join(', ')})`);
    for (const lang of LANGUAGES.slice(1)) {
      const diff = differences(reference, templates[lang]);
      report(diff.length === 0, `${stack}: ${lang} template equals typescript`, diff);
      report(workflows[lang] === workflows.typescript && workflows.typescript.includes('jobs:'),
        `${stack}: ${lang} workflow equals typescript (${workflows.typescript.split('\n').length} lines)`);
    }
  }
  return done('rehearsal compare');
}

if (process.argv.length !== 3) {
  console.error('usage: node compare.js <outdir>');
  process.exit(2);
}
process.exit(main(process.argv[2]));
