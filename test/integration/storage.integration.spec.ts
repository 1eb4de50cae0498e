import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type WatchmanCheckable, WatchmanCheckRegistry, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { itWithTmpfs, mountTmpfs, unmount } from '../support/tmpfs.js';
import { tempDir } from '../support/temp-dir.js';

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
    const app = await boot(media, 'probe');
    try {
      const check = app.get(WatchmanCheckRegistry).get('storage')?.instance as WatchmanCheckable;
      const signal = new AbortController().signal;
      await expect(Promise.all(Array.from({ length: 50 }, () => check.check(signal)))).resolves.toHaveLength(50);
      expect(readdirSync(join(media, 'probe'))).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('creates a missing storage folder', async () => {
    const media = tempDir();
    const app = await boot(media, 'a/b/c');
    try {
      expect((await app.get(WatchmanRunner).run()).ok).toBe(true);
      expect(readdirSync(join(media, 'a/b/c'))).toEqual([]);
    } finally {
      await app.close();
    }
  });

  itMount('reports a full disk with ENOSPC and removes the half-written file', async () => {
    const media = tempDir();
    expect(mountTmpfs(media, 'size=4k')).toBe(true);
    try {
      writeFileSync(join(media, 'fill'), Buffer.alloc(4096));
      const app = await boot(media);
      try {
        const report = await app.get(WatchmanRunner).run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ENOSPC/) });
        expect(readdirSync(media)).toEqual(['fill']);
      } finally {
        await app.close();
      }
    } finally {
      unmount(media);
    }
  });

  itMount('reports a read-only file system with EROFS', async () => {
    const media = tempDir();
    mkdirSync(join(media, 'ro'));
    expect(mountTmpfs(join(media, 'ro'), 'ro,size=64k')).toBe(true);
    try {
      const app = await boot(media, 'ro');
      try {
        const report = await app.get(WatchmanRunner).run();
        expect(report.checks[0].outcome).toMatchObject({ ok: false, error: expect.stringMatching(/EROFS/) });
      } finally {
        await app.close();
      }
    } finally {
      unmount(join(media, 'ro'));
    }
  });
});
