import { abortable } from '../../common/race.js';
import { type ClientProxyLike, loadOptional } from './client-proxy.like.js';

interface IoRedisLike {
  status: string;
  connect(): Promise<unknown>;
  ping(): Promise<string>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

type IoRedisClass = new (options: Record<string, unknown>) => IoRedisLike;

/**
 * Redis transport: `PING` on the app's publisher connection when it is up, else on a
 * connection of the probe's own (the client's options, no retries, no offline queue),
 * disconnected when the probe ends. The app's client is never made to connect.
 */
export async function probeRedisClient(
  client: ClientProxyLike,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const pub = (client as { pubClient?: IoRedisLike | null }).pubClient;
  if (pub?.status === 'ready') return { pong: await abortable(pub.ping(), signal), connection: 'app' };
  const module = await loadOptional('ioredis', () => import('ioredis' as string));
  const Redis = ((module as { default?: IoRedisClass }).default ?? module) as IoRedisClass;
  const options =
    (client as { getClientOptions?(): Record<string, unknown> }).getClientOptions?.() ?? client.options ?? {};
  const probe = new Redis({
    host: 'localhost',
    port: 6379,
    ...options,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  let failure: Error | undefined;
  probe.on('error', (error) => (failure ??= error));
  try {
    await abortable(probe.connect(), signal);
    return { pong: await abortable(probe.ping(), signal), connection: 'probe' };
  } catch (error) {
    throw failure && !signal.aborted ? failure : error;
  } finally {
    probe.disconnect();
  }
}
