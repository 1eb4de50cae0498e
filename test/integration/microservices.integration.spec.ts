import { type AddressInfo, createServer } from 'node:net';
import { Inject, Injectable, Module } from '@nestjs/common';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { createClient } from '@keyv/redis';
import { connect as natsConnect } from '@nats-io/transport-node';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import type { WatchmanModuleOptions } from 'nestjs-watchman';
import { faultProxy } from '../support/fault-proxy.mjs';
import { closedPort, hungServer } from '../support/services.js';
import { describeWithServices } from '../support/requirements.js';
import { redisConnections } from '../support/server-connections.js';
import { connectionsTo, localPortsTo, rabbitConnections, rabbitQueues } from '../support/socket-count.js';
import { using } from '../support/http-app.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// The microservices check against the machine's real Redis, NATS, RabbitMQ and Mosquitto.

const PORTS = { redis: 6379, nats: 4222, rmq: 5672, mqtt: 1883 } as const;
const describeBrokers = await describeWithServices({
  Redis: PORTS.redis,
  NATS: PORTS.nats,
  RabbitMQ: PORTS.rmq,
  Mosquitto: PORTS.mqtt,
});

const QUEUE = 'watchman_test_app_queue';

type Ports = { redis: number; nats: number; rmq: number; mqtt: number };

function clients(ports: Ports) {
  return ClientsModule.register([
    { name: 'cache_bus', transport: Transport.REDIS, options: { host: '127.0.0.1', port: ports.redis } },
    { name: 'orders', transport: Transport.NATS, options: { servers: [`nats://127.0.0.1:${ports.nats}`] } },
    {
      name: 'billing',
      transport: Transport.RMQ,
      options: { urls: [`amqp://guest:guest@127.0.0.1:${ports.rmq}`], queue: QUEUE },
    },
    { name: 'devices', transport: Transport.MQTT, options: { url: `mqtt://127.0.0.1:${ports.mqtt}` } },
  ]);
}

/**
 * An app with the four clients on these ports, booted: `results()` runs the microservices check
 * (outcome per client), `client(name)` is the app's own ClientProxy; `afterClose` runs once it closed.
 */
async function bootBrokers(ports: Ports, options: WatchmanModuleOptions = {}, afterClose: () => unknown = () => {}) {
  const booted = await watchmanApp({ checkTimeout: 1500, ...options })
    .imports(clients(ports))
    .afterClose(afterClose)
    .boot();
  const results = async () => {
    const report = await booted.runner.run({ check: ['microservices'] });
    return Object.fromEntries((report.checks[0]?.aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
  };
  return Object.assign(booted, { results, client: (name: string) => booted.app.get<ClientProxy>(name) });
}

describeBrokers('microservices check on real brokers', () => {
  const real: Ports = { redis: PORTS.redis, nats: PORTS.nats, rmq: PORTS.rmq, mqtt: PORTS.mqtt };

  it('finds every client by itself, on by default, one alias per name, each with a real round trip', async () => {
    await using(bootBrokers(real), async ({ runner, results }) => {
      expect(runner.configuredChecks()).toContain('microservices');
      const outcomes = await results();
      expect(Object.keys(outcomes)).toEqual(['billing', 'cache_bus', 'devices', 'orders']);
      for (const outcome of Object.values(outcomes)) expect(outcome).toMatchObject({ ok: true });
      expect(outcomes.cache_bus.details).toMatchObject({ transport: 'redis', pong: 'PONG', connection: 'probe' });
      expect(outcomes.orders.details).toMatchObject({
        transport: 'nats',
        rtt_ms: expect.any(Number),
        connection: 'probe',
      });
      expect(outcomes.billing.details).toMatchObject({ transport: 'rmq', connection: 'probe' });
      expect(outcomes.devices.details).toMatchObject({ transport: 'mqtt', connection: 'probe' });
    });
  });

  it('asks a connected client on its own connection, and runs only the microservices subset', async () => {
    await using(bootBrokers(real, { microservices: ['orders', 'devices'] }), async ({ results, client }) => {
      await client('orders').connect();
      await client('devices').connect();
      const outcomes = await results();
      expect(Object.keys(outcomes)).toEqual(['devices', 'orders']);
      expect(outcomes.orders.details).toMatchObject({ connection: 'app' });
      expect(outcomes.devices.details).toMatchObject({ connection: 'app' });
    });
  });

  it('is not a default check when the app has no client', async () => {
    await using(watchmanApp().boot(), async ({ runner }) => {
      expect(runner.configuredChecks()).not.toContain('microservices');
    });
  });

  it('never sends anything the app could see: no Redis, NATS or MQTT message, nothing on the app’s queue, no new queue', async () => {
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    const redisMessages: string[] = [];
    await redis.pSubscribe('*', (message) => redisMessages.push(message));
    const nats = await natsConnect({ servers: 'nats://127.0.0.1:4222' });
    const natsMessages: string[] = [];
    const subscription = nats.subscribe('>', {
      // `after_hang…` is what the app itself sends in another test (of this run or one beside it).
      callback: (_error, message) =>
        void (message.subject.startsWith('after_hang') || natsMessages.push(message.subject)),
    });
    const mqttClient = mqtt.connect('mqtt://127.0.0.1:1883');
    const mqttMessages: string[] = [];
    await new Promise<void>((resolve) =>
      mqttClient.on('connect', () => mqttClient.subscribe(['#', '$watchman/#'], () => resolve())),
    );
    mqttClient.on('message', (topic) => mqttMessages.push(topic));
    const queuesBefore = rabbitQueues();
    const cleanup = async () => {
      subscription.unsubscribe();
      await nats.close();
      redis.destroy();
      mqttClient.end(true);
    };
    await using(bootBrokers(real, {}, cleanup), async ({ results, client }) => {
      for (let i = 0; i < 10; i++) expect(Object.values(await results()).every((outcome) => outcome.ok)).toBe(true);
      await Promise.all(['orders', 'devices', 'cache_bus', 'billing'].map((name) => client(name).connect()));
      for (let i = 0; i < 10; i++) expect(Object.values(await results()).every((outcome) => outcome.ok)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(redisMessages).toEqual([]);
      expect(natsMessages).toEqual([]);
      expect(mqttMessages).toEqual([]);
      const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      const channel = await connection.createChannel();
      expect((await channel.checkQueue(QUEUE)).messageCount).toBe(0);
      await connection.close();
      // The app's own client declared its queue when it connected; watchman added none.
      expect(rabbitQueues().filter((name) => !queuesBefore.includes(name) && name !== QUEUE)).toEqual([]);
    });
  }, 60_000);

  it('reports a hung broker in time on every transport', async () => {
    await using(hungServer(), async (hung) => {
      const ports = { redis: hung.port, nats: hung.port, rmq: hung.port, mqtt: hung.port };
      await using(bootBrokers(ports, { checkTimeout: 700 }), async ({ results }) => {
        const outcomes = await results();
        for (const name of ['billing', 'cache_bus', 'devices', 'orders']) {
          expect(outcomes[name]).toMatchObject({ ok: false });
          expect(outcomes[name].error).toMatch(/timed out after 700 ms|timeout|ETIMEDOUT|Timeout/i);
        }
      });
    });
  }, 30_000);

  it('leaves the app’s clients usable: after a broker hang, the app still sends and the check is ok again', async () => {
    const proxies = {
      redis: await faultProxy(PORTS.redis),
      nats: await faultProxy(PORTS.nats),
      rmq: await faultProxy(PORTS.rmq),
      mqtt: await faultProxy(PORTS.mqtt),
    };
    const ports = {
      redis: proxies.redis.port,
      nats: proxies.nats.port,
      rmq: proxies.rmq.port,
      mqtt: proxies.mqtt.port,
    };
    const received: string[] = [];
    const nats = await natsConnect({ servers: 'nats://127.0.0.1:4222' });
    const subject = `after_hang_${process.pid}`;
    nats.subscribe(subject, { callback: () => void received.push('nats') });
    const cleanup = async () => {
      await nats.close();
      await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
    };
    await using(bootBrokers(ports, { checkTimeout: 600 }, cleanup), async ({ results, client }) => {
      await Promise.all(['orders', 'devices', 'cache_bus', 'billing'].map((name) => client(name).connect()));
      expect(Object.values(await results()).every((outcome) => outcome.ok)).toBe(true);
      await Promise.all(Object.values(proxies).map((proxy) => proxy.set('pause')));
      const during = await results();
      expect(Object.values(during).every((outcome) => !outcome.ok)).toBe(true);
      await Promise.all(Object.values(proxies).map((proxy) => proxy.set('pass')));
      // The app's NATS client delivers, and every client checks ok again without a restart.
      await new Promise<void>((resolve, reject) =>
        client('orders').emit(subject, { n: 1 }).subscribe({ complete: resolve, error: reject }),
      );
      await nats.flush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toEqual(['nats']);
      const outcomes = await until(results, (now) => Object.values(now).every((outcome) => outcome.ok), {
        limitMs: 5000,
        everyMs: 250,
      });
      expect(Object.fromEntries(Object.entries(outcomes).map(([name, outcome]) => [name, outcome.ok]))).toEqual({
        billing: true,
        cache_bus: true,
        devices: true,
        orders: true,
      });
    });
  }, 60_000);

  it('leaves no connection behind: the same counts on every broker before and after 1,000 runs (and 100 with probe connections)', async () => {
    const count = () => ({
      redis: connectionsTo(PORTS.redis),
      nats: connectionsTo(PORTS.nats),
      rmq: connectionsTo(PORTS.rmq),
      mqtt: connectionsTo(PORTS.mqtt),
    });
    await using(bootBrokers(real), async ({ results, client }) => {
      for (let i = 0; i < 100; i++) await results();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const unconnected = count();
      expect(unconnected).toEqual({ redis: 0, nats: 0, rmq: 0, mqtt: 0 }); // probe connections all closed
      await Promise.all(['orders', 'devices', 'cache_bus', 'billing'].map((name) => client(name).connect()));
      await results();
      const before = count();
      const rabbitBefore = rabbitConnections();
      const redisBefore = await redisConnections(localPortsTo(PORTS.redis));
      for (let i = 0; i < 1000; i++) {
        const outcomes = await results();
        if (!Object.values(outcomes).every((outcome) => outcome.ok))
          throw new Error(`run ${i}: ${JSON.stringify(outcomes)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(count()).toEqual(before);
      expect(rabbitConnections()).toBe(rabbitBefore);
      const redisAfter = await redisConnections(localPortsTo(PORTS.redis));
      expect(redisAfter).toBe(redisBefore);
      console.log(
        `microservices connections before/after 1,000 runs: ${JSON.stringify(before)} / ${JSON.stringify(count())}; RabbitMQ (rabbitmqctl) ${rabbitBefore} / ${rabbitConnections()}; Redis (CLIENT LIST) ${redisBefore} / ${redisAfter}`,
      );
    });
  }, 120_000);
});

describe('microservices check on the TCP transport', () => {
  it('connects to a listening server, reports a closed one', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = (server.address() as AddressInfo).port;
    const closed = await closedPort();
    const tcpClients = ClientsModule.register([
      { name: 'tcp_up', transport: Transport.TCP, options: { host: '127.0.0.1', port: open } },
      { name: 'tcp_down', transport: Transport.TCP, options: { host: '127.0.0.1', port: closed } },
    ]);
    const setup = watchmanApp({ checks: ['microservices'] })
      .imports(tcpClients)
      .afterClose(() => new Promise((resolve) => server.close(resolve)));
    await using(setup.boot(), async ({ runner }) => {
      const report = await runner.run();
      const outcomes = Object.fromEntries(
        (report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]),
      );
      expect(outcomes.tcp_up).toMatchObject({ ok: true, details: { transport: 'tcp', connection: 'probe' } });
      expect(outcomes.tcp_down).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    });
  });
});

// A client provided by registerAsync and injected elsewhere is found the same way.
@Injectable()
class UsesClient {
  constructor(@Inject('async_orders') readonly client: ClientProxy) {}
}
@Module({
  imports: [
    ClientsModule.registerAsync([
      {
        name: 'async_orders',
        useFactory: () => ({ transport: Transport.NATS, options: { servers: ['nats://127.0.0.1:4222'] } }),
      },
    ]),
  ],
  providers: [UsesClient],
  exports: [UsesClient],
})
class OrdersModule {}

describeBrokers('microservices check with registerAsync', () => {
  it('finds a client registered with registerAsync in another module', async () => {
    await using(
      watchmanApp({ checks: ['microservices'] })
        .imports(OrdersModule)
        .boot(),
      async ({ runner }) => {
        const report = await runner.run();
        expect(report.checks[0].aliases?.map(({ alias, outcome }) => [alias, outcome.ok])).toEqual([
          ['async_orders', true],
        ]);
      },
    );
  });
});
