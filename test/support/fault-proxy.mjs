// Plain JavaScript (with fault-proxy.d.mts for the types), so the benchmarks use the same proxy as the tests.
import { connect, createServer } from 'node:net';
export async function faultProxy(targetPort, targetHost = '127.0.0.1') {
  let fault = 'pass';
  let accepted = 0;
  const pairs = new Set();
  let server;
  let port = 0;
  const relay = (pair, to, chunk) => {
    if (fault === 'blackhole') return;
    if (fault === 'pause') return void pair.held.push({ to, chunk });
    if (typeof fault === 'object') return void setTimeout(() => to.writable && to.write(chunk), fault.slow);
    if (to.writable) to.write(chunk);
  };
  const onConnection = (client) => {
    accepted += 1;
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair = { client, upstream, held: [] };
    pairs.add(pair);
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('data', (chunk) => relay(pair, upstream, chunk));
    upstream.on('data', (chunk) => relay(pair, client, chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  };
  const listen = () =>
    new Promise((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise((resolve) => {
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
  const proxy = {
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
      return [...pairs].map((pair) => pair.upstream.localPort).filter((value) => value !== undefined);
    },
    async set(next) {
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
    flap(ms) {
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
