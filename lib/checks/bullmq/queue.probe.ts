import { abortable } from '../../common/race.js';
import { JOB_STATES, type JobCounts, type QueueLike, type RedisClientLike, queueClient } from './queue.like.js';

// The round trip still waiting for its answer, per connection. A run joins it rather than
// pile another command onto a connection that has stopped answering: a long outage leaves
// one probe pending on the app's connection, not one per run, and an idle-but-waiting
// connection is what lets ioredis's own `socketTimeout` notice and reconnect.
const inFlight = new WeakMap<RedisClientLike, Promise<unknown>>();

/**
 * `PING` and `getJobCounts()` on the queue's own connection — the one its `add()` uses, never
 * a Worker's blocking one — under the check's signal. Reads only: no job is added or removed.
 */
export async function probeQueue(queue: QueueLike, signal: AbortSignal): Promise<JobCounts> {
  const ready = queueClient(queue);
  if (!ready) throw new Error('not a Redis-backed BullMQ queue: it has no client to ask');
  // Resolves once the connection was first ready; until then Redis has never answered it.
  const client = await abortable(ready, signal);
  // ioredis would hold a command in its offline queue until it reconnects: say so at once instead.
  if (client.status !== undefined && client.status !== 'ready')
    throw new Error(`the queue's Redis connection is ${client.status}`);
  const pending = inFlight.get(client);
  if (pending) await abortable(pending, signal);
  const work = roundTrip(queue, client);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(client, settled);
  void settled.then(() => {
    if (inFlight.get(client) === settled) inFlight.delete(client);
  });
  return abortable(work, signal);
}

async function roundTrip(queue: QueueLike, client: RedisClientLike): Promise<JobCounts> {
  const pong = await client.ping();
  // A reply meant for another command: the connection lost one and is out of step.
  if (pong !== 'PONG')
    throw new Error(`PING answered ${JSON.stringify(pong)}: the connection's replies are out of order`);
  const counts = await queue.getJobCounts(...JOB_STATES);
  return Object.fromEntries(JOB_STATES.map((state) => [state, Number(counts[state] ?? 0)])) as JobCounts;
}
