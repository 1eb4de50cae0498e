import { normalizeCheckName, splitNames } from '../../lib/common/check-names.js';
import { selectForCli } from '../../lib/cli/watchman.cli.js';
import { selectChecks } from '../../lib/runner/selection.js';

// What test/unit/selection.spec.ts leaves out: splitNames' edge cases and the CLI's stricter selection.
describe('splitNames', () => {
  it.each([
    [[], []],
    [[''], []],
    [[',,'], []],
    [['a'], ['a']],
    [
      ['a,b', 'c'],
      ['a', 'b', 'c'],
    ],
    [[' a , b '], ['a', 'b']],
    [['watchman.checks.databases,watchman.checks.email_status'], ['databases', 'email']],
    [['a,a'], ['a', 'a']],
  ])('%j → %j', (values, names) => {
    expect(splitNames(values)).toEqual(names);
  });

  it('keeps a prefix that is not django’s whole dotted prefix', () => {
    expect(normalizeCheckName('checks.databases')).toBe('checks.databases');
    expect(normalizeCheckName('watchman.checks.')).toBe('');
  });
});

describe('selectChecks keeps the configured order', () => {
  it('whatever order the selection names them in', () => {
    expect(selectChecks(['storage', 'caches', 'databases'], { check: ['databases,storage'] })).toEqual([
      'storage',
      'databases',
    ]);
  });
});

describe('selectForCli', () => {
  const configured = ['caches', 'databases', 'storage'];

  it('runs every configured check without -c or -s', () => {
    expect(selectForCli(configured)).toEqual(configured);
  });

  it('keeps -c names and drops -s names, dotted forms too, in the configured order', () => {
    expect(selectForCli(configured, ['storage', 'watchman.checks.caches'])).toEqual(['caches', 'storage']);
    expect(selectForCli(configured, undefined, ['watchman.checks.databases'])).toEqual(['caches', 'storage']);
    expect(selectForCli(configured, ['caches', 'storage'], ['storage'])).toEqual(['caches']);
  });

  it('refuses a name that is not configured (once each), listing what is', () => {
    expect(() => selectForCli(configured, ['nope', 'caches'], ['nope', 'other'])).toThrow(
      'not a configured check: "nope", "other" (configured: caches, databases, storage)',
    );
  });

  it('refuses a selection that leaves nothing to run', () => {
    expect(() => selectForCli(configured, ['caches'], ['caches'])).toThrow(
      'no check selected: -c and -s leave nothing to run',
    );
  });
});
