import type { WatchmanCheckOutcome, WatchmanReport } from '../runner/check-result.js';
import { type WatchmanResponse, textResponse } from './watchman-response.js';

/** Which probe is answering. */
export type ProbeKind = 'live' | 'ready' | 'startup';

/** Everything a probe's answer is drawn from. */
export interface ProbeView {
  kind: ProbeKind;
  /** The checks it ran, if any. */
  report?: WatchmanReport;
  /** What fails the probe besides its checks (`shutdown in progress`, `not ready: maintenance`). */
  blockers?: readonly string[];
  /** Shown as `warn: …` lines (`unknown check "x"` in `?exclude`); they change nothing else. */
  warnings?: readonly string[];
  verbose: boolean;
  /** Show why a check failed (a caller with a valid token). */
  reasons: boolean;
  /** Show the check lines at all (`verboseNames: 'token'` hides them from anonymous callers). */
  names?: boolean;
}

/**
 * `ok` 200, else `failed` 503 (a failing non-critical check still passes: a kubelet reads
 * ≥ 400 as failure). With `verbose`, kube-apiserver's text: one line per check and alias
 * (`[+]databases/default ok`, `[-]caches/redis failed`), the reason only with `reasons`,
 * the blockers, `warn:` lines, then `ready check passed|failed`.
 */
export function renderProbe(view: ProbeView): WatchmanResponse {
  const { kind, report, blockers = [], warnings = [], verbose, reasons, names = true } = view;
  const passed = blockers.length === 0 && (report === undefined || report.ok);
  const status = passed ? 200 : 503;
  if (!verbose) return textResponse(status, passed ? 'ok' : 'failed');
  const lines: string[] = [];
  const line = (name: string, outcome: WatchmanCheckOutcome, critical: boolean) => {
    if (outcome.ok) return lines.push(`[+]${name} ok`);
    const note = critical ? '' : ' (non-critical)';
    lines.push(`[-]${name} failed${note}${reasons && outcome.error ? `: ${oneLine(outcome.error)}` : ''}`);
  };
  for (const check of names ? (report?.checks ?? []) : []) {
    if (check.aliases)
      for (const { alias, outcome } of check.aliases) line(`${check.name}/${alias}`, outcome, check.critical);
    else line(check.name, check.outcome, check.critical);
  }
  for (const blocker of blockers) lines.push(`[-]${oneLine(blocker)}`);
  for (const warning of warnings) lines.push(`warn: ${oneLine(warning)}`);
  lines.push(`${kind} check ${passed ? 'passed' : 'failed'}`);
  return textResponse(status, `${lines.join('\n')}\n`);
}

/** A probe asked for a check that is not one of its own: 404, so a mistyped probe fails. */
export function renderUnknownChecks(names: readonly string[], verbose: boolean): WatchmanResponse {
  if (!verbose) return textResponse(404, 'unknown check');
  return textResponse(404, `${names.map((name) => `unknown check ${shownName(name)}`).join('\n')}\n`);
}

/** A name from the query as a probe may repeat it: JSON-quoted, and only if it looks like a check name. */
export function shownName(name: string): string {
  return /^[\w:-]{1,64}$/.test(name) ? JSON.stringify(name) : '(not shown)';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
