import type { WatchmanCheckOutcome, WatchmanCheckReport, WatchmanReport } from '../runner/check-result.js';
import { type StatusCodes, type WatchmanResponse, httpStatusOf, jsonResponse } from './watchman-response.js';

/** A check's JSON entry: `{"ok": true, ...}` or `{"ok": false, "error": ..., "stacktrace": ...}`. */
export type CheckJson = Record<string, unknown>;

/** The JSON entry of one outcome; a failure of a non-critical check says `"critical": false`. */
export function outcomeToJson(outcome: WatchmanCheckOutcome, stacktraces: boolean, critical = true): CheckJson {
  if (outcome.ok) return { ok: true, ...outcome.details };
  const json: CheckJson = { ok: false, ...outcome.details, error: outcome.error };
  if (!critical) json.critical = false;
  if (stacktraces && outcome.stacktrace !== undefined) json.stacktrace = outcome.stacktrace;
  return json;
}

/** What a multi-resource check with no resource says beside `"ok": true`. */
export const NONE_CONFIGURED = 'none configured';

/**
 * One check's value in the body: an object, or a list of `{alias: {...}}` for multi-resource
 * checks. A multi-resource check with no resource at all is `{"ok": true, "note": "none
 * configured"}`: an empty list (`"caches": []`) would read as "every cache is fine". A
 * fleet-scoped check's entries also say `"scope"` and `"by"` (who ran it).
 */
export function checkToJson(check: WatchmanCheckReport, stacktraces: boolean): unknown {
  const fleet = check.scope ? { scope: check.scope, by: check.by } : {};
  if (!check.aliases) return { ...outcomeToJson(check.outcome, stacktraces, check.critical), ...fleet };
  if (check.aliases.length === 0) return { ok: check.outcome.ok, note: NONE_CONFIGURED, ...fleet };
  // Computed keys and fromEntries define own properties: an alias or check named `__proto__` stays a key.
  return check.aliases.map(({ alias, outcome }) => ({
    [alias]: { ...outcomeToJson(outcome, stacktraces, check.critical), ...fleet },
  }));
}

/**
 * django-watchman's response body: checks by sorted name, aliases in the list shape.
 *
 * @param report what `WatchmanRunner.run()` resolved to
 * @param stacktraces whether failures carry their `stacktrace` (the `stacktraces` option)
 */
export function reportToJson(report: WatchmanReport, stacktraces: boolean): Record<string, unknown> {
  return Object.fromEntries(report.checks.map((check) => [check.name, checkToJson(check, stacktraces)]));
}

/** `GET /watchman`: 200 when all passed, `warnStatus` when only non-critical checks failed, else `errorCode`. */
export function renderJson(report: WatchmanReport, stacktraces: boolean, codes: StatusCodes): WatchmanResponse {
  return jsonResponse(httpStatusOf(report.status, codes), reportToJson(report, stacktraces));
}

/** The 404 when a selection leaves nothing to run. */
export function renderNoChecks(): WatchmanResponse {
  return jsonResponse(404, { error: 404, message: 'No checks found' });
}
