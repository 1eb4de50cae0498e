import { hostname } from 'node:os';
import { PROMETHEUS, query, startPrometheus } from '../support/prometheus.js';
import { PUSHGATEWAY, type PushedGroup, startPushgateway } from '../support/pushgateway.js';
import { readmeYaml } from '../support/readme-blocks.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { using } from '../support/http-app.js';
import { type NodeServer, shutDownCleanly, startSampleApp } from '../support/spawn-node.js';
import { until } from '../support/until.js';

// Two sample-app processes push to Debian's real Pushgateway, which a real Prometheus scrapes:
// each instance is a group of its own, and the group of one that gets SIGTERM is gone.

const describePushgateway = describeIf(
  needsProgram(PUSHGATEWAY, 'prometheus-pushgateway') ?? needsProgram(PROMETHEUS, 'prometheus'),
);

const SCRAPES = { limitMs: 30_000, everyMs: 250 };
const instances = (groups: PushedGroup[]) => groups.map((group) => group.labels.instance).sort();

describePushgateway('the Pushgateway publisher, with a real Pushgateway and Prometheus', () => {
  it('pushes every instance as its own group, scraped by Prometheus, and deletes it at shutdown', async () => {
    const readmeJob = readmeYaml<{ scrape_configs: Array<Record<string, unknown>> }>('pushgateway-scrape.yml')
      .scrape_configs[0];
    expect(readmeJob).toMatchObject({ honor_labels: true });
    await using(startPushgateway(), async (pushgateway) => {
      const env = { WATCHMAN_PUSHGATEWAY_URL: pushgateway.url, WATCHMAN_PUSHGATEWAY_INTERVAL_MS: '500' };
      const named = await startSampleApp({ ...env, WATCHMAN_INSTANCE: 'web-a' });
      await using({ close: () => named.stop() }, async () => {
        const unnamed = await startSampleApp(env); // the default instance: <host name>-<pid>
        await using({ close: () => unnamed.stop() }, async () => {
          // The README's job (honor_labels: the pushed job and instance are kept), on this Pushgateway.
          const prometheus = await startPrometheus({
            global: { scrape_interval: '1s' },
            scrape_configs: [{ ...readmeJob, static_configs: [{ targets: [new URL(pushgateway.url).host] }] }],
          });
          await using({ close: () => prometheus.stop() }, () =>
            withLogs(prometheus, pushgateway, () =>
              pushAndDelete(pushgateway, prometheus.api, named, `${hostname()}-${unnamed.child.pid}`),
            ),
          );
        });
      });
    });
  }, 120_000);
});

async function pushAndDelete(
  pushgateway: { groups(): Promise<PushedGroup[]> },
  api: string,
  named: NodeServer,
  defaultInstance: string,
): Promise<void> {
  const groups = await until(
    () => pushgateway.groups(),
    (found) => found.length === 2,
    SCRAPES,
  );
  expect(instances(groups)).toEqual([defaultInstance, 'web-a'].sort());
  expect(groups.every((group) => group.labels.job === 'watchman')).toBe(true);

  const up = await until(
    () => query(api, 'watchman_check_up'),
    (samples) => new Set(samples.map((sample) => sample.metric.instance)).size === 2,
    SCRAPES,
  );
  // The same series as /watchman/metrics, per instance: every check of the sample app.
  for (const instance of ['web-a', defaultInstance]) {
    const mine = up.filter((sample) => sample.metric.instance === instance);
    expect(mine.map((sample) => `${sample.metric.check}/${sample.metric.alias ?? ''}`).sort()).toEqual([
      'caches/default',
      'databases/default',
      'event_loop/',
      'storage/',
    ]);
    expect(mine.every((sample) => sample.metric.job === 'watchman' && sample.value[1] === '1')).toBe(true);
  }
  expect((await query(api, 'watchman_up{instance="web-a"}'))[0]?.value[1]).toBe('1');
  expect((await query(api, 'watchman_check_runs_total{instance="web-a",check="storage"}')).length).toBe(1);

  const stopped = await named.stop('SIGTERM');
  expect(shutDownCleanly(stopped)).toBe(true);
  // Gone from the Pushgateway at once (the DELETE was part of the shutdown), the other kept.
  expect(instances(await pushgateway.groups())).toEqual([defaultInstance]);
  console.log(`pushgateway: SIGTERM to exit, group deleted, in ${stopped.stoppedAfterMs} ms`);
  // And so from Prometheus, once it scrapes the Pushgateway again (the series go stale).
  const gone = await until(
    () => query(api, 'watchman_up{instance="web-a"}'),
    (samples) => samples.length === 0,
    SCRAPES,
  );
  expect(gone).toEqual([]);
  expect((await query(api, `watchman_up{instance="${defaultInstance}"}`))[0]?.value[1]).toBe('1');
}

/** Runs `work`; a failure carries both servers' logs. */
async function withLogs(prometheus: { log: string }, pushgateway: { log: string }, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    const logs = `prometheus log:\n${prometheus.log}\npushgateway log:\n${pushgateway.log}`;
    throw new Error(`${(error as Error).message}\n${logs}`, { cause: error });
  }
}
