import { Inject, Injectable } from '@nestjs/common';
import { isErrorLike } from '../common/error-like.js';
import { redactUrls } from '../common/redact.js';
import type { HttpTargetConfig, WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanMultiCheckable } from './check.interface.js';

/**
 * `http`: one request per configured target (`http: { name: url | { url, method,
 * expectStatus, headers, timeout } }`), cancelled by the check's signal; reports the status
 * and the latency. A redirect loop, a TLS error, a refused port, a hung server and an
 * unexpected status each fail with a message that says which.
 */
@Injectable()
export class HttpCheck implements WatchmanMultiCheckable {
  constructor(@Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig) {}

  aliases(): string[] {
    return [...this.config.http.keys()];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const target = this.config.http.get(alias);
    if (!target) throw new Error(`no http check named ${JSON.stringify(alias)}`);
    const signals = target.timeout ? AbortSignal.any([signal, AbortSignal.timeout(target.timeout)]) : signal;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: target.method,
        headers: target.headers,
        redirect: 'follow',
        signal: signals,
      });
    } catch (error) {
      throw requestFailure(target, error, signals);
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
  return new Error(`${where}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`, { cause: error });
}
