import { execFileSync } from 'node:child_process';

/**
 * Established TCP connections this process has open to a port on 127.0.0.1, as the kernel
 * sees them (`ss`): the connections an in-process app holds to a broker.
 */
export function connectionsTo(port: number, pid = process.pid): number {
  const out = execFileSync('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(`pid=${pid},`)).length;
}

/** RabbitMQ's own count of client connections (`rabbitmqctl list_connections`). */
export function rabbitConnections(): number {
  const out = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'name'], { encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').filter((line) => line.trim() && !/^name$/.test(line.trim())).length;
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
