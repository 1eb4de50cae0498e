import { writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { type TestCertificates, makeCertificates } from '../support/certificates.js';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { closedPort, hungServer } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';
import { itWithTmpfs, withTmpfs } from '../support/tmpfs.js';
import { withEnv } from '../support/with-env.js';

// http, disk, memory and tls checks against local servers, a real tmpfs and real certificates.

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

async function statusOf(options: WatchmanModuleOptions, check: string): Promise<unknown> {
  return withApp(
    { imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: [check], ...options })] },
    'express',
    async (app) => {
      return (await request(app.url).get('/watchman')).body[check];
    },
  );
}

describe('http check', () => {
  let plain: number;
  let tls: number;
  let refused: number;
  let hung: Awaited<ReturnType<typeof hungServer>>;
  const seen: IncomingHttpHeaders[] = [];
  const servers: Server[] = [];
  let certificates: TestCertificates;

  beforeAll(async () => {
    certificates = makeCertificates();
    const http = createServer((req, res) => {
      seen.push({ ...req.headers, method: req.method, path: req.url });
      if (req.url === '/loop') return void res.writeHead(302, { Location: '/loop' }).end();
      if (req.url === '/to-ok') return void res.writeHead(301, { Location: '/ok' }).end();
      if (req.url === '/error') return void res.writeHead(500).end('no');
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(200).end('fine');
    });
    const https = createHttpsServer({ ...certificates.selfSigned }, (_req, res) => res.end('secure'));
    servers.push(http, https);
    plain = await listen(http);
    tls = await listen(https);
    refused = await closedPort();
    hung = await hungServer();
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await hung.close();
  });

  it.each(ADAPTERS)(
    'reports status and latency per alias, and each kind of failure with a clear message, on %s',
    async (adapter) => {
      const base = `http://127.0.0.1:${plain}`;
      await withApp(
        {
          imports: [
            WatchmanModule.forRoot({
              mediaRoot: tempDir(),
              checkTimeout: 1500,
              http: {
                ok: `${base}/ok`,
                redirected: `${base}/to-ok`,
                empty: { url: `${base}/empty`, method: 'HEAD', expectStatus: 204, headers: { 'X-Probe': 'watchman' } },
                error: `${base}/error`,
                loop: `${base}/loop`,
                tls: `https://127.0.0.1:${tls}/`,
                refused: `http://127.0.0.1:${refused}/`,
                hung: { url: `http://127.0.0.1:${hung.port}/`, timeout: 300 },
              },
            }),
          ],
        },
        adapter,
        async (app) => {
          const res = await request(app.url).get('/watchman?check=http').expect(500);
          const byAlias = Object.assign({}, ...res.body.http);
          expect(Object.keys(byAlias)).toEqual([
            'empty',
            'error',
            'hung',
            'loop',
            'ok',
            'redirected',
            'refused',
            'tls',
          ]);
          expect(byAlias.ok).toEqual({ ok: true, status: 200, latency_ms: expect.any(Number) });
          expect(byAlias.redirected).toEqual({ ok: true, status: 200, latency_ms: expect.any(Number) });
          expect(byAlias.empty).toEqual({ ok: true, status: 204, latency_ms: expect.any(Number) });
          expect(seen.find((headers) => headers.path === '/empty')).toMatchObject({
            method: 'HEAD',
            'x-probe': 'watchman',
          });
          expect(byAlias.error.error).toBe(`GET ${base}/error answered 500, expected a 2xx status`);
          expect(byAlias.loop.error).toMatch(/too many redirects \(a redirect loop\?\)/);
          expect(byAlias.tls.error).toMatch(/self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/i);
          expect(byAlias.refused.error).toMatch(/ECONNREFUSED/);
          expect(byAlias.hung.error).toMatch(/no answer in time/);
        },
      );
    },
  );

  it('reads WATCHMAN_HTTP_CHECKS and hides credentials in messages', async () => {
    await withEnv(
      { WATCHMAN_HTTP_CHECKS: JSON.stringify({ api: `http://user:hunter2@127.0.0.1:${plain}/error` }) },
      async () => {
        const result = (await statusOf({}, 'http')) as Array<Record<string, { error: string }>>;
        expect(result[0].api.error).toBe(
          `GET http://user:***@127.0.0.1:${plain}/error answered 500, expected a 2xx status`,
        );
        // fetch refuses credentials in a URL: they went as a Basic header.
        expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from('user:hunter2').toString('base64')}`);
      },
    );
  });
});

describe('disk check', () => {
  itWithTmpfs('disk check')('reports free space of a real tmpfs, and fails below minFree (bytes or %)', async () => {
    await withTmpfs('size=1m', async (dir) => {
      const empty = (await statusOf({ disk: { path: dir, minFree: '50%' } }, 'disk')) as Record<string, number>;
      expect(empty).toMatchObject({
        ok: true,
        path: dir,
        total_bytes: 1024 * 1024,
        free_bytes: expect.any(Number),
        free_percent: expect.any(Number),
      });
      expect(empty.free_percent).toBeGreaterThan(90);
      writeFileSync(join(dir, 'fill'), Buffer.alloc(800 * 1024));
      const full = (await statusOf({ disk: { path: dir, minFree: '50%' } }, 'disk')) as Record<string, unknown>;
      expect(full).toMatchObject({
        ok: false,
        error: expect.stringMatching(/bytes free on .* below the minimum of 50%/),
        free_percent: expect.any(Number),
      });
      expect((await statusOf({ disk: { path: dir, minFree: 512 * 1024 } }, 'disk')) as object).toMatchObject({
        ok: false,
      });
      expect((await statusOf({ disk: { path: dir, minFree: '100KiB' } }, 'disk')) as object).toMatchObject({
        ok: true,
      });
    });
  });

  it('fails with the OS error when the path does not exist', async () => {
    expect(await statusOf({ disk: { path: join(tempDir(), 'nope') } }, 'disk')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ENOENT/),
    });
  });
});

describe('memory check', () => {
  it('reports heap and RSS, and fails over the limits (bytes or % of the heap limit / memory limit)', async () => {
    const ok = (await statusOf({ memory: { maxHeapUsed: '100%', maxRss: '100%' } }, 'memory')) as Record<
      string,
      number
    >;
    expect(ok).toMatchObject({
      ok: true,
      heap_used_bytes: expect.any(Number),
      heap_limit_bytes: expect.any(Number),
      rss_bytes: expect.any(Number),
      memory_limit_bytes: expect.any(Number),
    });
    const over = (await statusOf({ memory: { maxHeapUsed: 1024, maxRss: 1 } }, 'memory')) as Record<string, unknown>;
    expect(over).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^heap used \d+ bytes is over 1024 bytes; RSS \d+ bytes is over 1 bytes$/),
    });
  });
});

describe('tls check', () => {
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  let certificates: TestCertificates;
  beforeAll(async () => {
    certificates = makeCertificates();
    for (const [name, pem] of Object.entries({
      valid: certificates.valid,
      soon: certificates.expiringSoon,
      expired: certificates.expired,
      self: certificates.selfSigned,
    })) {
      const server = createHttpsServer(pem, (_req, res) => res.end());
      servers.push(server);
      ports[name] = await listen(server);
    }
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it.each(ADAPTERS)(
    'reports days left and subject; fails on expiring soon, expired and untrusted, on %s',
    async (adapter) => {
      const target = (name: string) => ({ host: 'localhost', port: ports[name], ca: certificates.ca });
      await withApp(
        {
          imports: [
            WatchmanModule.forRoot({
              mediaRoot: tempDir(),
              tls: {
                valid: target('valid'),
                soon: target('soon'),
                expired: target('expired'),
                untrusted: `127.0.0.1:${ports.self}`,
                closed: `127.0.0.1:${await closedPort()}`,
              },
            }),
          ],
        },
        adapter,
        async (app) => {
          const res = await request(app.url).get('/watchman?check=tls').expect(500);
          const byAlias = Object.assign({}, ...res.body.tls);
          expect(byAlias.valid).toEqual({
            ok: true,
            days_left: expect.any(Number),
            subject: 'localhost',
            issuer: 'watchman test CA',
            valid_to: expect.any(String),
          });
          expect(byAlias.valid.days_left).toBeGreaterThanOrEqual(363);
          expect(byAlias.soon).toMatchObject({
            ok: false,
            days_left: expect.any(Number),
            error: expect.stringMatching(/certificate expires in [23] days, fewer than 14/),
          });
          expect(byAlias.expired).toMatchObject({
            ok: false,
            error: expect.stringMatching(/certificate not trusted \(CERT_HAS_EXPIRED\)/),
          });
          expect(byAlias.untrusted).toMatchObject({
            ok: false,
            subject: 'localhost',
            error: expect.stringMatching(
              /certificate not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)\)/,
            ),
          });
          expect(byAlias.closed).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
        },
      );
    },
  );

  it('takes minDaysLeft from the environment', async () => {
    await withEnv({ WATCHMAN_TLS_MIN_DAYS_LEFT: '400' }, async () => {
      const result = (await statusOf(
        { tls: { valid: { host: 'localhost', port: ports.valid, ca: certificates.ca } } },
        'tls',
      )) as Array<Record<string, { error: string }>>;
      expect(result[0].valid.error).toMatch(/fewer than 400/);
    });
  });
});
