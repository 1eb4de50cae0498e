import { copyFileSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { ROOT } from './spawn-node.js';
import { tempDir } from './temp-dir.js';

/**
 * The repository as a fresh clone has it: the files git tracks or would add (the work tree's
 * version), no build output, and the repo's node_modules linked in rather than installed again.
 */
export function freshCopy(prefix = 'watchman-clone-'): string {
  const copy = tempDir(prefix);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = join(ROOT, file);
    try {
      if (!statSync(from).isFile()) continue;
    } catch {
      continue; // deleted in the work tree
    }
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(from, join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}
