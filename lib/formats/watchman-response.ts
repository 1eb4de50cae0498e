/** What a renderer produces and the HTTP layer writes: status, headers, body. */
export interface WatchmanResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The status codes a report's status maps to on the JSON, group and bare routes. */
export interface StatusCodes {
  /** When a critical check failed. */
  errorCode: number;
  /** When only non-critical checks failed. */
  warnStatus: number;
}

/** pass → 200, warn → `warnStatus`, fail → `errorCode`. */
export function httpStatusOf(status: 'pass' | 'warn' | 'fail', codes: StatusCodes): number {
  return status === 'pass' ? 200 : status === 'warn' ? codes.warnStatus : codes.errorCode;
}

/** A `text/plain` answer. */
export function textResponse(status: number, body: string): WatchmanResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

/** A JSON answer (serialized here, so every adapter sends the same bytes). */
export function jsonResponse(
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
): WatchmanResponse {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(value) };
}
