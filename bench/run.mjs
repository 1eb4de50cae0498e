// npm run bench: ratios measured side by side in one run, on Express and Fastify, loopback only.
//  1. ping req/s ÷ a bare Nest route's req/s in the same app         (target ≥ 0.9)
//  2. JSON latency with 10 checks of 50 ms each ÷ 50 ms               (target ≤ 1.2; serial would be 10)
//  3. executions per check under 1,000 concurrent JSON requests       (target ≤ 2)
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { pairedRatio } from './paired.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function startServer(adapter) {
  const child = fork(join(here, 'server.mjs'), [adapter], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) =>
    child.once('message', ({ port }) => resolve({ child, url: `http://127.0.0.1:${port}` })),
  );
}

const stats = async (url) => (await fetch(`${url}/stats`)).json();

async function pingRatio(url) {
  const { a, b, ratio } = await pairedRatio({ url: `${url}/plain` }, { url: `${url}/watchman/ping` });
  return { plain: a, ping: b, ratio };
}

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

async function coalescing(url) {
  const before = await stats(url);
  const result = await autocannon({ url: `${url}/watchman`, connections: 1000, amount: 1000, timeout: 30 });
  const after = await stats(url);
  const perCheck = Object.keys(after).map((name) => after[name] - before[name]);
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    maxExecutions: Math.max(...perCheck),
  };
}

const rows = [];
for (const adapter of ['express', 'fastify']) {
  const { child, url } = await startServer(adapter);
  try {
    const ping = await pingRatio(url);
    const latency = await latencyRatio(url);
    const storm = await coalescing(url);
    rows.push({ adapter, ping, latency, storm });
    console.log(`\n${adapter}`);
    console.log(
      `  ping ÷ bare Nest route (req/s, median of paired rounds): ${ping.ping.toFixed(0)} ÷ ${ping.plain.toFixed(0)}, ratio ${ping.ratio.toFixed(3)}   target ≥ 0.9 ${ping.ratio >= 0.9 ? 'ok' : 'MISSED'}`,
    );
    console.log(
      `  JSON latency, 10 × 50 ms checks ÷ 50 ms: ${latency.medianMs.toFixed(1)} ms ÷ 50 = ${latency.ratio.toFixed(3)}   target ≤ 1.2 ${latency.ratio <= 1.2 ? 'ok' : 'MISSED'}`,
    );
    console.log(
      `  executions per check under 1,000 concurrent requests: ${storm.maxExecutions} (${storm.requests} requests, ${storm.non2xx} non-2xx, ${storm.errors} errors)   target ≤ 2 ${storm.maxExecutions <= 2 ? 'ok' : 'MISSED'}`,
    );
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
