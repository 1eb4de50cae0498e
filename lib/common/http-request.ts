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
  const url = requestUrl(request);
  if (!url.includes('?')) return NO_QUERY; // nearly every probe: nothing to parse or remember
  let query = parsedQueries.get(request);
  if (!query) {
    query = splitTarget(url).query;
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
  const clean = withoutFragment(withoutOrigin(target));
  const mark = clean.indexOf('?');
  return {
    path: (mark < 0 ? clean : clean.slice(0, mark)) || '/',
    query: mark < 0 ? NO_QUERY : new URLSearchParams(clean.slice(mark + 1)),
  };
}

// Shared by every target without a query; nothing writes to a parsed query.
const NO_QUERY = new URLSearchParams();

/** The path of a request target alone, as `splitTarget` finds it (no query parsed: it runs on every request). */
export function targetPath(target: string): string {
  const clean = withoutOrigin(target);
  let end = clean.length;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    if (code === 63 || code === 35) {
      end = i; // '?' or '#'
      break;
    }
  }
  return clean.slice(0, end) || '/';
}

// Origin-form targets (nearly all) start with '/': no regular expression for them.
const withoutOrigin = (target: string) =>
  target.charCodeAt(0) === 47 ? target : target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');

function withoutFragment(target: string): string {
  const hash = target.indexOf('#');
  return hash < 0 ? target : target.slice(0, hash);
}
