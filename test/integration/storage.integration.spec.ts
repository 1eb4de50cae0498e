import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type WatchmanCheckable, WatchmanCheckRegistry, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { servicesRequired } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

async function boot(mediaRoot: string, storagePath?: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [WatchmanModule.forRoot({ mediaRoot, storagePath, checks: ['storage'] })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** Mounts a small tmpfs (root only); tests that need one skip visibly elsewhere. */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMount = (() => {
  const probe = tempDir();
  const ok = mountTmpfs(probe, 'size=4k');
  if (ok) execFileSync('umount', [probe]);
  return ok;
})();
if (!canMount)
  console.warn('SKIPPED: cannot mount a tmpfs here (needs root); full-disk and read-only storage tests are skipped');
const itMount = canMount || servicesRequired ? it : it.skip;

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
      execFileSync('umount', [media]);
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
      execFileSync('umount', [join(media, 'ro')]);
    }
  });
});
