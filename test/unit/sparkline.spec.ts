import { WatchmanHistory } from 'nestjs-watchman';
import { renderDashboard } from '../../lib/formats/dashboard.html.js';
import { sparklineSvg } from '../../lib/formats/sparkline.svg.js';
import type { WatchmanCheckReport } from '../../lib/runner/check-result.js';

const runs = (...ms: Array<number | [number, false]>) =>
  ms.map((value) => (Array.isArray(value) ? { durationMs: value[0], ok: false } : { durationMs: value, ok: true }));

/** The polyline's points as numbers. */
function points(svg: string): Array<[number, number]> {
  const list = /<polyline[^>]* points="([^"]*)"/.exec(svg)?.[1] ?? '';
  return list
    .split(' ')
    .filter(Boolean)
    .map((pair) => pair.split(',').map(Number) as [number, number]);
}
const crosses = (svg: string) => svg.match(/<path class="fail"/g)?.length ?? 0;
const title = (svg: string) => /<title>([^<]*)<\/title>/.exec(svg)?.[1];

describe('sparklineSvg', () => {
  it('draws one point per run, oldest left, across the width, scaled to its own max', () => {
    const svg = sparklineSvg(runs(10, 20, 40, 0), { label: 'svc', width: 108, height: 28 });
    // x from 4 to 104 in equal steps; y: the slowest run (40 ms) at the top pad, 0 ms on the baseline.
    expect(points(svg)).toEqual([
      [4, 19],
      [37.33, 14],
      [70.67, 4],
      [104, 24],
    ]);
    expect(svg).toMatch(/^<svg class="spark" xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img" /);
    expect(svg).toContain('width="108" height="28" viewBox="0 0 108 28"');
    // The same shape whatever the unit scale: a check that is 1000× slower draws the same line.
    expect(points(sparklineSvg(runs(10_000, 20_000, 40_000, 0), { label: 'svc', width: 108 }))).toEqual(points(svg));
  });

  it('marks each failed run with a cross (a shape, not a colour), and the last run with a dot when it passed', () => {
    const svg = sparklineSvg(runs(5, [50, false], 5, [1, false], 5), { label: 'svc' });
    expect(points(svg)).toHaveLength(5);
    expect(crosses(svg)).toBe(2);
    expect(svg).toMatch(/<circle class="last" cx="116" cy="[\d.]+" r="2"/);
    // A cross is centred on its run's point.
    const [, second] = points(svg);
    expect(svg).toContain(`d="M${second[0] - 2.5} ${second[1] - 2.5}L${second[0] + 2.5} ${second[1] + 2.5}`);
    const failedLast = sparklineSvg(runs(5, [7, false]), { label: 'svc' });
    expect(failedLast).not.toContain('<circle');
    expect(crosses(failedLast)).toBe(1);
  });

  it('names min, max and last in its <title> and aria-label, without float noise', () => {
    const svg = sparklineSvg(runs(12.345678, 0.123456, [250.6, false], 33.33333), { label: 'databases default' });
    const name = 'databases default: latency of the last 4 runs, min 0.12 ms, max 251 ms, last 33.3 ms; 1 failed';
    expect(title(svg)).toBe(name);
    expect(svg).toContain(`aria-label="${name}"`);
  });

  it('draws nothing for an empty history', () => {
    expect(sparklineSvg([], { label: 'svc' })).toBe('');
  });

  it('puts a single run in the middle, with its dot or cross', () => {
    const ok = sparklineSvg(runs(3), { label: 'svc', width: 120, height: 28 });
    expect(points(ok)).toEqual([[60, 4]]);
    expect(ok).toContain('<circle class="last" cx="60" cy="4"');
    expect(title(ok)).toBe('svc: latency of the last run, min 3 ms, max 3 ms, last 3 ms; 0 failed');
    expect(crosses(sparklineSvg(runs([3, false]), { label: 'svc' }))).toBe(1);
  });

  it('keeps runs of 0 ms (or nonsense durations) on the baseline instead of dividing by zero', () => {
    const svg = sparklineSvg(
      [
        { durationMs: 0, ok: true },
        { durationMs: Number.NaN, ok: true },
        { durationMs: -5, ok: false },
      ],
      { label: 'svc', height: 28 },
    );
    expect(points(svg).map(([, y]) => y)).toEqual([24, 24, 24]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('escapes the label in the title and the attribute', () => {
    const svg = sparklineSvg(runs(1), { label: '<script>"x" & \'y\'</script>' });
    expect(svg).not.toContain('<script');
    expect(title(svg)).toContain('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(svg).toMatch(/aria-label="&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;\/script&gt;: /);
  });

  it('has no script, style attribute, link or external reference', () => {
    const svg = sparklineSvg(runs(1, [2, false], 3), { label: 'svc' });
    expect(svg).not.toMatch(/<script|style=|href|url\(|<image|<foreignObject/i);
  });
});

describe('the dashboard with sparklines', () => {
  const outcome = (ok: boolean, durationMs: number, at: number) => ({
    ok,
    error: ok ? undefined : 'down',
    details: {},
    durationMs,
    measuredAt: new Date(at),
  });
  const report = (at: number, ok: boolean): WatchmanCheckReport => ({
    name: 'queues',
    critical: true,
    outcome: outcome(ok, 3, at),
    aliases: [
      { alias: 'a<b>', outcome: outcome(true, at, at) },
      { alias: 'mid', outcome: outcome(ok, 2, at) },
    ],
  });

  it('draws one sparkline per row, with a point per run and a cross per failed run, named by check and alias', () => {
    const history = new WatchmanHistory({ historySize: 10 });
    for (let i = 1; i <= 4; i++) history.record(report(i, i !== 2));
    const html = renderDashboard({
      report: { ok: true, status: 'pass', measuredAt: new Date(4), durationMs: 1, checks: [report(4, true)] },
      history,
      stacktraces: false,
      keptQuery: '',
      jsonPath: '/watchman',
      title: 'T',
    }).html;
    const svgs: string[] = html.match(/<svg class="spark"[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    expect(svgs.map((svg) => points(svg).length)).toEqual([4, 4]);
    expect(svgs.map(crosses)).toEqual([0, 1]);
    expect(title(svgs[0] ?? '')).toBe(
      'queues a&lt;b&gt;: latency of the last 4 runs, min 1 ms, max 4 ms, last 4 ms; 0 failed',
    );
    expect(html).not.toContain('<b>');
  });
});
