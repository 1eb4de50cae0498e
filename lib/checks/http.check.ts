import { isErrorLike } from '../common/error-like.js';
import { deadline as withDeadline } from '../common/race.js';
import { redactUrls } from '../common/redact.js';
import type { HttpTargetConfig } from '../options/option-schemas.js';
import type { WatchmanMultiCheckable } from './check.interface.js';

/**
 * `http`: one request per configured target (`http: { name: url | { url, method,
 * expectStatus, headers, timeout } }`), cancelled by the check's signal; reports the status
 * and the latency. A redirect loop, a TLS error, a refused port, a hung server and an
 * unexpected status each fail with a message that says which.
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
      response = await fetch(url, { method: target.method, headers, redirect: 'follow', signal: deadline.signal });
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
      throw new Error(`${target.method} ${redactUrls(target.url)} answered ${response.status}, expected ${wanted}`);
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
  const where = `${target.method} ${redactUrls(target.url)}`;
  if (signal.aborted)
    return new Error(`${where}: no answer in time (${(signal.reason as Error)?.message ?? 'aborted'})`, {
      cause: error,
    });
  const message = isErrorLike(cause) ? cause.message : isErrorLike(error) ? error.message : String(error);
  const code = (cause as { code?: string } | undefined)?.code;
  const reason = /redirect count exceeded/i.test(message) ? 'too many redirects (a redirect loop?)' : message;
  // The cause is not kept: fetch's own messages repeat the URL, credentials and all.
  return new Error(redactUrls(`${where}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`));
}
