import { resolve } from 'node:path';
import { WatchmanConfigError } from 'nestjs-watchman';
import { toList } from '../../lib/common/check-names.js';
import { resolveWatchmanConfig } from '../../lib/options/watchman-config.js';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('resolveWatchmanConfig', () => {
  it('has django-watchman defaults', () => {
    const config = resolveWatchmanConfig({}, env({}));
    expect(config).toMatchObject({
      tokens: [],
      tokenName: 'watchman-token',
      checks: undefined,
      enablePaidChecks: false,
      errorCode: 500,
      exposeVersion: false,
      checkTimeout: 5000,
      cacheTtl: 0,
      stacktraces: true,
      disableApm: false,
      databases: undefined,
      caches: undefined,
      mediaRoot: process.cwd(),
      storageDir: process.cwd(),
    });
    expect(config.email).toMatchObject({ sender: 'watchman@example.com', recipients: ['to@example.com'], headers: {} });
  });

  it('falls back to every environment variable', () => {
    const config = resolveWatchmanConfig(
      {},
      env({
        WATCHMAN_TOKENS: 'a, b,,',
        WATCHMAN_TOKEN_NAME: 'tk',
        WATCHMAN_CHECKS: 'watchman.checks.databases,custom',
        WATCHMAN_ENABLE_PAID_CHECKS: 'True',
        WATCHMAN_DATABASES: 'default,replica',
        WATCHMAN_CACHES: 'redis',
        WATCHMAN_ERROR_CODE: '503',
        EXPOSE_WATCHMAN_VERSION: '1',
        MEDIA_ROOT: '/srv/media',
        WATCHMAN_STORAGE_PATH: 'health',
        WATCHMAN_EMAIL_SENDER: 'me@x.test',
        WATCHMAN_EMAIL_RECIPIENTS: 'a@x.test, b@x.test',
        WATCHMAN_EMAIL_HEADERS: '{"X-Env":"prod"}',
        WATCHMAN_DISABLE_APM: 'yes',
        WATCHMAN_CHECK_TIMEOUT_MS: '250',
        WATCHMAN_CACHE_TTL_MS: '1000',
        WATCHMAN_STACKTRACES: 'false',
        SMTP_URL: 'smtp://localhost:25',
      }),
    );
    expect(config).toMatchObject({
      tokens: ['a', 'b'],
      tokenName: 'tk',
      checks: ['databases', 'custom'],
      enablePaidChecks: true,
      databases: ['default', 'replica'],
      caches: ['redis'],
      errorCode: 503,
      exposeVersion: true,
      mediaRoot: '/srv/media',
      storageDir: '/srv/media/health',
      disableApm: true,
      checkTimeout: 250,
      cacheTtl: 1000,
      stacktraces: false,
    });
    expect(config.email).toEqual({
      sender: 'me@x.test',
      recipients: ['a@x.test', 'b@x.test'],
      headers: { 'X-Env': 'prod' },
      transport: 'smtp://localhost:25',
    });
  });

  it('prefers options given in code over the environment', () => {
    const config = resolveWatchmanConfig(
      { tokens: ['code'], errorCode: 418, checkTimeout: 10 },
      env({ WATCHMAN_TOKENS: 'env', WATCHMAN_ERROR_CODE: '503' }),
    );
    expect(config).toMatchObject({ tokens: ['code'], errorCode: 418, checkTimeout: 10 });
  });

  it('honours the deprecated WATCHMAN_TOKEN and warns', () => {
    const warnings: string[] = [];
    const config = resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old' }), (message: string) =>
      warnings.push(message),
    );
    expect(config.tokens).toEqual(['old']);
    expect(warnings.join()).toMatch(/WATCHMAN_TOKEN is deprecated/);
    expect(resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old', WATCHMAN_TOKENS: 'new' })).tokens).toEqual(['new']);
  });

  it.each([
    [{}, { WATCHMAN_CHECK_TIMEOUT_MS: 'soon' }, /checkTimeout \(WATCHMAN_CHECK_TIMEOUT_MS\) "soon"/],
    [
      {},
      { WATCHMAN_CHECK_TIMEOUT_MS: '0' },
      /checkTimeout \(WATCHMAN_CHECK_TIMEOUT_MS\) "0": expected a positive integer/,
    ],
    [{ checkTimeout: 1.5 }, {}, /checkTimeout 1.5/],
    [{}, { WATCHMAN_ERROR_CODE: '5000' }, /errorCode \(WATCHMAN_ERROR_CODE\) "5000": expected an HTTP status/],
    [{}, { WATCHMAN_CACHE_TTL_MS: '-1' }, /cacheTtl \(WATCHMAN_CACHE_TTL_MS\) "-1"/],
    [{}, { EXPOSE_WATCHMAN_VERSION: 'maybe' }, /exposeVersion \(EXPOSE_WATCHMAN_VERSION\) "maybe"/],
    [
      {},
      { WATCHMAN_EMAIL_HEADERS: '{bad json' },
      /email.headers \(WATCHMAN_EMAIL_HEADERS\) "\{bad json": not valid JSON/,
    ],
    [{}, { WATCHMAN_EMAIL_HEADERS: '["x"]' }, /expected a JSON object/],
    [{ mediaRoot: '/srv/media', storagePath: '../etc' }, {}, /storagePath "..\/etc": must resolve inside mediaRoot/],
    [{ mediaRoot: '/srv/media', storagePath: '/tmp/elsewhere' }, {}, /storagePath "\/tmp\/elsewhere"/],
    [{ tokenName: ' ' }, {}, /tokenName/],
  ])('rejects %j %j naming the option and value', (options, vars, message) => {
    expect(() => resolveWatchmanConfig(options, env(vars as Record<string, string>))).toThrow(WatchmanConfigError);
    expect(() => resolveWatchmanConfig(options, env(vars as Record<string, string>))).toThrow(message);
  });

  it('accepts an absolute storage path inside the media root, and a relative one under it', () => {
    expect(resolveWatchmanConfig({ mediaRoot: '/srv/media', storagePath: '/srv/media/a/b' }, env({})).storageDir).toBe(
      '/srv/media/a/b',
    );
    expect(resolveWatchmanConfig({ mediaRoot: 'rel', storagePath: 'x' }, env({})).storageDir).toBe(resolve('rel/x'));
  });

  it('names other caches with cacheTokens, and narrows with caches', () => {
    const config = resolveWatchmanConfig({ caches: ['redis'], cacheTokens: { redis: 'REDIS_CACHE' } }, env({}));
    expect([...config.cacheTokens]).toEqual([['redis', 'REDIS_CACHE']]);
    expect(config.caches).toEqual(['redis']);
  });

  it('reads the probe, refresh and per-check options, from code and environment', () => {
    const config = resolveWatchmanConfig(
      { checkOptions: { databases: { timeout: 700 } } },
      env({
        WATCHMAN_PATH: '/health/',
        WATCHMAN_LIVE_CHECKS: 'event_loop',
        WATCHMAN_READY_CHECKS: 'databases,watchman.checks.caches',
        WATCHMAN_SHUTDOWN_DELAY_MS: '3000',
        WATCHMAN_REFRESH_INTERVAL_MS: '2000',
        WATCHMAN_NON_CRITICAL: 'caches, databases',
        WATCHMAN_MICROSERVICES: 'nats',
      }),
    );
    expect(config).toMatchObject({
      path: 'health',
      liveChecks: ['event_loop'],
      readyChecks: ['databases', 'caches'],
      shutdownDelay: 3000,
      refreshInterval: 2000,
      microservices: ['nats'],
    });
    expect(config.checkOptions.get('databases')).toEqual({ timeout: 700, critical: false });
    expect(config.checkOptions.get('caches')).toEqual({ critical: false });
    const defaults = resolveWatchmanConfig({}, env({}));
    expect(defaults).toMatchObject({
      path: 'watchman',
      liveChecks: [],
      readyChecks: undefined,
      shutdownDelay: 0,
      refreshInterval: 0,
      disk: undefined,
      memory: undefined,
      minDaysLeft: 14,
    });
  });

  it('reads the http, disk, memory and tls checks', () => {
    const config = resolveWatchmanConfig(
      {},
      env({
        WATCHMAN_HTTP_CHECKS:
          '{"pay":"https://pay.test/health","auth":{"url":"http://auth.test/","method":"head","expectStatus":[200,204],"timeout":300}}',
        WATCHMAN_DISK_PATH: '/var',
        WATCHMAN_DISK_MIN_FREE: '10%',
        WATCHMAN_MEMORY_MAX_HEAP_USED: '512MiB',
        WATCHMAN_MEMORY_MAX_RSS: '90%',
        WATCHMAN_TLS_CHECKS: '{"site":"example.test:8443","api":"api.test","v6":"[::1]:9443"}',
        WATCHMAN_TLS_MIN_DAYS_LEFT: '30',
      }),
    );
    expect(config.http.get('pay')).toEqual({
      url: 'https://pay.test/health',
      method: 'GET',
      expectStatus: [],
      headers: {},
      timeout: undefined,
    });
    expect(config.http.get('auth')).toMatchObject({ method: 'HEAD', expectStatus: [200, 204], timeout: 300 });
    expect(config.disk).toEqual({ path: '/var', minFree: { percent: 10 } });
    expect(config.memory).toEqual({ maxHeapUsed: { bytes: 512 * 2 ** 20 }, maxRss: { percent: 90 } });
    expect(config.tls.get('site')).toEqual({ host: 'example.test', port: 8443, minDaysLeft: 30 });
    expect(config.tls.get('api')).toMatchObject({ host: 'api.test', port: 443 });
    expect(config.tls.get('v6')).toMatchObject({ host: '::1', port: 9443 });
    expect(resolveWatchmanConfig({ disk: { path: '/', minFree: 1048576 } }, env({})).disk).toEqual({
      path: '/',
      minFree: { bytes: 1048576 },
    });
  });

  it.each([
    [{}, { WATCHMAN_HTTP_CHECKS: '{"x":"ftp://nope"}' }, /http \(WATCHMAN_HTTP_CHECKS\).*expected an http\(s\) URL/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"x":{"url":"http://a","expectStatus":99}}' }, /WATCHMAN_HTTP_CHECKS/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"bad.name":"http://a"}' }, /no spaces, commas or dots/],
    [{}, { WATCHMAN_DISK_MIN_FREE: 'lots' }, /disk.minFree \(WATCHMAN_DISK_MIN_FREE\) "lots"/],
    [{}, { WATCHMAN_DISK_MIN_FREE: '10%' }, /disk.path \(WATCHMAN_DISK_PATH\)/],
    [{}, { WATCHMAN_MEMORY_MAX_RSS: '120%' }, /memory.maxRss/],
    [{}, { WATCHMAN_TLS_CHECKS: '{"a":"host:port:x"}' }, /tls \(WATCHMAN_TLS_CHECKS\)/],
    [{}, { WATCHMAN_SHUTDOWN_DELAY_MS: 'soon' }, /shutdownDelay \(WATCHMAN_SHUTDOWN_DELAY_MS\) "soon"/],
    [{ checkOptions: { x: { critical: 'no' } } }, {}, /checkOptions/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"x":"http://user:hunter2@a.test/"' }, /not valid JSON/],
  ])('rejects %j %j naming the option', (options, vars, message) => {
    expect(() => resolveWatchmanConfig(options as never, env(vars as Record<string, string>))).toThrow(message);
  });

  it('never shows a password from a URL in its error', () => {
    expect(() =>
      resolveWatchmanConfig({}, env({ WATCHMAN_HTTP_CHECKS: '{"x":"http://user:hunter2@a.test/"' })),
    ).toThrow(/user:\*\*\*@a.test/);
    try {
      resolveWatchmanConfig({}, env({ WATCHMAN_HTTP_CHECKS: '{"x":"http://user:hunter2@a.test/"' }));
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('splits comma lists and arrays alike', () => {
    expect(toList(' a, ,b ,')).toEqual(['a', 'b']);
    expect(toList(['a ', '', ' b'])).toEqual(['a', 'b']);
    expect(toList(undefined)).toEqual([]);
  });
});
