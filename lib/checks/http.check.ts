import { isErrorLike } from '../common/error-like.js';
import { deadline as withDeadline } from '../common/race.js';
import { redactUrl, redactUrls } from '../common/redact.js';
import type { HttpTargetConfig } from '../options/option-schemas.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { RedirectError, fetchFollowing } from './http/follow-redirects.js';

/**
 * `http`: one request per configured target (`http: { name: url | { url, method,
 * expectStatus, headers, timeout } }`), cancelled by the check's signal; reports the status
 * and the latency. A redirect loop, a TLS error, a refused port, a hung server and an
 * unexpected status each fail with a message that says which; every URL in a message has its
 * password and query values hidden. The configured headers never follow a redirect to
 * another origin.
 */
export class HttpCheck implements WatchmanMultiCheckable {
  /** @param settings `targets`: one request per name (the `http` option). */
  constructor(private readonly settings: { targets: ReadonlyMap<string, HttpTargetConfig> }) {}

  aliases(): string[] {
    return [...this.settings.targets.keys()];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const target = this.settings.targets.get(alias);
    if (!target) throw new Error(`no http check named ${JSON.stringify(alias)}`);
    const { url, headers } = withoutCredentials(target);
    const deadline = target.timeout
      ? withDeadline(signal, target.timeout, () => new Error(`no answer within ${target.timeout} ms`))
      : { signal, clear: () => undefined };
    const started = performance.now();
    let response: Response;
    try {
      response = await fetchFollowing(url, { method: target.method, headers, signal: deadline.signal });
    } catch (error) {
      throw requestFailure(target, error, deadline.signal);
    } finally {
      deadline.clear();
    }
    // The body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const latency = Math.round((performance.now() - started) * 100) / 100;
    if (!expected(target, response.status)) {
      const wanted = target.expectStatus.length ? target.expectStatus.join(' or ') : 'a 2xx status';
      throw new Error(`${target.method} ${redactUrl(target.url)} answered ${response.status}, expected ${wanted}`);
    }
    return { status: response.status, latency_ms: latency };
  }
}

// fetch refuses URLs with credentials: they become a Basic Authorization header (unless one is given).
function withoutCredentials(target: HttpTargetConfig): { url: string; headers: Record<string, string> } {
  const url = new URL(target.url);
  if (!url.username && !url.password) return { url: target.url, headers: target.headers };
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString(
    'base64',
  );
  url.username = '';
  url.password = '';
  const given = Object.keys(target.headers).some((name) => name.toLowerCase() === 'authorization');
  return { url: url.href, headers: given ? target.headers : { ...target.headers, Authorization: `Basic ${basic}` } };
}

function expected(target: HttpTargetConfig, status: number): boolean {
  return target.expectStatus.length ? target.expectStatus.includes(status) : status >= 200 && status < 300;
}

// fetch says only "fetch failed"; the reason is in its cause.
function requestFailure(target: HttpTargetConfig, error: unknown, signal: AbortSignal): Error {
  const cause = isErrorLike(error) ? (error.cause as unknown) : undefined;
  const where = `${target.method} ${redactUrl(target.url)}`;
  if (error instanceof RedirectError) return new Error(`${where}: ${error.message}`);
  if (signal.aborted)
    return new Error(`${where}: no answer in time (${(signal.reason as Error)?.message ?? 'aborted'})`, {
      cause: error,
    });
  const message = isErrorLike(cause) ? cause.message : isErrorLike(error) ? error.message : String(error);
  const code = (cause as { code?: string } | undefined)?.code;
  // The cause is not kept: fetch's own messages repeat the URL, credentials and all.
  return new Error(`${where}: ${redactUrls(message)}${code && !message.includes(code) ? ` (${code})` : ''}`);
}
