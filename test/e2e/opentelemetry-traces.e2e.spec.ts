import { join } from 'node:path';
import { ADAPTERS } from '../support/http-app.js';
import { describeIf, needsService } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { ROOT, runNode } from '../support/spawn-node.js';

// A real app in its own process under the real OpenTelemetry Node SDK (http + pg
// instrumentations, an in-memory span exporter; test/fixtures/otel-app), querying a real
// PostgreSQL: what the SDK recorded, span by span.

const TRACING = join(ROOT, 'test/fixtures/otel-app/tracing.mjs');
const APP = join(ROOT, 'test/fixtures/dist/otel-app/main.js');

interface Span {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parent?: string;
  path?: string;
  port?: number;
  statement?: string;
}

const SERVER = 1; // SpanKind.SERVER
const WATCHMAN_PATHS = ['/watchman', '/watchman/ping', '/watchman/bare', '/watchman/dashboard', '/watchman/ready'];

/** Runs the fixture app under the SDK; its spans, the runs watchman made, and the answers it got. */
async function traced(env: Record<string, string>) {
  const probePort = await closedPort();
  const run = await runNode(['--import', TRACING, APP], {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    // `databases` on the background refresh, every 100 ms; `pgquery` runs per request.
    WATCHMAN_CHECK_OPTIONS: JSON.stringify({ databases: { interval: 100 } }),
    WATCHMAN_PROBE_PORT: String(probePort),
    BACKGROUND_RUNS: '5',
    REQUESTS: ['/hello', '/watchman?check=pgquery', ...WATCHMAN_PATHS.slice(1), 'probe:/watchman/ready'].join(','),
    ...env,
  });
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  const lines = (kind: string) =>
    run.stdout
      .split('\n')
      .filter((line) => line.startsWith(`${kind} `))
      .map((line) => JSON.parse(line.slice(kind.length + 1)) as unknown);
  const spans = lines('SPAN') as Span[];
  const [runs] = lines('RUNS') as Array<Record<string, number>>;
  const answers = lines('REQUEST') as Array<{ path: string; status: number }>;
  // Server spans by where they were asked: the probe port's under `probe:`.
  const served = (port: 'app' | 'probe') =>
    spans
      .filter((span) => span.kind === SERVER && (span.port === probePort) === (port === 'probe'))
      .map((span) => span.path);
  return { spans, runs, answers, served, stderr: run.stderr };
}

const describePg = describeIf(await needsService('PostgreSQL', 5432));

describePg('OpenTelemetry traces (Node SDK, http + pg instrumentations)', () => {
  it('records no span from background refresh runs, while a request-driven run traces its query under the request', async () => {
    const { spans, runs, answers, served } = await traced({});
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    // Five and more background runs of `databases`, each a real SELECT 1 on PostgreSQL...
    expect(runs.background).toBeGreaterThanOrEqual(5);
    // ...and not one span of theirs (no orphan root span per refresh).
    expect(spans.filter((span) => span.statement === 'SELECT 1')).toEqual([]);
    // A run a request caused is in that request's trace: each SELECT 2 is a child of a server
    // span, the first one of /watchman?check=pgquery's.
    const servers = spans.filter((span) => span.kind === SERVER);
    const queries = spans.filter((span) => span.statement === 'SELECT 2');
    expect(queries.length).toBeGreaterThanOrEqual(1);
    for (const query of queries)
      expect(servers.some((server) => server.traceId === query.traceId && server.spanId === query.parent)).toBe(true);
    const request = servers.find((span) => span.path === '/watchman');
    expect(queries[0]).toMatchObject({ traceId: request?.traceId, parent: request?.spanId });
    // Without disableApm or the hook, watchman's routes are traced like any other.
    expect(served('app').sort()).toEqual(['/hello', ...WATCHMAN_PATHS].sort());
    expect(served('probe')).toEqual(['/watchman/ready']);
  }, 60_000);

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('disableApm: no span of watchman’s routes (app port and probe port) nor of the checks they ran; /hello keeps its span', async () => {
      const { spans, runs, answers, served } = await traced({ HTTP_ADAPTER: adapter, WATCHMAN_DISABLE_APM: 'true' });
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(runs.pgquery).toBeGreaterThanOrEqual(1); // the requests did run their check...
      expect(spans.filter((span) => span.statement === 'SELECT 2')).toEqual([]); // ...untraced
      expect(served('app')).toEqual(['/hello']);
      expect(served('probe')).toEqual([]);
    }, 60_000);

    it('ignoreIncomingRequestHook: isWatchmanRequest drops the same spans without disableApm', async () => {
      const { spans, answers, served } = await traced({ HTTP_ADAPTER: adapter, OTEL_IGNORE_WATCHMAN: '1' });
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(spans.filter((span) => span.statement === 'SELECT 2')).toEqual([]);
      expect(served('app')).toEqual(['/hello']);
      expect(served('probe')).toEqual([]);
    }, 60_000);
  });
});
