import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlocks } from '../support/readme-blocks.js';
import { ROOT } from '../support/spawn-node.js';

// Every TypeScript block of the README is a whole file a user can paste: it must type-check
// (strict) against the package, as the user's compiler would see it.

const SNIPPETS = join(ROOT, 'test/readme/.snippets');

describe('README', () => {
  it('has TypeScript examples, and every one of them compiles', () => {
    const blocks = readmeBlocks('ts');
    expect(blocks.length).toBeGreaterThan(8);
    rmSync(SNIPPETS, { recursive: true, force: true });
    mkdirSync(SNIPPETS, { recursive: true });
    for (const block of blocks)
      writeFileSync(join(SNIPPETS, `readme-line-${block.line}.ts`), `${block.code}\nexport {};\n`);
    // The Prisma example imports the client `prisma generate` writes: the one global-setup generated.
    cpSync(join(ROOT, 'test/fixtures/prisma/generated/pg'), join(SNIPPETS, 'generated/prisma'), { recursive: true });
    writeFileSync(
      join(SNIPPETS, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: { noEmit: true, types: ['node'], noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(SNIPPETS, 'tsconfig.json')],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      const output = String((error as { stdout?: Buffer }).stdout ?? error);
      throw new Error(`README examples do not compile (file names give the README line of the block):\n${output}`, {
        cause: error,
      });
    }
  }, 60_000);
});

describe('README sections a new user reads first', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = (title: string) => {
    const start = readme.indexOf(`\n## ${title}\n`);
    return readme.slice(start, readme.indexOf('\n## ', start + 1));
  };

  it('show a database down at boot beside the Quick start and the Kubernetes section, named DataSource included', () => {
    const quickStart = section('Quick start');
    expect(quickStart).toContain('tolerantDataSourceFactory(');
    expect(quickStart).toMatch(/forRootAsync\(\{\s*name: 'replica'/);
    expect(section('Kubernetes')).toContain('tolerantDataSourceFactory()');
  });

  it('show where the probes are under a global prefix and versioning', () => {
    expect(section('Kubernetes')).toMatch(/setGlobalPrefix\('api', \{ exclude: \['watchman\/ping'/);
  });
});
