import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

export const ROOT = join(import.meta.dirname, '../..');

/** How a child process ended. */
export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node ...args` from the repo root with a clean environment (PATH, HOME, a fresh MEDIA_ROOT, then env). */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', MEDIA_ROOT: tempDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
