// npm run bench, part 2: probes with the background refresh, side by side in one run, loopback only.
//  1. /watchman req/s ÷ ping req/s, refreshInterval on                       (target ≥ 0.8)
//  2. /watchman/ready p99 while PostgreSQL hangs ÷ ping p99, same moment      (target ≤ 2)
//  3. PostgreSQL transactions/s at a light and at a heavy probe rate          (independent of the rate)
//  4. /watchman/metrics scrape req/s ÷ /watchman req/s                         (the cost of the text format)
// The app is the sample app in its own process; PostgreSQL sits behind a fault proxy that hangs it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { faultProxy } from '../test/support/fault-proxy.mjs';
import { pairedRatio } from './paired.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const DATABASE = 'watchman_bench';

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
}

async function commits() {
  // Asked from another database, so the asking itself is not counted.
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  const row = await client.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1', [
    DATABASE,
  ]);
  await client.end();
  return Number(row.rows[0].n);
}

/**
 * PostgreSQL transactions per second of the app under one probe rate. A busy backend reports
 * its counts to pg_stat_database lazily (here: when its connection ends), so each rate gets an
 * app of its own, from start to exit, and the count is read after the exit.
 */
async function transactionsPerSecond(adapter, rate) {
  const before = await commits();
  const started = Date.now();
  const { child, url } = await startSample(adapter, {
    DATABASE_URL_PG: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
    WATCHMAN_CHECKS: 'databases',
    WATCHMAN_DATABASES: 'pg',
    WATCHMAN_REFRESH_INTERVAL_MS: '500',
  });
  const probes = await load(`${url}/watchman/ready`, rate ? { connections: 1, overallRate: rate } : {});
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const seconds = (Date.now() - started) / 1000;
  return { perSecond: ((await commits()) - before) / seconds, probesPerSecond: probes.requests.average };
}

function startSample(adapter, env) {
  const child = spawn(process.execPath, [join(here, '../sample-app/dist/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HTTP_ADAPTER: adapter, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /on http:\/\/localhost:(\d+)\//.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`sample app exited ${code}`)));
  });
}

const load = (url, options = {}) => autocannon({ url, connections: 16, duration: DURATION_S, ...options });

async function measure(adapter) {
  const proxy = await faultProxy(5432);
  const { child, url } = await startSample(adapter, {
    DATABASE_URL_PG: `postgres://postgres@127.0.0.1:${proxy.port}/${DATABASE}`,
    WATCHMAN_CHECKS: 'databases,storage',
    WATCHMAN_REFRESH_INTERVAL_MS: '500',
    WATCHMAN_CHECK_TIMEOUT_MS: '400',
    WATCHMAN_TOKENS: 'bench',
  });
  const auth = { headers: { authorization: 'WATCHMAN-TOKEN Token="bench"' } };
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the first refreshes
    const ping = { url: `${url}/watchman/ping` };
    const jsonRoute = { url: `${url}/watchman`, ...auth };
    const jsonVsPing = await pairedRatio(ping, jsonRoute);
    const metricsVsJson = await pairedRatio(jsonRoute, { url: `${url}/watchman/metrics`, ...auth });

    // PostgreSQL hangs: ready answers from the latest (failing) result, as fast as ping.
    await proxy.set('blackhole');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [hungReady, hungPing] = [await load(`${url}/watchman/ready`), await load(`${url}/watchman/ping`)];
    await proxy.set('pass');
    return { jsonVsPing, metricsVsJson, hungReady, hungPing };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await proxy.close();
  }
}

await ensureDatabase();
for (const adapter of ['express', 'fastify']) {
  const r = await measure(adapter);
  // Backend load at two probe rates: a kubelet-like 10 req/s, then as fast as it goes.
  const light = await transactionsPerSecond(adapter, 10);
  const heavy = await transactionsPerSecond(adapter, 0);
  const ratio = (a, b) => (a / b).toFixed(3);
  console.log(`\n${adapter}, refreshInterval 500 ms`);
  console.log(
    `  /watchman ÷ ping (req/s, median of paired rounds): ${r.jsonVsPing.b.toFixed(0)} ÷ ${r.jsonVsPing.a.toFixed(0)}, ratio ${r.jsonVsPing.ratio.toFixed(3)} (rounds ${r.jsonVsPing.ratios.map((x) => x.toFixed(2)).join(' ')})   target ≥ 0.8`,
  );
  console.log(
    `  ready p99 while PostgreSQL hangs ÷ ping p99: ${r.hungReady.latency.p99} ms ÷ ${r.hungPing.latency.p99} ms = ${ratio(Math.max(r.hungReady.latency.p99, 1), Math.max(r.hungPing.latency.p99, 1))}   target ≤ 2 (non-2xx ready: ${r.hungReady.non2xx} of ${r.hungReady.requests.total}, as it must while the database hangs)`,
  );
  console.log(
    `  PostgreSQL transactions/s: ${light.perSecond.toFixed(2)} at ${light.probesPerSecond.toFixed(0)} probes/s, ${heavy.perSecond.toFixed(2)} at ${heavy.probesPerSecond.toFixed(0)} probes/s (ratio ${ratio(heavy.perSecond, light.perSecond)}; the refresh alone is 2/s)`,
  );
  console.log(
    `  /watchman/metrics ÷ /watchman (req/s, median of paired rounds): ${r.metricsVsJson.b.toFixed(0)} ÷ ${r.metricsVsJson.a.toFixed(0)}, ratio ${r.metricsVsJson.ratio.toFixed(3)}`,
  );
}
