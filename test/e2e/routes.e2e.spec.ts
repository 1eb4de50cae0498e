import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, ShardsCheck } from '../fixtures/checks.js';
import { ADAPTERS, type RunningApp, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

describe.each(ADAPTERS)('routes on %s', (adapter) => {
  describe('all checks passing', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await watchmanApp({}, PassingCheck).start(adapter);
    });
    afterAll(() => app.close());

    it('GET /watchman returns every check as sorted JSON with 200', async () => {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-cache, no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers.etag).toBeUndefined();
      expect(Object.keys(res.body)).toEqual(['caches', 'databases', 'passing', 'storage']);
      expect(res.body.passing).toEqual({ ok: true, answer: 42 });
      expect(res.body.storage).toEqual({ ok: true });
      expect(res.text.indexOf('"caches"')).toBeLessThan(res.text.indexOf('"storage"'));
    });

    it.each(['/watchman/', '/watchman/ping/', '/watchman/bare/', '/watchman/dashboard/'])(
      'answers %s with a trailing slash',
      async (path) => {
        await request(app.url).get(path).expect(200);
      },
    );

    it('ping answers pong as text/plain and runs no check', async () => {
      const before = PassingCheck.counter.runs;
      const res = await request(app.url).get('/watchman/ping').expect(200);
      expect(res.text).toBe('pong');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(PassingCheck.counter.runs).toBe(before);
    });

    it('bare answers 200 with an empty text/plain body', async () => {
      const res = await request(app.url).get('/watchman/bare').expect(200);
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
    });

    it.each(['/watchman', '/watchman/ping', '/watchman/bare', '/watchman/dashboard'])(
      'HEAD %s works like GET',
      async (path) => {
        const res = await request(app.url).head(path).expect(200);
        expect(res.text ?? '').toBe('');
      },
    );

    it('has no version header by default', async () => {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.headers['x-watchman-version']).toBeUndefined();
    });

    it.each([
      ['?check=passing', ['passing']],
      ['?check=watchman.checks.storage', ['storage']],
      ['?check=passing&check=storage', ['passing', 'storage']],
      ['?check=passing,storage', ['passing', 'storage']],
      ['?skip=passing', ['caches', 'databases', 'storage']],
      ['?skip=watchman.checks.caches&skip=databases', ['passing', 'storage']],
      ['?check=passing&check=storage&skip=storage', ['passing']],
    ])('selects %s', async (query, expected) => {
      const res = await request(app.url).get(`/watchman${query}`).expect(200);
      expect(Object.keys(res.body)).toEqual(expected);
    });

    it.each(['?check=', '?check=nope', '?check=passing&skip=passing', '?check=watchman.checks.nope'])(
      'answers 404 when %s selects nothing',
      async (query) => {
        const res = await request(app.url).get(`/watchman${query}`).expect(404);
        expect(res.body).toEqual({ error: 404, message: 'No checks found' });
        await request(app.url).get(`/watchman/bare${query}`).expect(200);
      },
    );

    it('ignores odd query strings', async () => {
      await request(app.url).get('/watchman?check').expect(404);
      const res = await request(app.url).get('/watchman?foo=%ZZ&&=&skip=%20').expect(200);
      expect(Object.keys(res.body)).toHaveLength(4);
    });
  });

  describe('a failing check', () => {
    let app: RunningApp;
    beforeAll(async () => {
      const checks = ['passing', 'failing', 'shards'];
      app = await watchmanApp({ checks }, PassingCheck, FailingCheck, ShardsCheck).start(adapter);
    });
    afterAll(() => app.close());

    it('reports its error and stacktrace with 500, the others still ok', async () => {
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.passing).toEqual({ ok: true, answer: 42 });
      expect(res.body.failing.ok).toBe(false);
      expect(res.body.failing.error).toBe('boom <script>window.__pwned = true</script>');
      expect(res.body.failing.stacktrace).toContain('FailingCheck.check');
    });

    it('shapes a multi-resource check as a sorted list of aliases', async () => {
      const res = await request(app.url).get('/watchman?check=shards').expect(500);
      expect(res.body.shards).toEqual([
        { alpha: { ok: true, depth: 5 } },
        { mid: { ok: false, error: 'mid shard is down', stacktrace: expect.stringContaining('mid shard is down') } },
        { zeta: { ok: true, depth: 4 } },
      ]);
    });

    it('bare answers 500 with an empty body, and 200 when the failure is skipped', async () => {
      const res = await request(app.url).get('/watchman/bare').expect(500);
      expect(res.text).toBe('');
      await request(app.url).get('/watchman/bare?skip=failing&skip=shards').expect(200);
      await request(app.url).get('/watchman/bare?check=passing').expect(200);
    });
  });

  it('uses errorCode for failures, even 200, and still shows them', async () => {
    await using(watchmanApp({ errorCode: 503, checks: ['failing'] }, FailingCheck).start(adapter), async (app) => {
      await request(app.url).get('/watchman').expect(503);
      await request(app.url).get('/watchman/bare').expect(503);
    });
    await using(watchmanApp({ errorCode: 200, checks: ['failing'] }, FailingCheck).start(adapter), async (quirk) => {
      const res = await request(quirk.url).get('/watchman').expect(200);
      expect(res.body.failing.ok).toBe(false);
    });
  });

  it('sends X-Watchman-Version with exposeVersion on JSON, dashboard and 404, never on ping or bare', async () => {
    const { WATCHMAN_VERSION } = await import('nestjs-watchman');
    await using(watchmanApp({ exposeVersion: true }, PassingCheck).start(adapter), async (app) => {
      for (const path of ['/watchman', '/watchman/dashboard', '/watchman?check=none']) {
        const res = await request(app.url).get(path);
        expect(res.headers['x-watchman-version']).toBe(WATCHMAN_VERSION);
      }
      for (const path of ['/watchman/ping', '/watchman/bare']) {
        const res = await request(app.url).get(path);
        expect(res.headers['x-watchman-version']).toBeUndefined();
      }
      expect(WATCHMAN_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    });
  });

  it('serves under a custom path', async () => {
    await using(watchmanApp({ path: '/health/status/' }, PassingCheck).start(adapter), async (app) => {
      await request(app.url).get('/health/status').expect(200);
      await request(app.url).get('/health/status/ping/').expect(200, 'pong');
      await request(app.url).get('/watchman').expect(404);
    });
  });

  it('serves under the app global prefix, with and without trailing slash', async () => {
    await using(watchmanApp().globalPrefix('api').start(adapter), async (app) => {
      await request(app.url).get('/api/watchman').expect(200);
      await request(app.url).get('/api/watchman/').expect(200);
      await request(app.url).get('/api/watchman/ping/').expect(200, 'pong');
    });
  });

  it('reads WATCHMAN_PATH when no path is given', async () => {
    await withEnv({ WATCHMAN_PATH: 'probe' }, () =>
      using(watchmanApp({}, PassingCheck).start(adapter), async (app) => {
        await request(app.url).get('/probe/ping').expect(200, 'pong');
        await request(app.url).get('/watchman/ping').expect(404);
      }),
    );
  });

  it('keeps one broken check from breaking the response, whatever it throws', async () => {
    @WatchmanCheck('throws_string')
    @Injectable()
    class A {
      check() {
        throw 'plain string';
      }
    }
    @WatchmanCheck('throws_undefined')
    @Injectable()
    class B {
      check() {
        throw undefined;
      }
    }
    @WatchmanCheck('throws_object')
    @Injectable()
    class C {
      async check() {
        throw { code: 42 };
      }
    }
    @WatchmanCheck('throws_empty')
    @Injectable()
    class D {
      check() {
        throw new Error('');
      }
    }
    @WatchmanCheck('returns_primitive')
    @Injectable()
    class E {
      check() {
        return 7 as never;
      }
    }
    const checks = [
      'throws_string',
      'throws_undefined',
      'throws_object',
      'throws_empty',
      'returns_primitive',
      'passing',
    ];
    await using(watchmanApp({ checks }, A, B, C, D, E, PassingCheck).start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.throws_string).toMatchObject({ ok: false, error: 'plain string' });
      expect(res.body.throws_undefined).toMatchObject({ ok: false, error: 'check threw undefined' });
      expect(res.body.throws_object).toMatchObject({ ok: false, error: '{"code":42}' });
      expect(res.body.throws_empty.ok).toBe(false);
      expect(res.body.throws_empty.error).not.toBe('');
      expect(typeof res.body.throws_string.stacktrace).toBe('string');
      expect(res.body.returns_primitive).toEqual({ ok: true, value: 7 });
      expect(res.body.passing.ok).toBe(true);
    });
  });
});
