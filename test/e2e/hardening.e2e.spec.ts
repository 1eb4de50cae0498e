import { WatchmanModule } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, type RunningApp, startHttpApp, using } from '../support/http-app.js';
import { rawRequest } from '../support/raw-request.js';
import { tempDir } from '../support/temp-dir.js';

// The red team's reproductions (SPEC "Hardening"): nothing under watchman's path echoes a URL,
// a token or a stack, whatever the method or the shape of the target.
const TOKEN = 'tok-9f2c-Hardening';
const SECRET_MARKS = [TOKEN, 'watchman-token', 'at ', 'Error:', 'FST_'];

describe.each(ADAPTERS)('hardening on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startHttpApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks: ['passing'] })],
        providers: [PassingCheck],
      },
      adapter,
    );
  });
  afterAll(() => app.close());

  const echoes = (text: string) => SECRET_MARKS.filter((mark) => text.includes(mark));

  const methods = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];
  const routes = ['/watchman', '/watchman/ready', '/watchman/bare', '/watchman/dashboard', '/watchman/metrics'];
  const elsewhere = ['/watchman/nope', '/watchman/bare/extra', '/watchman/%ZZ'];

  it.each(methods)('answers %s on every route with 405 and Allow, never the URL', async (method) => {
    const before = PassingCheck.counter.runs;
    for (const route of routes) {
      const res = await rawRequest(app.url, method, `${route}?watchman-token=${TOKEN}`);
      expect({ route, status: res.status, echoes: echoes(res.head + res.body) }).toEqual({
        route,
        status: 405,
        echoes: [],
      });
      expect(res.head).toMatch(/\r\nallow: GET, HEAD/i);
    }
    expect(PassingCheck.counter.runs).toBe(before);
  });

  it.each(methods)('answers %s below the path but off the routes with a 404 that echoes nothing', async (method) => {
    for (const path of elsewhere) {
      const res = await rawRequest(app.url, method, `${path}?watchman-token=${TOKEN}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(echoes(res.head + res.body)).toEqual([]);
    }
  });

  it('answers a malformed escape in the path with 400, not the framework URL error', async () => {
    for (const target of ['/watchman/%ZZ', '/watchman/ready%', '/watchman/%E0%A4%A']) {
      const res = await rawRequest(app.url, 'GET', `${target}?watchman-token=${TOKEN}`);
      expect({ target, status: res.status }).toEqual({ target, status: 400 });
      expect(echoes(res.head + res.body)).toEqual([]);
    }
  });

  it('answers an absolute-form target like its origin form, on every route that runs checks', async () => {
    for (const route of ['/watchman', '/watchman/ready', '/watchman/live', '/watchman/bare', '/watchman/dashboard']) {
      for (const authority of ['http://x:99999', 'http://127.0.0.1', 'https://[::1]:0']) {
        const res = await rawRequest(app.url, 'GET', `${authority}${route}?watchman-token=${TOKEN}`);
        expect({ target: authority + route, status: res.status }).toEqual({ target: authority + route, status: 200 });
        expect(res.body).not.toMatch(/\n\s+at /);
      }
    }
  });

  it('answers GET and HEAD on a route with a trailing slash as on the route', async () => {
    for (const route of ['/watchman/ping/', '/watchman/ready/', '/watchman/bare/']) {
      expect((await rawRequest(app.url, 'GET', route)).status).toBe(200);
      expect((await rawRequest(app.url, 'HEAD', route)).status).toBe(200);
    }
  });
});

describe.each(ADAPTERS)('a mistyped probe on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({
            mediaRoot: tempDir(),
            tokens: [TOKEN],
            checks: ['passing', 'storage'],
            liveChecks: ['passing'],
          }),
        ],
        providers: [PassingCheck],
      },
      adapter,
    );
  });
  afterAll(() => app.close());

  it.each([
    ['/watchman/ready?check=databses&verbose', 'unknown check "databses"\n'],
    ['/watchman/ready?check=passing,nope&verbose', 'unknown check "nope"\n'],
    ['/watchman/live?check=storage&verbose', 'unknown check "storage"\n'],
    ['/watchman/ready?check=databses', 'unknown check'],
  ])('fails %s with 404 and runs nothing', async (target, body) => {
    const before = PassingCheck.counter.runs;
    const res = await rawRequest(app.url, 'GET', target);
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body });
    expect(PassingCheck.counter.runs).toBe(before);
  });

  it('never repeats a name that does not look like one', async () => {
    const res = await rawRequest(app.url, 'GET', `/watchman/ready?check=${encodeURIComponent('<script>x')}&verbose`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: 'unknown check (not shown)\n' });
  });

  it('warns of an unknown ?exclude name as kube does, and passes on the rest', async () => {
    const res = await rawRequest(app.url, 'GET', '/watchman/ready?exclude=databses&verbose');
    expect(res.status).toBe(200);
    expect(res.body).toContain('[+]passing ok\n');
    expect(res.body).toContain('warn: unknown check "databses"\n');
    expect(res.body.endsWith('ready check passed\n')).toBe(true);
  });

  it('keeps bare?check= of nothing at django’s 200', async () => {
    expect((await rawRequest(app.url, 'GET', '/watchman/bare?check=')).status).toBe(200);
  });
});

describe.each(ADAPTERS)('the dashboard on %s', (adapter) => {
  it('answers with Referrer-Policy: no-referrer, since its links may carry a token', async () => {
    const app = startHttpApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks: ['passing'] })],
        providers: [PassingCheck],
      },
      adapter,
    );
    await using(app, async ({ url }) => {
      const res = await rawRequest(url, 'GET', `/watchman/dashboard?watchman-token=${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.head).toMatch(/\r\nreferrer-policy: no-referrer\r\n/i);
    });
  });
});

describe.each(ADAPTERS)('verboseNames on %s', (adapter) => {
  it("'token' keeps the check names of ?verbose to callers with a valid token", async () => {
    const app = startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks: ['passing'], verboseNames: 'token' }),
        ],
        providers: [PassingCheck],
      },
      adapter,
    );
    await using(app, async ({ url }) => {
      expect((await rawRequest(url, 'GET', '/watchman/ready?verbose')).body).toBe('ready check passed\n');
      const holder = await rawRequest(url, 'GET', `/watchman/ready?verbose&watchman-token=${TOKEN}`);
      expect(holder.body).toBe('[+]passing ok\nready check passed\n');
    });
  });
});
