import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WatchmanCheck, type WatchmanCheckReport, reportToJson } from 'nestjs-watchman';
import { appName } from '../../lib/common/instance-id.js';
import { decodeShared, encodeShared, sameRun } from '../../lib/runner/fleet/shared-result.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const outcome = (ok: boolean, details: Record<string, unknown> = {}) => ({
  ok,
  details,
  durationMs: 1.5,
  measuredAt: at,
  ...(ok ? {} : { error: 'down', stacktrace: 'Error: down\n    at x' }),
});
const report = (fields: Partial<WatchmanCheckReport>): WatchmanCheckReport => ({
  name: 'databases',
  critical: true,
  outcome: outcome(true),
  ...fields,
});

describe('a fleet-scoped check in the JSON', () => {
  it('says "scope" and "by" in each entry: a single check, every alias, and a list with none', () => {
    const single = report({ name: 'payments', outcome: outcome(true, { status: 200 }), scope: 'fleet', by: 'pod-a:1' });
    const multi = report({
      aliases: [
        { alias: 'default', outcome: outcome(true) },
        { alias: 'replica', outcome: outcome(false) },
      ],
      outcome: outcome(false),
      scope: 'local',
      by: 'pod-b:7',
    });
    const none = report({ name: 'caches', aliases: [], scope: 'fleet', by: 'pod-a:1' });
    const checks = [none, multi, single];
    expect(reportToJson({ ok: false, status: 'fail', checks, measuredAt: at, durationMs: 2 }, false)).toEqual({
      caches: { ok: true, note: 'none configured', scope: 'fleet', by: 'pod-a:1' },
      databases: [
        { default: { ok: true, scope: 'local', by: 'pod-b:7' } },
        { replica: { ok: false, error: 'down', scope: 'local', by: 'pod-b:7' } },
      ],
      payments: { ok: true, status: 200, scope: 'fleet', by: 'pod-a:1' },
    });
  });

  it('leaves an instance-scoped check as it was', () => {
    const json = reportToJson({ ok: true, status: 'pass', checks: [report({})], measuredAt: at, durationMs: 1 }, true);
    expect(json).toEqual({ databases: { ok: true } });
  });
});

describe('the shared result in Redis', () => {
  it('comes back as the run it was, under the reader’s name and criticality, scope fleet', () => {
    const stored = report({
      critical: false,
      aliases: [{ alias: 'default', outcome: outcome(false, { rows: 2n }) }],
      outcome: outcome(false),
      scope: 'fleet',
      by: 'pod-a:1',
    });
    const read = decodeShared(encodeShared(stored), { name: 'databases', critical: true });
    expect(read).toEqual({
      ...stored,
      critical: true,
      aliases: [{ alias: 'default', outcome: outcome(false, { rows: '2' }) }],
    });
    expect(read?.outcome.measuredAt).toBeInstanceOf(Date);
    expect(sameRun(stored, read as WatchmanCheckReport)).toBe(true);
    expect(sameRun(stored, { ...stored, by: 'pod-b:2' })).toBe(false);
    expect(sameRun(undefined, stored)).toBe(false);
  });

  it.each([null, '', 'not json', '{"v":1}', '{"v":1,"report":{"outcome":{"ok":true}}}'])(
    'reads %j as no result',
    (text) => {
      expect(decodeShared(text, { name: 'databases', critical: true })).toBeUndefined();
    },
  );
});

describe('the fleet key’s default, the app’s name', () => {
  it('is the name in the working directory’s package.json, else the directory’s name', async () => {
    const withPackage = tempDir();
    writeFileSync(join(withPackage, 'package.json'), JSON.stringify({ name: ' @acme/orders ' }));
    expect(appName(withPackage)).toBe('@acme/orders');
    const bare = join(tempDir(), 'billing');
    mkdirSync(bare);
    await withEnv({ npm_package_name: undefined }, async () => expect(appName(bare)).toBe('billing'));
  });
});

describe('@WatchmanCheck scope', () => {
  it("takes 'fleet' and 'instance' and refuses anything else, naming the check", () => {
    expect(() => WatchmanCheck('a', { scope: 'fleet' })).not.toThrow();
    expect(() => WatchmanCheck('a', { scope: 'instance' })).not.toThrow();
    expect(() => WatchmanCheck('a', { scope: 'everywhere' as never })).toThrow(
      /@WatchmanCheck\('a'\): .*expected 'instance' or 'fleet'/,
    );
  });
});
