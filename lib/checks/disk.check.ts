import { statfs } from 'node:fs/promises';
import { type SizeLimit, describeSize, sizeInBytes } from '../options/size.js';
import type { WatchmanCheckable } from './check.interface.js';
import { WatchmanCheckError } from './check-error.js';

/** `disk`: free space of the file system holding `disk.path`, at least `disk.minFree` (bytes or %). */
export class DiskCheck implements WatchmanCheckable {
  /** @param settings the `disk` option: `path` (absolute) and `minFree`. */
  constructor(private readonly settings: { path?: string; minFree?: SizeLimit }) {}

  async check(): Promise<Record<string, unknown>> {
    const disk = this.settings;
    if (!disk.path) throw new Error('the disk check needs disk.path (WATCHMAN_DISK_PATH)');
    const stats = await statfs(disk.path);
    // bavail: what an unprivileged process may still use (root's reserve excluded).
    const total = stats.blocks * stats.bsize;
    const free = stats.bavail * stats.bsize;
    const facts = {
      path: disk.path,
      free_bytes: free,
      total_bytes: total,
      free_percent: total ? round((free / total) * 100) : 0,
    };
    if (disk.minFree && free < sizeInBytes(disk.minFree, total)) {
      throw new WatchmanCheckError(
        `${free} bytes free on ${disk.path} (${facts.free_percent}%), below the minimum of ${describeSize(disk.minFree)}`,
        { details: facts },
      );
    }
    return facts;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
