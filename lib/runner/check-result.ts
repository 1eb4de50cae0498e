/** The outcome of one check or alias, as kept internally (the JSON shape is derived from it). */
export interface CheckOutcome {
  ok: boolean;
  error?: string;
  stacktrace?: string;
  /** Extra fields the check returned, merged into its JSON. */
  details: Record<string, unknown>;
  durationMs: number;
  measuredAt: Date;
  timedOut?: boolean;
}

/** One alias of a multi-resource check. */
export interface AliasReport {
  alias: string;
  outcome: CheckOutcome;
}

/** One check: its outcome, plus its aliases for multi-resource checks. */
export interface CheckReport {
  name: string;
  /** Overall outcome; for a multi-resource check, ok only when every alias is. */
  outcome: CheckOutcome;
  /** Present for multi-resource checks whose aliases could be listed. */
  aliases?: AliasReport[];
}

/** A whole run, checks sorted by name. */
export interface WatchmanReport {
  ok: boolean;
  checks: CheckReport[];
  measuredAt: Date;
  durationMs: number;
}

/** A check's JSON entry: `{"ok": true, ...}` or `{"ok": false, "error": ..., "stacktrace": ...}`. */
export type CheckJson = Record<string, unknown>;

/** Turns what a check returned into an outcome. */
export function successOutcome(value: unknown, startedAt: number, measuredAt: Date): CheckOutcome {
  const details: Record<string, unknown> = isPlainObject(value) ? { ...value } : value === undefined || value === null ? {} : { value };
  if (details.ok === false) {
    const error = typeof details.error === 'string' && details.error ? details.error : 'check reported ok: false';
    delete details.ok;
    delete details.error;
    return { ok: false, error, details, durationMs: elapsed(startedAt), measuredAt };
  }
  delete details.ok;
  return { ok: true, details, durationMs: elapsed(startedAt), measuredAt };
}

/** Turns anything thrown (Error or not) into a failed outcome that always has a message. */
export function failureOutcome(thrown: unknown, startedAt: number, measuredAt: Date): CheckOutcome {
  return { ok: false, ...describeError(thrown), details: {}, durationMs: elapsed(startedAt), measuredAt };
}

/** A message and a stack for any thrown value; never empty. */
export function describeError(thrown: unknown): { error: string; stacktrace: string } {
  if (isErrorLike(thrown)) {
    const causes = errorChain(thrown);
    const error = causes.join(': ') || thrown.name || 'Error';
    return { error, stacktrace: thrown.stack ?? `${thrown.name}: ${error}` };
  }
  let error: string;
  if (typeof thrown === 'string') error = thrown || 'check threw an empty string';
  else if (thrown === undefined || thrown === null) error = `check threw ${String(thrown)}`;
  else {
    try {
      error = JSON.stringify(thrown) ?? String(thrown);
    } catch {
      error = String(thrown);
    }
  }
  return { error, stacktrace: `(a non-Error value was thrown, so there is no stack) ${error}` };
}

// Errors from drivers often wrap the useful part (AggregateError, cause); keep it.
function errorChain(error: Error): string[] {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isErrorLike(current) && !seen.has(current) && parts.length < 4) {
    seen.add(current);
    const message = current.message || (current instanceof AggregateError
      ? current.errors.map((inner) => (isErrorLike(inner) ? inner.message : String(inner))).filter(Boolean).join('; ')
      : '') || (current as { code?: string }).code || '';
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts;
}

/** The JSON entry of one outcome. */
export function outcomeToJson(outcome: CheckOutcome, stacktraces: boolean): CheckJson {
  if (outcome.ok) return { ok: true, ...outcome.details };
  const json: CheckJson = { ok: false, ...outcome.details, error: outcome.error };
  if (stacktraces && outcome.stacktrace !== undefined) json.stacktrace = outcome.stacktrace;
  return json;
}

/** django-watchman's response body: checks by sorted name, aliases in the list shape. */
export function reportToJson(report: WatchmanReport, stacktraces: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const check of report.checks) body[check.name] = checkToJson(check, stacktraces);
  return body;
}

/** One check's value in the body: an object, or a list of `{alias: {...}}` for multi-resource checks. */
export function checkToJson(check: CheckReport, stacktraces: boolean): unknown {
  if (!check.aliases) return outcomeToJson(check.outcome, stacktraces);
  return check.aliases.map(({ alias, outcome }) => ({ [alias]: outcomeToJson(outcome, stacktraces) }));
}

/** Errors from another realm (vm contexts, workers) fail `instanceof Error`; their shape does not. */
export function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null &&
    typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elapsed(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
