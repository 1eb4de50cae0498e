// npm run bench:profile -- [route] [--adapter fastify|express] [--seconds N] [--app sample|bench]
//   [--results none|cache|refresh] (the bench app's: a run per request, cacheTtl or refreshInterval)
// Where a route's time goes: the app runs under `node --cpu-prof` in its own process, a load of
// the route (loopback only, it stops by itself) is sent from this one, and the profile is read
// back and printed as the hottest functions (self time) and the share of time per layer
// (watchman, Nest, the HTTP framework, Node's own, idle). A regression shows as a function or
// a layer that grew.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    adapter: { type: 'string', default: 'fastify' },
    seconds: { type: 'string', default: '5' },
    app: { type: 'string', default: 'sample' },
    results: { type: 'string', default: 'none' },
    top: { type: 'string', default: '25' },
  },
});
const route = positionals[0] ?? '/watchman/ping';
const dir = mkdtempSync(join(tmpdir(), 'watchman-profile-'));

const apps = {
  sample: [join(here, '../sample-app/dist/main.js')],
  bench: [join(here, 'server.mjs'), values.adapter, values.results],
};
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...apps[values.app]], {
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HTTP_ADAPTER: values.adapter, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const port = await new Promise((resolve, reject) => {
  let out = '';
  child.on('message', (message) => resolve(message.port));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const found = /on http:\/\/localhost:(\d+)\//.exec(out)?.[1];
    if (found) resolve(Number(found));
  });
  child.once('exit', (code) => reject(new Error(`the app exited ${code} before it listened`)));
});

const result = await autocannon({
  url: `http://127.0.0.1:${port}${route}`,
  connections: 50,
  duration: Number(values.seconds),
});
if (values.app === 'bench') child.send('stop');
else child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
printProfile(profile, result);

function printProfile({ nodes, samples, timeDeltas }, load) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const self = new Map();
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const layers = new Map();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const layer = layerOf(functionName, url);
    layers.set(layer, (layers.get(layer) ?? 0) + micros);
  }
  const pct = (micros) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
  console.log(
    `${route} on ${values.adapter} (${values.app} app): ${load.requests.average.toFixed(0)} req/s, ${load.non2xx} non-2xx, ${load.errors} errors; profile ${(total / 1e6).toFixed(1)} s`,
  );
  console.log('\nshare of time per layer');
  for (const [layer, micros] of [...layers].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(micros)}  ${layer}`);
  console.log(`\nwatchman’s functions, inclusive time (what they and their callees took)`);
  for (const [key, micros] of inclusiveOf(nodes, self, byId).slice(0, Number(values.top)))
    console.log(`  ${pct(micros)}  ${key}`);
  console.log(`\nhottest ${values.top} functions (self time)`);
  const hottest = [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  for (const [key, micros] of hottest) console.log(`  ${pct(micros)}  ${key}`);
}

// Each watchman function's time with its callees (a function on the stack twice counts once).
function inclusiveOf(nodes, self, byId) {
  const parent = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map();
  for (const [id, micros] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at).callFrame;
      if (layerOf(functionName, url) !== 'watchman (dist/)') continue;
      const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + micros);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function shortUrl(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  return url.replace(/^file:\/\/.*?\/(dist|sample-app|bench)\//, '$1/');
}

function layerOf(functionName, url) {
  if (functionName === '(idle)') return 'idle (waiting for the load)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)' || !url) return 'native / V8';
  if (/\/dist\//.test(url) && !url.includes('node_modules')) return 'watchman (dist/)';
  if (url.includes('node_modules/@nestjs/')) return 'Nest';
  if (/node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio)/.test(url)) return 'Fastify';
  if (/node_modules\/(express|router|body-parser|finalhandler|send|serve-static)/.test(url)) return 'Express';
  if (url.startsWith('node:')) return 'Node (http, net, streams)';
  if (url.includes('node_modules/')) return 'other dependencies';
  return 'the app';
}
