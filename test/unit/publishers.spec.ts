import { ChangeThrottle } from '../../lib/publishers/change-throttle.js';
import { failUrl } from '../../lib/publishers/heartbeat.publisher.js';
import { endpointOf } from '../../lib/publishers/publish-request.js';
import { pushgatewayGroupUrl } from '../../lib/publishers/pushgateway-url.js';
import { webhookMessage } from '../../lib/publishers/webhook-message.js';
import type { WatchmanCheckReport } from '../../lib/runner/check-result.js';
import type { WatchmanStatusChange } from '../../lib/runner/status-change.js';

const change = (ok: boolean, at = 0, check = 'db', alias?: string): WatchmanStatusChange => ({
  check,
  ...(alias === undefined ? {} : { alias }),
  ok,
  previous: !ok,
  ...(ok ? {} : { error: `${check} down` }),
  at: new Date(at),
});

/** Feeds flips at times (ms) through a throttle, releasing holds when due; what went out, and when. */
function throttled(minInterval: number, flips: Array<[ok: boolean, at: number, alias?: string]>, until: number) {
  const throttle = new ChangeThrottle(minInterval);
  const holds: Array<{ key: string; due: number }> = [];
  const sent: string[] = [];
  const out = (at: number, what?: WatchmanStatusChange) =>
    what && sent.push(`${at}:${what.alias ?? what.check}:${what.previous}->${what.ok}`);
  const releaseUpTo = (now: number) => {
    for (const hold of holds.splice(0).sort((a, b) => a.due - b.due)) {
      if (hold.due <= now) out(hold.due, throttle.release(hold.key, hold.due));
      else holds.push(hold);
    }
  };
  for (const [ok, at, alias] of flips) {
    releaseUpTo(at);
    const decision = throttle.offer(change(ok, at, 'db', alias), at);
    if ('send' in decision) out(at, decision.send);
    else if ('hold' in decision) holds.push({ key: decision.hold, due: at + decision.waitMs });
  }
  releaseUpTo(until);
  return sent;
}

describe('the webhook throttle (minInterval per check and alias)', () => {
  it('sends every flip when minInterval is 0', () => {
    expect(
      throttled(
        0,
        [
          [false, 0],
          [true, 1],
          [false, 2],
        ],
        10,
      ),
    ).toEqual(['0:db:true->false', '1:db:false->true', '2:db:true->false']);
  });

  it('holds flips inside the interval and sends the latest state at its end', () => {
    expect(
      throttled(
        1000,
        [
          [false, 0],
          [true, 100],
          [false, 200],
          [true, 300],
        ],
        5000,
      ),
    ).toEqual(['0:db:true->false', '1000:db:false->true']);
  });

  it('sends nothing at the end of the interval when the check flapped back to what was sent', () => {
    expect(
      throttled(
        1000,
        [
          [false, 0],
          [true, 100],
          [false, 200],
        ],
        5000,
      ),
    ).toEqual(['0:db:true->false']);
  });

  it('sends at once again once the interval has passed', () => {
    expect(
      throttled(
        1000,
        [
          [false, 0],
          [true, 1500],
          [false, 3000],
        ],
        5000,
      ),
    ).toEqual(['0:db:true->false', '1500:db:false->true', '3000:db:true->false']);
  });

  it('keeps one interval per alias', () => {
    expect(
      throttled(
        1000,
        [
          [false, 0, 'primary'],
          [false, 10, 'replica'],
          [true, 20, 'primary'],
        ],
        5000,
      ),
    ).toEqual(['0:primary:true->false', '10:replica:true->false', '1000:primary:false->true']);
  });
});

const report = (name: string, ok: boolean, critical = true): WatchmanCheckReport => ({
  name,
  critical,
  outcome: { ok, details: {}, durationMs: 1, measuredAt: new Date(0) },
});

describe('the webhook message', () => {
  const critical = (check: string) => check !== 'search';

  it('tells a critical failure (fail), a non-critical one (warn) and a restored check (pass) apart', () => {
    const failed = webhookMessage([change(false, 1000)], [report('db', false), report('search', true)], critical, 'a');
    expect(failed).toEqual({
      status: 'fail',
      changed: [{ check: 'db', ok: false, previous: true, error: 'db down', status: 'fail' }],
      at: '1970-01-01T00:00:01.000Z',
      instance: 'a',
    });
    const warned = webhookMessage(
      [change(false, 0, 'search')],
      [report('db', true), report('search', false, false)],
      critical,
      'a',
    );
    expect(warned).toMatchObject({ status: 'warn', changed: [{ check: 'search', ok: false, status: 'warn' }] });
    const restored = webhookMessage([change(true, 0)], [report('db', true), report('search', true)], critical, 'a');
    expect(restored).toMatchObject({
      status: 'pass',
      changed: [{ check: 'db', ok: true, previous: false, status: 'pass' }],
    });
    expect(restored.changed[0]).not.toHaveProperty('error');
  });

  it('carries the alias of a multi-resource check, and the latest time of the changes it carries', () => {
    const message = webhookMessage(
      [change(false, 1000, 'databases', 'primary'), change(false, 3000, 'databases', 'replica')],
      [report('databases', false)],
      critical,
      'b',
    );
    expect(message.changed.map((entry) => entry.alias)).toEqual(['primary', 'replica']);
    expect(message.at).toBe('1970-01-01T00:00:03.000Z');
  });
});

describe('publisher URLs', () => {
  it('puts the grouping key in the Pushgateway path, in base64 when a value holds a slash', () => {
    expect(pushgatewayGroupUrl('http://pg:9091/', 'watchman', 'web-1')).toBe(
      'http://pg:9091/metrics/job/watchman/instance/web-1',
    );
    expect(pushgatewayGroupUrl('http://pg:9091/prefix', 'a/b', 'pod 1')).toBe(
      `http://pg:9091/prefix/metrics/job@base64/${Buffer.from('a/b').toString('base64url')}/instance/pod%201`,
    );
  });

  it('adds /fail to the heartbeat path, before the query', () => {
    expect(failUrl('https://hc-ping.com/0f1e')).toBe('https://hc-ping.com/0f1e/fail');
    expect(failUrl('https://hc-ping.com/0f1e/?rid=7')).toBe('https://hc-ping.com/0f1e/fail?rid=7');
  });

  it('logs only the origin of an endpoint: no userinfo, path or query', () => {
    expect(endpointOf('https://user:pw@hooks.test:8443/services/T1/B2/secret?token=t#x')).toBe(
      'https://hooks.test:8443',
    );
    expect(endpointOf('not a url')).toBe('(an invalid URL)');
  });
});
