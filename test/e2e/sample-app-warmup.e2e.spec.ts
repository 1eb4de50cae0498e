import request from 'supertest';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';
import { withEnv } from '../support/with-env.js';

// SAMPLE_WARMUP_MS: the sample holds readiness through WatchmanAvailability while it "warms up".
const { AppModule } = await withEnv({ MEDIA_ROOT: tempDir() }, () => import('../../sample-app/src/app.module.js'));
const TOKEN = 'warm-s3cret';

describe.each(ADAPTERS)('the sample app’s warm-up on %s', (adapter) => {
  it('keeps ready 503 while it warms, names it for a token holder, then lets ready pass', async () => {
    const boot = withEnv({ SAMPLE_WARMUP_MS: '1500', WATCHMAN_TOKENS: TOKEN, MEDIA_ROOT: tempDir() }, () =>
      startHttpApp({ imports: [AppModule] }, adapter),
    );
    await using(boot, async ({ url }) => {
      const held = await request(url).get(`/watchman/ready?verbose&watchman-token=${TOKEN}`);
      expect(held.status).toBe(503);
      expect(held.text).toContain('[-]availability failed: warmup: pending\n');
      expect((await request(url).get('/watchman/live')).status).toBe(200);
      const ready = await until(
        async () => (await request(url).get('/watchman/ready')).status,
        (status) => status === 200,
      );
      expect(ready).toBe(200);
    });
  });
});
