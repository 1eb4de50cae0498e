/**
 * What watchman reads of a request, on Express and Fastify alike. Guards that extend
 * `WatchmanTokenGuard` receive this type in `extractToken()`.
 */
export interface WatchmanRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Express: the URL as received (before any mount path is stripped). */
  originalUrl?: string;
  /** Fastify (and Express after mounting): path and query. */
  url?: string;
  method?: string;
  raw?: { url?: string };
}

/** The path and query of a request, on Express (`originalUrl`) and Fastify (`url`) alike. */
export function requestUrl(request: WatchmanRequest): string {
  return request.originalUrl ?? request.url ?? request.raw?.url ?? '/';
}

// The guard and the route both read the query: it is parsed once per request.
const parsedQueries = new WeakMap<object, URLSearchParams>();

/** The query of a request, parsed from the raw URL so both adapters read it the same way. */
export function requestQuery(request: WatchmanRequest): URLSearchParams {
  let query = parsedQueries.get(request);
  if (!query) {
    query = splitTarget(requestUrl(request)).query;
    parsedQueries.set(request, query);
  }
  return query;
}

/** One header as a single string (the first, when repeated). */
export function headerValue(request: WatchmanRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Path and query of a request target, never throwing: an absolute-form target
 * (`http://x:99999/watchman/ready`) loses its scheme and authority unparsed, and a malformed
 * escape stays as it is (URLSearchParams keeps what it cannot decode).
 */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const withoutOrigin = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = withoutOrigin.indexOf('#');
  const clean = hash < 0 ? withoutOrigin : withoutOrigin.slice(0, hash);
  const mark = clean.indexOf('?');
  return {
    path: (mark < 0 ? clean : clean.slice(0, mark)) || '/',
    query: new URLSearchParams(mark < 0 ? '' : clean.slice(mark + 1)),
  };
}
