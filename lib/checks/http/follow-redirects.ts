import { redactUrl } from '../../common/redact.js';

/** At most this many redirects are followed (fetch's own limit). */
export const MAX_REDIRECTS = 20;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A request that is not worth sending on (a loop, a redirect nowhere or to another scheme). */
export class RedirectError extends Error {}

/**
 * fetch, following redirects by hand: fetch's own `redirect: 'follow'` sends every configured
 * header (an `X-Api-Key`, the Basic `Authorization` made from the URL's credentials) to
 * wherever a `Location` points. Here the headers go on only while the redirect stays on the
 * origin they were configured for; once it leaves, they are dropped for good.
 */
export async function fetchFollowing(
  url: string,
  init: { method: string; headers: Record<string, string>; signal: AbortSignal },
  maxRedirects = MAX_REDIRECTS,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  let method = init.method;
  let headers = init.headers;
  for (let hops = 0; ; hops++) {
    const response = await fetch(current, { method, headers, redirect: 'manual', signal: init.signal });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hops >= maxRedirects) throw new RedirectError(`too many redirects (a redirect loop?) after ${hops}`);
    const next = resolveLocation(location, current);
    if (next.origin !== origin) headers = {};
    // As fetch does: a 303, or a 301/302 after a POST, goes on as GET (HEAD stays HEAD).
    if ((response.status === 303 && method !== 'HEAD') || (response.status <= 302 && method === 'POST')) method = 'GET';
    current = next.href;
  }
}

function resolveLocation(location: string, base: string): URL {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw new RedirectError(`redirected to an invalid URL ${JSON.stringify(redactUrl(location))}`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw new RedirectError(`redirected to a ${next.protocol} URL, which is not followed`);
  return next;
}
