import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTERS, using } from '../support/http-app.js';
import { KeepAlivePoller, type Observation } from '../support/keep-alive-poller.js';
import { readmeDeployment } from '../support/readme-blocks.js';
import { shutDownCleanly, startProbeApp } from '../support/spawn-node.js';

// A real SIGTERM to a real server process under keep-alive load, configured with the README's
// Kubernetes block: what each client saw, in order, and how the process ended.

const { pod, container, env } = readmeDeployment();
const SHUTDOWN_DELAY_MS = Number(env.WATCHMAN_SHUTDOWN_DELAY_MS);
const CHECK_TIMEOUT_MS = Number(env.WATCHMAN_CHECK_TIMEOUT_MS);

describe('the README’s Kubernetes block', () => {
  it('keeps its budgets consistent: delay covers the readiness period, timeouts below the probes’, grace above the delay', () => {
    const { readinessProbe, livenessProbe, startupProbe } = container;
    expect(readinessProbe.httpGet.path).toBe('/watchman/ready');
    expect(livenessProbe.httpGet.path).toBe('/watchman/live');
    expect(startupProbe.httpGet.path).toBe('/watchman/startup');
    expect(SHUTDOWN_DELAY_MS).toBeGreaterThanOrEqual(
      readinessProbe.periodSeconds * readinessProbe.failureThreshold * 1000,
    );
    for (const probe of [readinessProbe, livenessProbe, startupProbe])
      expect(CHECK_TIMEOUT_MS).toBeLessThan(probe.timeoutSeconds * 1000);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(SHUTDOWN_DELAY_MS);
  });
});

/** The statuses of one route, in order, with runs of the same one collapsed: `200×41 → 503×88`. */
function sequence(seen: Observation[]): string {
  const parts: Array<[string, number]> = [];
  for (const observation of seen) {
    const label = String(observation.status ?? observation.error);
    const last = parts.at(-1);
    if (last?.[0] === label) last[1] += 1;
    else parts.push([label, 1]);
  }
  return parts.map(([label, count]) => `${label}×${count}`).join(' → ');
}

const timelines: string[] = [];
afterAll(() => {
  if (timelines.length === 0) return;
  const file = join(tmpdir(), `watchman-shutdown-timeline-${process.pid}.txt`);
  writeFileSync(file, `${timelines.join('\n\n')}\n`);
  console.log(`shutdown timeline (${file}):\n${timelines.join('\n\n')}`);
});

describe.each(ADAPTERS)('SIGTERM under keep-alive load on %s', (adapter) => {
  it('drops readiness at once, keeps liveness, answers every request in flight, then exits by itself', async () => {
    const app = await startProbeApp({
      ...env,
      HTTP_ADAPTER: adapter,
      WATCHMAN_CHECKS: 'storage,linger',
      WATCHMAN_READY_CHECKS: 'storage',
      LINGER_MS: String(Math.round(CHECK_TIMEOUT_MS * 0.75)),
    });
    let sigtermAt = 0;
    const since = () => (sigtermAt === 0 ? -1 : Date.now() - sigtermAt);
    const routes = ['/watchman/ready', '/watchman/ready?verbose', '/watchman/live', '/watchman/ping', '/watchman/bare'];
    const pollers = routes.flatMap((route) => [0, 1].map(() => new KeepAlivePoller(app.url, route, since)));
    // The pollers stop first, then the app (SIGKILL, a no-op once it exited by itself).
    const cleanup = {
      close: async () => {
        await Promise.all(pollers.map((poller) => poller.stop()));
        await app.stop('SIGKILL');
      },
    };
    await using(cleanup, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // A request in flight when the signal arrives: its check started before shutdown began.
      const inFlight = fetch(`${app.url}/watchman?check=linger`).then(async (res) => ({
        status: res.status,
        body: await res.json(),
      }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      sigtermAt = Date.now();
      const exiting = app.stop('SIGTERM', SHUTDOWN_DELAY_MS + 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // After shutdown began, no check starts: a JSON request gets the reason instead of a run.
      const late = await fetch(`${app.url}/watchman?check=storage`).then(async (res) => ({
        status: res.status,
        body: await res.json(),
      }));
      const stopped = await exiting;
      // Every client ends refused on its own: the server closed, nothing holds the port.
      await Promise.all(pollers.map((poller) => poller.ended()));

      const answered = (await inFlight) as { status: number; body: { linger: { ok: boolean } } };
      expect(answered.status).toBe(200);
      expect(answered.body.linger.ok).toBe(true);
      expect(late.body).toEqual({ storage: { ok: false, error: 'shutting down: no check starts any more' } });

      const byRoute = (route: string) =>
        pollers.filter((poller) => poller.route === route).flatMap((poller) => poller.seen);
      const after = (seen: Observation[]) =>
        seen.filter((observation) => observation.at >= 0 && observation.status !== undefined);
      for (const poller of pollers.filter((candidate) => !/live|ping/.test(candidate.route))) {
        const seen = poller.seen.filter((observation) => observation.status !== undefined);
        // Each client sees 200 … then 503 … and never 200 again.
        const first503 = seen.findIndex((observation) => observation.status === 503);
        expect(first503).toBeGreaterThan(0);
        expect(seen.slice(0, first503).every((observation) => observation.status === 200)).toBe(true);
        expect(seen.slice(first503).every((observation) => observation.status === 503)).toBe(true);
        // The server kept answering (503) for the whole delay: a balancer sees it before the port closes.
        expect(Math.max(...after(seen).map((observation) => observation.at))).toBeGreaterThanOrEqual(
          SHUTDOWN_DELAY_MS * 0.9,
        );
      }
      for (const poller of pollers.filter((candidate) => /live|ping/.test(candidate.route))) {
        const seen = poller.seen;
        const fine = (observation: Observation) =>
          observation.status === 200 || observation.error === 'ECONNREFUSED' || observation.error === 'ECONNRESET';
        // Fastify itself answers 503 to what arrives while its server is closing (after the delay).
        const closing = (observation: Observation) => observation.status === 503 && observation.at >= SHUTDOWN_DELAY_MS;
        expect(seen.filter((observation) => !fine(observation) && !closing(observation))).toEqual([]);
        // Once shutdown has begun, every answer asks the keep-alive client to close its connection.
        const answers = seen.filter((observation) => observation.status !== undefined);
        const firstClosed = answers.findIndex((observation) => observation.closed);
        expect(firstClosed).toBeGreaterThan(0);
        expect(answers.slice(firstClosed).every((observation) => observation.closed)).toBe(true);
        expect(answers[firstClosed].at).toBeGreaterThanOrEqual(0);
      }
      expect(shutDownCleanly(stopped)).toBe(true);
      expect(stopped.stoppedAfterMs).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS);

      const ready = after(byRoute('/watchman/ready'));
      timelines.push(
        [
          `${adapter}: SIGTERM at 0 ms; shutdownDelay ${SHUTDOWN_DELAY_MS} ms`,
          `  first ready 503 at +${Math.min(...ready.filter((o) => o.status === 503).map((o) => o.at))} ms, last answer at +${Math.max(...ready.map((o) => o.at))} ms`,
          `  process exited at +${stopped.stoppedAfterMs} ms (${stopped.signal ?? `code ${stopped.code}`}); in-flight request answered ${answered.status}`,
          ...pollers.map((poller) => `  ${poller.route}: ${sequence(poller.seen)}`),
          `  requests answered after SIGTERM: ${pollers.reduce((sum, poller) => sum + after(poller.seen).length, 0)}`,
        ].join('\n'),
      );
    });
  }, 60_000);
});
