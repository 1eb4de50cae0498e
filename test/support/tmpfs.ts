import { execFileSync } from 'node:child_process';
import { tempDir } from './temp-dir.js';
import { itIf } from './requirements.js';

/** Mounts a small tmpfs (root only); tests that need one skip visibly elsewhere. */
export function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Unmounts what mountTmpfs mounted. */
export function unmount(dir: string): void {
  execFileSync('umount', [dir]);
}

/** Runs `work` with a tmpfs mounted at a fresh folder, always unmounting it. */
export async function withTmpfs<T>(options: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  if (!mountTmpfs(dir, options)) throw new Error(`cannot mount a tmpfs (${options}) at ${dir}`);
  try {
    return await work(dir);
  } finally {
    unmount(dir);
  }
}

const canMount = (() => {
  const probe = tempDir();
  const ok = mountTmpfs(probe, 'size=4k');
  if (ok) unmount(probe);
  return ok;
})();

/** `it` where a tmpfs can be mounted (or under CI, where it must); a visible skip otherwise. */
export function itWithTmpfs(what: string): jest.It {
  return itIf(canMount ? undefined : `cannot mount a tmpfs here (needs root), so the ${what} tests cannot run`);
}
