import type { DiscoveryService } from '@nestjs/core';
import { abortable } from '../common/race.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { discoveredProviders } from './discovered-providers.js';
import {
  type ClientProxyLike,
  type TransportName,
  clientName,
  isClientProxy,
  transportOf,
} from './microservices/client-proxy.like.js';
import { probeMqttClient } from './microservices/mqtt.probe.js';
import { probeNatsClient } from './microservices/nats.probe.js';
import { probeRedisClient } from './microservices/redis.probe.js';
import { probeRmqClient } from './microservices/rmq.probe.js';
import { probeTcpClient } from './microservices/tcp.probe.js';

type Probe = (client: ClientProxyLike, signal: AbortSignal, timeoutMs: number) => Promise<Record<string, unknown>>;

const PROBES: Record<Exclude<TransportName, 'other'>, Probe> = {
  redis: probeRedisClient,
  nats: probeNatsClient,
  rmq: probeRmqClient,
  mqtt: probeMqttClient,
  tcp: probeTcpClient,
};

/**
 * `microservices`: every `@nestjs/microservices` ClientProxy the app registered (any name,
 * `ClientsModule.register` or `registerAsync`), one alias per client, each with a real round
 * trip to its broker that sends no message the app could see.
 */
/** The `microservices` check's own settings. */
export interface MicroservicesCheckSettings {
  /** The subset to check (WATCHMAN_MICROSERVICES); every client by default. */
  names?: readonly string[];
  /** The check's timeout, which the probes' own connect timeouts follow. */
  timeout: number;
}

export class MicroservicesCheck implements WatchmanMultiCheckable {
  private found?: Map<string, ClientProxyLike>;

  constructor(
    private readonly settings: MicroservicesCheckSettings,
    private readonly discovery: DiscoveryService,
  ) {}

  /** Whether the app registered any client (the check then runs by default). */
  hasClients(): boolean {
    return this.clients().size > 0;
  }

  aliases(): string[] {
    return [...(this.settings.names ?? this.clients().keys())];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const client = this.clients().get(alias);
    if (!client) throw new Error(`no microservices client named ${JSON.stringify(alias)}`);
    const transport = transportOf(client);
    if (transport === 'other') {
      // No known round trip: the client's own connect() is the best evidence there is.
      await abortable(client.connect(), signal);
      return { transport };
    }
    return { transport, ...(await PROBES[transport](client, signal, this.settings.timeout)) };
  }

  private clients(): Map<string, ClientProxyLike> {
    this.found ??= discoveredProviders(this.discovery, isClientProxy, clientName);
    return this.found;
  }
}
