import type { ServerResponse } from 'node:http';
import type { WatchmanResponse } from '../formats/watchman-response.js';

interface FastifyReplyLike {
  status(code: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(body: string): unknown;
}

/**
 * Writes an answer as is. On Express the Node response is written directly: `res.send()`
 * would add an ETag and answer a conditional request 304 (terminus #2328), and a status must
 * never be served stale.
 */
export function writeResponse(adapterType: string, response: unknown, answer: WatchmanResponse): void {
  if (adapterType === 'fastify') {
    (response as FastifyReplyLike).status(answer.status).headers(answer.headers).send(answer.body);
    return;
  }
  writeNodeResponse(response as ServerResponse, answer);
}

/** Writes an answer on a plain Node response (Express's, the probe port's, the request gate's). */
export function writeNodeResponse(res: ServerResponse, answer: WatchmanResponse): void {
  res.statusCode = answer.status;
  res.removeHeader('ETag');
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(answer.body));
  res.end(answer.body); // Node drops the body of a HEAD response by itself
}
