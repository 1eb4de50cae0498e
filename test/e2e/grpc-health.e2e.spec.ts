import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { WatchmanCheck, WatchmanModule, type WatchmanModuleOptions, WatchmanRunner } from 'nestjs-watchman';
import { WatchmanGrpcHealth } from '../../lib/grpc/grpc-health.server.js';
import { PassingCheck, RunCounter } from '../fixtures/checks.js';
import { bootContextInChild } from '../support/child-context.js';
import { using } from '../support/http-app.js';
import { ROOT } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

// SPEC "Probes without HTTP": grpc.health.v1.Health, probed with the client of grpc-node's own
// grpc-health-check package (its service definition, not watchman's proto).

@WatchmanCheck('toggle')
@Injectable()
class ToggleCheck {
  static down = false;
  static counter = new RunCounter();
  check() {
    ToggleCheck.counter.runs += 1;
    if (ToggleCheck.down) throw new Error('toggled down');
  }
}

@WatchmanCheck('optional', { critical: false })
@Injectable()
class OptionalDown {
  check() {
    throw new Error('optional is down');
  }
}

const HealthClient = grpc.makeGenericClientConstructor(healthService as never, 'Health') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => grpc.Client & {
  Check(
    request: { service: string },
    callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
  ): void;
  Watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
  List(
    request: object,
    callback: (error: grpc.ServiceError | null, response?: { statuses: Record<string, { status: string }> }) => void,
  ): void;
};

async function boot(options: WatchmanModuleOptions = {}) {
  @Module({
    imports: [
      WatchmanModule.forRoot({
        mediaRoot: tempDir(),
        checks: ['passing', 'toggle', 'optional'],
        liveChecks: ['passing'],
        grpc: { port: 0, host: '127.0.0.1' },
        openRouteTtl: 0,
        ...options,
      }),
    ],
    providers: [PassingCheck, ToggleCheck, OptionalDown],
  })
  class GrpcApp {}
  const app = await NestFactory.createApplicationContext(GrpcApp, { logger: false });
  const client = new HealthClient(`127.0.0.1:${app.get(WatchmanGrpcHealth).port}`, grpc.credentials.createInsecure());
  const close = async () => {
    client.close();
    await app.close();
  };
  return { app, client, runner: app.get(WatchmanRunner), close };
}

/** A Watch stream that pushes each status to `seen` (its errors, e.g. on cancel(), ignored). */
const watch = (client: InstanceType<typeof HealthClient>, service: string, seen: string[]) => {
  const stream = client.Watch({ service });
  stream.on('data', ({ status }) => seen.push(status));
  stream.on('error', () => undefined);
  return stream;
};

const check = (client: InstanceType<typeof HealthClient>, service: string) =>
  new Promise<string>((resolve) =>
    client.Check({ service }, (error, response) => resolve(error ? `error ${error.code}` : (response?.status ?? ''))),
  );

describe('gRPC health', () => {
  beforeEach(() => (ToggleCheck.down = false));

  it('answers Check for the probes and for each check, non-critical failures still serving; NOT_FOUND for others', async () => {
    await using(boot(), async ({ client }) => {
      for (const service of ['', 'readiness', 'liveness', 'startup', 'passing', 'toggle'])
        expect([service, await check(client, service)]).toEqual([service, 'SERVING']);
      expect(await check(client, 'optional')).toBe('SERVING'); // a warning serves
      expect(await check(client, 'databses')).toBe(`error ${grpc.status.NOT_FOUND}`);
      ToggleCheck.down = true;
      expect(await check(client, 'readiness')).toBe('NOT_SERVING');
      expect(await check(client, 'toggle')).toBe('NOT_SERVING');
      expect(await check(client, 'liveness')).toBe('SERVING');
      const list = await new Promise<Record<string, { status: string }>>((resolve, reject) =>
        client.List({}, (error, response) => (error ? reject(error) : resolve(response?.statuses ?? {}))),
      );
      expect(list).toMatchObject({
        '': { status: 'NOT_SERVING' },
        liveness: { status: 'SERVING' },
        readiness: { status: 'NOT_SERVING' },
        toggle: { status: 'NOT_SERVING' },
        passing: { status: 'SERVING' },
      });
    });
  });

  it('Watch: the status at once, one message per flip fed by the runs, SERVICE_UNKNOWN for an unknown name', async () => {
    await using(boot(), async ({ client, runner }) => {
      const seen: string[] = [];
      const unknown: string[] = [];
      const stream = watch(client, 'readiness', seen);
      const other = watch(client, 'nope', unknown);
      // The streams end before the client and the app do.
      await using({ close: async () => [stream, other].forEach((watch) => watch.cancel()) }, async () => {
        await until(
          () => seen.length,
          (n) => n >= 1,
        );
        for (let i = 0; i < 3; i += 1) await runner.run(); // runs that change nothing send nothing
        ToggleCheck.down = true;
        await runner.run();
        await until(
          () => seen.length,
          (n) => n >= 2,
        );
        await runner.run();
        ToggleCheck.down = false;
        await runner.run();
        await until(
          () => seen.length,
          (n) => n >= 3,
        );
        expect(seen).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);
        expect(unknown).toEqual(['SERVICE_UNKNOWN']);
      });
    });
  });

  it('1,000 open Watch streams cost no check run of their own', async () => {
    await using(boot(), async ({ client, runner }) => {
      const streams = Array.from({ length: 1000 }, () => client.Watch({ service: 'readiness' }));
      const first = streams.map(
        (stream) =>
          new Promise<string>((resolve) => {
            stream.once('data', ({ status }) => resolve(status));
            stream.on('error', () => undefined);
          }),
      );
      await using({ close: async () => streams.forEach((stream) => stream.cancel()) }, async () => {
        const before = ToggleCheck.counter.runs;
        const statuses = await Promise.all(first);
        expect(new Set(statuses)).toEqual(new Set(['SERVING']));
        const opening = ToggleCheck.counter.runs - before;
        // Then one run, flipping the state: every stream hears of it, no stream runs anything.
        ToggleCheck.down = true;
        const flipped = streams.map(
          (stream) => new Promise<string>((resolve) => stream.once('data', ({ status }) => resolve(status))),
        );
        const runs = ToggleCheck.counter.runs;
        await runner.run();
        expect(new Set(await Promise.all(flipped))).toEqual(new Set(['NOT_SERVING']));
        expect(ToggleCheck.counter.runs - runs).toBe(1);
        console.log(
          `1,000 Watch streams: ${opening} check run(s) to open them all, 1 run (the flip) for all 1,000 updates`,
        );
        expect(opening).toBeLessThanOrEqual(3);
      });
    });
  }, 60_000);

  it('turns every service but liveness NOT_SERVING from the first shutdown hook, then closes', async () => {
    const { app, client } = await boot({ shutdownDelay: 400 });
    const ready: string[] = [];
    const live: string[] = [];
    watch(client, 'readiness', ready);
    watch(client, 'liveness', live);
    // The test closes the app itself (that is what it watches); only the client is left to close.
    await using({ close: async () => client.close() }, async () => {
      await until(
        () => ready.length + live.length,
        (n) => n >= 2,
      );
      const closing = app.close();
      await until(
        () => ready.length,
        (n) => n >= 2,
      );
      expect(await check(client, 'liveness')).toBe('SERVING');
      expect(await check(client, 'passing')).toBe('NOT_SERVING');
      await closing;
      expect(ready).toEqual(['SERVING', 'NOT_SERVING']);
      expect(live).toEqual(['SERVING']);
    });
  });
});

describe('gRPC health without its optional peers', () => {
  it('stops start-up with an error naming @grpc/grpc-js and @grpc/proto-loader', async () => {
    const run = await bootContextInChild(
      { grpc: { port: 0, host: '127.0.0.1' }, checks: ['storage'] },
      { imports: [join(ROOT, 'test/support/hide-grpc.mjs')] },
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /grpc\.port \(WATCHMAN_GRPC_PORT\) needs @grpc\/grpc-js and @grpc\/proto-loader: npm install @grpc\/grpc-js @grpc\/proto-loader/,
    );
  }, 30_000);
});
