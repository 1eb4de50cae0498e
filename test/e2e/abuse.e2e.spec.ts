import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule, type WatchmanRequest, WatchmanTokenGuard } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, type RunningApp, startHttpApp, using, withApp } from '../support/http-app.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

const TOKEN = 's3cret-Tøken';
const sink = await startSmtpSink();
afterAll(() => sink.close());

@WatchmanCheck('__proto__')
@Injectable()
class ProtoNamedCheck {
  check() {
    return { named: 'proto' };
  }
}

@WatchmanCheck('constructor')
@Injectable()
class ConstructorNamedCheck {
  aliases() {
    return ['__proto__', 'toString'];
  }
  checkAlias() {
    return undefined;
  }
}

/** An app's own token guard: tokens from a cookie too. It keeps the token rules. */
@Injectable()
class CookieTokenGuard extends WatchmanTokenGuard {
  protected override extractToken(request: WatchmanRequest) {
    return super.extractToken(request) ?? /watchman=([^;]+)/.exec(String(request.headers.cookie))?.[1];
  }
}

const paidApp = (adapter: (typeof ADAPTERS)[number], tokens: string[] = [TOKEN]) =>
  startHttpApp(
    {
      imports: [
        WatchmanModule.forRoot({
          mediaRoot: tempDir(),
          tokens,
          checks: ['email', 'storage'],
          liveChecks: ['email', 'storage'],
          email: { transport: sink.url },
        }),
      ],
    },
    adapter,
  );

describe.each(ADAPTERS)('abuse on %s', (adapter) => {
  describe('paid checks and open routes', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await paidApp(adapter);
    });
    afterAll(() => app.close());

    it.each(['/watchman/bare', '/watchman/ready', '/watchman/live'])(
      'never sends mail for an anonymous %s, even when asked by name',
      async (route) => {
        const before = sink.received.length;
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request(app.url).get(
              `${route}${['?check=email', '?check=email,storage', '', '?check=watchman.checks.email'][i % 4]}`,
            ),
          ),
        );
        expect(responses.every((res) => res.status === 200)).toBe(true);
        expect(sink.received.length).toBe(before);
      },
    );

    it('runs the paid check on an open route for a caller with a valid token', async () => {
      const before = sink.received.length;
      await request(app.url)
        .get('/watchman/bare?check=email')
        .set('Authorization', `WATCHMAN-TOKEN Token="${TOKEN}"`)
        .expect(200);
      await request(app.url)
        .get(`/watchman/ready?check=email&watchman-token=${encodeURIComponent(TOKEN)}`)
        .expect(200, 'ok');
      expect(sink.received.length).toBe(before + 2);
    });

    it('runs it on the protected JSON route, where the caller proved who it is', async () => {
      const before = sink.received.length;
      const res = await request(app.url)
        .get(`/watchman?watchman-token=${encodeURIComponent(TOKEN)}`)
        .expect(200);
      expect(res.body.email).toEqual({ ok: true });
      expect(sink.received.length).toBe(before + 1);
    });

    it('leaves it out of the open routes when no token is configured at all', async () => {
      await withApp(
        {
          imports: [
            WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['email'], email: { transport: sink.url } }),
          ],
        },
        adapter,
        async (open) => {
          const before = sink.received.length;
          await request(open.url).get('/watchman/bare?check=email').expect(200);
          expect(sink.received.length).toBe(before);
        },
      );
    });

    it('keeps the token rules for a subclass of WatchmanTokenGuard: no token configured proves no caller', async () => {
      await withApp(
        {
          imports: [
            WatchmanModule.forRoot({
              mediaRoot: tempDir(),
              checks: ['email', 'storage'],
              email: { transport: sink.url },
              authGuard: CookieTokenGuard,
            }),
          ],
        },
        adapter,
        async (open) => {
          const before = sink.received.length;
          await request(open.url).get('/watchman/bare?check=email').expect(200);
          await request(open.url).get('/watchman/ready?check=email,storage').set('Cookie', 'watchman=x').expect(200);
          expect(sink.received.length).toBe(before);
          // The protected routes stay open, as the token guard leaves them with no token configured.
          await request(open.url).get('/watchman?check=storage').expect(200);
        },
      );
    });

    it('never copies a header token into the dashboard links, but keeps a parameter token', async () => {
      const viaHeader = await request(app.url)
        .get('/watchman/dashboard?check=storage')
        .set('Authorization', `WATCHMAN-TOKEN Token="${TOKEN}"`)
        .expect(200);
      expect(viaHeader.text).not.toContain(encodeURIComponent(TOKEN));
      expect(viaHeader.text).not.toContain('watchman-token=');
      const viaParam = await request(app.url)
        .get(`/watchman/dashboard?check=storage&watchman-token=${encodeURIComponent(TOKEN)}`)
        .expect(200);
      expect(viaParam.text).toContain(`watchman-token=${encodeURIComponent(TOKEN)}`);
    });

    it('keeps the dashboard small whatever the query: only configured names are carried', async () => {
      const junk = Array.from({ length: 6000 }, (_, i) => `check=${'x'.repeat(10)}${i}`).join('&');
      const res = await request(app.url).get(
        `/watchman/dashboard?check=storage&${junk}&skip=${'y'.repeat(2000)}&watchman-token=${encodeURIComponent(TOKEN)}`,
      );
      // Node refuses such a long request line itself (431), or the page stays small.
      if (res.status === 431) return;
      expect(res.status).toBe(200);
      expect(res.text.length).toBeLessThan(20_000);
      expect(res.text).not.toContain('xxxxxxxxxx');
    });
  });

  it('never runs a paid check on the background refresh', async () => {
    const before = sink.received.length;
    const app = startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({
            mediaRoot: tempDir(),
            tokens: [TOKEN],
            checks: ['email', 'passing'],
            email: { transport: sink.url },
            refreshInterval: 20,
          }),
        ],
        providers: [PassingCheck],
      },
      adapter,
    );
    await using(app, async () => {
      const runs = PassingCheck.counter.runs;
      // The refresh has ticked five times.
      expect(
        await until(
          () => PassingCheck.counter.runs - runs,
          (n) => n >= 5,
          { everyMs: 20 },
        ),
      ).toBeGreaterThanOrEqual(5);
    });
    expect(sink.received.length).toBe(before);
  });

  describe('caching headers', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startHttpApp(
        { imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'] })], providers: [PassingCheck] },
        adapter,
      );
    });
    afterAll(() => app.close());

    it.each([
      '/watchman',
      '/watchman/dashboard',
      '/watchman/ping',
      '/watchman/bare',
      '/watchman/live',
      '/watchman/ready',
      '/watchman?check=nope',
    ])('%s is never stale: no ETag, never 304, no-store and nosniff', async (path) => {
      const first = await request(app.url).get(path);
      expect(first.headers.etag).toBeUndefined();
      expect(first.headers['cache-control']).toBe('no-cache, no-store');
      expect(first.headers['x-content-type-options']).toBe('nosniff');
      for (const condition of ['*', 'W/"anything"', '"x"']) {
        const again = await request(app.url)
          .get(path)
          .set('If-None-Match', condition)
          .set('If-Modified-Since', new Date().toUTCString());
        expect(again.status).toBe(first.status);
        expect(again.text.length > 0).toBe(first.text.length > 0);
      }
    });
  });

  it('keeps checks named __proto__ and constructor (and such aliases) as keys of the JSON', async () => {
    await withApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['__proto__', 'constructor'] })],
        providers: [ProtoNamedCheck, ConstructorNamedCheck],
      },
      adapter,
      async (app) => {
        const res = await request(app.url).get('/watchman').expect(200);
        expect(res.text).toBe(
          '{"__proto__":{"ok":true,"named":"proto"},"constructor":[{"__proto__":{"ok":true}},{"toString":{"ok":true}}]}',
        );
        const parsed = JSON.parse(res.text) as Record<string, unknown>;
        expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
        await request(app.url).get('/watchman?check=__proto__').expect(200);
        const health = await request(app.url).get('/watchman?format=health+json').expect(200);
        expect(Object.keys(JSON.parse(health.text).checks)).toEqual([
          '__proto__',
          'constructor:__proto__',
          'constructor:toString',
        ]);
      },
    );
  });
});

describe.each(ADAPTERS)('hostile input on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startHttpApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks: ['passing', 'storage'] })],
        providers: [PassingCheck],
      },
      adapter,
    );
  });
  afterAll(() => app.close());

  const huge = 'a'.repeat(6000);
  const paths = [
    '/watchman',
    '/watchman/',
    '/watchman//',
    '/watchman/dashboard',
    '/watchman/metrics',
    '/watchman/ping',
    '/watchman/bare',
    '/watchman/live',
    '/watchman/ready',
    '/WATCHMAN',
    '/watchman/./ping',
    '/watchman/ping/..',
    '/watchman/%2e%2e/watchman',
    '/watchman/nope',
    '/watchman/bare/extra',
  ];
  const queries = [
    '',
    '?check=',
    '?check',
    '?check=passing&check=passing&check=passing',
    `?check=${Array.from({ length: 300 }, () => 'passing').join(',')}`,
    `?check=${huge}`,
    '?check=%ZZ&skip=%',
    '?check=__proto__&skip=constructor',
    '?check[]=passing&check[0]=storage',
    '?check=%E2%9C%93%F0%9F%92%A5&skip=%00',
    '?verbose&exclude=passing&exclude=',
    '?format=health+json',
    '?format=%00',
    `?watchman-token=${encodeURIComponent(TOKEN)}`,
    `?watchman-token=${huge}`,
    '?watchman-token=&watchman-token=x',
    '?refresh=-1e309',
    '?refresh=99999999999999999999',
  ];
  const headers: Array<Record<string, string>> = [
    {},
    { Authorization: `WATCHMAN-TOKEN Token="${TOKEN}"` },
    { Authorization: 'WATCHMAN-TOKEN Token="' },
    { Authorization: `WATCHMAN-TOKEN Token=${huge}` },
    { Authorization: 'Token=' },
    // What a client sending UTF-8 puts on the wire (Node's client only sends latin1 strings).
    { Authorization: Buffer.from('WATCHMAN-TOKEN Token="✓💥"', 'utf8').toString('latin1') },
    { Accept: 'application/health+json;q=abc, */*;q=0' },
    { Accept: `${huge}/${huge}` },
  ];
  const cases = paths.flatMap((path) =>
    queries.flatMap((query) => headers.map((header) => [`${path}${query}`, header] as const)),
  );

  it(`answers ${cases.length} hostile requests without a 5xx, an echoed secret, or a body on a 403`, async () => {
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i += 40) {
      await Promise.all(
        cases.slice(i, i + 40).map(async ([url, header]) => {
          const res = await request(app.url)
            .get(url)
            .set(header)
            .ok(() => true);
          const where = `${url.slice(0, 80)} ${JSON.stringify(header).slice(0, 60)} → ${res.status}`;
          if (res.status >= 500) problems.push(`${where}: 5xx`);
          if (res.status === 403 && res.text !== '') problems.push(`${where}: 403 with a body`);
          const echoed =
            res.text.includes(TOKEN) ||
            res.text.includes(encodeURIComponent(TOKEN)) ||
            JSON.stringify(res.headers).includes(TOKEN);
          const parameterToken =
            url.includes(`watchman-token=${encodeURIComponent(TOKEN)}`) && url.includes('/dashboard');
          // `/WATCHMAN` is not watchman's path (routes are case-sensitive): that 404 is the app's own.
          const ours = url.startsWith('/watchman');
          if (echoed && ours && !parameterToken) problems.push(`${where}: the token is echoed`);
        }),
      );
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it.each(['post', 'put', 'patch', 'delete', 'options'] as const)(
    'answers %s without a 5xx or running a check',
    async (method) => {
      const before = PassingCheck.counter.runs;
      for (const path of ['/watchman', '/watchman/bare', '/watchman/ready']) {
        const agent = request(app.url);
        const res = await agent[method](path)
          .set('Authorization', `WATCHMAN-TOKEN Token="${TOKEN}"`)
          .ok(() => true);
        expect(res.status).toBeLessThan(500);
        expect(res.status).not.toBe(200);
      }
      expect(PassingCheck.counter.runs).toBe(before);
    },
  );
});
