import { join } from 'node:path';
import { BullModule } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { ADAPTERS, using } from '../support/http-app.js';
import { describeWithService } from '../support/requirements.js';
import { ROOT, runNode } from '../support/spawn-node.js';
import { watchmanApp } from '../support/watchman-app.js';

// The `queues` check's alias, `mail`, on every front end: JSON, dashboard, health+json,
// Prometheus metrics, `?check`, the drill-down route, and the CLI over the sample app.

const PREFIX = `watchman_e2e_${process.pid}`;
const COUNTS = { waiting: 0, active: 0, failed: 0, delayed: 0 };
const describeRedis = await describeWithService('Redis', 6379);

const app = watchmanApp({ checks: ['queues', 'storage'], tokens: ['t'] }).imports(
  BullModule.forRoot({ connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX }),
  BullModule.registerQueue({ name: 'mail' }),
);

describeRedis('queues check on every front end', () => {
  afterAll(async () => {
    const queue = new Queue('mail', { connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('shows alias mail in the JSON, ?check, drill-down, dashboard, health+json and metrics', async () => {
      await using(app.start(adapter), async ({ url }) => {
        const json = await request(url).get('/watchman?watchman-token=t').expect(200);
        expect(json.body).toEqual({ queues: [{ mail: { ok: true, ...COUNTS } }], storage: { ok: true } });
        const only = await request(url).get('/watchman?check=queues&watchman-token=t').expect(200);
        expect(only.body).toEqual({ queues: [{ mail: { ok: true, ...COUNTS } }] });
        const drill = await request(url).get('/watchman/queues?watchman-token=t').expect(200);
        expect(drill.body).toEqual(only.body);

        const page = await request(url).get('/watchman/dashboard?watchman-token=t').expect(200);
        expect(page.text).toMatch(
          /<td data-label="Type"><div><a href="[^"]*check=queues[^"]*">queues<\/a><\/div><\/td>\s*<td data-label="Name"><div>mail<\/div><\/td>\s*<td data-label="Status"><div><span class="status ok">/,
        );

        const health = await request(url)
          .get('/watchman?watchman-token=t')
          .set('Accept', 'application/health+json')
          .expect(200);
        expect(health.body.checks['queues:mail']).toEqual([
          expect.objectContaining({ componentType: 'component', status: 'pass', observedUnit: 'ms' }),
        ]);

        const metrics = await request(url).get('/watchman/metrics?watchman-token=t').expect(200);
        expect(metrics.text).toContain('watchman_check_up{check="queues",alias="mail",critical="true"} 1');
        expect(metrics.text).toMatch(/watchman_check_duration_seconds\{check="queues",alias="mail"[^}]*\} \d/);
      });
    });
  });

  it('shows alias mail in the CLI over the sample app with BULLMQ_URL', async () => {
    // -v 2: one JSON line per check on stdout. Nothing adds jobs to the sample's queue (Redis database 6).
    const module = `${join(ROOT, 'sample-app/dist/app.module.js')}#AppModule`;
    const run = await runNode([join(ROOT, 'dist/cli/bin.js'), '--module', module, '-c', 'queues', '-v', '2'], {
      BULLMQ_URL: 'redis://127.0.0.1:6379/6',
    });
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        queues: [{ mail: { ok: true, ...COUNTS } }],
      },
    ]);
  });
});
