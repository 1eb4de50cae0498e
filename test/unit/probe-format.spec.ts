import { renderProbe, renderUnknownChecks, shownName } from '../../lib/formats/probe.format.js';
import type { WatchmanCheckOutcome, WatchmanCheckReport, WatchmanReport } from '../../lib/runner/check-result.js';

const at = new Date('2025-01-02T03:04:05.000Z');
const ok: WatchmanCheckOutcome = { ok: true, details: {}, durationMs: 3, measuredAt: at };
const failed = (error: string): WatchmanCheckOutcome => ({
  ok: false,
  error,
  details: {},
  durationMs: 7,
  measuredAt: at,
});

function report(checks: WatchmanCheckReport[]): WatchmanReport {
  const criticalFailure = checks.some((check) => check.critical && !check.outcome.ok);
  const anyFailure = checks.some((check) => !check.outcome.ok);
  return {
    ok: !criticalFailure,
    status: criticalFailure ? 'fail' : anyFailure ? 'warn' : 'pass',
    checks,
    measuredAt: at,
    durationMs: 10,
  };
}

const passing = report([
  { name: 'databases', critical: true, outcome: ok, aliases: [{ alias: 'default', outcome: ok }] },
  { name: 'storage', critical: true, outcome: ok },
]);
const failing = report([
  {
    name: 'caches',
    critical: true,
    outcome: failed('redis down'),
    aliases: [
      { alias: 'memory', outcome: ok },
      { alias: 'redis', outcome: failed('connect ECONNREFUSED\n  127.0.0.1:6379') },
    ],
  },
  { name: 'optional', critical: false, outcome: failed('optional is down') },
]);

describe('renderProbe', () => {
  it('answers ok 200 or failed 503 in plain text when not verbose', () => {
    expect(renderProbe({ kind: 'ready', report: passing, verbose: false, reasons: false })).toEqual({
      status: 200,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'ok',
    });
    expect(renderProbe({ kind: 'live', report: failing, verbose: false, reasons: true })).toMatchObject({
      status: 503,
      body: 'failed',
    });
  });

  it('passes without a report (a live probe with no checks)', () => {
    expect(renderProbe({ kind: 'live', verbose: true, reasons: false })).toMatchObject({
      status: 200,
      body: 'live check passed\n',
    });
  });

  it('lists each check and alias in verbose, kube-apiserver style', () => {
    expect(renderProbe({ kind: 'ready', report: passing, verbose: true, reasons: false }).body).toBe(
      '[+]databases/default ok\n[+]storage ok\nready check passed\n',
    );
  });

  it('gives reasons on one line only when asked, and marks non-critical failures', () => {
    expect(renderProbe({ kind: 'ready', report: failing, verbose: true, reasons: false }).body).toBe(
      '[+]caches/memory ok\n[-]caches/redis failed\n[-]optional failed (non-critical)\nready check failed\n',
    );
    expect(renderProbe({ kind: 'ready', report: failing, verbose: true, reasons: true }).body).toBe(
      '[+]caches/memory ok\n[-]caches/redis failed: connect ECONNREFUSED 127.0.0.1:6379\n' +
        '[-]optional failed (non-critical): optional is down\nready check failed\n',
    );
  });

  it('still passes (200) when only a non-critical check fails', () => {
    const warned = report([{ name: 'optional', critical: false, outcome: failed('x') }]);
    expect(renderProbe({ kind: 'ready', report: warned, verbose: true, reasons: false })).toMatchObject({
      status: 200,
      body: '[-]optional failed (non-critical)\nready check passed\n',
    });
  });

  it('fails on a blocker even when every check passes, and adds warn lines that change nothing', () => {
    const view = {
      kind: 'ready' as const,
      report: passing,
      blockers: ['shutdown\nin progress'],
      warnings: ['unknown check "x"'],
      verbose: true,
      reasons: false,
    };
    expect(renderProbe(view)).toMatchObject({
      status: 503,
      body: '[+]databases/default ok\n[+]storage ok\n[-]shutdown in progress\nwarn: unknown check "x"\nready check failed\n',
    });
    expect(renderProbe({ ...view, blockers: [] })).toMatchObject({ status: 200 });
  });

  it('hides the check lines with names: false, keeping the verdict', () => {
    expect(renderProbe({ kind: 'startup', report: failing, verbose: true, reasons: true, names: false })).toEqual(
      expect.objectContaining({ status: 503, body: 'startup check failed\n' }),
    );
  });
});

describe('renderUnknownChecks', () => {
  it('answers 404 with a short text, or each name in verbose', () => {
    expect(renderUnknownChecks(['x'], false)).toMatchObject({ status: 404, body: 'unknown check' });
    expect(renderUnknownChecks(['x', 'queue:a'], true)).toMatchObject({
      status: 404,
      body: 'unknown check "x"\nunknown check "queue:a"\n',
    });
  });

  it('never echoes a name that does not look like a check name', () => {
    expect(renderUnknownChecks(['<script>'], true).body).toBe('unknown check (not shown)\n');
  });
});

describe('shownName', () => {
  it.each([
    ['databases', '"databases"'],
    ['my-check_2:alias', '"my-check_2:alias"'],
    ['a'.repeat(64), JSON.stringify('a'.repeat(64))],
    ['a'.repeat(65), '(not shown)'],
    ['', '(not shown)'],
    ['two words', '(not shown)'],
    ['dotted.name', '(not shown)'],
    ['"quoted"', '(not shown)'],
  ])('shows %j as %s', (name, shown) => {
    expect(shownName(name)).toBe(shown);
  });
});
