import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { WatchmanModule } from 'nestjs-watchman';
import { withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { itWithTmpfs, withTmpfs } from '../support/tmpfs.js';

// sql.js answers SELECT 1 from memory whatever happened to its file: the check must look at the file.

const fileDataSource = (location: string) =>
  TypeOrmModule.forRoot({ type: 'sqljs', name: 'filedb', location, autoSave: true });

/** The `filedb` result, after `afterBoot` did something to the file system. */
async function databases(location: string, afterBoot: () => void = () => undefined): Promise<Record<string, unknown>> {
  return withApp(
    {
      imports: [
        fileDataSource(location),
        WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['databases'], databases: ['filedb'] }),
      ],
    },
    'express',
    async (app) => {
      afterBoot();
      return (await request(app.url).get('/watchman')).body.databases[0].filedb;
    },
  );
}

describe('databases check on a file-backed SQLite', () => {
  it('is ok with a usable file, and with one that does not exist yet in a writable folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'existing.sqlite'), '');
    expect(await databases(join(dir, 'existing.sqlite'))).toEqual({ ok: true });
    expect(await databases(join(dir, 'new.sqlite'))).toEqual({ ok: true });
  });

  it('fails with ENOTDIR when the file lies under a regular file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    expect(await databases(join(dir, 'blocker', 'app.sqlite'))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ENOTDIR/),
    });
  });

  it('fails with EISDIR when the file became a folder', async () => {
    const file = join(tempDir(), 'app.sqlite');
    const result = await databases(file, () => {
      rmSync(file, { force: true });
      mkdirSync(file);
    });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/EISDIR/) });
  });

  it('fails with ENOENT when its folder is gone', async () => {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir);
    const result = await databases(join(dir, 'app.sqlite'), () => rmSync(dir, { recursive: true, force: true }));
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/ENOENT/) });
  });

  itWithTmpfs('read-only SQLite')(
    'fails with EROFS on a read-only file system, for an existing file and a new one',
    async () => {
      await withTmpfs('size=64k', async (dir) => {
        writeFileSync(join(dir, 'existing.sqlite'), '');
        execFileSync('mount', ['-o', 'remount,ro', dir]);
        expect(await databases(join(dir, 'existing.sqlite'))).toMatchObject({
          ok: false,
          error: expect.stringMatching(/EROFS/),
        });
        expect(await databases(join(dir, 'new.sqlite'))).toMatchObject({
          ok: false,
          error: expect.stringMatching(/EROFS/),
        });
      });
    },
  );
});
