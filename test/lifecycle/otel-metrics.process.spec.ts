import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { FailingCheck, PassingCheck, ShardsCheck } from '../fixtures/checks.js';
import { using } from '../support/http-app.js';
import { PROMETHEUS, type Sample, query, startPrometheus } from '../support/prometheus.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// Watchman's metrics through OpenTelemetry: the app's MeterProvider (sdk-metrics) with the
// Prometheus exporter on its own port, and a real Prometheus scraping both that exporter and
// /watchman/metrics (prom-client), so each series can be compared with its twin.

const TOKEN = 'otel-metrics-token';
const RUNS = 3;

/** A MeterProvider whose Prometheus exporter serves on a free port, set as the global one. */
async function otelSdk() {
  const port = await closedPort();
  const exporter = new PrometheusExporter({ host: '127.0.0.1', port });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return {
    target: `127.0.0.1:${port}`,
    close: async () => {
      await provider.shutdown();
      metrics.disable();
    },
  };
}

/** `name{labels} value` of each sample, without the labels a scrape adds (job, instance, otel_*). */
function series(samples: Sample[]): string[] {
  return samples
    .map(({ metric, value }) => {
      const labels = Object.entries(metric)
        .filter(([key]) => !['__name__', 'job', 'instance'].includes(key) && !key.startsWith('otel_'))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, label]) => `${key}="${label}"`)
        .join(',');
      return `${metric.__name__}{${labels}} ${value[1]}`;
    })
    .sort();
}

describeIf(needsProgram(PROMETHEUS, 'prometheus'))('watchman’s metrics on the OpenTelemetry MeterProvider', () => {
  it('exports the four metrics of /metrics, with the same names, attributes and values, scraped by a real Prometheus', async () => {
    await using(otelSdk(), async (sdk) => {
      const app = watchmanApp(
        {
          checks: ['passing', 'failing', 'shards'],
          nonCritical: ['failing', 'shards'],
          tokens: [TOKEN],
          // Scrapes of /watchman/metrics reuse the last results: no run but the test's own.
          cacheTtl: 3_600_000,
        },
        PassingCheck,
        FailingCheck,
        ShardsCheck,
      ).start();
      await using(app, async ({ url, runner }) => {
        // Exactly RUNS runs of each check.
        for (let run = 0; run < RUNS; run += 1) await runner.refresh(['passing', 'failing', 'shards']);
        const prometheus = await startPrometheus({
          global: { scrape_interval: '1s' },
          scrape_configs: [
            { job_name: 'otel', static_configs: [{ targets: [sdk.target] }] },
            {
              job_name: 'watchman',
              metrics_path: '/watchman/metrics',
              authorization: { type: 'WATCHMAN-TOKEN', credentials: `Token="${TOKEN}"` },
              static_configs: [{ targets: [new URL(url).host] }],
            },
          ],
        });
        await using({ close: () => prometheus.stop() }, async () => {
          const { api } = prometheus;
          const read = (name: string, job: string) => query(api, `${name}{job="${job}"}`);
          const otelUp = await until(
            () => read('watchman_check_up', 'otel'),
            (samples) => samples.length === 5,
            { limitMs: 30_000, everyMs: 250 },
          );
          // Prometheus keeps alias="" as no alias label at all.
          expect(series(otelUp)).toEqual([
            'watchman_check_up{alias="alpha",check="shards",critical="false"} 1',
            'watchman_check_up{alias="mid",check="shards",critical="false"} 0',
            'watchman_check_up{alias="zeta",check="shards",critical="false"} 1',
            'watchman_check_up{check="failing",critical="false"} 0',
            'watchman_check_up{check="passing",critical="true"} 1',
          ]);
          // The meter is watchman's own.
          expect(otelUp.every((sample) => sample.metric.otel_scope_name === 'nestjs-watchman')).toBe(true);
          const runs = await read('watchman_check_runs_total', 'otel');
          expect(series(runs)).toEqual(
            [
              `watchman_check_runs_total{alias="alpha",check="shards",critical="false",result="ok"} ${RUNS}`,
              `watchman_check_runs_total{alias="mid",check="shards",critical="false",result="failed"} ${RUNS}`,
              `watchman_check_runs_total{alias="zeta",check="shards",critical="false",result="ok"} ${RUNS}`,
              `watchman_check_runs_total{check="failing",critical="false",result="failed"} ${RUNS}`,
              `watchman_check_runs_total{check="passing",critical="true",result="ok"} ${RUNS}`,
            ].sort(),
          );
          // This exporter adds no unit suffix: `watchman.check.duration` (unit s) is watchman_check_duration.
          const durations = await read('watchman_check_duration', 'otel');
          expect(durations).toHaveLength(5);
          // PassingCheck sleeps 5 ms.
          const passing = durations.find((sample) => sample.metric.check === 'passing');
          expect(Number(passing?.value[1])).toBeGreaterThanOrEqual(0.004);
          // Only non-critical checks fail: the app is up.
          expect(series(await read('watchman_up', 'otel'))).toEqual(['watchman_up{} 1']);

          // Twin for twin, the same as /watchman/metrics.
          await until(
            () => read('watchman_check_up', 'watchman'),
            (samples) => samples.length === 5,
            { limitMs: 30_000, everyMs: 250 },
          );
          const twins: Array<[string, string]> = [
            ['watchman_up', 'watchman_up'],
            ['watchman_check_up', 'watchman_check_up'],
            ['watchman_check_duration', 'watchman_check_duration_seconds'],
            ['watchman_check_runs_total', 'watchman_check_runs_total'],
          ];
          for (const [otel, prom] of twins) {
            const renamed = series(await read(otel, 'otel')).map((line) => line.replace(otel, prom));
            expect([prom, renamed]).toEqual([prom, series(await read(prom, 'watchman'))]);
          }
        });
      });
    });
  }, 90_000);
});
