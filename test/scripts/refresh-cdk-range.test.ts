// The range refresher picks "newest" from `npm view <pkg> versions time --json`
// output; these cases use output shaped like the registry's (pre-releases,
// releases inside the cool-down, a constructs release outside aws-cdk-lib's
// peer range).
import * as fs from 'fs';
import {
  compareVersions, newestRelease, PackageInfo, parseRangeFile, RANGE_FILE, renderRangeFile, satisfiesCaret,
} from '../../scripts/refresh-cdk-range';

const NOW = new Date('2026-11-30T00:00:00Z');
const CDK: PackageInfo = {
  versions: ['2.9.0', '2.10.0', '2.237.0', '2.275.0', '2.276.0', '2.277.0-rc.1', '2.278.0', '3.0.0'],
  time: {
    '2.9.0': '2022-01-01T00:00:00Z',
    '2.10.0': '2022-02-01T00:00:00Z',
    '2.237.0': '2026-03-22T00:00:00Z',
    '2.275.0': '2026-10-26T00:00:00Z',
    '2.276.0': '2026-11-10T00:00:00Z',
    '2.277.0-rc.1': '2026-11-12T00:00:00Z',
    // published 2 days before NOW: inside the 7-day cool-down
    '2.278.0': '2026-11-28T00:00:00Z',
    '3.0.0': '2026-01-01T00:00:00Z',
  },
};

describe('newestRelease', () => {
  test('the newest stable release of the major, older than the cool-down', () => {
    expect(newestRelease(CDK, 2, 7, NOW)).toBe('2.276.0');
  });

  test('no cool-down: the newest stable release, pre-releases and other majors excluded', () => {
    expect(newestRelease(CDK, 2, 0, NOW)).toBe('2.278.0');
  });

  test('versions compare numerically, not as text', () => {
    expect(newestRelease({ versions: ['2.9.0', '2.10.0'], time: CDK.time }, 2, 7, NOW)).toBe('2.10.0');
    expect(compareVersions('2.9.0', '2.10.0')).toBeLessThan(0);
  });

  test('constructs within aws-cdk-lib\'s peer range', () => {
    const constructs: PackageInfo = {
      versions: ['10.0.0', '10.4.2', '10.5.1', '10.8.1', '11.0.0'],
      time: { '10.0.0': '2024-01-01', '10.4.2': '2025-01-01', '10.5.1': '2026-03-05', '10.8.1': '2026-08-04', '11.0.0': '2026-09-01' },
    };
    expect(newestRelease(constructs, 10, 7, NOW, (v) => satisfiesCaret(v, '^10.5.0'))).toBe('10.8.1');
    expect(newestRelease(constructs, 10, 7, NOW, (v) => satisfiesCaret(v, '^10.9.0'))).toBeUndefined();
  });
});

describe('satisfiesCaret', () => {
  test('same major, at least the minimum', () => {
    expect(satisfiesCaret('10.5.0', '^10.5.0')).toBe(true);
    expect(satisfiesCaret('10.8.1', '^10.5.0')).toBe(true);
    expect(satisfiesCaret('10.4.2', '^10.5.0')).toBe(false);
    expect(satisfiesCaret('11.0.0', '^10.5.0')).toBe(false);
  });

  test('refuses a range form it does not understand rather than guessing', () => {
    expect(() => satisfiesCaret('10.5.0', '>=10.0.0 <11')).toThrow(/unsupported version range/);
  });
});

describe('.cdk-range.json', () => {
  test('the committed file parses and renders back to itself', () => {
    const text = fs.readFileSync(RANGE_FILE, 'utf8');
    expect(renderRangeFile(parseRangeFile(text))).toBe(text);
  });

  test('a version that is not X.Y.Z is refused, naming the field', () => {
    expect(() => parseRangeFile(JSON.stringify({ floor: { 'aws-cdk-lib': '^2.237.0', 'constructs': '10.0.0' }, newest: {}, suites: [] })))
      .toThrow('.cdk-range.json: floor.aws-cdk-lib must be a version X.Y.Z, got "^2.237.0"');
  });

  test('the floor is the peer dependency range\'s lowest version (package.json)', () => {
    const range = parseRangeFile(fs.readFileSync(RANGE_FILE, 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(`${__dirname}/../../package.json`, 'utf8'));
    expect(pkg.peerDependencies).toEqual({ 'aws-cdk-lib': `^${range.floor['aws-cdk-lib']}`, 'constructs': `^${range.floor.constructs}` });
  });

  test('every suite listed exists', () => {
    const range = parseRangeFile(fs.readFileSync(RANGE_FILE, 'utf8'));
    expect(range.suites.length).toBeGreaterThan(0);
    expect(range.suites.filter((suite) => !fs.existsSync(`${__dirname}/../../${suite}`))).toEqual([]);
  });
});
