import { Agent, request } from 'node:http';

/** One answer (or failure) a poller saw. */
export interface Observation {
  /** ms since the poller's epoch (e.g. the SIGTERM). */
  at: number;
  route: string;
  status?: number;
  error?: string;
  /** The server asked to close the connection. */
  closed?: boolean;
}

/**
 * A client that polls one route as fast as answers come, over one keep-alive connection (a
 * kubelet, a load balancer, a monitor), until stopped or the server is gone.
 */
export class KeepAlivePoller {
  readonly seen: Observation[] = [];
  private running = true;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly done: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    readonly route: string,
    private readonly epoch: () => number,
    private readonly pauseMs = 5,
  ) {
    this.done = this.loop();
  }

  /** Resolves once the poller gave up by itself (the server refused it five times in a row). */
  ended(): Promise<void> {
    return this.done;
  }

  /** Stops polling and waits for the last request. */
  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    this.agent.destroy();
  }

  private async loop(): Promise<void> {
    let refusedInARow = 0;
    while (this.running && refusedInARow < 5) {
      const observation = await this.once();
      this.seen.push(observation);
      refusedInARow = observation.error === 'ECONNREFUSED' ? refusedInARow + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, observation.error ? 50 : this.pauseMs));
    }
  }

  private once(): Promise<Observation> {
    return new Promise((resolve) => {
      const url = new URL(this.route, this.baseUrl);
      const req = request(url, { agent: this.agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            at: this.epoch(),
            route: this.route,
            status: res.statusCode,
            closed: res.headers.connection === 'close',
          }),
        );
        res.on('error', (error) =>
          resolve({
            at: this.epoch(),
            route: this.route,
            error: (error as NodeJS.ErrnoException).code ?? error.message,
          }),
        );
      });
      req.on('error', (error) =>
        resolve({ at: this.epoch(), route: this.route, error: (error as NodeJS.ErrnoException).code ?? error.message }),
      );
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.end();
    });
  }
}
