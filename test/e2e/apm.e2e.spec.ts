import { join } from 'node:path';
import { closedPort } from '../support/services.js';
import { ROOT, runNode } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

const APP = join(ROOT, 'test/fixtures/apm/apm-app.mjs');

/** Runs the fixture app under a real agent in its own process; returns its stdout. */
async function runUnderAgent(args: string[], env: Record<string, string>): Promise<string> {
  const run = await runNode([...args, APP], env);
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return run.stdout;
}

interface DatadogSpan {
  name: string;
  resource: string;
  type?: string;
  meta: Record<string, string>;
  metrics: Record<string, number>;
}

/** Sampling priority of each server request's trace, by path, read from dd-trace's log exporter. */
function datadogPriorities(stdout: string): Record<string, number> {
  const priorities: Record<string, number> = {};
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{"traces"'))) {
    const spans = (JSON.parse(line) as { traces: DatadogSpan[][] }).traces[0];
    const server = spans.find((span) => span.meta['span.kind'] === 'server');
    if (server) priorities[new URL(server.meta['http.url']).pathname] = server.metrics._sampling_priority_v1;
  }
  return priorities;
}

const WATCHMAN_PATHS = ['/watchman', '/watchman/ping', '/watchman/bare', '/watchman/dashboard'];

describe.each(['express', 'fastify'])('disableApm on %s', (adapter) => {
  const datadog = (disable: boolean) =>
    runUnderAgent(['--import', 'dd-trace/initialize.mjs'], {
      HTTP_ADAPTER: adapter,
      DISABLE_APM: disable ? '1' : '0',
      // dd-trace's own exporter that writes traces to stdout instead of sending them to an agent
      DD_TRACE_EXPERIMENTAL_EXPORTER: 'log',
      DD_TRACE_STARTUP_LOGS: 'false',
      DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
      DD_REMOTE_CONFIGURATION_ENABLED: 'false',
      DD_TRACE_AGENT_URL: 'http://127.0.0.1:9',
    });

  it('drops the Datadog traces of watchman routes (USER_REJECT) and keeps an ordinary route', async () => {
    const priorities = datadogPriorities(await datadog(true));
    expect(priorities['/hello']).toBeGreaterThan(0);
    for (const path of WATCHMAN_PATHS) expect([path, priorities[path]]).toEqual([path, -1]);
  });

  it('leaves Datadog traces alone without disableApm', async () => {
    const priorities = datadogPriorities(await datadog(false));
    for (const path of ['/hello', ...WATCHMAN_PATHS]) expect(priorities[path]).toBeGreaterThan(0);
  });

  const newRelic = async (disable: boolean) =>
    runUnderAgent(['--import', 'newrelic/esm-loader.mjs', '-r', 'newrelic'], {
      HTTP_ADAPTER: adapter,
      APM: 'newrelic',
      DISABLE_APM: disable ? '1' : '0',
      NEW_RELIC_APP_NAME: 'watchman-test',
      NEW_RELIC_LICENSE_KEY: '0'.repeat(40),
      // the collector is a closed loopback port: nothing leaves the machine
      NEW_RELIC_HOST: '127.0.0.1',
      NEW_RELIC_PORT: String(await closedPort()),
      NEW_RELIC_NO_CONFIG_FILE: 'true',
      NEW_RELIC_LOG_ENABLED: 'false',
    });

  const transactions = (stdout: string) =>
    Object.fromEntries(
      stdout
        .split('\n')
        .filter((l) => l.startsWith('APM {"agent"'))
        .map((l) => JSON.parse(l.slice(4)) as { url: string; ignored: boolean | null })
        .map((t) => [t.url, Boolean(t.ignored)]),
    );

  it('ignores the New Relic transactions of watchman routes and keeps an ordinary route', async () => {
    const seen = transactions(await newRelic(true));
    expect(seen['/hello']).toBe(false);
    for (const path of WATCHMAN_PATHS) expect([path, seen[path]]).toEqual([path, true]);
  });

  it('leaves New Relic transactions alone without disableApm', async () => {
    const seen = transactions(await newRelic(false));
    for (const path of ['/hello', ...WATCHMAN_PATHS]) expect([path, seen[path]]).toEqual([path, false]);
  });
});

describe('disableApm without any agent loaded', () => {
  it('changes nothing and breaks nothing', async () => {
    const { startHttpApp, using } = await import('../support/http-app.js');
    const { WatchmanModule } = await import('nestjs-watchman');
    const request = (await import('supertest')).default;
    const app = startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['storage'], disableApm: true, tokens: ['t'] }),
        ],
      },
      'express',
    );
    await using(app, async ({ url }) => {
      await request(url).get('/watchman?watchman-token=t').expect(200);
      await request(url).get('/watchman').expect(403);
      await request(url).get('/watchman/ping').expect(200, 'pong');
    });
  });
});
