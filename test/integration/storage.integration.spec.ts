import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WatchmanCheckable, WatchmanCheckRegistry } from 'nestjs-watchman';
import { itWithTmpfs, mountTmpfs, unmount, withTmpfs } from '../support/tmpfs.js';
import { tempDir } from '../support/temp-dir.js';
import { using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';

/** The storage check alone, writing under mediaRoot/storagePath. */
const storage = (mediaRoot: string, storagePath?: string) =>
  watchmanApp({ mediaRoot, storagePath, checks: ['storage'] });

const itMount = itWithTmpfs('full-disk and read-only storage');

describe('storage check on the real file system', () => {
  it('never collides under 50 concurrent runs and leaves nothing behind', async () => {
    const media = tempDir();
    await using(storage(media, 'probe').boot(), async ({ app }) => {
      const check = app.get(WatchmanCheckRegistry).get('storage')?.instance as WatchmanCheckable;
      const signal = new AbortController().signal;
      await expect(Promise.all(Array.from({ length: 50 }, () => check.check(signal)))).resolves.toHaveLength(50);
      expect(readdirSync(join(media, 'probe'))).toEqual([]);
    });
  });

  it('creates a missing storage folder', async () => {
    const media = tempDir();
    await using(storage(media, 'a/b/c').boot(), async ({ runner }) => {
      expect((await runner.run()).ok).toBe(true);
      expect(readdirSync(join(media, 'a/b/c'))).toEqual([]);
    });
  });

  itMount('reports a full disk with ENOSPC and removes the half-written file', async () => {
    await withTmpfs('size=4k', async (media) => {
      writeFileSync(join(media, 'fill'), Buffer.alloc(4096));
      await using(storage(media).boot(), async ({ runner }) => {
        const report = await runner.run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ENOSPC/) });
        expect(readdirSync(media)).toEqual(['fill']);
      });
    });
  });

  itMount('reports a read-only file system with EROFS', async () => {
    const media = tempDir();
    mkdirSync(join(media, 'ro'));
    expect(mountTmpfs(join(media, 'ro'), 'ro,size=64k')).toBe(true);
    await using({ close: async () => unmount(join(media, 'ro')) }, () =>
      using(storage(media, 'ro').boot(), async ({ runner }) => {
        const report = await runner.run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/EROFS/) });
      }),
    );
  });
});
