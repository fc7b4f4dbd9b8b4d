// SPDX-License-Identifier: Apache-2.0
//
// Proves that the TypeScript, Python and Java consumers synthesized the same
// CloudFormation template, subject claims and workflow file from one configuration.
// Usage: node test/consumers/compare.js <outdir>   (after the three apps wrote
// <lang>.template.json, <lang>.subjects.json and <lang>.workflow.yml there)
//
// Normalised before comparing, because they may legitimately differ per language:
// - Resources.CDKMetadata and Conditions.CDKMetadataAvailable: the analytics
//   resource (only present when version reporting is on) encodes the runtime;
// - each resource's Metadata["aws:cdk:path"] (only with path metadata on).
// Nothing else is touched: key order is ignored, every value must be equal;
// the workflow files must be equal byte for byte.
'use strict';
const fs = require('fs');
const path = require('path');
const { differences, normalise, reporter } = require('../../scripts/ci/template-diff');

const LANGUAGES = ['typescript', 'python', 'java'];

function readText(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`missing ${file}: did that consumer run?`);
  }
  return fs.readFileSync(file, 'utf-8');
}

/** The first line where two texts differ, or undefined when they are equal. */
function firstLineDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify(la[i])} != ${JSON.stringify(lb[i])}`;
  }
  return a === b ? undefined : 'texts differ';
}

function read(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`missing ${file}: did that consumer run?`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

function main(outdir) {
  const { report, done } = reporter();

  const templates = Object.fromEntries(LANGUAGES.map((l) => [l, normalise(read(path.join(outdir, `${l}.template.json`)))]));
  const subjects = Object.fromEntries(LANGUAGES.map((l) => [l, read(path.join(outdir, `${l}.subjects.json`))]));
  const workflows = Object.fromEntries(LANGUAGES.map((l) => [l, readText(path.join(outdir, `${l}.workflow.yml`))]));
  console.log('template equality:');

  // An empty or truncated template would compare equal to another one: refuse it.
  const reference = templates.typescript;
  const types = Object.values(reference.Resources ?? {}).map((r) => r.Type).sort();
  report(JSON.stringify(types) === JSON.stringify(['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role'])
    && Object.keys(reference.Outputs ?? {}).length === 4,
  `typescript template has the repository, role, provider and 4 outputs (${types.join(', ')})`);

  for (const lang of LANGUAGES.filter((l) => l !== 'typescript')) {
    const diff = differences(reference, templates[lang]);
    report(diff.length === 0, `${lang} template equals typescript template`, diff);
    const s = differences(subjects.typescript, subjects[lang]);
    report(s.length === 0 && subjects[lang].length > 0, `${lang} subjectClaims equal typescript (${subjects[lang].length})`, s);
    const w = firstLineDifference(workflows.typescript, workflows[lang]);
    report(w === undefined && workflows[lang].includes('jobs:'),
      `${lang} workflow equals typescript workflow (${workflows[lang].split('\n').length} lines)`, w ? [w] : []);
  }
  return done('compare');
}

if (process.argv.length !== 3) {
  console.error('usage: node compare.js <outdir>');
  process.exit(2);
}
process.exit(main(process.argv[2]));
