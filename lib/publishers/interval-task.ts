/**
 * A publisher's beat: runs `task` now and then every `ms`, never two at once (a beat still
 * under way when the next is due is not doubled), on a timer that never keeps the process
 * alive. `task` must not reject (publishers log their own failures).
 */
export class IntervalTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly ms: number,
    private readonly task: () => Promise<void>,
  ) {}

  start(): void {
    this.tick();
  }

  /** No beat starts any more; resolves once the one under way (if any) has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve();
  }

  private tick(): void {
    if (this.stopped) return;
    this.running ??= this.task()
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
    this.timer = setTimeout(() => this.tick(), this.ms).unref();
  }
}
