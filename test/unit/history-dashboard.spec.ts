import { WatchmanHistory } from 'nestjs-watchman';
import { dashboardOptionsFromRequest } from '../../lib/http/dashboard-request.js';
import { renderDashboard } from '../../lib/http/dashboard.html.js';
import type { WatchmanConfig } from '../../lib/watchman.options.js';
import type { WatchmanReport } from '../../lib/runner/check-result.js';

const report = (ok: boolean, at: number, error = 'down <b>'): WatchmanReport => ({
  ok,
  measuredAt: new Date(at),
  durationMs: 1,
  checks: [{ name: 'svc', outcome: { ok, error: ok ? undefined : error, stacktrace: ok ? undefined : 'Error: x\n  at <anonymous>', details: {}, durationMs: 2, measuredAt: new Date(at) } }],
});

describe('WatchmanHistory', () => {
  it('keeps the last N results per key and when the state last flipped', () => {
    const history = new WatchmanHistory({ historySize: 3 } as WatchmanConfig);
    history.record(report(true, 1000));
    history.record(report(true, 2000));
    expect(history.get('svc').changedAt).toBeUndefined();
    history.record(report(false, 3000));
    history.record(report(false, 4000));
    const view = history.get('svc');
    expect(view.entries.map((entry) => [entry.ok, entry.measuredAt.getTime()])).toEqual([[true, 2000], [false, 3000], [false, 4000]]);
    expect(view.changedAt?.getTime()).toBe(3000);
    expect(history.get('other').entries).toEqual([]);
  });

  it('keeps nothing with a size of 0', () => {
    const history = new WatchmanHistory({ historySize: 0 } as WatchmanConfig);
    history.record(report(true, 1));
    expect(history.get('svc').entries).toEqual([]);
  });
});

describe('dashboard rendering', () => {
  const history = new WatchmanHistory({ historySize: 5 } as WatchmanConfig);
  const render = (r: WatchmanReport | undefined, keptQuery = '') =>
    renderDashboard({ report: r, history, stacktraces: true, keptQuery, jsonPath: '/watchman' }).html;

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

  it('says so when nothing is selected', () => {
    expect(render(undefined)).toContain('No checks found');
  });
});

describe('dashboard request options', () => {
  it.each([
    ['?refresh=30', 30], ['?refresh=1', 5], ['?refresh=99999', 3600], ['?refresh=0', undefined], ['?refresh=-4', undefined], ['?refresh=2.5', undefined], ['?refresh=x', undefined], ['', undefined],
  ])('%s refreshes every %s s', (query, seconds) => {
    expect(dashboardOptionsFromRequest(`/watchman/dashboard${query}`, {}, 'watchman-token').refreshSeconds).toBe(seconds);
  });

  it('carries a header token into links as the parameter', () => {
    const options = dashboardOptionsFromRequest('/d?check=a&check=b&other=1', { authorization: 'WATCHMAN-TOKEN Token="s3"' }, 'tk');
    expect(options.keptQuery).toBe('check=a&check=b&tk=s3');
  });
});
