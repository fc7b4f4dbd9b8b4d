// The pin refresher reads `git ls-remote --tags` output; these cases use output
// shaped like a real repository's (lightweight and annotated tags, moving
// major tags, pre-releases).
import * as fs from 'fs';
import { newestTag, parsePins, PINS_FILE, releaseTags, renderPins } from '../../scripts/refresh-action-pins';
import { ACTION_PINS } from '../../src/private/action-pins';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const D = 'd'.repeat(40);
const E = 'e'.repeat(40);
const LS_REMOTE = [
  `${A}\trefs/tags/v2`,
  `${A}\trefs/tags/v2.1.7`,
  `${B}\trefs/tags/v2.1.6`,
  // annotated: the first line is the tag object, the peeled line the commit
  `${C}\trefs/tags/v2.1.8`,
  `${D}\trefs/tags/v2.1.8^{}`,
  `${E}\trefs/tags/v3.0.0-beta.1`,
  `${E}\trefs/tags/v3.0.0`,
  `${B}\trefs/tags/v2.10.0-rc1`,
].join('\n');

describe('releaseTags', () => {
  test('keeps vX.Y.Z tags and their commits, peeling annotated tags', () => {
    const tags = releaseTags(LS_REMOTE);
    expect([...tags.entries()]).toEqual([['v2.1.7', A], ['v2.1.6', B], ['v2.1.8', D], ['v3.0.0', E]]);
  });
});

describe('newestTag', () => {
  const tags = releaseTags(LS_REMOTE);
  test('within the pinned major by default, compared numerically', () => {
    expect(newestTag(tags, 'v2.1.6', false)).toBe('v2.1.8');
    expect(newestTag(new Map([['v2.9.0', A], ['v2.10.0', B]]), 'v2.9.0', false)).toBe('v2.10.0');
  });
  test('any major with --major', () => {
    expect(newestTag(tags, 'v2.1.6', true)).toBe('v3.0.0');
  });
  test('none when the major has no release', () => {
    expect(newestTag(tags, 'v4.0.0', false)).toBeUndefined();
  });
});

describe('the pins file', () => {
  test('parses into the table the code uses', () => {
    expect(parsePins(fs.readFileSync(PINS_FILE, 'utf8'))).toEqual(ACTION_PINS);
  });
  test('renders back byte for byte, and a change shows up', () => {
    const source = fs.readFileSync(PINS_FILE, 'utf8');
    const pins = parsePins(source);
    expect(renderPins(source, pins)).toBe(source);
    const changed = renderPins(source, { ...pins, 'actions/checkout': { ...pins['actions/checkout'], version: 'v7.9.9', sha: A } });
    expect(changed).toContain(`'actions/checkout': { repository: 'actions/checkout', version: 'v7.9.9', sha: '${A}' },`);
    expect(changed).not.toBe(source);
  });
  test('every pin is a full lower-case commit SHA of a vX.Y.Z release', () => {
    for (const [key, pin] of Object.entries(ACTION_PINS)) {
      expect(pin.repository).toBe(key);
      expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });
});
