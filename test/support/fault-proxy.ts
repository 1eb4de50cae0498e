import { type Server, type Socket, connect, createServer } from 'node:net';

/** What the proxy does to traffic. */
export type Fault =
  | 'pass' // forward both ways
  | 'refuse' // nothing listens: connections are refused
  | 'blackhole' // accept, and never forward a byte (both ways), for new and open connections
  | 'pause' // hold every byte until the next mode, then deliver it (a short hang)
  | { slow: number }; // forward, each chunk this many ms late

/**
 * A TCP proxy in front of a real service (loopback only) that can pass, refuse, blackhole,
 * pause, slow and flap, to put real faults between watchman and the real server.
 */
export interface FaultProxy {
  readonly port: number;
  readonly fault: Fault;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Local ports of the open connections to the real server (as the server sees its clients). */
  upstreamPorts(): number[];
  set(fault: Fault): Promise<void>;
  /** Alternates between `refuse` and `pass` every `ms` until the returned stop() (then `pass`). */
  flap(ms: number): () => Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  held: Array<{ to: Socket; chunk: Buffer }>;
}

export async function faultProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
  let fault: Fault = 'pass';
  let accepted = 0;
  const pairs = new Set<Pair>();
  let server: Server | undefined;
  let port = 0;

  const relay = (pair: Pair, to: Socket, chunk: Buffer) => {
    if (fault === 'blackhole') return;
    if (fault === 'pause') return void pair.held.push({ to, chunk });
    if (typeof fault === 'object') return void setTimeout(() => to.writable && to.write(chunk), fault.slow);
    if (to.writable) to.write(chunk);
  };

  const onConnection = (client: Socket) => {
    accepted += 1;
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('data', (chunk: Buffer) => relay(pair, upstream, chunk));
    upstream.on('data', (chunk: Buffer) => relay(pair, client, chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as { port: number }).port;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      const closing = server;
      server = undefined;
      if (!closing) return resolve();
      closing.close(() => resolve());
    });
  const dropAll = () => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    pairs.clear();
  };

  await listen();

  const proxy: FaultProxy = {
    get port() {
      return port;
    },
    get fault() {
      return fault;
    },
    get accepted() {
      return accepted;
    },
    upstreamPorts() {
      return [...pairs].map((pair) => pair.upstream.localPort).filter((value): value is number => value !== undefined);
    },
    async set(next: Fault) {
      const previous = fault;
      fault = next;
      if (next === 'refuse') {
        dropAll();
        await unlisten();
        return;
      }
      if (!server) await listen();
      if (previous === 'pause') {
        for (const pair of pairs) for (const { to, chunk } of pair.held.splice(0)) relay(pair, to, chunk);
      }
    },
    flap(ms: number) {
      let down = false;
      const timer = setInterval(() => {
        down = !down;
        void proxy.set(down ? 'refuse' : 'pass');
      }, ms);
      return async () => {
        clearInterval(timer);
        await proxy.set('pass');
      };
    },
    async close() {
      dropAll();
      await unlisten();
    },
  };
  return proxy;
}
