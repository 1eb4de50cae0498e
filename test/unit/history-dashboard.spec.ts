import { WatchmanHistory } from 'nestjs-watchman';
import { dashboardOptionsFromQuery } from '../../lib/formats/dashboard-request.js';
import { renderDashboard } from '../../lib/formats/dashboard.html.js';
import type { WatchmanCheckReport, WatchmanReport } from '../../lib/runner/check-result.js';

const check = (ok: boolean, at: number, error = 'down <b>', critical = true): WatchmanCheckReport => ({
  name: 'svc',
  critical,
  outcome: {
    ok,
    error: ok ? undefined : error,
    stacktrace: ok ? undefined : 'Error: x\n  at <anonymous>',
    details: {},
    durationMs: 2,
    measuredAt: new Date(at),
  },
});
const report = (ok: boolean, at: number, error = 'down <b>', critical = true): WatchmanReport => ({
  ok: ok || !critical,
  status: ok ? 'pass' : critical ? 'fail' : 'warn',
  measuredAt: new Date(at),
  durationMs: 1,
  checks: [check(ok, at, error, critical)],
});

describe('WatchmanHistory', () => {
  it('keeps the last N results per key and when the state last flipped', () => {
    const history = new WatchmanHistory({ historySize: 3 });
    history.record(check(true, 1000));
    history.record(check(true, 2000));
    expect(history.get('svc').changedAt).toBeUndefined();
    history.record(check(false, 3000));
    history.record(check(false, 4000));
    const view = history.get('svc');
    expect(view.entries.map((entry) => [entry.ok, entry.measuredAt.getTime()])).toEqual([
      [true, 2000],
      [false, 3000],
      [false, 4000],
    ]);
    expect(view.changedAt?.getTime()).toBe(3000);
    expect(history.get('other').entries).toEqual([]);
  });

  it('keeps nothing with a size of 0', () => {
    const history = new WatchmanHistory({ historySize: 0 });
    history.record(check(true, 1));
    expect(history.get('svc').entries).toEqual([]);
  });
});

describe('dashboard rendering', () => {
  const history = new WatchmanHistory({ historySize: 5 });
  const render = (r: WatchmanReport | undefined, keptQuery = '') =>
    renderDashboard({
      report: r,
      history,
      stacktraces: true,
      keptQuery,
      jsonPath: '/watchman',
      title: 'Payments <api>',
    }).html;

  it('escapes errors, stack traces and names', () => {
    const html = render(report(false, 5, '<img src=x onerror=alert(1)> & "quotes"'));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<img');
    expect(html).toContain('at &lt;anonymous&gt;');
  });

  it('keeps the query (selection and token) in its links, escaped', () => {
    const html = render(report(true, 5), 'skip=a&watchman-token=t%22x');
    expect(html).toContain('href="?skip=a&amp;watchman-token=t%22x"');
    expect(html).toContain('href="/watchman?skip=a&amp;watchman-token=t%22x"');
    expect(html).toContain('href="?check=svc&amp;watchman-token=t%22x"');
  });

  it('has no script and nothing external', () => {
    const html = render(report(false, 5));
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
  });

  it('shows the dashboardTitle, escaped, as heading and page title', () => {
    const html = render(report(true, 5));
    expect(html).toContain('<h1>Payments &lt;api&gt;</h1>');
    expect(html).toMatch(/<title>✓ Payments &lt;api&gt;: All checks passing<\/title>/);
  });

  it('says so when nothing is selected', () => {
    expect(render(undefined)).toContain('No checks found');
  });

  it('shows a failing non-critical check as a warning, in words and icon, not as failed', () => {
    const html = render(report(false, 5, 'slow', false));
    expect(html).toContain('⚠ warning');
    expect(html).toContain('<tr class="warn">');
    expect(html).toContain('1 warning (non-critical)');
    expect(html).not.toContain('✗ failed');
    expect(html).not.toContain('failing');
  });
});

describe('dashboard request options', () => {
  const options = (query: string) => dashboardOptionsFromQuery(new URLSearchParams(query), ['a', 'b'], 'tk');
  it.each([
    ['?refresh=30', 30],
    ['?refresh=1', 5],
    ['?refresh=99999', 3600],
    ['?refresh=0', undefined],
    ['?refresh=-4', undefined],
    ['?refresh=2.5', undefined],
    ['?refresh=x', undefined],
    ['', undefined],
  ])('%s refreshes every %s s', (query, seconds) => {
    expect(options(query).refreshSeconds).toBe(seconds);
  });

  it('carries only names of configured checks, once each, and a parameter token', () => {
    expect(options('?check=a&check=b,watchman.checks.a&check=evil<x>&other=1&tk=s3').keptQuery).toBe(
      'check=a&check=b&tk=s3',
    );
    expect(options('?skip=zzz&skip=b').keptQuery).toBe('skip=b');
  });

  it('keeps an explicit selection of nothing as one empty check', () => {
    expect(options('?check=nope&check=').keptQuery).toBe('check=');
  });

  it('stays small however long the query is', () => {
    const huge = `?${Array.from({ length: 5000 }, (_, i) => `check=n${i}&skip=s${i}`).join('&')}&check=a`;
    expect(options(huge).keptQuery).toBe('check=a');
  });
});
