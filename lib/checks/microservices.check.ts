import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { abortable } from '../common/abort.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
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
@Injectable()
export class MicroservicesCheck implements WatchmanMultiCheckable {
  private found?: Map<string, ClientProxyLike>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** Whether the app registered any client (the check then runs by default). */
  hasClients(): boolean {
    return this.clients().size > 0;
  }

  aliases(): string[] {
    return this.config.microservices ?? [...this.clients().keys()];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const timeoutMs = this.config.checkOptions.get('microservices')?.timeout ?? this.config.checkTimeout;
    const client = this.clients().get(alias);
    if (!client) throw new Error(`no microservices client named ${JSON.stringify(alias)}`);
    const transport = transportOf(client);
    if (transport === 'other') {
      // No known round trip: the client's own connect() is the best evidence there is.
      await abortable(client.connect(), signal);
      return { transport };
    }
    return { transport, ...(await PROBES[transport](client, signal, timeoutMs)) };
  }

  private clients(): Map<string, ClientProxyLike> {
    this.found ??= discoveredProviders(this.discovery, isClientProxy, clientName);
    return this.found;
  }
}
