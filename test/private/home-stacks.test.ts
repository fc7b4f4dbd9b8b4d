// Which stack owns a resource AWS allows once per account (the provider) or
// once per account and region: homes (a fleet's base stack) first, the first
// by construct path among them, else the first stack that needs it.
import { App, Stack } from 'aws-cdk-lib';
import { homesWithinReach, markHomeStack, ownerStack, Reach } from '../../src/private/home-stacks';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/fixture';

function stackIn(app: App, id: string, account = ACCOUNT, region = 'us-east-1'): Stack {
  return new Stack(app, id, { env: { account, region } });
}

test('without homes: the first stack that needs it, by path, whatever the order', () => {
  const app = new App();
  const b = stackIn(app, 'B');
  const a = stackIn(app, 'A');
  expect(ownerStack([b, a], Reach.ACCOUNT)).toBe(a);
  expect(ownerStack([b, a], Reach.REGION)).toBe(a);
});

test('a home wins over every stack that needs it; the first home by path among several', () => {
  const app = new App();
  const needing = stackIn(app, 'A');
  const zeta = stackIn(app, 'Zeta-Base');
  const alpha = stackIn(app, 'Alpha-Base');
  markHomeStack(zeta);
  markHomeStack(alpha);
  markHomeStack(alpha);
  expect(homesWithinReach(needing, Reach.ACCOUNT)).toEqual([alpha, zeta]);
  expect(ownerStack([needing], Reach.ACCOUNT)).toBe(alpha);
});

test('account-wide resources take a home of any region of the account; region-wide ones only a home of their region', () => {
  const app = new App();
  const needing = stackIn(app, 'A', ACCOUNT, 'eu-west-1');
  const east = stackIn(app, 'East-Base', ACCOUNT, 'us-east-1');
  const west = stackIn(app, 'West-Base', ACCOUNT, 'eu-west-1');
  markHomeStack(east);
  markHomeStack(west);
  expect(ownerStack([needing], Reach.ACCOUNT)).toBe(east);
  expect(ownerStack([needing], Reach.REGION)).toBe(west);
});

test('a home of another account, or of another app, is out of reach', () => {
  const app = new App();
  const needing = stackIn(app, 'B');
  markHomeStack(stackIn(app, 'A-Base', OTHER_ACCOUNT));
  markHomeStack(stackIn(new App(), 'A-Base'));
  expect(homesWithinReach(needing, Reach.ACCOUNT)).toEqual([]);
  expect(ownerStack([needing], Reach.ACCOUNT)).toBe(needing);
});
