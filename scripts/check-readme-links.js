// SPDX-License-Identifier: Apache-2.0
//
// The README is shown without this repository's files around it: on npm,
// Construct Hub, PyPI (the wheel's long description), Maven Central and
// NuGet. A relative link such as ./examples/minimal/app.ts or ./API.md is
// broken there, so every link into the repository must be an absolute URL on
// the repository's default branch. In-page anchors (#section) are fine.
//
// Also checks that the README's stability badge names the stability in
// package.json, so the badge cannot drift from what jsii publishes.
//
//   node scripts/check-readme-links.js [README.md]         fails on relative links
//   node scripts/check-readme-links.js --fix [README.md]   rewrites them to absolute URLs
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
const BRANCH = 'main';

function repositoryWebUrl() {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url;
  const m = /^(?:git\+)?https:\/\/github\.com\/([^/]+\/[^/]+?)(?:\.git)?$/.exec(url);
  if (!m) throw new Error(`package.json repository is not a github.com URL: ${url}`);
  return `https://github.com/${m[1]}`;
}

/** Links outside code blocks: [text](target), ![alt](target), <img src="target">, [ref]: target. */
function findLinks(markdown) {
  const links = [];
  let inFence = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const text = line.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length)); // inline code is not a link
    const patterns = [/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /<img[^>]*\ssrc="([^"]+)"/g, /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g];
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        links.push({ line: i + 1, target: m[1], index: m.index + m[0].indexOf(m[1]) });
      }
    }
  });
  return links;
}

function isRelative(target) {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//');
}

function absolute(base, target) {
  const [file, anchor] = target.split('#', 2);
  const clean = path.posix.normalize(file.replace(/^\.\//, ''));
  if (clean.startsWith('..')) throw new Error(`link leaves the repository: ${target}`);
  const onDisk = path.join(ROOT, clean);
  const kind = fs.existsSync(onDisk) && fs.statSync(onDisk).isDirectory() ? 'tree' : 'blob';
  return `${base}/${kind}/${BRANCH}/${clean.replace(/\/$/, '')}${anchor ? `#${anchor}` : ''}`;
}

function checkStabilityBadge(markdown) {
  const stability = pkg.stability;
  const badge = /img\.shields\.io\/badge\/stability-([a-z]+)-/.exec(markdown);
  if (!badge) return [`no stability badge (img.shields.io/badge/stability-${stability}-...) in the README`];
  return badge[1] === stability ? [] : [`stability badge says "${badge[1]}", package.json says "${stability}"`];
}

function main(argv) {
  const fix = argv.includes('--fix');
  const file = argv.find((a) => !a.startsWith('--')) ?? path.join(ROOT, 'README.md');
  let markdown = fs.readFileSync(file, 'utf-8');
  const base = repositoryWebUrl();
  const relative = findLinks(markdown).filter((l) => isRelative(l.target));
  const problems = checkStabilityBadge(markdown);

  if (fix && relative.length > 0) {
    const lines = markdown.split('\n');
    // Right to left within a line, so earlier indexes stay valid.
    for (const l of [...relative].sort((a, b) => b.line - a.line || b.index - a.index)) {
      const s = lines[l.line - 1];
      lines[l.line - 1] = s.slice(0, l.index) + absolute(base, l.target) + s.slice(l.index + l.target.length);
      console.log(`${file}:${l.line}: ${l.target} -> ${absolute(base, l.target)}`);
    }
    markdown = lines.join('\n');
    fs.writeFileSync(file, markdown);
  } else {
    for (const l of relative.filter((r) => !fs.existsSync(path.join(ROOT, r.target.split('#')[0])))) {
      problems.push(`${file}:${l.line}: "${l.target}" does not exist in the repository`);
    }
    for (const l of relative) {
      problems.push(`${file}:${l.line}: relative link "${l.target}" is broken outside the repository; use ${absolute(base, l.target)} ` +
        '(npx projen readme:links --fix rewrites them)');
    }
  }
  problems.forEach((p) => console.log(`  FAIL ${p}`));
  const count = findLinks(markdown).length;
  console.log(`readme links: ${count} link(s) checked, ${fix ? relative.length + ' rewritten, ' : ''}${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
