import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type WatchmanCheckable, WatchmanCheckRegistry, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { itWithTmpfs, mountTmpfs, unmount } from '../support/tmpfs.js';
import { tempDir } from '../support/temp-dir.js';
import { using } from '../support/http-app.js';

async function boot(mediaRoot: string, storagePath?: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [WatchmanModule.forRoot({ mediaRoot, storagePath, checks: ['storage'] })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const itMount = itWithTmpfs('full-disk and read-only storage');

describe('storage check on the real file system', () => {
  it('never collides under 50 concurrent runs and leaves nothing behind', async () => {
    const media = tempDir();
    await using(boot(media, 'probe'), async (app) => {
      const check = app.get(WatchmanCheckRegistry).get('storage')?.instance as WatchmanCheckable;
      const signal = new AbortController().signal;
      await expect(Promise.all(Array.from({ length: 50 }, () => check.check(signal)))).resolves.toHaveLength(50);
      expect(readdirSync(join(media, 'probe'))).toEqual([]);
    });
  });

  it('creates a missing storage folder', async () => {
    const media = tempDir();
    await using(boot(media, 'a/b/c'), async (app) => {
      expect((await app.get(WatchmanRunner).run()).ok).toBe(true);
      expect(readdirSync(join(media, 'a/b/c'))).toEqual([]);
    });
  });

  itMount('reports a full disk with ENOSPC and removes the half-written file', async () => {
    const media = tempDir();
    expect(mountTmpfs(media, 'size=4k')).toBe(true);
    try {
      writeFileSync(join(media, 'fill'), Buffer.alloc(4096));
      await using(boot(media), async (app) => {
        const report = await app.get(WatchmanRunner).run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ENOSPC/) });
        expect(readdirSync(media)).toEqual(['fill']);
      });
    } finally {
      unmount(media);
    }
  });

  itMount('reports a read-only file system with EROFS', async () => {
    const media = tempDir();
    mkdirSync(join(media, 'ro'));
    expect(mountTmpfs(join(media, 'ro'), 'ro,size=64k')).toBe(true);
    try {
      await using(boot(media, 'ro'), async (app) => {
        const report = await app.get(WatchmanRunner).run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/EROFS/) });
      });
    } finally {
      unmount(join(media, 'ro'));
    }
  });
});
