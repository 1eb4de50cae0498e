import { register } from 'prom-client';
import request from 'supertest';
import { FailingCheck, PassingCheck, ShardsCheck, RunCounter, sleep } from '../fixtures/checks.js';
import { Injectable } from '@nestjs/common';
import { WatchmanCheck, WatchmanModule } from 'nestjs-watchman';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

const slow = new RunCounter();
@WatchmanCheck('slow_metric')
@Injectable()
class SlowCheck {
  async check() {
    slow.enter();
    await sleep(200);
    slow.leave();
  }
}

/** `name{labels} value` lines of a text exposition, as a map. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) found.set(match[1], Number(match[2]));
  }
  return found;
}

describe.each(ADAPTERS)('GET /watchman/metrics on %s', (adapter) => {
  const imports = (options: object = {}) => [
    WatchmanModule.forRoot({
      mediaRoot: tempDir(),
      tokens: ['t'],
      checks: ['passing', 'failing', 'shards'],
      ...options,
    }),
  ];

  it('is token-protected like the JSON route, and answers the four metrics with check, alias (and critical) labels', async () => {
    await withApp(
      { imports: imports(), providers: [PassingCheck, FailingCheck, ShardsCheck] },
      adapter,
      async (app) => {
        const refused = await request(app.url).get('/watchman/metrics').expect(403);
        expect(refused.text).toBe('');
        const res = await request(app.url)
          .get('/watchman/metrics')
          .set('Authorization', 'WATCHMAN-TOKEN Token="t"')
          .expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        const values = samples(res.text);
        expect(values.get('watchman_up')).toBe(0);
        expect(values.get('watchman_check_up{check="passing",alias="",critical="true"}')).toBe(1);
        expect(values.get('watchman_check_up{check="failing",alias="",critical="true"}')).toBe(0);
        expect(values.get('watchman_check_up{check="shards",alias="alpha",critical="true"}')).toBe(1);
        expect(values.get('watchman_check_up{check="shards",alias="mid",critical="true"}')).toBe(0);
        expect(values.get('watchman_check_duration_seconds{check="passing",alias=""}')).toBeGreaterThan(0);
        expect(res.text).toContain('# TYPE watchman_check_runs_total counter');
        const before =
          values.get('watchman_check_runs_total{check="failing",alias="",critical="true",result="failed"}') ?? 0;
        const again = samples((await request(app.url).get('/watchman/metrics?watchman-token=t').expect(200)).text);
        expect(again.get('watchman_check_runs_total{check="failing",alias="",critical="true",result="failed"}')).toBe(
          before + 1,
        );
        expect(
          again.get('watchman_check_runs_total{check="passing",alias="",critical="true",result="ok"}'),
        ).toBeGreaterThanOrEqual(2);
        // ?check narrows the run, as on the JSON route
        const narrowed = samples(
          (await request(app.url).get('/watchman/metrics?watchman-token=t&check=passing').expect(200)).text,
        );
        expect(
          narrowed.get('watchman_check_runs_total{check="failing",alias="",critical="true",result="failed"}'),
        ).toBe(before + 1);
      },
    );
  });

  it('shares runs with concurrent JSON requests: a scrape runs the checks like one', async () => {
    await withApp({ imports: imports({ checks: ['slow_metric'] }), providers: [SlowCheck] }, adapter, async (app) => {
      const before = slow.runs;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(app.url).get(i % 2 ? '/watchman/metrics?watchman-token=t' : '/watchman?watchman-token=t'),
        ),
      );
      expect(responses.every((res) => res.status === 200)).toBe(true);
      expect(slow.runs - before).toBe(1);
    });
  });

  it('appears in the app’s own default registry, and two registrations do not register twice', async () => {
    await withApp(
      {
        imports: [
          WatchmanModule.forRoot({ path: 'one', mediaRoot: tempDir(), checks: ['passing'] }),
          WatchmanModule.forRoot({ path: 'two', mediaRoot: tempDir(), checks: ['failing'] }),
        ],
        providers: [PassingCheck, FailingCheck],
      },
      adapter,
      async (app) => {
        await request(app.url).get('/one').expect(200);
        await request(app.url).get('/two').expect(500);
        const own = samples(await register.metrics());
        expect(own.get('watchman_check_up{check="passing",alias="",critical="true"}')).toBe(1);
        expect(own.get('watchman_check_up{check="failing",alias="",critical="true"}')).toBe(0);
        const one = samples((await request(app.url).get('/one/metrics').expect(200)).text);
        expect(one.get('watchman_check_up{check="failing",alias="",critical="true"}')).toBe(0);
        // Overall: down, because registration two has a critical failure.
        expect(one.get('watchman_up')).toBe(0);
        expect(samples((await request(app.url).get('/two/metrics').expect(200)).text).get('watchman_up')).toBe(0);
        expect(
          (await register.getMetricsAsJSON()).filter((metric) => metric.name === 'watchman_check_up'),
        ).toHaveLength(1);
      },
    );
  });
});
