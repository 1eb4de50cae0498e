import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshCopy } from '../support/fresh-copy.js';
import { using } from '../support/http-app.js';
import { type ProcessGroup, startGroup } from '../support/process-group.js';
import { closedPort } from '../support/services.js';
import { baseEnv, startNode } from '../support/spawn-node.js';

// The Nest CLI workflow on a fresh copy of the repository: `nest build` once the install has built
// the library, and `npm run start:dev` picking up a change in lib/ with a new process.

const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
// Compiling on a loaded 2-core machine is slow: these bounds only turn a hang into a failure.
const LIMIT_MS = 240_000;
const PONG = "textResponse(200, 'pong')";

let copy: string;
beforeAll(() => {
  copy = freshCopy();
});

async function ping(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/watchman/ping`);
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined; // not listening (yet, or between two processes)
  }
}

/** Polls `url`'s ping until it answers `body`; fails if the group's command ends or LIMIT_MS passes. */
async function untilPing(url: string, body: string, group: ProcessGroup): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while ((await ping(url)) !== body) {
    if (group.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`ping never answered "${body}":\n${group.output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The pids in Nest's log lines (`[Nest] 1234  - …`), in order: the last is the process now running. */
const nestPids = (output: string) => [...output.matchAll(/\[Nest\] (\d+) /g)].map((match) => Number(match[1]));

describe('the Nest CLI on a fresh copy', () => {
  it(
    'nest build, after the install built the library (prepare), makes a sample app that node serves',
    async () => {
      const run = (command: string, args: string[]) =>
        execFileSync(command, args, { cwd: copy, env: baseEnv(NPM_ENV), stdio: ['ignore', 'pipe', 'pipe'] });
      run('npm', ['run', 'prepare']); // what `npm ci` runs
      run('npx', ['nest', 'build']);
      const server = await startNode(
        [join(copy, 'sample-app/dist/main.js')],
        { PORT: '0', HOST: '127.0.0.1' },
        /sample app \(\w+\) on /,
        LIMIT_MS,
      );
      await using({ close: () => server.stop() }, async () => {
        const port = /on http:\/\/localhost:(\d+)\//.exec(server.stdout)?.[1];
        expect(await ping(`http://127.0.0.1:${port}`)).toBe('pong');
      });
    },
    3 * LIMIT_MS,
  );

  it(
    'npm run start:dev serves the sample app, and a change in lib/ restarts it on the new code',
    async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}`;
      const dev = startGroup('npm', ['run', 'start:dev'], copy, { ...NPM_ENV, PORT: String(port), HOST: '127.0.0.1' });
      await using({ close: () => dev.stop() }, async () => {
        await untilPing(url, 'pong', dev);
        const first = nestPids(dev.output).at(-1);
        const file = join(copy, 'lib/routes/watchman-routes.ts');
        const source = readFileSync(file, 'utf8');
        expect(source).toContain(PONG);
        // A change of content: TypeScript's watch compares contents, so a touch alone rebuilds nothing.
        writeFileSync(file, source.replace(PONG, "textResponse(200, 'pong, rebuilt')"));
        await untilPing(url, 'pong, rebuilt', dev);
        const second = nestPids(dev.output).at(-1);
        expect(first).toBeDefined();
        expect(second).not.toBe(first);
        expect(dev.members()).not.toContain(first);
      });
      expect(dev.members()).toEqual([]);
    },
    3 * LIMIT_MS,
  );
});
