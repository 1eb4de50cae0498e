import { matchRoute, siblingPath } from '../../lib/routes/route-table.js';
import { normalizeCheckName, splitNames } from '../../lib/common/check-names.js';
import { selectChecks, selectionFromQuery } from '../../lib/runner/selection.js';

const fromUrl = (url: string) => selectionFromQuery(new URL(url, 'http://localhost').searchParams);

const configured = ['caches', 'databases', 'storage', 'custom'];

describe('check selection', () => {
  it('normalizes django dotted names', () => {
    expect(normalizeCheckName('watchman.checks.databases')).toBe('databases');
    expect(normalizeCheckName(' caches ')).toBe('caches');
    expect(normalizeCheckName('watchman.checks.email_status')).toBe('email');
    expect(normalizeCheckName('custom')).toBe('custom');
  });

  it.each([
    [{}, configured],
    [{ check: ['caches'] }, ['caches']],
    [{ check: ['custom', 'caches'] }, ['caches', 'custom']],
    [{ check: ['caches,storage'] }, ['caches', 'storage']],
    [{ check: [] }, []],
    [{ check: [''] }, []],
    [{ check: ['unknown'] }, []],
    [{ skip: ['caches', 'watchman.checks.storage'] }, ['databases', 'custom']],
    [{ skip: ['unknown'] }, configured],
    [{ check: ['caches'], skip: ['caches'] }, []],
  ])('%j selects %j', (selection, expected) => {
    expect(selectChecks(configured, selection)).toEqual(expected);
  });

  it('reads repeated parameters from a URL and tells absent from empty', () => {
    expect(fromUrl('/watchman')).toEqual({ check: undefined, skip: undefined });
    expect(fromUrl('/watchman?check=')).toEqual({ check: [''], skip: undefined });
    expect(fromUrl('/watchman?check=a&check=b&skip=c')).toEqual({ check: ['a', 'b'], skip: ['c'] });
    expect(fromUrl('/watchman/ready?exclude=a&skip=b')).toEqual({ check: undefined, skip: ['b', 'a'] });
    expect(splitNames(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
  });
});

describe('siblingPath', () => {
  it('finds the JSON route from the dashboard path, whatever its case, slash or prefix', () => {
    expect(siblingPath('/watchman/dashboard', 'dashboard', 'status')).toBe('/watchman');
    expect(siblingPath('/Api/V1/WatchMan/DashBoard/', 'dashboard', 'status')).toBe('/Api/V1/WatchMan');
    expect(siblingPath('/dashboard', 'dashboard', 'status')).toBe('/');
    expect(siblingPath('/health/dashboard', 'dashboard', 'metrics')).toBe('/health/metrics');
  });
});

describe('matchRoute', () => {
  it('finds static routes before parametric ones, ignoring trailing slashes', () => {
    expect(matchRoute('')?.route.name).toBe('status');
    expect(matchRoute('/')?.route.name).toBe('status');
    expect(matchRoute('ready/')?.route.name).toBe('ready');
    expect(matchRoute('databases')).toMatchObject({ route: { name: 'check' }, params: { check: 'databases' } });
    expect(matchRoute('a/b/c')).toBeUndefined();
  });
});
