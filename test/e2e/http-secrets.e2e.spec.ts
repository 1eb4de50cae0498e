import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { ADAPTERS, using, withApp } from '../support/http-app.js';
import { closedPort } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

// The `http` check against real servers on 127.0.0.1: a secret in the configured URL (query
// value, password) shows nowhere — JSON, health+json, dashboard, probe text, logs — whether the
// target passes, answers 500 or is a dead port; and configured headers stop at the origin.

const QUERY_SECRET = 'QuerySecret123';
const PASSWORD = 'PassSecret456';
const HEADER_SECRET = 'HeaderSecret789';
const TOKEN = 'tok';

/** The app's logger, keeping every line (and the stack Nest passes with an error). */
class RecordingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  protected override printMessages(messages: unknown[], context?: string, logLevel: LogLevel = 'log'): void {
    for (const message of messages) this.lines.push(`${logLevel} [${context}] ${String(message)}`);
  }
  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`error ${rest.map(String).join(' ')}`);
    super.error(message, ...(rest as []));
  }
}

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

async function listen(handler: (path: string, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    handler(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let first: Awaited<ReturnType<typeof listen>>;
let second: Awaited<ReturnType<typeof listen>>;
let dead: number;

beforeAll(async () => {
  second = await listen((_path, res) => res.writeHead(200).end('landed'));
  first = await listen((path, res) => {
    if (path.startsWith('/fail')) return void res.writeHead(500).end('no');
    if (path.startsWith('/away')) return void res.writeHead(302, { Location: `${second.base}/landing${path}` }).end();
    if (path.startsWith('/here')) return void res.writeHead(302, { Location: `/landing${path}` }).end();
    res.writeHead(200).end('fine');
  });
  dead = await closedPort();
});
afterAll(async () => {
  await first.close();
  await second.close();
});

const boot = (options: WatchmanModuleOptions) => ({
  imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['http'], tokens: [TOKEN], ...options })],
});

describe.each(ADAPTERS)('the http check keeps its secrets, on %s', (adapter) => {
  it('shows no query value or password of its URL on any route or in the log: passing, 500 and dead port', async () => {
    const targets = {
      pass: `${first.base}/ok?api_key=${QUERY_SECRET}&v=2`,
      fails: `http://user:${PASSWORD}@${first.base.slice(7)}/fail?api_key=${QUERY_SECRET}`,
      dead: `http://127.0.0.1:${dead}/health?api_key=${QUERY_SECRET}`,
    };
    const logger = new RecordingLogger({ logLevels: ['error', 'warn', 'log', 'debug', 'verbose'] });
    const bodies: string[] = [];
    await withEnv({ WATCHMAN_HTTP_CHECKS: JSON.stringify(targets) }, () =>
      withApp(
        boot({}),
        adapter,
        async (app) => {
          const json = await request(app.url).get(`/watchman?watchman-token=${TOKEN}`).expect(500);
          const byAlias = Object.assign({}, ...json.body.http);
          expect(byAlias.pass).toEqual({ ok: true, status: 200, latency_ms: expect.any(Number) });
          expect(byAlias.fails.error).toBe(
            `GET http://user:***@${first.base.slice(7)}/fail?api_key=*** answered 500, expected a 2xx status`,
          );
          expect(byAlias.dead.error).toMatch(
            new RegExp(`^GET http://127\\.0\\.0\\.1:${dead}/health\\?api_key=\\*\\*\\*: .*ECONNREFUSED`),
          );
          bodies.push(json.text);
          for (const path of [
            `/watchman/dashboard?watchman-token=${TOKEN}`,
            `/watchman?format=health+json&watchman-token=${TOKEN}`,
            `/watchman/http?watchman-token=${TOKEN}`,
            `/watchman/ready?verbose&watchman-token=${TOKEN}`,
            '/watchman/ready?verbose',
            '/watchman/bare',
          ])
            bodies.push((await request(app.url).get(path)).text);
        },
        { logger },
      ),
    );
    // The check did call the real URLs, secret and all (the password as a Basic header).
    expect(first.seen.some((seen) => seen.path === `/ok?api_key=${QUERY_SECRET}&v=2`)).toBe(true);
    expect(first.seen.find((seen) => seen.path.startsWith('/fail'))?.headers.authorization).toBe(
      `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`,
    );
    expect(bodies.join('\n')).toContain('api_key=***');
    expect(logger.lines.join('\n')).toContain('api_key=***');
    for (const secret of [QUERY_SECRET, PASSWORD]) {
      expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
      expect(logger.lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('sends its headers to a redirect on its own origin, and none of them to another origin', async () => {
    const before = { first: first.seen.length, second: second.seen.length };
    const headers = { 'X-Api-Key': HEADER_SECRET, 'X-Plain': 'kept' };
    await withApp(
      boot({
        http: {
          away: { url: `${first.base}/away-key`, headers },
          awayAuth: { url: `${first.base}/away-auth`, headers: { Authorization: `Bearer ${HEADER_SECRET}` } },
          awayBasic: `http://user:${PASSWORD}@${first.base.slice(7)}/away-basic`,
          here: { url: `${first.base}/here`, headers },
        },
      }),
      adapter,
      async (app) => {
        const res = await request(app.url).get(`/watchman?watchman-token=${TOKEN}`).expect(200);
        const byAlias = Object.assign({}, ...res.body.http);
        for (const alias of ['away', 'awayAuth', 'awayBasic', 'here'])
          expect([alias, byAlias[alias]]).toEqual([alias, { ok: true, status: 200, latency_ms: expect.any(Number) }]);
      },
    );
    const landed = second.seen.slice(before.second);
    expect(landed.map((seen) => seen.path).sort()).toEqual([
      '/landing/away-auth',
      '/landing/away-basic',
      '/landing/away-key',
    ]);
    for (const seen of landed) {
      expect([seen.path, seen.headers['x-api-key'], seen.headers['x-plain']]).toEqual([
        seen.path,
        undefined,
        undefined,
      ]);
      expect([seen.path, seen.headers.authorization]).toEqual([seen.path, undefined]);
    }
    // The first hop had them; a redirect on the same origin keeps them.
    const atFirst = first.seen.slice(before.first);
    expect(atFirst.find((seen) => seen.path === '/away-key')?.headers['x-api-key']).toBe(HEADER_SECRET);
    expect(atFirst.find((seen) => seen.path === '/away-auth')?.headers.authorization).toBe(`Bearer ${HEADER_SECRET}`);
    expect(atFirst.find((seen) => seen.path === '/landing/here')?.headers).toMatchObject({
      'x-api-key': HEADER_SECRET,
      'x-plain': 'kept',
    });
  });
});

describe('http check redirects', () => {
  it('stops a redirect loop after 20 hops with a message saying so', async () => {
    await using(
      listen((_path, res) => res.writeHead(302, { Location: '/again?api_key=x' }).end()),
      async (loop) => {
        await withApp(
          boot({ http: { loop: `${loop.base}/start?api_key=${QUERY_SECRET}` } }),
          'express',
          async (app) => {
            const res = await request(app.url).get(`/watchman?watchman-token=${TOKEN}`).expect(500);
            expect(res.body.http[0].loop.error).toBe(
              `GET ${loop.base}/start?api_key=***: too many redirects (a redirect loop?) after 20`,
            );
          },
        );
        expect(loop.seen).toHaveLength(21);
      },
    );
  });
});
