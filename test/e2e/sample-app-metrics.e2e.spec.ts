import request from 'supertest';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

// The sample app's own `/metrics` names every check and whether it is up: it is guarded by
// watchman's token guard, like `/watchman/metrics`. The sample reads its services from the
// environment when imported: only the defaults here (SQLite in memory, in-memory cache).
const { AppModule } = await withEnv({ MEDIA_ROOT: tempDir() }, () => import('../../sample-app/src/app.module.js'));
const TOKEN = 'metrics-s3cret';

describe.each(ADAPTERS)('the sample app /metrics on %s', (adapter) => {
  const boot = (tokens: string | undefined) =>
    withEnv({ WATCHMAN_TOKENS: tokens, MEDIA_ROOT: tempDir() }, () => startHttpApp({ imports: [AppModule] }, adapter));

  it('needs a token when watchman has tokens, as /watchman/metrics does', async () => {
    await using(boot(TOKEN), async (app) => {
      for (const path of ['/metrics', '/watchman/metrics']) {
        const refused = await request(app.url).get(path);
        expect([path, refused.status]).toEqual([path, 403]);
        expect(refused.text).not.toContain('watchman_check_up');
        await request(app.url).get(`${path}?watchman-token=wrong`).expect(403);
      }
      // One run, so watchman's series are there whether or not a scrape runs the checks itself.
      await request(app.url).get(`/watchman?watchman-token=${TOKEN}`).expect(200);
      const byQuery = await request(app.url).get(`/metrics?watchman-token=${TOKEN}`).expect(200);
      expect(byQuery.text).toContain('process_cpu_user_seconds_total');
      expect(byQuery.text).toMatch(/watchman_check_up\{check="databases",alias="default"[^}]*\} 1/);
      const byHeader = await request(app.url)
        .get('/metrics')
        .set('Authorization', `WATCHMAN-TOKEN Token="${TOKEN}"`)
        .expect(200);
      expect(byHeader.headers['content-type']).toMatch(/^text\/plain/);
    });
  });

  it('is open when no token is configured, like watchman’s routes', async () => {
    await using(boot(undefined), async (app) => {
      const res = await request(app.url).get('/metrics').expect(200);
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });
  });
});
