import { onOwnConnection } from '../../lib/checks/databases/own-connection.js';

// The one rule both new kinds ping by: a connection the check took for itself goes back to the
// pool only after a clean ping; cut, failed or late, it is destroyed.

function pool(arrival?: Promise<void>) {
  const events: string[] = [];
  let n = 0;
  return {
    events,
    lease: {
      acquire: async () => {
        await arrival;
        n += 1;
        events.push(`acquired c${n}`);
        return `c${n}`;
      },
      release: (connection: string) => void events.push(`released ${connection}`),
      destroy: (connection: string) => void events.push(`destroyed ${connection}`),
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('onOwnConnection', () => {
  it('gives the connection back after the work succeeds, with its result', async () => {
    const { lease, events } = pool();
    await expect(onOwnConnection(lease, new AbortController().signal, async (c) => `ran on ${c}`)).resolves.toBe(
      'ran on c1',
    );
    expect(events).toEqual(['acquired c1', 'released c1']);
  });

  it('destroys the connection when the work fails, and rethrows', async () => {
    const { lease, events } = pool();
    const failing = onOwnConnection(lease, new AbortController().signal, async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    await expect(failing).rejects.toThrow('Connection terminated unexpectedly');
    expect(events).toEqual(['acquired c1', 'destroyed c1']);
  });

  it('destroys the connection the moment the signal fires, though the work never ends', async () => {
    const { lease, events } = pool();
    const controller = new AbortController();
    void onOwnConnection(lease, controller.signal, () => new Promise<never>(() => {})).catch(() => undefined);
    await tick();
    controller.abort(new Error('timed out after 500 ms'));
    await tick();
    expect(events).toEqual(['acquired c1', 'destroyed c1']);
  });

  it('destroys a connection the pool hands over only after the abort, and never runs the work on it', async () => {
    let arrive!: () => void;
    const { lease, events } = pool(new Promise<void>((resolve) => (arrive = resolve)));
    const controller = new AbortController();
    let ran = false;
    const ping = onOwnConnection(lease, controller.signal, async () => void (ran = true));
    controller.abort(new Error('timed out after 500 ms'));
    arrive();
    await expect(ping).rejects.toThrow('timed out after 500 ms');
    await tick();
    expect(events).toEqual(['acquired c1', 'destroyed c1']);
    expect(ran).toBe(false);
  });

  it('takes no connection when the signal has already fired, and gives back nothing when none came', async () => {
    const { lease, events } = pool();
    const aborted = AbortSignal.abort(new Error('shutting down'));
    await expect(onOwnConnection(lease, aborted, async () => undefined)).rejects.toThrow('shutting down');
    const refused = { ...lease, acquire: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) };
    await expect(onOwnConnection(refused, new AbortController().signal, async () => undefined)).rejects.toThrow(
      'ECONNREFUSED',
    );
    expect(events).toEqual([]);
  });
});
