import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { errorMessage } from '../common/error-like.js';
import { redactUrls } from '../common/redact.js';

/** One request of a publisher. */
export interface PublishRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: string;
  contentType?: string;
  /** The whole exchange (connect, answer, body) ends within this, or is cut. */
  timeoutMs: number;
  /** Cuts the request at once (shutdown). */
  signal?: AbortSignal;
}

/**
 * Where a publisher's endpoint is, as it may be logged: scheme, host and port only. A
 * webhook's or heartbeat's path is often its secret (`hc-ping.com/<uuid>`, Slack's
 * `/services/T…/B…/<token>`), as are its userinfo and query: none of them is ever shown.
 */
export function endpointOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * Sends one request on a connection of its own (no pool keeps a socket after it) and resolves
 * once a 2xx answer has been read; rejects on any other status, an error, the timeout or the
 * signal, destroying the socket. Credentials in the URL become a Basic `Authorization` header.
 * Messages name only the endpoint's origin.
 */
export function publishRequest(request: PublishRequest): Promise<number> {
  const { method, url, body, contentType, timeoutMs, signal } = request;
  const where = `${method} ${endpointOf(url)}`;
  return new Promise<number>((resolve, reject) => {
    let client: ClientRequest | undefined;
    let settled = false;
    const finish = (error: Error | undefined, status = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        client?.destroy();
        reject(new Error(`${where}: ${redactUrls(error.message)}`));
      } else resolve(status);
    };
    const onAbort = () => finish(new Error('cut short by the shutdown'));
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers: Record<string, string | number> = { 'User-Agent': 'nestjs-watchman' };
      if (body !== undefined) {
        headers['Content-Type'] = contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      client = send(target, { method, headers, agent: false }, (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        // The body is not needed, but it is read to the end so the exchange completes.
        response.resume();
        response.once('end', () =>
          finish(status >= 200 && status < 300 ? undefined : new Error(`answered ${status}`), status),
        );
        response.once('error', (error) => finish(error));
      });
      client.once('error', (error) => finish(new Error(errorMessage(error))));
      client.end(body);
    } catch (error) {
      finish(new Error(errorMessage(error)));
    }
  });
}
