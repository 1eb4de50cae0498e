/** The job states the `queues` check reports, in its output's order. */
export const JOB_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/** One count per reported state. */
export type JobCounts = Record<(typeof JOB_STATES)[number], number>;

/** The part of a Redis client (ioredis, or BullMQ's wrapper of it) the probe uses. */
export interface RedisClientLike {
  /** ioredis's connection state: `ready` once it can answer, else `connecting`, `reconnecting`, `end`… */
  status?: string;
  ping(): Promise<unknown>;
}

/**
 * The part of a BullMQ `Queue` the check reads (the package stays optional: nothing here
 * imports it). BullMQ 5 has `client`; BullMQ 6 moved it to `backend.client`.
 */
export interface QueueLike {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  readonly client?: Promise<RedisClientLike>;
  readonly backend?: { readonly client?: Promise<RedisClientLike> };
}

/**
 * Duck-typed, so a queue from any copy of bullmq is recognised: a `Queue` (or a subclass)
 * with a name and `getJobCounts()`. Workers, QueueEvents and FlowProducers are not queues —
 * a Worker's blocking connection is never touched.
 */
export function isBullQueue(value: unknown): value is QueueLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<QueueLike>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.getJobCounts === 'function' &&
    classNames(value).includes('Queue') &&
    classNames(value).includes('QueueBase')
  );
}

/** The queue's own (non-blocking) connection, as BullMQ hands it out once it is ready. */
export function queueClient(queue: QueueLike): Promise<RedisClientLike> | undefined {
  return queue.client ?? queue.backend?.client;
}

/** A queue's alias: its BullMQ name (`BullModule.registerQueue({ name })`). */
export function queueAlias(_token: unknown, queue: QueueLike): string {
  return queue.name;
}

function classNames(value: object): string[] {
  const names: string[] = [];
  for (
    let proto = Object.getPrototypeOf(value);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  )
    names.push((proto.constructor as { name?: string } | undefined)?.name ?? '');
  return names;
}
