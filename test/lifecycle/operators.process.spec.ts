import { PROMETHEUS, type Sample, startPrometheus } from '../support/prometheus.js';
import { DASHBOARD_FILE, RULES_FILE, dashboardExpressions, grafanaDashboard, panelsOf } from '../support/operators.js';
import { readmeYaml } from '../support/readme-blocks.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { startSampleApp } from '../support/spawn-node.js';
import { using } from '../support/http-app.js';
import { until } from '../support/until.js';

// The artefacts for operators (operators/), as shipped, against a real Prometheus scraping the
// sample app in its own process with the README's scrape job: the alert rules load and page for
// a failing critical check, and every PromQL expression of the Grafana dashboard evaluates
// without an error and with a result.

interface ScrapeConfig {
  job_name: string;
  authorization: { credentials: string };
  static_configs: Array<{ targets: string[] }>;
}

interface Evaluation {
  status: string;
  error?: string;
  data?: { result: Sample[] };
}

interface Alert {
  labels: Record<string, string>;
  state: string;
}

const SCRAPES = { limitMs: 30_000, everyMs: 500 };

/** An instant query, with Prometheus's own verdict (status, error) kept. */
async function evaluate(api: string, expression: string): Promise<Evaluation> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expression)}`);
  return (await res.json()) as Evaluation;
}

const json = async <T>(url: string) => ((await (await fetch(url)).json()) as { data: T }).data;

describe('the Grafana dashboard file', () => {
  it('is an importable dashboard: a Prometheus data source input, unique panel ids, a query per panel', () => {
    const dashboard = grafanaDashboard() as ReturnType<typeof grafanaDashboard> & {
      __inputs: Array<{ name: string; pluginId: string }>;
    };
    expect(dashboard.uid).toBe('nestjs-watchman');
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' })]);
    const panels = panelsOf(dashboard);
    expect(panels.length).toBeGreaterThanOrEqual(6);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect([panel.title, panel.datasource]).toEqual([panel.title, { type: 'prometheus', uid: '${DS_PROMETHEUS}' }]);
      expect([panel.title, panel.targets?.length]).toEqual([panel.title, expect.any(Number)]);
    }
    // Each of watchman's metrics has a panel.
    const text = JSON.stringify(dashboard.panels);
    for (const metric of [
      'watchman_up',
      'watchman_check_up',
      'watchman_check_duration_seconds',
      'watchman_check_runs_total',
      'watchman_available',
    ])
      expect([metric, text.includes(metric)]).toEqual([metric, true]);
    expect(DASHBOARD_FILE).toMatch(/operators\/watchman\.grafana\.json$/);
  });
});

describeIf(needsProgram(PROMETHEUS, 'prometheus'))('the operators’ artefacts in a real Prometheus', () => {
  it('scraping the sample app with a failing critical database: every dashboard expression has a result, the rules load, and WatchmanCheckFailing fires', async () => {
    const scrape = readmeYaml<{ scrape_configs: ScrapeConfig[] }>('prometheus.yml').scrape_configs[0];
    const token = /Token="([^"]+)"/.exec(scrape.authorization.credentials)?.[1] ?? '';
    const app = startSampleApp({
      WATCHMAN_TOKENS: token,
      // A second DataSource whose server refuses: `databases/broken` fails, critical.
      DATABASE_URL_BROKEN: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
      WATCHMAN_CHECK_TIMEOUT_MS: '1000',
    }).then((sample) => Object.assign(sample, { close: () => sample.stop('SIGTERM') }));
    await using(app, async ({ url }) => {
      // The README's job and the shipped rule file, as they are; scraped and evaluated every second.
      const prometheus = await startPrometheus({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [RULES_FILE],
        scrape_configs: [{ ...scrape, scrape_interval: '1s', static_configs: [{ targets: [new URL(url).host] }] }],
      });
      await using({ close: () => prometheus.stop() }, async () => {
        try {
          await againstPrometheus(prometheus.api);
        } catch (error) {
          throw new Error(`${(error as Error).message}\nprometheus log:\n${prometheus.log}`, { cause: error });
        }
      });
    });
  }, 180_000);
});

async function againstPrometheus(api: string): Promise<void> {
  const failing = await until(
    () => evaluate(api, 'watchman_check_up{check="databases",alias="broken"}'),
    (answer) => answer.data?.result[0]?.value[1] === '0',
    SCRAPES,
  );
  expect(failing.data?.result[0]?.metric).toMatchObject({ check: 'databases', alias: 'broken', critical: 'true' });

  const expressions = dashboardExpressions(grafanaDashboard(), '1m');
  expect(expressions.length).toBeGreaterThanOrEqual(10);
  for (const [name, expression] of expressions) {
    // A rate needs two scrapes in its window: asked again until Prometheus has them.
    const answer = await until(
      () => evaluate(api, expression),
      (evaluation) => evaluation.status !== 'success' || (evaluation.data?.result.length ?? 0) > 0,
      SCRAPES,
    );
    const rows = answer.data?.result.length ?? 0;
    expect([name, expression, answer.status, answer.error, rows > 0]).toEqual([
      name,
      expression,
      'success',
      undefined,
      true,
    ]);
  }
  // The dashboard shows what is wrong: the failing alias, counted among the critical failures.
  const failingNow = expressions.find(([name]) => name.startsWith('Failing now'))?.[1] ?? '';
  const rows = (await evaluate(api, failingNow)).data?.result ?? [];
  expect(rows.map((row) => `${row.metric.check}/${row.metric.alias}`)).toContain('databases/broken');
  const criticalCount = expressions.find(([name]) => name.startsWith('Critical checks failing'))?.[1] ?? '';
  expect((await evaluate(api, criticalCount)).data?.result[0]?.value[1]).toBe('1');

  // Every rule of the file loaded and evaluates without an error.
  const rules = await until(
    () =>
      json<{ groups: Array<{ file: string; rules: Array<{ name: string; health: string }> }> }>(`${api}/api/v1/rules`),
    (data) => data.groups[0]?.rules.every((rule) => rule.health === 'ok') === true,
    SCRAPES,
  );
  expect(rules.groups.map((group) => group.file)).toEqual([RULES_FILE]);
  expect(rules.groups[0].rules.map((rule) => [rule.name, rule.health])).toEqual([
    ['WatchmanCheckFailing', 'ok'],
    ['WatchmanCheckDegraded', 'ok'],
    ['WatchmanCheckFlapping', 'ok'],
    ['WatchmanNotReady', 'ok'],
    ['WatchmanMetricsDown', 'ok'],
  ]);

  // Pending first, then, once `for: 1m` has passed, firing: the page goes out.
  const broken = (alerts: Alert[]) =>
    alerts.find((alert) => alert.labels.alertname === 'WatchmanCheckFailing' && alert.labels.alias === 'broken');
  const fired = await until(
    () => json<{ alerts: Alert[] }>(`${api}/api/v1/alerts`),
    (data) => broken(data.alerts)?.state === 'firing',
    { limitMs: 100_000, everyMs: 1000 },
  );
  expect(broken(fired.alerts)).toMatchObject({
    labels: { alertname: 'WatchmanCheckFailing', check: 'databases', alias: 'broken', severity: 'page' },
    state: 'firing',
  });
  // Nothing else pages: the scrape works and every other critical check is up.
  expect(fired.alerts.filter((alert) => alert.labels.severity === 'page').map((alert) => alert.labels.alias)).toEqual([
    'broken',
  ]);
}
