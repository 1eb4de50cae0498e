import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createCache } from 'cache-manager';
import request from 'supertest';
import { WatchmanModule } from 'nestjs-watchman';
import { FailingCheck, PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

const NAMED_CACHE = 'SESSIONS_CACHE';
const sqlite = (name?: string) => TypeOrmModule.forRoot({ type: 'sqljs', name });
const namedCache = { provide: NAMED_CACHE, useFactory: () => createCache() };

describe.each(ADAPTERS)('built-in checks without services on %s', (adapter) => {
  it('finds default and named SQLite DataSources and caches by themselves, sorted by alias', async () => {
    const setup = watchmanApp({ cacheTokens: { sessions: NAMED_CACHE } }, namedCache).imports(
      sqlite(),
      sqlite('zreports'),
      sqlite('analytics'),
      CacheModule.register({ isGlobal: true }),
    );
    await using(setup.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.body).toEqual({
        caches: [{ default: { ok: true } }, { sessions: { ok: true } }],
        databases: [{ analytics: { ok: true } }, { default: { ok: true } }, { zreports: { ok: true } }],
        storage: { ok: true },
      });
    });
  });

  it('checks only the databases and caches subsets', async () => {
    const options = { databases: ['analytics'], caches: ['sessions'], cacheTokens: { sessions: NAMED_CACHE } };
    const setup = watchmanApp(options, namedCache).imports(
      sqlite(),
      sqlite('analytics'),
      CacheModule.register({ isGlobal: true }),
    );
    await using(setup.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman?skip=storage').expect(200);
      expect(res.body).toEqual({ caches: [{ sessions: { ok: true } }], databases: [{ analytics: { ok: true } }] });
    });
  });

  it('reports a subset name that matches no DataSource or cache as failing', async () => {
    const setup = watchmanApp({ databases: ['default', 'ghost'], caches: ['default'] }).imports(sqlite());
    await using(setup.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman?skip=storage').expect(500);
      expect(res.body.databases[0]).toEqual({ default: { ok: true } });
      expect(res.body.databases[1].ghost).toMatchObject({ ok: false, error: 'no database named "ghost"' });
      expect(res.body.caches[0].default).toMatchObject({
        ok: false,
        error: expect.stringContaining('no cache named "default"'),
      });
    });
  });

  it('writes under storagePath inside mediaRoot and leaves no file behind', async () => {
    const media = tempDir();
    const setup = watchmanApp({ mediaRoot: media, storagePath: 'health/probe', checks: ['storage'] });
    await using(setup.start(adapter), async (app) => {
      await Promise.all(Array.from({ length: 20 }, () => request(app.url).get('/watchman?skip=none').expect(200)));
      expect(readdirSync(join(media, 'health/probe'))).toEqual([]);
    });
  });

  it('reports a storage path that cannot be written, with the OS error', async () => {
    const media = tempDir();
    writeFileSync(join(media, 'blocker'), 'a regular file where a folder should be');
    const setup = watchmanApp(
      { mediaRoot: media, storagePath: 'blocker/sub', checks: ['storage', 'passing'] },
      PassingCheck,
    );
    await using(setup.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.storage.ok).toBe(false);
      expect(res.body.storage.error).toMatch(/ENOTDIR|EEXIST/);
      expect(res.body.passing.ok).toBe(true);
    });
  });
});

describe('start-up', () => {
  it('stops on an unknown check name, naming it', async () => {
    await expect(watchmanApp({ checks: ['databases', 'nope'] }).bootAndClose()).rejects.toThrow(
      /checks \(WATCHMAN_CHECKS\) "nope": unknown check name/,
    );
  });

  it('stops on a bad environment value, naming the variable', async () => {
    await withEnv({ WATCHMAN_CHECK_TIMEOUT_MS: 'fast' }, async () => {
      await expect(watchmanApp().bootAndClose()).rejects.toThrow(/WATCHMAN_CHECK_TIMEOUT_MS\) "fast"/);
    });
  });

  it('accepts custom checks in an explicit list, in dotted form too', async () => {
    const setup = watchmanApp({ checks: ['watchman.checks.storage', 'passing'] }, PassingCheck);
    await expect(setup.bootAndClose()).resolves.toBeUndefined();
  });
});

describe('which checks run', () => {
  const names = async (options: Parameters<typeof WatchmanModule.forRoot>[0], providers: unknown[] = []) => {
    return using(watchmanApp(options, ...providers).start(), async (app) => {
      const res = await request(app.url).get('/watchman');
      return Object.keys(res.body);
    });
  };

  it('defaults to the built-ins plus every discovered check', async () => {
    expect(await names({}, [PassingCheck, FailingCheck])).toEqual([
      'caches',
      'databases',
      'failing',
      'passing',
      'storage',
    ]);
  });
  it('adds email with enablePaidChecks', async () => {
    expect(await names({ enablePaidChecks: true })).toEqual(['caches', 'databases', 'email', 'storage']);
  });
  it('runs exactly an explicit list', async () => {
    expect(await names({ checks: ['storage'] }, [PassingCheck])).toEqual(['storage']);
  });
});

describe('options from ConfigService and forRootAsync', () => {
  it('reads WATCHMAN_* through the app ConfigService (e.g. loaded configuration)', async () => {
    const config = ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [() => ({ WATCHMAN_TOKENS: 'from-config', WATCHMAN_ERROR_CODE: 503 })],
    });
    await using(
      watchmanApp({ checks: ['failing'] }, FailingCheck)
        .imports(config)
        .start(),
      async (app) => {
        await request(app.url).get('/watchman').expect(403);
        await request(app.url).get('/watchman?watchman-token=from-config').expect(503);
      },
    );
  });

  it.each(ADAPTERS)(
    'builds options with forRootAsync + inject on %s, with extras known synchronously',
    async (adapter) => {
      @Module({ providers: [{ provide: 'SECRETS', useValue: { token: 'async-token' } }], exports: ['SECRETS'] })
      class SecretsModule {}
      const setup = watchmanApp().watchman(
        WatchmanModule.forRootAsync({
          imports: [SecretsModule],
          inject: ['SECRETS'],
          useFactory: (secrets: { token: string }) => ({
            tokens: [secrets.token],
            mediaRoot: tempDir(),
            checks: ['storage'],
          }),
          path: 'status',
        }),
      );
      await using(setup.start(adapter), async (app) => {
        await request(app.url).get('/status').expect(403);
        await request(app.url).get('/status?watchman-token=async-token').expect(200);
      });
    },
  );
});
