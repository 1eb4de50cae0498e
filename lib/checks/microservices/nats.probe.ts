import { abortable } from '../../common/race.js';
import { type ClientProxyLike, loadOptional, releaseLate } from './client-proxy.like.js';

interface NatsConnectionLike {
  isClosed(): boolean;
  rtt(): Promise<number>;
  close(): Promise<void>;
}

type NatsConnect = (options: Record<string, unknown>) => Promise<NatsConnectionLike>;

/**
 * NATS transport: a server round trip (`rtt()`, a PING/PONG) on the app's connection when it
 * is up, else on a connection of the probe's own (the client's servers and options, no
 * reconnect, bounded by the timeout), closed when the probe ends.
 */
export async function probeNatsClient(
  client: ClientProxyLike,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const own = (client as { natsClient?: NatsConnectionLike | null }).natsClient;
  if (own && !own.isClosed()) return { rtt_ms: round(await abortable(own.rtt(), signal)), connection: 'app' };
  const { connect } = await loadOptional(
    '@nats-io/transport-node',
    () => import('@nats-io/transport-node' as string) as Promise<{ connect: NatsConnect }>,
  );
  const connecting = connect({
    servers: 'nats://localhost:4222',
    ...client.options,
    reconnect: false,
    maxReconnectAttempts: 0,
    timeout: timeoutMs,
    name: 'nestjs-watchman probe',
  });
  let connection: NatsConnectionLike | undefined;
  try {
    connection = await abortable(connecting, signal);
    return { rtt_ms: round(await abortable(connection.rtt(), signal)), connection: 'probe' };
  } finally {
    if (connection) await connection.close().catch(() => undefined);
    else releaseLate(connecting, (late) => late.close());
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
