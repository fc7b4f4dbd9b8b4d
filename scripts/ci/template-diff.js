// SPDX-License-Identifier: Apache-2.0
//
// Comparing templates that the same app synthesized in different languages
// (test/consumers/compare.js, scripts/rehearsal/compare.js), and reporting the checks.
//
// normalise() drops what legitimately differs per language and nothing else:
// Resources.CDKMetadata and Conditions.CDKMetadataAvailable (the analytics
// resource encodes the runtime) and each resource's Metadata["aws:cdk:path"].
'use strict';

function normalise(template) {
  const t = JSON.parse(JSON.stringify(template));
  if (t.Resources) {
    delete t.Resources.CDKMetadata;
    for (const resource of Object.values(t.Resources)) {
      if (resource.Metadata) {
        delete resource.Metadata['aws:cdk:path'];
        if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
      }
    }
  }
  if (t.Conditions) {
    delete t.Conditions.CDKMetadataAvailable;
    if (Object.keys(t.Conditions).length === 0) delete t.Conditions;
  }
  return t;
}

/** Every path where a and b differ, e.g. `Resources.X.Properties.Y: "a" != "b"` (key order ignored). */
function differences(a, b, at = '') {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at || '<root>'}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
}

/** Counts and prints checks; `done(label)` prints the totals and returns the exit code. */
function reporter() {
  let passed = 0;
  let failed = 0;
  const report = (ok, what, details = []) => {
    if (ok) passed++; else failed++;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    details.slice(0, 40).forEach((d) => console.log(`       ${d}`));
  };
  const done = (label) => {
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  };
  return { report, done };
}

module.exports = { normalise, differences, reporter };
