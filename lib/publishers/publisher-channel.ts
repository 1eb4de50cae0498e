import type { Logger } from '@nestjs/common';
import { errorMessage } from '../common/error-like.js';
import { within } from '../common/race.js';
import { redactUrls } from '../common/redact.js';
import { type PublishRequest, publishRequest } from './publish-request.js';

/**
 * How long shutdown waits for a publisher at most (its last requests, the Pushgateway's
 * DELETE), whatever `publish.timeout` is: the process still exits within `shutdownDelay` + 2 s.
 */
export const PUBLISH_SHUTDOWN_MS = 1_000;

/**
 * What every publisher shares: bounded requests, tracked so shutdown can wait a little for
 * them and then cut them, and a failing endpoint logged once (redacted) until it works again.
 * `send` never rejects: nothing a publisher does can throw into the runner or a response.
 */
export class PublisherChannel {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private failing = false;

  constructor(
    private readonly name: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Whether shutdown has cut this channel (nothing more is sent). */
  get closed(): boolean {
    return this.shutdown.signal.aborted;
  }

  /** Aborts with the shutdown, for work a publisher does before sending (a run of the checks). */
  get signal(): AbortSignal {
    return this.shutdown.signal;
  }

  /**
   * One request; whether it got a 2xx answer. A `final` request (the Pushgateway's DELETE) is
   * sent after `close()`, bounded by its timeout only.
   */
  async send(
    request: Omit<PublishRequest, 'timeoutMs' | 'signal'>,
    { timeoutMs = this.timeoutMs, final = false }: { timeoutMs?: number; final?: boolean } = {},
  ): Promise<boolean> {
    const signal = final ? undefined : this.shutdown.signal;
    const sent = publishRequest({ ...request, timeoutMs, signal });
    this.pending.add(sent);
    try {
      await sent;
      this.delivered();
      return true;
    } catch (error) {
      // A request cut by the shutdown is no failure of the endpoint.
      if (!signal?.aborted) this.failed(error);
      return false;
    } finally {
      this.pending.delete(sent);
    }
  }

  /** Logs a failure of this publisher, once until it delivers again. */
  failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(
      `${this.name} publisher failed: ${redactUrls(errorMessage(error))} (logged once; it keeps trying and says when it works again)`,
    );
  }

  /** At shutdown: waits up to `graceMs` for the requests under way, then cuts them. */
  async close(graceMs: number): Promise<void> {
    if (this.pending.size > 0 && graceMs > 0) await within(Promise.allSettled([...this.pending]), graceMs, () => []);
    this.shutdown.abort();
    await Promise.allSettled([...this.pending]);
  }

  private delivered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log(`${this.name} publisher delivers again`);
  }
}
