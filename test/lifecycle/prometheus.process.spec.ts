import { faultProxy } from '../support/fault-proxy.mjs';
import { ADAPTERS, using } from '../support/http-app.js';
import { PROMETHEUS, query, startPrometheus } from '../support/prometheus.js';
import { RULES_FILE } from '../support/operators.js';
import { readmeYaml } from '../support/readme-blocks.js';
import { describeIf, needsProgram, needsService } from '../support/requirements.js';
import { startSampleApp } from '../support/spawn-node.js';
import { until } from '../support/until.js';

// A real Prometheus server, with the README's scrape job and the shipped alert rules
// (operators/watchman.rules.yml), scraping the sample app; the database behind it fails and comes back.

const describePrometheus = describeIf(
  needsProgram(PROMETHEUS, 'prometheus') ?? (await needsService('PostgreSQL', 5432)),
);

interface ScrapeConfig {
  job_name: string;
  metrics_path: string;
  scrape_interval: string;
  authorization: { type: string; credentials: string };
  static_configs: Array<{ targets: string[] }>;
}

const SCRAPES = { limitMs: 30_000, everyMs: 250 };

describePrometheus('a real Prometheus scraping /watchman/metrics', () => {
  it.each(ADAPTERS)(
    'on %s: sees every check up, the database go down when it fails and up again, and loads the shipped alert rules',
    async (adapter) => {
      const scrape = readmeYaml<{ scrape_configs: ScrapeConfig[] }>('prometheus.yml').scrape_configs[0];
      const token = /Token="([^"]+)"/.exec(scrape.authorization.credentials)?.[1] ?? '';
      // Closed in reverse: Prometheus, the app (SIGTERM), then the proxy.
      await using(faultProxy(5432), async (proxy) => {
        const app = await startSampleApp({
          HTTP_ADAPTER: adapter,
          WATCHMAN_TOKENS: token,
          DATABASE_URL_PG: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
          WATCHMAN_CHECK_TIMEOUT_MS: '1000',
        });
        await using({ close: () => app.stop('SIGTERM') }, async () => {
          // The README's job, as is, but scraped every second (the test would wait 15 s otherwise).
          const job = { ...scrape, scrape_interval: '1s', static_configs: [{ targets: [new URL(app.url).host] }] };
          const prometheus = await startPrometheus({
            global: { scrape_interval: '1s', evaluation_interval: '1s' },
            rule_files: [RULES_FILE],
            scrape_configs: [job],
          });
          const { api } = prometheus;
          /** The pg database's watchman_check_up, once Prometheus has scraped it at `value`. */
          const pgUp = async (value: string) =>
            (
              await until(
                () => query(api, 'watchman_check_up{check="databases",alias="pg"}'),
                (samples) => samples[0]?.value[1] === value,
                SCRAPES,
              )
            )[0]?.value[1];
          await using({ close: () => prometheus.stop() }, async () => {
            try {
              const target = await until(
                async () =>
                  (
                    (await (await fetch(`${api}/api/v1/targets`)).json()) as {
                      data: { activeTargets: Array<{ health: string; lastError: string }> };
                    }
                  ).data.activeTargets[0],
                (value) => value?.health === 'up',
                SCRAPES,
              );
              expect(target).toMatchObject({ health: 'up', lastError: '' }); // the WATCHMAN-TOKEN header got through

              const allUp = await until(
                () => query(api, 'watchman_check_up'),
                (samples) => samples.length >= 5 && samples.every((sample) => sample.value[1] === '1'),
                SCRAPES,
              );
              // Prometheus stores alias="" as no alias label at all.
              expect(allUp.map((sample) => `${sample.metric.check}/${sample.metric.alias ?? ''}`).sort()).toEqual([
                'caches/default',
                'databases/default',
                'databases/pg',
                'event_loop/',
                'storage/',
              ]);
              expect(allUp.every((sample) => sample.metric.job === scrape.job_name)).toBe(true);

              await proxy.set('refuse');
              expect(await pgUp('0')).toBe('0');
              expect((await query(api, 'watchman_up'))[0]?.value[1]).toBe('0');
              expect((await query(api, 'watchman_check_up{check="storage"}'))[0]?.value[1]).toBe('1');
              // The shipped rule fires (pending for its `for:`) on exactly that check.
              const alert = await until(
                async () =>
                  (
                    (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
                      data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
                    }
                  ).data.alerts,
                (alerts) => alerts.some((candidate) => candidate.labels.alias === 'pg'),
                SCRAPES,
              );
              expect(alert.find((candidate) => candidate.labels.alias === 'pg')).toMatchObject({
                labels: { alertname: 'WatchmanCheckFailing', check: 'databases', alias: 'pg', severity: 'page' },
                state: 'pending',
              });

              await proxy.set('pass');
              expect(await pgUp('1')).toBe('1');
              const runs = await query(api, 'watchman_check_runs_total{check="databases",alias="pg",result="failed"}');
              expect(Number(runs[0]?.value[1])).toBeGreaterThan(0);
              const rules = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
                data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> };
              };
              expect(rules.data.groups[0].rules[0]).toMatchObject({ name: 'WatchmanCheckFailing', health: 'ok' });
            } catch (error) {
              throw new Error(`${(error as Error).message}\nprometheus log:\n${prometheus.log}`, { cause: error });
            }
          });
        });
      });
    },
    120_000,
  );
});
