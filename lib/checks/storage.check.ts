import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchmanCheckable } from './check.interface.js';

/**
 * `storage`: write a uniquely named file under the storage path, check its size, read it back
 * and compare, delete it. The file is removed on every path, failures included.
 */
export class StorageCheck implements WatchmanCheckable {
  /** @param settings `dir`: the absolute folder to write in (`storagePath` inside `mediaRoot`). */
  constructor(private readonly settings: { dir: string }) {}

  async check(signal: AbortSignal): Promise<void> {
    const { dir } = this.settings;
    await mkdir(dir, { recursive: true });
    const file = join(dir, `.watchman-${randomUUID()}.txt`);
    const content = randomBytes(32).toString('hex');
    try {
      // 'wx': never overwrite; the name is unique, so concurrent runs cannot collide.
      await writeFile(file, content, { flag: 'wx', signal });
      const { size } = await stat(file);
      if (size !== Buffer.byteLength(content))
        throw new Error(`wrote ${Buffer.byteLength(content)} bytes but the file has ${size}`);
      const read = await readFile(file, { encoding: 'utf8', signal });
      if (read !== content) throw new Error('the file read back differs from what was written');
    } finally {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
}
