import { CacheModule } from '@nestjs/cache-manager';
import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanHealthIndicator, WatchmanModule, type WatchmanMultiCheckable } from 'nestjs-watchman';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

// A multi-resource check with nothing to check used to answer `"caches": []`, which reads as
// "every cache is fine" when no cache was ever set up. It says so instead.

const NONE = { ok: true, note: 'none configured' };

@WatchmanCheck('shards')
@Injectable()
class NoShards implements WatchmanMultiCheckable {
  aliases(): string[] {
    return [];
  }
  checkAlias(): void {
    throw new Error('never called: there is no shard');
  }
}

describe.each(ADAPTERS)('multi-resource checks with no resource, on %s', (adapter) => {
  it('say "none configured" in the JSON and on the dashboard, and stay ok', async () => {
    const module = {
      imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['databases', 'caches', 'shards', 'storage'] })],
      providers: [NoShards],
    };
    await withApp(module, adapter, async (app) => {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.body).toEqual({ caches: NONE, databases: NONE, shards: NONE, storage: { ok: true } });
      expect((await request(app.url).get('/watchman/caches').expect(200)).body).toEqual({ caches: NONE });
      const html = (await request(app.url).get('/watchman/dashboard').expect(200)).text;
      const rows = [...html.matchAll(/<tr class="ok">([\s\S]*?)<\/tr>/g)].map((row) => row[1]);
      for (const name of ['caches', 'databases', 'shards'])
        expect([name, rows.find((row) => row.includes(`>${name}</a>`))]).toEqual([
          name,
          expect.stringContaining('<span class="muted">none configured</span>'),
        ]);
      expect(rows.find((row) => row.includes('>storage</a>'))).not.toContain('none configured');
      // Through terminus too; the health+json format has no entry for it (there is no component).
      expect((await app.app.get(WatchmanHealthIndicator).isHealthy())['watchman:caches']).toEqual({
        status: 'up',
        ...NONE,
      });
      const health = await request(app.url).get('/watchman?format=health+json').expect(200);
      expect(Object.keys(health.body.checks)).toEqual(['storage']);
    });
  });

  it('keep the list shape as soon as there is one resource', async () => {
    const module = {
      imports: [CacheModule.register(), WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['caches'] })],
    };
    await withApp(module, adapter, async (app) => {
      expect((await request(app.url).get('/watchman').expect(200)).body).toEqual({
        caches: [{ default: { ok: true } }],
      });
    });
  });
});
