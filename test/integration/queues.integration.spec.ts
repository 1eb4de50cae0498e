import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, type JobType, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { WatchmanModuleOptions, WatchmanRunner } from 'nestjs-watchman';
import { type Fault, faultProxy } from '../support/fault-proxy.mjs';
import { using } from '../support/http-app.js';
import { describeWithService } from '../support/requirements.js';
import { redisConnections } from '../support/server-connections.js';
import { hungServer } from '../support/services.js';
import { localPortsTo } from '../support/socket-count.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// The queues check against the machine's real Redis, with BullMQ queues registered the
// @nestjs/bullmq way. Keys live under a prefix of this run's own, removed at the end.

const PREFIX = `watchman_test_${process.pid}`;
const ALL_STATES: JobType[] = [
  'waiting',
  'active',
  'failed',
  'delayed',
  'completed',
  'paused',
  'prioritized',
  'waiting-children',
];
const describeRedis = await describeWithService('Redis', 6379);

/** The app's processor of `mail`: a real BullMQ Worker listening on the queue, recording what it gets. */
@Processor('mail')
class MailProcessor extends WorkerHost {
  static received: string[] = [];
  async process(job: Job): Promise<void> {
    MailProcessor.received.push(job.name);
  }
}

interface AppPlan {
  port?: number;
  queues?: string[];
  options?: WatchmanModuleOptions;
  /** ioredis options for the queues' connection. */
  connection?: Record<string, unknown>;
  processors?: unknown[];
}

function queuesApp({ port = 6379, queues = ['mail', 'reports'], options, connection, processors = [] }: AppPlan) {
  return watchmanApp({ checkTimeout: 500, ...options }, ...processors).imports(
    BullModule.forRoot({ connection: { host: '127.0.0.1', port, ...connection }, prefix: PREFIX }),
    BullModule.registerQueue(...queues.filter((name) => name !== 'async').map((name) => ({ name }))),
    ...(queues.includes('async') ? [BullModule.registerQueueAsync({ name: 'async', useFactory: () => ({}) })] : []),
  );
}

type Outcome = { ok: boolean; error?: string; details?: Record<string, unknown>; durationMs: number };

async function results(runner: WatchmanRunner): Promise<Record<string, Outcome>> {
  const report = await runner.run({ check: ['queues'] });
  return Object.fromEntries((report.checks[0]?.aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

/** A queue of the test's own on the same keys (for adding jobs and reading every count). */
function testQueue(name: string): Queue {
  return new Queue(name, { connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX });
}

describeRedis('queues check on a real Redis', () => {
  afterAll(async () => {
    for (const name of ['mail', 'reports', 'async', 'failing', 'proxied']) {
      const queue = testQueue(name);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('finds every registered queue by itself, on by default, one alias per queue name, with its counts', async () => {
    const reports = testQueue('reports');
    await reports.addBulk([{ name: 'a' }, { name: 'b' }, { name: 'c' }].map((job) => ({ ...job, data: {} })));
    await reports.add('later', {}, { delay: 3_600_000 });
    await reports.add('much-later', {}, { delay: 7_200_000 });
    await using(queuesApp({ queues: ['reports', 'mail', 'async'] }).boot(), async ({ runner }) => {
      expect(runner.configuredChecks()).toContain('queues');
      const outcomes = await results(runner);
      expect(Object.keys(outcomes)).toEqual(['async', 'mail', 'reports']);
      expect(outcomes.reports).toMatchObject({
        ok: true,
        details: { waiting: 3, active: 0, failed: 0, delayed: 2 },
      });
      expect(outcomes.mail).toMatchObject({ ok: true, details: { waiting: 0, active: 0, failed: 0, delayed: 0 } });
      expect(Object.keys(outcomes.mail.details ?? {})).toEqual(['waiting', 'active', 'failed', 'delayed']);
    });
    await reports.obliterate({ force: true });
    await reports.close();
  });

  it('is not a default check when the app has no queue, and covers only the queues.names subset', async () => {
    await using(watchmanApp().boot(), async ({ runner }) => {
      expect(runner.configuredChecks()).not.toContain('queues');
    });
    await using(queuesApp({ options: { queues: { names: ['mail'] } } }).boot(), async ({ runner }) => {
      expect(Object.keys(await results(runner))).toEqual(['mail']);
    });
  });

  it('fails a queue over maxWaiting or maxFailed, naming the count and the limit, counts still shown', async () => {
    const failing = testQueue('failing');
    const failer = new Worker(
      'failing',
      async () => {
        throw new Error('job fails on purpose');
      },
      { connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX },
    );
    const failed = new Promise((resolve) => failer.once('failed', resolve));
    await failing.add('doomed', {});
    await failed;
    await failer.close();
    await failing.addBulk([
      { name: 'x', data: {} },
      { name: 'y', data: {} },
    ]);
    const options = { queues: { maxWaiting: 1, maxFailed: 0 } };
    await using(queuesApp({ queues: ['failing', 'mail'], options }).boot(), async ({ runner }) => {
      const outcomes = await results(runner);
      expect(outcomes.failing).toMatchObject({
        ok: false,
        error: '2 jobs waiting, more than maxWaiting (1); 1 jobs failed, more than maxFailed (0)',
        details: { waiting: 2, active: 0, failed: 1, delayed: 0 },
      });
      expect(outcomes.mail.ok).toBe(true);
    });
    await using(
      queuesApp({ queues: ['failing'], options: { queues: { maxWaiting: 2 } } }).boot(),
      async ({ runner }) => {
        expect((await results(runner)).failing.ok).toBe(true);
      },
    );
    await failing.obliterate({ force: true });
    await failing.close();
  });

  it('never adds or removes a job: a real Worker on the queue receives nothing in 200 runs, every count unchanged, only PING and the count script on the queue’s own connection', async () => {
    MailProcessor.received = [];
    const mail = testQueue('mail');
    await mail.add('scheduled', { to: 'x' }, { delay: 3_600_000 });
    const countsBefore = await mail.getJobCounts(...ALL_STATES);
    const observer = new Redis({ host: '127.0.0.1', port: 6379 });
    const monitor = await observer.monitor();
    const seen: Array<{ port: number; command: string; args: string[] }> = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) =>
      seen.push({ port: Number(source.split(':').at(-1)), command: String(args[0]).toLowerCase(), args }),
    );
    const setup = queuesApp({ queues: ['mail'], processors: [MailProcessor] }).afterClose(() => {
      monitor.disconnect();
      observer.disconnect();
    });
    await using(setup.boot(), async ({ app, runner }) => {
      const queue = app.get<Queue>('BullQueue_mail');
      const queuePort = ((await queue.client) as unknown as { stream: { localPort: number } }).stream.localPort;
      const worker = app.get(MailProcessor).worker;
      await worker.waitUntilReady();
      await results(runner);
      // MONITOR lags behind: the window of the 200 runs is cut between two markers it must see.
      const mark = async (text: string) => {
        await observer.echo(text);
        await until(
          () => seen.findIndex(({ command, args }) => command === 'echo' && args[1] === text),
          (index) => index >= 0,
        );
        return seen.findIndex(({ command, args }) => command === 'echo' && args[1] === text);
      };
      const from = await mark(`start-${PREFIX}`);
      for (let i = 0; i < 200; i++) {
        const outcome = (await results(runner)).mail;
        if (!outcome.ok) throw new Error(`run ${i}: ${JSON.stringify(outcome)}`);
        expect(outcome.details).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 1 });
      }
      const window = seen.slice(from, await mark(`end-${PREFIX}`));
      expect(MailProcessor.received).toEqual([]);
      expect(await mail.getJobCounts(...ALL_STATES)).toEqual(countsBefore);
      const ours = new Set(localPortsTo(6379));
      const pings = window.filter(({ command, port }) => command === 'ping' && ours.has(port));
      expect(pings).toHaveLength(200);
      expect(new Set(pings.map(({ port }) => port))).toEqual(new Set([queuePort])); // never a Worker's connection
      const fromQueue = new Set(window.filter(({ port }) => port === queuePort).map(({ command }) => command));
      expect([...fromQueue].filter((command) => !['ping', 'evalsha', 'eval'].includes(command))).toEqual([]);
    });
    await mail.obliterate({ force: true });
    await mail.close();
  }, 60_000);

  it('reads a BullMQ 6 queue as well (its client moved to backend.client)', async () => {
    const { Queue: Queue6 } = await import('bullmq6');
    const queue = new Queue6('v6', { connection: { host: '127.0.0.1', port: 6379 }, prefix: PREFIX });
    await queue.add('later', {}, { delay: 3_600_000 });
    const setup = watchmanApp({ checkTimeout: 1000 }, { provide: 'V6_QUEUE', useValue: queue }).afterClose(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    await using(setup.boot(), async ({ runner }) => {
      expect(runner.configuredChecks()).toContain('queues');
      expect((await results(runner)).v6).toMatchObject({
        ok: true,
        details: { waiting: 0, active: 0, failed: 0, delayed: 1 },
      });
    });
  });

  it('leaves no connection behind: the same CLIENT LIST count before and after 1,000 runs', async () => {
    await using(queuesApp({}).boot(), async ({ runner }) => {
      await results(runner);
      const before = await redisConnections(localPortsTo(6379));
      for (let i = 0; i < 1000; i++) {
        const outcomes = await results(runner);
        if (!outcomes.mail.ok || !outcomes.reports.ok) throw new Error(`run ${i}: ${JSON.stringify(outcomes)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await redisConnections(localPortsTo(6379));
      expect(after).toBe(before);
      console.log(
        `queues: Redis connections (CLIENT LIST) of this process before/after 1,000 runs: ${before} / ${after}`,
      );
    });
  }, 120_000);

  it('times out a Redis that never answers, within checkTimeout, and the app still closes', async () => {
    await using(hungServer(), async (hung) => {
      await using(
        queuesApp({ port: hung.port, queues: ['mail'], options: { checkTimeout: 400 } }).boot(),
        async ({ runner }) => {
          for (let i = 0; i < 3; i++)
            expect((await results(runner)).mail).toMatchObject({ ok: false, error: 'timed out after 400 ms' });
        },
      );
    });
  });

  describe('behind the fault proxy', () => {
    const TIMEOUT = 500;
    // ioredis's own guard for a connection whose replies stopped: without it, a reply lost in a
    // blackhole leaves the app's connection waiting for ever (watchman never resets it).
    const connection = { socketTimeout: 1500 };
    // A hang is cut at the timeout; once ioredis drops the connection (refused, or its
    // socketTimeout), the check says so at once rather than queue a command for later.
    const down = /^the queue's Redis connection is (connecting|connect|reconnecting|close)$/;
    const timedOut = /^timed out after 500 ms$/;
    const either = new RegExp(`${timedOut.source}|${down.source}`);
    const cases: Array<[string, Fault, RegExp]> = [
      // A command written just before the drop waits for the reconnect: cut at the timeout too.
      ['refused', 'refuse', either],
      ['blackholed', 'blackhole', timedOut],
      ['slow', { slow: 2 * TIMEOUT }, timedOut],
      ['paused', 'pause', timedOut],
    ];

    it('piles nothing onto a connection that stopped answering: one PING waits, however many runs', async () => {
      await using(faultProxy(6379), async (proxy) => {
        const setup = queuesApp({ port: proxy.port, queues: ['proxied'], options: { checkTimeout: 200 } });
        await using(setup.boot(), async ({ app, runner }) => {
          expect((await results(runner)).proxied.ok).toBe(true);
          // ioredis's queue of commands written and not yet answered (no public counter exists).
          const client = (await app.get<Queue>('BullQueue_proxied').client) as unknown as {
            commandQueue: { length: number };
          };
          await proxy.set('pause');
          for (let i = 0; i < 20; i++)
            expect((await results(runner)).proxied).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
          expect(client.commandQueue.length).toBe(1);
          await proxy.set('pass');
          expect(
            (
              await until(
                () => results(runner),
                (now) => now.proxied.ok,
              )
            ).proxied.ok,
          ).toBe(true);
        });
      });
    });

    it.each(cases)(
      '%s: reported within the timeout, ok again without a restart, no connection left',
      async (name, fault, error) => {
        await using(faultProxy(6379), async (proxy) => {
          const setup = queuesApp({
            port: proxy.port,
            queues: ['proxied'],
            connection,
            options: { checkTimeout: TIMEOUT },
          });
          await using(setup.boot(), async ({ runner }) => {
            expect((await results(runner)).proxied.ok).toBe(true);
            const durations: number[] = [];
            const before = await redisConnections(proxy.upstreamPorts());
            await proxy.set(fault);
            for (let i = 0; i < 5; i++) {
              const during = (await results(runner)).proxied;
              expect(during).toMatchObject({ ok: false, error: expect.stringMatching(i === 0 ? error : either) });
              durations.push(during.durationMs);
            }
            // Let what the slow proxy still holds arrive before it relays at full speed again.
            if (typeof fault === 'object') await new Promise((resolve) => setTimeout(resolve, 3 * fault.slow));
            await proxy.set('pass');
            const healed = Date.now();
            const recovered = await until(
              async () => (await results(runner)).proxied,
              (outcome) => outcome.ok,
              { limitMs: 25_000, everyMs: 250 },
            );
            expect(recovered).toMatchObject({ ok: true, details: { waiting: 0 } });
            const recoveredAfter = Date.now() - healed;
            await new Promise((resolve) => setTimeout(resolve, 300));
            const after = await redisConnections(proxy.upstreamPorts());
            expect(after).toBeLessThanOrEqual(before);
            console.log(
              `queues ${name}: answered in ${durations.map((ms) => ms.toFixed(0)).join(', ')} ms (timeout ${TIMEOUT}); ok again after ${recoveredAfter} ms; connections ${before} → ${after}`,
            );
          });
        });
      },
      60_000,
    );
  });
});
