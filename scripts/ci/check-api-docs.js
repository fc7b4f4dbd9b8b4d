// SPDX-License-Identifier: Apache-2.0
//
// Checks the compiled jsii assembly (.jsii) for what Construct Hub and
// jsii-docgen show in every language:
// - every public type, property, method, enum member and parameter has a
//   docstring summary (parameters need `@param name text`);
// - every optional struct property says its default (`@default`);
// - no public name is a reserved word in C#, Java, Python or Go (projen's
//   compile task runs jsii with --silence-warnings=reserved-word, so jsii's own
//   warning never shows);
// - no struct property of a last-parameter struct has the name of another
//   parameter of that callable (Python flattens the struct into keyword
//   arguments, so `scope`/`id` props would clash).
// Usage: node scripts/ci/check-api-docs.js [path/to/.jsii]
'use strict';
const fs = require('fs');
const path = require('path');

function reservedWords() {
  // jsii's own list; the module is not in jsii's "exports", so load it by path.
  const main = require.resolve('jsii');
  const file = path.join(main.slice(0, main.lastIndexOf(`${path.sep}lib${path.sep}`)), 'lib', 'reserved-words.js');
  return require(file).isReservedName;
}

function main(assemblyFile) {
  const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf-8'));
  const isReservedName = reservedWords();
  const problems = [];
  let checked = 0;

  const needSummary = (where, docs) => {
    checked++;
    if (!docs || !docs.summary || docs.summary.trim() === '') {
      problems.push(`${where}: no docstring`);
    }
  };
  const needName = (where, name) => {
    const languages = isReservedName(name);
    if (languages) {
      problems.push(`${where}: "${name}" is a reserved word in ${languages.join(', ')}`);
    }
  };
  const callable = (where, c) => {
    const params = c.parameters ?? [];
    for (const p of params) {
      needSummary(`${where}(${p.name})`, p.docs);
      needName(`${where}(${p.name})`, p.name);
    }
    // Python turns a trailing struct parameter into keyword arguments.
    const last = params[params.length - 1];
    const struct = last && last.type && last.type.fqn && assembly.types[last.type.fqn];
    if (struct && struct.datatype) {
      const others = new Set(params.slice(0, -1).map((p) => p.name));
      for (const prop of struct.properties ?? []) {
        if (others.has(prop.name)) {
          problems.push(`${where}: struct property ${struct.name}.${prop.name} clashes with parameter "${prop.name}" in Python`);
        }
      }
    }
  };

  const ownTypes = Object.values(assembly.types).filter((t) => t.assembly === assembly.name);
  if (ownTypes.length === 0) {
    problems.push(`${assemblyFile}: no types at all`);
  }
  for (const type of ownTypes) {
    needSummary(type.fqn, type.docs);
    needName(type.fqn, type.name);
    if (type.initializer) callable(`${type.fqn}.constructor`, type.initializer);
    for (const m of type.methods ?? []) {
      needSummary(`${type.fqn}.${m.name}()`, m.docs);
      needName(`${type.fqn}.${m.name}()`, m.name);
      callable(`${type.fqn}.${m.name}`, m);
    }
    for (const p of type.properties ?? []) {
      needSummary(`${type.fqn}.${p.name}`, p.docs);
      needName(`${type.fqn}.${p.name}`, p.name);
      if (type.datatype && p.optional && !(p.docs && p.docs.default)) {
        problems.push(`${type.fqn}.${p.name}: optional struct property without @default`);
      }
    }
    for (const e of type.members ?? []) {
      needSummary(`${type.fqn}.${e.name}`, e.docs);
    }
  }

  problems.forEach((p) => console.log(`  FAIL ${p}`));
  console.log(`api docs: ${ownTypes.length} types, ${checked} documented items checked, ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exit(main(process.argv[2] ?? '.jsii'));
