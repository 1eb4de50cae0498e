import { abortable } from '../../common/race.js';
import { type ClientProxyLike, loadOptional, releaseLate } from './client-proxy.like.js';

interface ChannelLike {
  checkExchange(name: string): Promise<unknown>;
  close(): Promise<void>;
}

interface AmqpConnectionLike {
  createChannel(): Promise<ChannelLike>;
  close(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * RabbitMQ transport: opens a channel of its own, declares the built-in `amq.direct`
 * exchange passively (a broker round trip that changes nothing and touches no app queue),
 * and closes the channel: on the app's connection when it is up, else on a connection of
 * the probe's own (the client's URLs), closed when the probe ends.
 */
export async function probeRmqClient(
  client: ClientProxyLike,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const manager = (client as { client?: { connection?: AmqpConnectionLike; isConnected?(): boolean } | null }).client;
  if (manager?.isConnected?.() && manager.connection) {
    await channelRoundTrip(manager.connection, signal);
    return { connection: 'app' };
  }
  const amqp = await loadOptional(
    'amqplib',
    () =>
      import('amqplib' as string) as Promise<{ connect(url: unknown, options: unknown): Promise<AmqpConnectionLike> }>,
  );
  const urls = (client.options?.urls as unknown[] | undefined) ?? ['amqp://localhost'];
  const connecting = amqp.connect(urls[0], { ...(client.options?.socketOptions as object), timeout: timeoutMs });
  let connection: AmqpConnectionLike | undefined;
  try {
    connection = await abortable(connecting, signal);
    connection.on?.('error', () => undefined);
    await channelRoundTrip(connection, signal);
    return { connection: 'probe' };
  } finally {
    if (connection) await connection.close().catch(() => undefined);
    else releaseLate(connecting, (late) => late.close());
  }
}

async function channelRoundTrip(connection: AmqpConnectionLike, signal: AbortSignal): Promise<void> {
  const opening = connection.createChannel();
  let channel: ChannelLike | undefined;
  try {
    channel = await abortable(opening, signal);
    await abortable(channel.checkExchange('amq.direct'), signal);
  } finally {
    if (channel) await channel.close().catch(() => undefined);
    else releaseLate(opening, (late) => late.close());
  }
}
