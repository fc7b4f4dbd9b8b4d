#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Runs AWS Control Tower's proactive controls (CloudFormation Guard rules, with
// the cfn-guard binary, both shipped by the pinned devDependency
// @cdklabs/cdk-validator-cfnguard) over synthesized templates, and fails on
// any finding that is not the one the library explains:
//   CT.ECR.PR.3 (ecr_private_tag_immutability_enabled_check) wants
//   ImageTagMutability IMMUTABLE exactly; the default keeps release tags
//   immutable and other tags mutable (MUTABLE_WITH_EXCLUSION, or MUTABLE
//   without release tags), so a template whose repository is not IMMUTABLE may
//   fail that one control and nothing else. With imageTagMutability IMMUTABLE
//   every control must pass.
// Also fails unless at least one template passes every control and one
// fails CT.ECR.PR.3, so a run that checks nothing cannot pass.
//
//   node scripts/lint-guard.js <template.json | directory>...
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const EXPLAINED = 'ecr_private_tag_immutability_enabled_check';
const pkg = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const platform = { linux: 'ubuntu', darwin: 'macos' }[os.platform()];
const arch = { x64: 'x86_64', arm64: 'aarch64' }[os.arch()];
if (!platform || !arch) {
  console.error(`lint-guard: no cfn-guard binary for ${os.platform()}/${os.arch()}`);
  process.exit(2);
}
const guard = path.join(pkg, 'bin', platform, arch, 'cfn-guard');
const rules = path.join(pkg, 'rules', 'control-tower', 'cfn-guard');
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'guard-version.json'), 'utf8')).version;
const pkgVersion = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;

const templates = process.argv.slice(2).flatMap((p) => (fs.statSync(p).isDirectory()
  ? fs.readdirSync(p).filter((f) => f.endsWith('.template.json')).map((f) => path.join(p, f))
  : [p]));
if (templates.length === 0) {
  console.error('lint-guard: no templates given');
  process.exit(2);
}

const start = Date.now();
let out;
try {
  out = execFileSync(guard, ['validate', '--rules', rules, ...templates.flatMap((t) => ['--data', t]),
    '--output-format', 'json', '--show-summary', 'none', '--structured'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
} catch (e) {
  // cfn-guard exits 19 when a rule fails; its report is still on stdout.
  if (e.status !== 19) throw e;
  out = e.stdout;
}
const reports = new Map(JSON.parse(out).map((r) => [path.resolve(r.name), r]));
const problems = [];
let passedAll = 0;
let explained = 0;
for (const file of templates) {
  const report = reports.get(path.resolve(file));
  const label = path.relative(process.cwd(), file);
  if (!report) {
    problems.push(`${label}: no report from cfn-guard`);
    continue;
  }
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  const repositories = Object.values(template.Resources ?? {}).filter((r) => r.Type === 'AWS::ECR::Repository');
  const immutable = repositories.length > 0 && repositories.every((r) => r.Properties?.ImageTagMutability === 'IMMUTABLE');
  const failed = [...new Set((report.not_compliant ?? []).map((x) => x.Rule.name))];
  const unexplained = failed.filter((rule) => immutable || rule !== EXPLAINED);
  if (unexplained.length > 0) {
    problems.push(`${label}: ${unexplained.join(', ')}`);
  }
  if (failed.length === 0 && repositories.length > 0) passedAll++;
  if (failed.includes(EXPLAINED) && !immutable) explained++;
  console.log(`lint-guard: ${label}: ${failed.length === 0 ? 'every control passes' : `fails ${failed.join(', ')}${unexplained.length ? '' : ' (explained: release-tag immutability)'}`}` +
    ` (${(report.compliant ?? []).length} compliant, ${(report.not_applicable ?? []).length} not applicable)`);
}
if (passedAll === 0 || explained === 0) {
  problems.push(`expected at least one template with an ECR repository passing every control and one failing only ${EXPLAINED}; got ${passedAll} and ${explained}`);
}
if (problems.length > 0) {
  console.error(`lint-guard: unexplained Control Tower findings:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`lint-guard: ${templates.length} template(s), Control Tower rules of @cdklabs/cdk-validator-cfnguard ${pkgVersion} (cfn-guard ${version}): ` +
  `${templates.length - explained} pass every control (${passedAll} of them with an ECR repository), ${explained} fail only CT.ECR.PR.3 (explained), 0 unexplained (${Date.now() - start} ms)`);
