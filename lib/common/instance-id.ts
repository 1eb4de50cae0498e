import { hostname } from 'node:os';

/**
 * The default name of this instance: host name and process id, unique among processes on one
 * host (the host name alone is shared by every process of a machine or of a host-network pod).
 */
export function defaultInstance(): string {
  return `${hostname()}-${process.pid}`;
}
