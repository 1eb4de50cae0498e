import type { ComponentType } from '../checks/built-in-checks.js';
import {
  type WatchmanCheckOutcome,
  type WatchmanReport,
  type WatchmanStatus,
  outcomeStatus,
} from '../runner/check-result.js';
import { type StatusCodes, type WatchmanResponse, httpStatusOf, jsonResponse } from './watchman-response.js';

/** The media type of the IETF health check response format (draft-inadarei-api-health-check). */
export const HEALTH_JSON = 'application/health+json';

/** One entry of the draft's `checks` object. */
export interface WatchmanHealthCheckEntry {
  componentType: string;
  status: WatchmanStatus;
  observedValue: number;
  observedUnit: 'ms';
  time: string;
  output?: string;
}

/** The draft's document, as watchman fills it. */
export interface WatchmanHealthDocument {
  status: WatchmanStatus;
  version?: string;
  checks: Record<string, WatchmanHealthCheckEntry[]>;
}

/**
 * The report in the IETF health format: one key per check (`storage`) or alias
 * (`databases:default`), each a one-entry list whose `observedValue` is the latency in ms.
 */
export function reportToHealthJson(
  report: WatchmanReport,
  componentTypes: (check: string) => ComponentType,
  version?: string,
): WatchmanHealthDocument {
  const entries: Array<[string, WatchmanHealthCheckEntry[]]> = [];
  for (const check of report.checks) {
    const entry = (outcome: WatchmanCheckOutcome): WatchmanHealthCheckEntry => ({
      componentType: componentTypes(check.name),
      status: outcomeStatus(outcome, check.critical),
      observedValue: outcome.durationMs,
      observedUnit: 'ms',
      time: outcome.measuredAt.toISOString(),
      ...(outcome.ok ? {} : { output: outcome.error }),
    });
    if (check.aliases)
      for (const { alias, outcome } of check.aliases) entries.push([`${check.name}:${alias}`, [entry(outcome)]]);
    else entries.push([check.name, [entry(check.outcome)]]);
  }
  return { status: report.status, ...(version ? { version } : {}), checks: Object.fromEntries(entries) };
}

/** 200 for pass, `warnStatus` for warn, `errorCode` for fail. */
export function renderHealthJson(
  report: WatchmanReport,
  componentTypes: (check: string) => ComponentType,
  codes: StatusCodes,
  version?: string,
): WatchmanResponse {
  const document = reportToHealthJson(report, componentTypes, version);
  return jsonResponse(httpStatusOf(report.status, codes), document, `${HEALTH_JSON}; charset=utf-8`);
}

/**
 * Whether a request asks for the health format: `?format=health+json`, or an Accept header
 * that prefers `application/health+json` to `application/json` (q-values honoured).
 */
export function wantsHealthJson(accept: string | undefined, format: string | null): boolean {
  if (format !== null) return /^health[+ ]json$/i.test(format.trim()) || format.trim().toLowerCase() === HEALTH_JSON;
  if (!accept) return false;
  let health = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const weight = Number.isFinite(q) ? q : 0;
    if (type.trim() === HEALTH_JSON) health = Math.max(health, weight);
    else if (type.trim() === 'application/json') json = Math.max(json, weight);
  }
  return health > 0 && health >= json;
}
