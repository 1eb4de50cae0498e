import { type WatchmanCheckOutcome, type WatchmanReport, outcomeStatus } from '../runner/check-result.js';
import { type WatchmanHistoryView, WatchmanHistory } from '../runner/check.history.js';
import type { DashboardRequestOptions } from './dashboard-request.js';
import { DASHBOARD_CSP, DASHBOARD_CSS } from './dashboard.styles.js';
import { NONE_CONFIGURED } from './json.format.js';
import { escapeHtml as e } from './html-escape.js';
import { sparklineSvg } from './sparkline.svg.js';
import type { WatchmanResponse } from './watchman-response.js';

/** Everything the page is drawn from. */
export interface DashboardInput extends DashboardRequestOptions {
  report: WatchmanReport | undefined;
  history: Pick<WatchmanHistory, 'get'>;
  /** Shown in the footer when `exposeVersion` is on. */
  version?: string;
  stacktraces: boolean;
  /** The page's heading (`dashboardTitle`). */
  title: string;
  /** Path of the JSON route, for the page's link to it. */
  jsonPath: string;
}

type RowState = 'ok' | 'bad' | 'warn';

// The page's CSS classes for the three statuses.
const ROW_STATES = { pass: 'ok', warn: 'warn', fail: 'bad' } as const;

interface Row {
  check: string;
  alias?: string;
  outcome: WatchmanCheckOutcome;
  state: RowState;
  history: WatchmanHistoryView;
  /** Shown beside an ok status. */
  note?: string;
}

/**
 * The dashboard: one self-contained page (inline CSS, no script, nothing fetched), one row
 * per check and per alias, failure details in `<details>`, recent history per row. A failing
 * non-critical check is a warning, told apart by icon and word as well as colour.
 * Everything printed is escaped.
 */
export function renderDashboard(input: DashboardInput): { html: string; contentSecurityPolicy: string } {
  const rows = input.report ? toRows(input.report, input.history) : [];
  const failing = rows.filter((row) => row.state === 'bad').length;
  const warnings = rows.filter((row) => row.state === 'warn').length;
  const title = bannerTitle(input.report !== undefined, rows.length, failing, warnings);
  const state = !input.report ? 'none' : failing > 0 ? 'bad' : warnings > 0 ? 'warn' : 'ok';
  const icon = { none: '·', ok: '✓', warn: '⚠', bad: '✗' }[state];
  const query = (extra = '') => {
    const params = [input.keptQuery, extra].filter(Boolean).join('&');
    return params ? `?${params}` : '?';
  };
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
${input.refreshSeconds ? `<meta http-equiv="refresh" content="${input.refreshSeconds}">` : ''}
<title>${e(`${icon} ${input.title}: ${title}`)}</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<main>
<h1>${e(input.title)}</h1>
<p class="banner ${state}" role="status">${e(`${icon} ${title}`)}${
    input.report
      ? ` <span class="muted">· checked ${time(input.report.measuredAt)} in ${e(input.report.durationMs)} ms</span>`
      : ''
  }</p>
<nav aria-label="Dashboard">
<a href="${e(query())}">Refresh now</a>
${
  input.refreshSeconds
    ? `<a href="${e(query())}">Stop auto-refresh (every ${e(input.refreshSeconds)} s)</a>`
    : `<a href="${e(query('refresh=10'))}">Auto-refresh every 10 s</a>`
}
<a href="${e(`${input.jsonPath}${query()}`)}">JSON</a>
</nav>
${input.report ? table(rows, input) : '<p>No check is configured or selected: see <code>?check=</code> and <code>?skip=</code>.</p>'}
<footer>nestjs-watchman${input.version ? ` ${e(input.version)}` : ''}</footer>
</main>
</body>
</html>
`;
  return { html, contentSecurityPolicy: DASHBOARD_CSP };
}

/** The dashboard as a response: always 200. */
export function renderDashboardResponse(input: DashboardInput): WatchmanResponse {
  const page = renderDashboard(input);
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': page.contentSecurityPolicy,
      // Its links may carry a token: never in a Referer.
      'Referrer-Policy': 'no-referrer',
    },
    body: page.html,
  };
}

function bannerTitle(hasReport: boolean, rows: number, failing: number, warnings: number): string {
  if (!hasReport) return 'No checks found';
  const parts = [];
  if (failing > 0) parts.push(`${failing} of ${rows} failing`);
  if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'} (non-critical)`);
  return parts.length ? parts.join(', ') : 'All checks passing';
}

function toRows(report: WatchmanReport, history: DashboardInput['history']): Row[] {
  return report.checks.flatMap((check): Row[] => {
    const state = (outcome: WatchmanCheckOutcome): RowState => ROW_STATES[outcomeStatus(outcome, check.critical)];
    // A multi-resource check with no resource is one row that says so (see NONE_CONFIGURED).
    return check.aliases?.length
      ? check.aliases.map(({ alias, outcome }) => ({
          check: check.name,
          alias,
          outcome,
          state: state(outcome),
          history: history.get(WatchmanHistory.key(check.name, alias)),
        }))
      : [
          {
            check: check.name,
            outcome: check.outcome,
            state: state(check.outcome),
            history: history.get(WatchmanHistory.key(check.name)),
            ...(check.aliases ? { note: NONE_CONFIGURED } : {}),
          },
        ];
  });
}

function table(rows: Row[], input: DashboardInput): string {
  const only = (check: string) => {
    const params = new URLSearchParams({ check });
    for (const [name, value] of new URLSearchParams(input.keptQuery))
      if (name !== 'check' && name !== 'skip') params.append(name, value);
    return `?${params.toString()}`;
  };
  const cell = (label: string, content: string, className = '') =>
    `<td data-label="${label}"${className ? ` class="${className}"` : ''}><div>${content}</div></td>`;
  const body = rows
    .map(
      (row) => `<tr class="${row.state}">
${cell('Type', `<a href="${e(only(row.check))}">${e(row.check)}</a>`)}
${cell('Name', row.alias === undefined ? '<span class="muted">—</span>' : e(row.alias))}
${cell('Status', status(row, input.stacktraces))}
${cell('Duration', `${e(row.outcome.durationMs)} ms`, 'num')}
${cell('History', strip(row))}
${cell('Changed', row.history.changedAt ? time(row.history.changedAt) : '<span class="muted">no change seen</span>', 'num')}
</tr>`,
    )
    .join('\n');
  return `<table>
<caption>${rows.length} ${rows.length === 1 ? 'row' : 'rows'}: one per check and per resource</caption>
<thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Recent history</th><th scope="col">Last change</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function status(row: Row, stacktraces: boolean): string {
  if (row.state === 'ok') {
    return `<span class="status ok">✓ ok</span>${row.note ? ` <span class="muted">${e(row.note)}</span>` : ''}`;
  }
  const { outcome } = row;
  const trace = stacktraces && outcome.stacktrace ? `<pre>${e(outcome.stacktrace)}</pre>` : '';
  const label =
    row.state === 'warn'
      ? '<span class="status warn">⚠ warning <span class="muted">(non-critical)</span></span>'
      : '<span class="status bad">✗ failed</span>';
  return `${label}
<details><summary>Error</summary><div class="error">${e(outcome.error)}</div>${trace}</details>`;
}

function strip({ history: view, state, check, alias }: Row): string {
  if (view.entries.length === 0) return '<span class="muted">none yet</span>';
  const ok = view.entries.filter((entry) => entry.ok).length;
  const slowest = Math.max(...view.entries.map((entry) => entry.durationMs), 0.001);
  const ticks = view.entries
    .map((entry) => {
      // Height: latency relative to the slowest run in the strip (classes: the CSP allows no inline style).
      const level = Math.max(1, Math.ceil((entry.durationMs / slowest) * 5));
      const label = `${entry.ok ? 'ok' : `failed: ${entry.error ?? ''}`} · ${entry.durationMs} ms · ${entry.measuredAt.toISOString()}`;
      // A non-critical check's failures are warnings in its history too.
      const kind = entry.ok ? 'ok' : state === 'warn' ? 'warn' : 'bad';
      return `<span class="tick ${kind} l${level}" title="${e(label)}"></span>`;
    })
    .join('');
  const sorted = view.entries.map((entry) => entry.durationMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // The sparkline beside the marks: latency as a line (its own name for screen readers), ok/failed as marks.
  const spark = sparklineSvg(view.entries, { label: alias === undefined ? check : `${check} ${alias}` });
  return `<div class="history">${spark}<div class="strip" aria-hidden="true">${ticks}</div></div><span class="muted">${ok} of ${view.entries.length} ok · median ${e(median)} ms</span>`;
}

function time(date: Date): string {
  const iso = date.toISOString();
  return `<time datetime="${e(iso)}">${e(iso.slice(11, 19))} UTC</time>`;
}
