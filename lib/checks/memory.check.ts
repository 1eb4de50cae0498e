import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { type SizeLimit, describeSize, sizeInBytes } from '../options/size.js';
import type { WatchmanCheckable } from './check.interface.js';
import { WatchmanCheckError } from './check-error.js';

// cgroup v2, then v1: the limit a container really has (the machine's memory otherwise).
const CGROUP_LIMITS = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/**
 * `memory`: heap used at most `memory.maxHeapUsed` (a % is of V8's heap limit) and RSS at
 * most `memory.maxRss` (a % is of the cgroup memory limit, else the machine's memory).
 */
export class MemoryCheck implements WatchmanCheckable {
  private memoryLimit?: Promise<number>;

  /** @param limits the `memory` option. */
  constructor(private readonly limits: { maxHeapUsed?: SizeLimit; maxRss?: SizeLimit }) {}

  async check(): Promise<Record<string, unknown>> {
    const limits = this.limits;
    const usage = process.memoryUsage();
    const heapLimit = getHeapStatistics().heap_size_limit;
    const memoryLimit = await (this.memoryLimit ??= containerMemoryLimit());
    const facts = {
      heap_used_bytes: usage.heapUsed,
      heap_limit_bytes: heapLimit,
      rss_bytes: usage.rss,
      memory_limit_bytes: memoryLimit,
    };
    const problems = [
      over('heap used', usage.heapUsed, limits.maxHeapUsed, heapLimit),
      over('RSS', usage.rss, limits.maxRss, memoryLimit),
    ].filter(Boolean);
    if (problems.length > 0) throw new WatchmanCheckError(problems.join('; '), { details: facts });
    return facts;
  }
}

function over(what: string, value: number, limit: SizeLimit | undefined, total: number): string | undefined {
  if (!limit || value <= sizeInBytes(limit, total)) return undefined;
  return `${what} ${value} bytes is over ${describeSize(limit)}${'percent' in limit ? ` of ${total} bytes` : ''}`;
}

async function containerMemoryLimit(): Promise<number> {
  for (const file of CGROUP_LIMITS) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const value = Number(text?.trim());
    // "max", or v1's "no limit" (a huge number), mean the machine's memory.
    if (Number.isFinite(value) && value > 0 && value < totalmem()) return value;
  }
  return totalmem();
}
