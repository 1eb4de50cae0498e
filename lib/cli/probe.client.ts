import { parseArgs } from 'node:util';
import { redactUrl } from '../common/redact.js';
import { WATCHMAN_HEALTH_PROTO_PATH } from '../grpc/health-proto.js';
import { MAX_TIMER_MS } from '../options/option-schemas.js';

export const PROBE_USAGE = `Usage: nestjs-watchman probe [URL | route] [options]

Asks the running app (never boots it, opens no connection to its backends), for a Docker
HEALTHCHECK in an image without curl. Exit 0 on a 2xx answer; 1 on any other status, a refused
connection or a timeout (one line on stderr saying which); 2 on bad usage.

  URL | route        default http://127.0.0.1:<WATCHMAN_PROBE_PORT | PORT | 3000>/<WATCHMAN_PATH | watchman>/ready;
                     a route name (live, bare, startup, ready/databases…) on that same base
Options:
  --timeout ms       give up after this long (default 3000)
  --token T          a watchman token (default WATCHMAN_PROBE_TOKEN), sent in watchman's header
  --grpc host:port   a gRPC health Check instead: exit 0 when SERVING
  --service NAME     the gRPC health service (default "": readiness)
  -h, --help         show this help
`;

interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class ProbeUsageError extends Error {}

/** `nestjs-watchman probe …`: the exit code (0 healthy, 1 not, 2 bad usage). */
export async function runProbe(argv: string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  let options;
  try {
    options = probeOptions(argv, env);
  } catch (error) {
    out.stderr.write(`nestjs-watchman probe: ${(error as Error).message}\n\n${PROBE_USAGE}`);
    return 2;
  }
  if (options.help) {
    out.stdout.write(PROBE_USAGE);
    return 0;
  }
  try {
    const problem = options.grpc
      ? await grpcProbe(options.grpc, options.service, options.timeout)
      : await httpProbe(options.url, options.token, options.timeout);
    if (problem === undefined) return 0;
    out.stderr.write(`nestjs-watchman probe: ${problem}\n`);
    return 1;
  } catch (error) {
    if (!(error instanceof ProbeUsageError)) throw error;
    out.stderr.write(`nestjs-watchman probe: ${error.message}\n`);
    return 2;
  }
}

function probeOptions(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      timeout: { type: 'string' },
      token: { type: 'string' },
      grpc: { type: 'string' },
      service: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 1) throw new ProbeUsageError(`one URL or route at most, not ${positionals.length}`);
  const timeoutText = values.timeout ?? '3000';
  if (!/^\d+$/.test(timeoutText) || Number(timeoutText) < 1 || Number(timeoutText) > MAX_TIMER_MS)
    throw new ProbeUsageError(
      `--timeout must be a positive number of milliseconds, not ${JSON.stringify(timeoutText)}`,
    );
  if (values.grpc !== undefined && !/^(\[[0-9a-f:]+\]|[^:\s]+):\d{1,5}$/i.test(values.grpc))
    throw new ProbeUsageError(`--grpc must be host:port, not ${JSON.stringify(values.grpc)}`);
  return {
    help: values.help === true,
    url: probeUrl(positionals[0], env),
    token: values.token ?? env.WATCHMAN_PROBE_TOKEN,
    timeout: Number(timeoutText),
    grpc: values.grpc,
    service: values.service ?? '',
  };
}

/** The URL to ask: given, or a route (default `ready`) on the app's own port and path. */
function probeUrl(given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given !== undefined && /^https?:\/\//i.test(given)) return given;
  const route = given ?? 'ready';
  if (!/^[\w-]+(\/[\w-]+)?$/.test(route))
    throw new ProbeUsageError(`not a URL or a route name: ${JSON.stringify(route)}`);
  const port = env.WATCHMAN_PROBE_PORT || env.PORT || '3000';
  const path = (env.WATCHMAN_PATH ?? 'watchman').replace(/^\/+|\/+$/g, '');
  return `http://127.0.0.1:${port}/${path ? `${path}/` : ''}${route}`;
}

// node:http, not fetch: fetch refuses the "bad ports" of the Fetch standard (6000, 10080…).
async function httpProbe(url: string, token: string | undefined, timeout: number): Promise<string | undefined> {
  const shown = redactUrl(url);
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    const req = request(url, {
      headers: token ? { Authorization: `WATCHMAN-TOKEN Token="${token}"` } : {},
      signal: AbortSignal.timeout(timeout),
    });
    req.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? undefined : `${shown} answered ${status}`);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') resolve(`${shown} did not answer within ${timeout} ms`);
      else if (error.code === 'ECONNREFUSED') resolve(`${shown}: connection refused`);
      else resolve(`${shown}: ${error.code ?? error.message}`);
    });
    req.end();
  });
}

async function grpcProbe(target: string, service: string, timeout: number): Promise<string | undefined> {
  type Client = {
    Check(r: object, o: object, cb: (e: Error | null, r?: { status: string }) => void): void;
    close(): void;
  };
  let grpc: typeof import('@grpc/grpc-js');
  let loadSync: (path: string, options: object) => object;
  try {
    grpc = (await import('@grpc/grpc-js' as string)) as typeof import('@grpc/grpc-js');
    ({ loadSync } = (await import('@grpc/proto-loader' as string)) as { loadSync: typeof loadSync });
  } catch {
    throw new ProbeUsageError(
      '--grpc needs @grpc/grpc-js and @grpc/proto-loader: npm install @grpc/grpc-js @grpc/proto-loader',
    );
  }
  const definition = grpc.loadPackageDefinition(
    loadSync(WATCHMAN_HEALTH_PROTO_PATH, { keepCase: true, enums: String }) as never,
  ) as unknown as {
    grpc: { health: { v1: { Health: new (target: string, credentials: unknown) => Client } } };
  };
  const client = new definition.grpc.health.v1.Health(target, grpc.credentials.createInsecure());
  try {
    const status = await new Promise<string>((resolve, reject) =>
      client.Check({ service }, { deadline: Date.now() + timeout }, (error, response) =>
        error ? reject(error) : resolve(response?.status ?? 'UNKNOWN'),
      ),
    );
    return status === 'SERVING' ? undefined : `${target} service ${JSON.stringify(service)}: ${status}`;
  } catch (error) {
    return `${target} service ${JSON.stringify(service)}: ${(error as Error).message}`;
  } finally {
    client.close();
  }
}
