import { VersioningType } from '@nestjs/common';
import request from 'supertest';
import { WatchmanModule } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

// `setGlobalPrefix('api')` plus URI versioning put the probes at /api/v1/watchman/ready, where
// no README block looked for them. The controller is version-neutral, and the README's
// `exclude` keeps the probe paths where the orchestrator's config says they are.
const TOKEN = 'prefix-token';
const watchman = () => ({
  imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], checks: ['passing'] })],
  providers: [PassingCheck],
});

describe.each(ADAPTERS)('a global prefix and URI versioning on %s', (adapter) => {
  it('leave watchman below the prefix, unversioned', async () => {
    const app = startHttpApp(watchman(), adapter, {
      configure: (nest) => {
        nest.setGlobalPrefix('api');
        nest.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      },
    });
    await using(app, async ({ url }) => {
      for (const route of ['/api/watchman/ready', '/api/watchman/live', '/api/watchman/ping', '/api/watchman/bare'])
        expect([route, (await request(url).get(route)).status]).toEqual([route, 200]);
      expect((await request(url).get(`/api/watchman?watchman-token=${TOKEN}`)).body.passing.ok).toBe(true);
      expect((await request(url).get('/api/v1/watchman/ready')).status).toBe(404);
    });
  });

  it('serve the probes at the bare path with the README’s exclude, the rest below the prefix', async () => {
    const app = startHttpApp(watchman(), adapter, {
      configure: (nest) => {
        // As the README's "Global prefix and versioning" block writes it.
        nest.setGlobalPrefix('api', {
          exclude: ['watchman/ping', 'watchman/bare', 'watchman/live', 'watchman/ready'],
        });
        nest.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      },
    });
    await using(app, async ({ url }) => {
      for (const route of ['/watchman/ready', '/watchman/live', '/watchman/ping', '/watchman/bare'])
        expect([route, (await request(url).get(route)).status]).toEqual([route, 200]);
      expect((await request(url).get(`/api/watchman?watchman-token=${TOKEN}`)).status).toBe(200);
      // Both mounts keep watchman's own answers for what is not a route: no echoed URL.
      for (const route of ['/watchman/nope', '/api/watchman/nope']) {
        const res = await request(url).get(`${route}?watchman-token=${TOKEN}`);
        expect([route, res.status, res.text.includes(TOKEN)]).toEqual([route, 404, false]);
      }
      const post = await request(url).post(`/watchman/ready?watchman-token=${TOKEN}`);
      expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    });
  });
});
