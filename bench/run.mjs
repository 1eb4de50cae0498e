// npm run bench: ratios measured side by side in one run, on Express and Fastify, loopback only.
// Each app runs in its own process pinned to one core, the load generator (wrk when Debian's is
// installed, else autocannon) on the other; a ratio is the median of paired back-to-back rounds.
//  1. ping req/s ÷ a plain Nest route's req/s in the same app                    (target ≥ 0.9)
//  2. ping req/s ÷ a bare Nest app's route (no watchman in it)                    (target ≥ 0.9)
//  3. /watchman with cacheTtl ÷ ping, and with refreshInterval ÷ ping             (target ≥ 0.8)
//  4. /watchman with cacheTtl ÷ terminus /health with .cacheFor(), same checks    (target ≥ 1.2)
//  5. JSON latency with 10 checks of 50 ms each ÷ 50 ms                           (target ≤ 1.2; serial would be 10)
//  6. executions per check under 1,000 simultaneous JSON requests, most of 5 storms (target ≤ 2)
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generator, pinToAppCore, pinToLoadCore } from './load.mjs';
import { pairedRatio, spread } from './paired.mjs';
import { storm } from './storm.mjs';

const here = dirname(fileURLToPath(import.meta.url));

async function startServer(file, ...args) {
  const child = fork(join(here, file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await pinToAppCore(child.pid);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      child.send('stop');
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const stats = async (url) => (await fetch(`${url}/stats`)).json();

async function latencyRatio(url) {
  const times = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/watchman`);
    await res.text();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return { medianMs: median, ratio: median / 50 };
}

// Five storms, one after another: the most executions any check had in one of them.
async function coalescing(url) {
  const storms = [];
  let requests = 0;
  let non2xx = 0;
  for (let i = 0; i < 5; i++) {
    const before = await stats(url);
    const statuses = await storm(Number(new URL(url).port), '/watchman');
    const after = await stats(url);
    storms.push(Math.max(...Object.keys(after).map((name) => after[name] - before[name])));
    requests += statuses.length;
    non2xx += statuses.filter((status) => status !== 200).length;
  }
  return { storms, requests, non2xx, maxExecutions: Math.max(...storms) };
}

const verdict = (ok) => (ok ? 'ok' : 'MISSED');
const line = (label, r, target, ok) =>
  console.log(`  ${label}: ${r.b.toFixed(0)} ÷ ${r.a.toFixed(0)} req/s, ratio ${spread(r)}   ${target} ${verdict(ok)}`);

await pinToLoadCore(process.pid); // the storms are sent from this process
console.log(`load generator: ${generator}; ratios are medians of paired rounds (min–max of the rounds)`);
// Only the apps a measurement reads are running: an idle app on the app core still runs its
// background refresh and collects the garbage of its last load, which would be counted against
// the app measured beside it.
for (const adapter of ['express', 'fastify']) {
  const running = new Set();
  const start = async (...args) => {
    const server = await startServer(...args);
    running.add(server);
    return server;
  };
  const stop = async (server) => {
    running.delete(server);
    await server.stop();
  };
  try {
    const plainApp = await start('server.mjs', adapter);
    const terminus = await start('terminus.server.mjs', adapter);
    const ping = { url: `${plainApp.url}/watchman/ping` };
    const pingVsPlain = await pairedRatio({ url: `${plainApp.url}/plain` }, ping);
    const pingVsBare = await pairedRatio({ url: `${terminus.url}/bare` }, ping);
    const latency = await latencyRatio(plainApp.url);
    const stormed = await coalescing(plainApp.url);
    await stop(plainApp);
    const cached = await start('server.mjs', adapter, 'cache');
    const cachedVsPing = await pairedRatio({ url: `${cached.url}/watchman/ping` }, { url: `${cached.url}/watchman` });
    const cachedVsTerminus = await pairedRatio({ url: `${terminus.url}/health` }, { url: `${cached.url}/watchman` });
    await Promise.all([stop(cached), stop(terminus)]);
    const refreshed = await start('server.mjs', adapter, 'refresh');
    const refreshedVsPing = await pairedRatio(
      { url: `${refreshed.url}/watchman/ping` },
      { url: `${refreshed.url}/watchman` },
    );
    await stop(refreshed);

    console.log(`\n${adapter}`);
    line('ping ÷ a plain Nest route of the same app', pingVsPlain, 'target ≥ 0.9', pingVsPlain.ratio >= 0.9);
    line('ping ÷ a bare Nest app’s route', pingVsBare, 'target ≥ 0.9', pingVsBare.ratio >= 0.9);
    line('/watchman, cacheTtl 1 s ÷ ping', cachedVsPing, 'target ≥ 0.8', cachedVsPing.ratio >= 0.8);
    line('/watchman, refreshInterval 1 s ÷ ping', refreshedVsPing, 'target ≥ 0.8', refreshedVsPing.ratio >= 0.8);
    line(
      '/watchman, cacheTtl 1 s ÷ terminus /health, .cacheFor(1000)',
      cachedVsTerminus,
      'target ≥ 1.2',
      cachedVsTerminus.ratio >= 1.2,
    );
    console.log(
      `  JSON latency, 10 × 50 ms checks ÷ 50 ms: ${latency.medianMs.toFixed(1)} ms ÷ 50 = ${latency.ratio.toFixed(3)}   target ≤ 1.2 ${verdict(latency.ratio <= 1.2)}`,
    );
    console.log(
      `  executions per check under 1,000 simultaneous requests: ${stormed.maxExecutions} at most (5 storms: ${stormed.storms.join(', ')}; ${stormed.requests} requests, ${stormed.non2xx} not 200)   target ≤ 2 ${verdict(stormed.maxExecutions <= 2)}`,
    );
  } finally {
    await Promise.all([...running].map((server) => server.stop()));
  }
}
