/** What a route decides its answer from, whichever door (Nest controller, probe port) it came through. */
export interface RouteRequest {
  /** The path as received (for links relative to it). */
  path: string;
  /** Values of the route's `:name` segments. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The Accept header, for content negotiation. */
  accept?: string;
  /** The caller proved who it is (a valid token, or the app's authGuard let it in). */
  authenticated: boolean;
}

/** Whether a flag parameter is on (`?verbose`, `?verbose=1`; not `?verbose=0|false|no|off`). */
export function isOn(query: URLSearchParams, name: string): boolean {
  if (!query.has(name)) return false;
  return !['0', 'false', 'no', 'off'].includes((query.get(name) ?? '').toLowerCase());
}
