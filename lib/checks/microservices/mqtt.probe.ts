import { randomUUID } from 'node:crypto';
import { type ClientProxyLike, loadOptional } from './client-proxy.like.js';

interface MqttClientLike {
  connected: boolean;
  sendPing(): void;
  on(event: string, listener: (arg: never) => void): unknown;
  off(event: string, listener: (arg: never) => void): unknown;
  end(force?: boolean): unknown;
}

/**
 * MQTT transport: a PINGREQ answered by the broker's PINGRESP (no message is published, so no
 * subscriber of the app sees anything): on the app's connection when it is up, else on a
 * connection of the probe's own (the client's URL and options, no reconnect), ended when the
 * probe ends.
 */
export async function probeMqttClient(
  client: ClientProxyLike,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const own = (client as { mqttClient?: MqttClientLike | null }).mqttClient;
  if (own?.connected) {
    await ping(own, signal);
    return { connection: 'app' };
  }
  const mqtt = await loadOptional(
    'mqtt',
    () => import('mqtt' as string) as Promise<{ connect(url: string, options: unknown): MqttClientLike }>,
  );
  const url = ((client as { url?: string }).url ?? client.options?.url ?? 'mqtt://localhost:1883') as string;
  const probe = mqtt.connect(url, {
    ...client.options,
    clientId: `watchman-${randomUUID()}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  });
  try {
    await waitFor(probe, 'connect', signal);
    await ping(probe, signal);
    return { connection: 'probe' };
  } finally {
    probe.end(true);
  }
}

function ping(client: MqttClientLike, signal: AbortSignal): Promise<void> {
  const answered = waitFor(client, 'packetreceive', signal, (packet: { cmd?: string }) => packet.cmd === 'pingresp');
  client.sendPing();
  return answered;
}

// Resolves on the event (that passes `accept`), rejects on 'error' / 'close' or the signal.
function waitFor(
  client: MqttClientLike,
  event: string,
  signal: AbortSignal,
  accept: (arg: never) => boolean = () => true,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
      client.off(event, onEvent);
      client.off('error', onError);
      client.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onEvent = (arg: never) => accept(arg) && done();
    const onError = (error: never) => done(error);
    const onClose = () => done(new Error('the MQTT connection closed'));
    const onAbort = () => done(signal.reason);
    if (signal.aborted) return onAbort();
    client.on(event, onEvent);
    client.on('error', onError);
    client.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
