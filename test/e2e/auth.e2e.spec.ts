import { jest } from '@jest/globals';
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import request from 'supertest';
import { WatchmanTokenGuard } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, type RunningApp, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

/** One passing check; each test adds its token options. */
const passing = watchmanApp({ checks: ['passing'] }, PassingCheck);

describe.each(ADAPTERS)('token auth on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await passing.options({ tokens: ['t1', ' second-token ', 'with-dashes-123'] }).start(adapter);
  });
  afterAll(() => app.close());

  const ok = (req: request.Test) => req.expect(200).then((res) => expect(res.body.passing.ok).toBe(true));

  it.each(['/watchman', '/watchman/dashboard'])(
    'refuses %s without a token: 403, empty body, no check run',
    async (path) => {
      const before = PassingCheck.counter.runs;
      const res = await request(app.url).get(path).expect(403);
      expect(res.text).toBe('');
      expect(res.headers['x-watchman-version']).toBeUndefined();
      expect(PassingCheck.counter.runs).toBe(before);
    },
  );

  it('accepts the token as the watchman-token parameter', () =>
    ok(request(app.url).get('/watchman?watchman-token=t1')));
  it('accepts any of several tokens, trimmed', () => ok(request(app.url).get('/watchman?watchman-token=second-token')));
  it('accepts a quoted header token', () =>
    ok(request(app.url).get('/watchman').set('Authorization', 'WATCHMAN-TOKEN Token="t1"')));
  it('accepts an unquoted header token', () =>
    ok(request(app.url).get('/watchman').set('Authorization', 'WATCHMAN-TOKEN Token=t1')));
  it('accepts a header token with dashes', () =>
    ok(request(app.url).get('/watchman').set('Authorization', 'WATCHMAN-TOKEN Token="with-dashes-123"')));
  it('accepts a padded parameter token', () => ok(request(app.url).get('/watchman?watchman-token=%20t1%20')));

  it.each([
    ['a wrong parameter', '/watchman?watchman-token=nope', undefined],
    ['an empty parameter', '/watchman?watchman-token=', undefined],
    ['a prefix of a token', '/watchman?watchman-token=t', undefined],
    ['a wrong header', '/watchman', 'WATCHMAN-TOKEN Token="nope"'],
    ['an empty header token', '/watchman', 'WATCHMAN-TOKEN Token=""'],
    ['a header without Token=', '/watchman?watchman-token=nope', 'Bearer abc'],
  ])('refuses %s', async (_what, path, header) => {
    const req = request(app.url).get(path);
    if (header) req.set('Authorization', header);
    const res = await req.expect(403);
    expect(res.text).toBe('');
  });

  it('lets a header with a Token= part win over the parameter', async () => {
    await request(app.url)
      .get('/watchman?watchman-token=t1')
      .set('Authorization', 'WATCHMAN-TOKEN Token="wrong"')
      .expect(403);
    await ok(request(app.url).get('/watchman?watchman-token=wrong').set('Authorization', 'WATCHMAN-TOKEN Token="t1"'));
  });

  it('falls back to the parameter when the header has no Token= part', () =>
    ok(request(app.url).get('/watchman?watchman-token=t1').set('Authorization', 'Basic dXNlcjpwYXNz')));

  it('keeps ping and bare open', async () => {
    await request(app.url).get('/watchman/ping').expect(200, 'pong');
    await request(app.url).get('/watchman/bare').expect(200);
  });

  it('serves the dashboard with a token', async () => {
    await request(app.url).get('/watchman/dashboard?watchman-token=t1').expect(200);
  });

  it('uses a custom token name', async () => {
    await using(passing.options({ tokens: 't1', tokenName: 'custom-token-name' }).start(adapter), async (custom) => {
      await ok(request(custom.url).get('/watchman?custom-token-name=t1'));
      await request(custom.url).get('/watchman?watchman-token=t1').expect(403);
    });
  });

  it('reads WATCHMAN_TOKENS and WATCHMAN_TOKEN_NAME from the environment', () =>
    withEnv({ WATCHMAN_TOKENS: 'env-a, env-b', WATCHMAN_TOKEN_NAME: 'tk' }, async () => {
      await using(passing.start(adapter), async (envApp) => {
        await request(envApp.url).get('/watchman').expect(403);
        await ok(request(envApp.url).get('/watchman?tk=env-b'));
      });
    }));

  it('honours the deprecated WATCHMAN_TOKEN with a warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await withEnv({ WATCHMAN_TOKEN: 'legacy' }, () =>
        using(passing.start(adapter), async (legacy) => {
          await request(legacy.url).get('/watchman').expect(403);
          await ok(request(legacy.url).get('/watchman?watchman-token=legacy'));
          expect(warn.mock.calls.some(([message]) => String(message).includes('WATCHMAN_TOKEN is deprecated'))).toBe(
            true,
          );
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('is open when no token is configured', async () => {
    await using(passing.start(adapter), async (open) => {
      await ok(request(open.url).get('/watchman'));
    });
  });
});

@Injectable()
class StaffOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-staff'] === 'yes';
  }
}

/** Extends the exported guard: tokens may also come in an `X-Api-Key` header. */
@Injectable()
class ApiKeyGuard extends WatchmanTokenGuard {
  protected override extractToken(req: { headers: Record<string, string | string[] | undefined> }) {
    return (req.headers['x-api-key'] as string | undefined) ?? super.extractToken(req as never);
  }
}

describe.each(ADAPTERS)('authGuard on %s', (adapter) => {
  it('replaces the token guard on the JSON and dashboard routes', async () => {
    await using(passing.options({ tokens: ['t1'], authGuard: StaffOnlyGuard }).start(adapter), async (app) => {
      const refused = await request(app.url).get('/watchman?watchman-token=t1').expect(403);
      expect(refused.text).toBe('');
      await request(app.url).get('/watchman').set('X-Staff', 'yes').expect(200);
      await request(app.url).get('/watchman/dashboard').set('X-Staff', 'yes').expect(200);
      await request(app.url).get('/watchman/dashboard').expect(403);
      await request(app.url).get('/watchman/ping').expect(200);
    });
  });

  it('accepts a subclass of the exported token guard', async () => {
    await using(passing.options({ tokens: ['k1'], authGuard: ApiKeyGuard }).start(adapter), async (app) => {
      await request(app.url).get('/watchman').set('X-Api-Key', 'k1').expect(200);
      await request(app.url).get('/watchman?watchman-token=k1').expect(200);
      await request(app.url).get('/watchman').set('X-Api-Key', 'k2').expect(403);
    });
  });
});
