import type { WatchmanCheckOutcome, WatchmanReport } from '../runner/check-result.js';
import { type WatchmanResponse, textResponse } from './watchman-response.js';

/** Which probe is answering: `live` or `ready`. */
export type ProbeKind = 'live' | 'ready';

/**
 * `live` / `ready`: `ok` 200, else `failed` 503. With `verbose`, kube-apiserver's text: one
 * line per check and alias (`[+]databases/default ok`, `[-]caches/redis failed`), the reason
 * only when `reasons` (a caller with a valid token), then `ready check passed|failed`.
 */
export function renderProbe(
  kind: ProbeKind,
  report: WatchmanReport | undefined,
  verbose: boolean,
  reasons: boolean,
): WatchmanResponse {
  const passed = report === undefined || report.ok;
  const status = passed ? 200 : 503;
  if (!verbose) return textResponse(status, passed ? 'ok' : 'failed');
  const lines: string[] = [];
  const line = (name: string, outcome: WatchmanCheckOutcome, critical: boolean) => {
    if (outcome.ok) return lines.push(`[+]${name} ok`);
    const note = critical ? '' : ' (non-critical)';
    lines.push(`[-]${name} failed${note}${reasons && outcome.error ? `: ${oneLine(outcome.error)}` : ''}`);
  };
  for (const check of report?.checks ?? []) {
    if (check.aliases)
      for (const { alias, outcome } of check.aliases) line(`${check.name}/${alias}`, outcome, check.critical);
    else line(check.name, check.outcome, check.critical);
  }
  lines.push(`${kind} check ${passed ? 'passed' : 'failed'}`);
  return textResponse(status, `${lines.join('\n')}\n`);
}

/** During shutdown `ready` answers this at once, running nothing. */
export function renderShuttingDown(kind: ProbeKind, verbose: boolean): WatchmanResponse {
  return textResponse(503, verbose ? `[-]shutdown in progress\n${kind} check failed\n` : 'failed');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
