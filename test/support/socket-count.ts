import { execFileSync } from 'node:child_process';

/**
 * The local ports of the established TCP connections this process has open to a port on
 * 127.0.0.1, as the kernel sees them (`ss`): the connections an in-process app holds to a
 * server. Other processes' connections (tests running beside this one) are not counted.
 */
export function localPortsTo(port: number, pid = process.pid): number[] {
  const out = execFileSync('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => Number(/\S+:(\d+)\s+\S+:\d+\s/.exec(line)?.[1]))
    .filter((value) => Number.isInteger(value));
}

/** How many connections this process has open to that port. */
export function connectionsTo(port: number, pid = process.pid): number {
  return localPortsTo(port, pid).length;
}

/** RabbitMQ's own count of this process's client connections (`rabbitmqctl list_connections`). */
export function rabbitConnections(port = 5672): number {
  const ours = new Set(localPortsTo(port));
  const out = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'peer_port'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return out.split('\n').filter((line) => ours.has(Number(line.trim()))).length;
}

/** RabbitMQ's queues, by name (`rabbitmqctl list_queues`). */
export function rabbitQueues(): string[] {
  const out = execFileSync('rabbitmqctl', ['-q', 'list_queues', 'name'], { encoding: 'utf8', timeout: 30_000 });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && line !== 'name')
    .sort();
}
