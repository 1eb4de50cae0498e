import { createServer } from 'node:net';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WatchmanModule } from 'nestjs-watchman';
import { WatchmanGrpcHealth } from '../../lib/grpc/grpc-health.server.js';
import { FailingCheck, PassingCheck } from '../fixtures/checks.js';
import { faultProxy } from '../support/fault-proxy.mjs';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { describeIf, needsService } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { ROOT, runNode, startSampleApp } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

// `nestjs-watchman probe`: a HEALTHCHECK client for images without curl. It asks the running
// app and never boots it.
const BIN = join(ROOT, 'dist/cli/bin.js');
const TOKEN = 'probe-client-token';
const probe = (args: string[], env: Record<string, string> = {}) => runNode([BIN, 'probe', ...args], env);

const watchman = (checks: string[]) => ({
  imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks })],
  providers: [PassingCheck, FailingCheck],
});

describe.each(ADAPTERS)('nestjs-watchman probe against an app on %s', (adapter) => {
  it('exits 0 for a healthy app, by URL, by route name on PORT, and with a token for a protected route', async () => {
    await using(startHttpApp(watchman(['passing']), adapter), async ({ url }) => {
      const port = new URL(url).port;
      expect((await probe([`${url}/watchman/ready`])).code).toBe(0);
      expect((await probe([], { PORT: port })).code).toBe(0); // default: /watchman/ready on PORT
      expect((await probe(['live'], { WATCHMAN_PROBE_PORT: port })).code).toBe(0);
      expect((await probe(['ready/passing'], { PORT: port })).code).toBe(0);
      const refused = await probe([`${url}/watchman`]);
      expect([refused.code, refused.stderr.trim()]).toEqual([1, `nestjs-watchman probe: ${url}/watchman answered 403`]);
      expect((await probe([`${url}/watchman`, '--token', TOKEN])).code).toBe(0);
      expect((await probe([`${url}/watchman`], { WATCHMAN_PROBE_TOKEN: TOKEN })).code).toBe(0);
    });
  });

  it('exits 1 for a failing app, saying so on one line', async () => {
    await using(startHttpApp(watchman(['passing', 'failing']), adapter), async ({ url }) => {
      const run = await probe([`${url}/watchman/ready`]);
      expect([run.code, run.stderr]).toEqual([1, `nestjs-watchman probe: ${url}/watchman/ready answered 503\n`]);
    });
  });
});

describe('nestjs-watchman probe without an answer', () => {
  it('exits 1 on a closed port and on a hung server, saying which', async () => {
    const port = await closedPort();
    const refused = await probe([`http://127.0.0.1:${port}/watchman/ready`]);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      `nestjs-watchman probe: http://127.0.0.1:${port}/watchman/ready: connection refused\n`,
    ]);
    const hung = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungPort = (hung.address() as { port: number }).port;
    // Not awaited, as before: the hung server's close waits for no connection.
    await using({ close: async () => void hung.close() }, async () => {
      const run = await probe([`http://127.0.0.1:${hungPort}/watchman/ready`, '--timeout', '300']);
      expect([run.code, run.stderr]).toEqual([
        1,
        `nestjs-watchman probe: http://127.0.0.1:${hungPort}/watchman/ready did not answer within 300 ms\n`,
      ]);
    });
  });

  it.each([
    [['--timeout', '0']],
    [['--timeout', 'soon']],
    [['--bogus']],
    [['a', 'b']],
    [['not a route']],
    [['--grpc', 'nohost']],
  ])('exits 2 on bad usage %j', async (args) => {
    const run = await probe(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nestjs-watchman probe: /);
  });

  it('never repeats a token from the URL', async () => {
    const port = await closedPort();
    const run = await probe([`http://127.0.0.1:${port}/watchman?watchman-token=${TOKEN}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain(TOKEN);
  });
});

describe('nestjs-watchman probe --grpc', () => {
  it('exits 0 when the gRPC health service is SERVING, 1 when not or unknown', async () => {
    @Module({
      imports: [
        WatchmanModule.forRoot({
          mediaRoot: tempDir(),
          checks: ['passing', 'failing'],
          readyChecks: ['passing'],
          grpc: { port: 0, host: '127.0.0.1' },
        }),
      ],
      providers: [PassingCheck, FailingCheck],
    })
    class GrpcApp {}
    await using(NestFactory.createApplicationContext(GrpcApp, { logger: false }), async (app) => {
      const target = `127.0.0.1:${app.get(WatchmanGrpcHealth).port}`;
      expect((await probe(['--grpc', target])).code).toBe(0);
      expect((await probe(['--grpc', target, '--service', 'liveness'])).code).toBe(0);
      const failing = await probe(['--grpc', target, '--service', 'failing']);
      expect([failing.code, failing.stderr]).toEqual([
        1,
        `nestjs-watchman probe: ${target} service "failing": NOT_SERVING\n`,
      ]);
      expect((await probe(['--grpc', target, '--service', 'nope'])).code).toBe(1);
    });
  });
});

const describePg = describeIf(await needsService('PostgreSQL', 5432));

describePg('the probe client and the database', () => {
  it('opens no database connection, where each run of the checks CLI boots the app and opens its own', async () => {
    await using(faultProxy(5432), async (proxy) => {
      const app = await startSampleApp({ DATABASE_URL_PG: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
      await using({ close: () => app.stop('SIGTERM') }, async () => {
        const port = new URL(app.url).port;
        const before = proxy.accepted;
        for (let i = 0; i < 20; i += 1) expect((await probe(['ready'], { PORT: port })).code).toBe(0);
        const byProbe = proxy.accepted - before;
        const fixture = `${join(ROOT, 'test/fixtures/dist/cli-app/app.module.js')}#AppModule`;
        const beforeCli = proxy.accepted;
        for (let i = 0; i < 3; i += 1) {
          const run = await runNode([BIN, '--module', fixture], {
            CLI_PG_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
          });
          expect(run.code).toBe(0);
        }
        const byCli = proxy.accepted - beforeCli;
        console.log(
          `PostgreSQL connections: 20 probe-client runs opened ${byProbe}; 3 runs of the checks CLI opened ${byCli}`,
        );
        expect(byProbe).toBe(0);
        expect(byCli).toBeGreaterThanOrEqual(3);
      });
    });
  }, 120_000);
});
