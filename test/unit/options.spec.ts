import { resolve } from 'node:path';
import { WatchmanConfigError } from 'nestjs-watchman';
import { resolveWatchmanConfig, toList } from '../../lib/watchman.options.js';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('resolveWatchmanConfig', () => {
  it('has django-watchman defaults', () => {
    const config = resolveWatchmanConfig({}, env({}));
    expect(config).toMatchObject({
      tokens: [], tokenName: 'watchman-token', checks: undefined, enablePaidChecks: false, errorCode: 500,
      exposeVersion: false, checkTimeout: 5000, cacheTtl: 0, stacktraces: true, disableApm: false,
      databases: undefined, caches: undefined, mediaRoot: process.cwd(), storageDir: process.cwd(),
    });
    expect(config.email).toMatchObject({ sender: 'watchman@example.com', recipients: ['to@example.com'], headers: {} });
  });

  it('falls back to every environment variable', () => {
    const config = resolveWatchmanConfig({}, env({
      WATCHMAN_TOKENS: 'a, b,,', WATCHMAN_TOKEN_NAME: 'tk', WATCHMAN_CHECKS: 'watchman.checks.databases,custom',
      WATCHMAN_ENABLE_PAID_CHECKS: 'True', WATCHMAN_DATABASES: 'default,replica', WATCHMAN_CACHES: 'redis',
      WATCHMAN_ERROR_CODE: '503', EXPOSE_WATCHMAN_VERSION: '1', MEDIA_ROOT: '/srv/media', WATCHMAN_STORAGE_PATH: 'health',
      WATCHMAN_EMAIL_SENDER: 'me@x.test', WATCHMAN_EMAIL_RECIPIENTS: 'a@x.test, b@x.test',
      WATCHMAN_EMAIL_HEADERS: '{"X-Env":"prod"}', WATCHMAN_DISABLE_APM: 'yes', WATCHMAN_CHECK_TIMEOUT_MS: '250',
      WATCHMAN_CACHE_TTL_MS: '1000', WATCHMAN_STACKTRACES: 'false', SMTP_URL: 'smtp://localhost:25',
    }));
    expect(config).toMatchObject({
      tokens: ['a', 'b'], tokenName: 'tk', checks: ['databases', 'custom'], enablePaidChecks: true,
      databases: ['default', 'replica'], caches: ['redis'], errorCode: 503, exposeVersion: true,
      mediaRoot: '/srv/media', storageDir: '/srv/media/health', disableApm: true, checkTimeout: 250, cacheTtl: 1000, stacktraces: false,
    });
    expect(config.email).toEqual({ sender: 'me@x.test', recipients: ['a@x.test', 'b@x.test'], headers: { 'X-Env': 'prod' }, transport: 'smtp://localhost:25' });
  });

  it('prefers options given in code over the environment', () => {
    const config = resolveWatchmanConfig({ tokens: ['code'], errorCode: 418, checkTimeout: 10 }, env({ WATCHMAN_TOKENS: 'env', WATCHMAN_ERROR_CODE: '503' }));
    expect(config).toMatchObject({ tokens: ['code'], errorCode: 418, checkTimeout: 10 });
  });

  it('honours the deprecated WATCHMAN_TOKEN and warns', () => {
    const warnings: string[] = [];
    const config = resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old' }), (message) => warnings.push(message));
    expect(config.tokens).toEqual(['old']);
    expect(warnings.join()).toMatch(/WATCHMAN_TOKEN is deprecated/);
    expect(resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old', WATCHMAN_TOKENS: 'new' })).tokens).toEqual(['new']);
  });

  it.each([
    [{}, { WATCHMAN_CHECK_TIMEOUT_MS: 'soon' }, /checkTimeout \(WATCHMAN_CHECK_TIMEOUT_MS\) "soon"/],
    [{}, { WATCHMAN_CHECK_TIMEOUT_MS: '0' }, /checkTimeout 0/],
    [{ checkTimeout: 1.5 }, {}, /checkTimeout 1.5/],
    [{}, { WATCHMAN_ERROR_CODE: '5000' }, /errorCode 5000/],
    [{}, { WATCHMAN_CACHE_TTL_MS: '-1' }, /cacheTtl -1/],
    [{}, { EXPOSE_WATCHMAN_VERSION: 'maybe' }, /exposeVersion \(EXPOSE_WATCHMAN_VERSION\) "maybe"/],
    [{}, { WATCHMAN_EMAIL_HEADERS: '{bad json' }, /email.headers \(WATCHMAN_EMAIL_HEADERS\) "\{bad json": not valid JSON/],
    [{}, { WATCHMAN_EMAIL_HEADERS: '["x"]' }, /expected a JSON object/],
    [{ mediaRoot: '/srv/media', storagePath: '../etc' }, {}, /storagePath "..\/etc": must resolve inside mediaRoot/],
    [{ mediaRoot: '/srv/media', storagePath: '/tmp/elsewhere' }, {}, /storagePath "\/tmp\/elsewhere"/],
    [{ tokenName: ' ' }, {}, /tokenName/],
  ])('rejects %j %j naming the option and value', (options, vars, message) => {
    expect(() => resolveWatchmanConfig(options, env(vars as Record<string, string>))).toThrow(WatchmanConfigError);
    expect(() => resolveWatchmanConfig(options, env(vars as Record<string, string>))).toThrow(message);
  });

  it('accepts an absolute storage path inside the media root, and a relative one under it', () => {
    expect(resolveWatchmanConfig({ mediaRoot: '/srv/media', storagePath: '/srv/media/a/b' }, env({})).storageDir).toBe('/srv/media/a/b');
    expect(resolveWatchmanConfig({ mediaRoot: 'rel', storagePath: 'x' }, env({})).storageDir).toBe(resolve('rel/x'));
  });

  it('takes caches as a name → token map too', () => {
    const config = resolveWatchmanConfig({ caches: { redis: 'REDIS_CACHE' } }, env({}));
    expect(config.cacheTokens).toEqual({ redis: 'REDIS_CACHE' });
    expect(config.caches).toBeUndefined();
    expect(resolveWatchmanConfig({ caches: ['redis'], cacheTokens: { redis: 'R' } }, env({})).caches).toEqual(['redis']);
  });

  it('splits comma lists and arrays alike', () => {
    expect(toList(' a, ,b ,')).toEqual(['a', 'b']);
    expect(toList(['a ', '', ' b'])).toEqual(['a', 'b']);
    expect(toList(undefined)).toEqual([]);
  });
});
