// Tests that spawn real processes (CLI, sample app, APM agents, shutdown) run compiled code:
// build the library, the sample app and the fixture apps once (incremental: a no-op when unchanged).
// The Prisma clients the tests use are generated here too, so a fresh clone needs only `npm ci`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  generatePrismaClients(root);
  execFileSync(process.execPath, [tsc, '-b', join(root, 'sample-app/tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'test/fixtures/tsconfig.json')], { stdio: 'inherit' });
}

/** `prisma generate` for each schema of test/fixtures/prisma, when it or the Prisma version changed. */
export function generatePrismaClients(root) {
  const folder = join(root, 'test/fixtures/prisma');
  const prisma = join(root, 'node_modules/prisma/build/index.js');
  const version = JSON.parse(readFileSync(join(root, 'node_modules/prisma/package.json'), 'utf8')).version;
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.prisma'))) {
    const schema = join(folder, file);
    const stamp = join(folder, 'generated', file.replace(/\.prisma$/, ''), '.stamp');
    const want = createHash('sha256').update(version).update(readFileSync(schema)).digest('hex');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) continue;
    execFileSync(process.execPath, [prisma, 'generate', '--schema', schema], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      // Offline: generate never runs the schema engine, so nothing must fetch it.
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    });
    writeFileSync(stamp, want);
  }
}
