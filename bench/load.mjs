// One load run against a URL on loopback, as req/s: Debian's wrk when it is installed (a C load
// generator never is the bottleneck of a fast route), pinned to the core the app is not on;
// autocannon otherwise. Either stops by itself after `duration` seconds.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);
const WRK = '/usr/bin/wrk';
const TASKSET = '/usr/bin/taskset';
export const LOAD_CORE = '1';
export const APP_CORE = '0';
export const generator = existsSync(WRK) && process.env.BENCH_AUTOCANNON !== '1' ? 'wrk' : 'autocannon';

/** `{ rps, non2xx }` of one run; `headers` as an object. */
export async function load({ url, headers = {}, connections = 50, duration = 3 }) {
  if (generator === 'autocannon') {
    const result = await autocannon({ url, headers, connections, duration });
    return { rps: result.requests.average, non2xx: result.non2xx };
  }
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const command = existsSync(TASKSET) ? [TASKSET, '-c', LOAD_CORE, WRK, ...args, url] : [WRK, ...args, url];
  const { stdout } = await run(command[0], command.slice(1));
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(rps)) throw new Error(`wrk printed no rate:\n${stdout}`);
  return { rps, non2xx };
}

/** Pins a process to the app's core, so the load generator keeps the other one. */
export async function pinToAppCore(pid) {
  if (existsSync(TASKSET)) await run(TASKSET, ['-pc', APP_CORE, String(pid)]);
}

/** Pins a process (a load generator written in Node, as the storm's) to the load core. */
export async function pinToLoadCore(pid) {
  if (existsSync(TASKSET)) await run(TASKSET, ['-pc', LOAD_CORE, String(pid)]);
}
