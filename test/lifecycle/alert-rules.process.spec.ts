import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeIf, needsProgram } from '../support/requirements.js';
import { RULES_FILE } from '../support/operators.js';
import { tempDir } from '../support/temp-dir.js';

// The shipped alert rules (operators/watchman.rules.yml) under `promtool check rules` and
// `promtool test rules`: each alert fires on exactly what it is for, and nothing else does.
// (test/lifecycle/operators.process.spec.ts loads the same file into a real Prometheus.)

const PROMTOOL = '/usr/bin/promtool';

const promtool = (...args: string[]) =>
  execFileSync(PROMTOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeIf(needsProgram(PROMTOOL, 'prometheus'))('the shipped alert rules (promtool)', () => {
  it('are valid rules (promtool check rules)', () => {
    expect(promtool('check', 'rules', RULES_FILE)).toMatch(/SUCCESS: 5 rules found/);
  });

  it('page on a failing critical check and a failing scrape, warn on a non-critical check, flapping and not ready', () => {
    const dir = tempDir('watchman-rules-');
    copyFileSync(RULES_FILE, join(dir, 'watchman.rules.yml'));
    const target = { instance: 'app:3000', job: 'watchman' };
    const labels = (check: string, critical: boolean) => ({ check, critical: String(critical), ...target });
    // Prometheus keeps alias="" (a single check) as no alias label at all.
    const series = (check: string, critical: boolean, values: string) => ({
      series: `watchman_check_up{check="${check}",critical="${critical}",instance="app:3000",job="watchman"}`,
      values,
    });
    const alert = (eval_time: string, alertname: string, exp_alerts: unknown[]) => ({
      eval_time,
      alertname,
      exp_alerts,
    });
    const tests = {
      rule_files: ['watchman.rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series('databases', true, '0x20'),
            series('payments', false, '0x20'),
            series('storage', true, '1x20'),
            // up and down every minute: never down for a whole `for:`, but 9 changes by 9m.
            series('flappy', false, '1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1'),
            { series: 'watchman_available{probe="ready",instance="app:3000",job="watchman"}', values: '0x20' },
            { series: 'watchman_available{probe="live",instance="app:3000",job="watchman"}', values: '1x20' },
            { series: 'up{instance="app:3000",job="watchman"}', values: '1x20' },
            { series: 'up{instance="dead:3000",job="watchman"}', values: '0x20' },
          ],
          alert_rule_test: [
            alert('6m', 'WatchmanCheckFailing', [
              {
                exp_labels: { ...labels('databases', true), severity: 'page' },
                exp_annotations: { summary: 'databases  is failing on app:3000' },
              },
            ]),
            alert('6m', 'WatchmanCheckDegraded', [
              {
                exp_labels: { ...labels('payments', false), severity: 'warning' },
                exp_annotations: { summary: 'payments  (non-critical) is failing on app:3000' },
              },
            ]),
            alert('9m', 'WatchmanCheckFlapping', [
              {
                exp_labels: { ...labels('flappy', false), severity: 'warning' },
                exp_annotations: { summary: 'flappy  changed state 9 times in 15 minutes on app:3000' },
              },
            ]),
            alert('6m', 'WatchmanMetricsDown', [
              {
                exp_labels: { instance: 'dead:3000', job: 'watchman', severity: 'page' },
                exp_annotations: { summary: "watchman's metrics on dead:3000 cannot be scraped" },
              },
            ]),
            // Not ready for 10 minutes is a maintenance window; for 16, something is stuck.
            alert('10m', 'WatchmanNotReady', []),
            alert('16m', 'WatchmanNotReady', [
              {
                exp_labels: { probe: 'ready', ...target, severity: 'warning' },
                exp_annotations: { summary: 'app:3000 has reported itself not ready for 15 minutes' },
              },
            ]),
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'watchman.rules.test.yml'), stringify(tests));
    // promtool exits non-zero, naming the alert and the labels it got, when a rule fires otherwise.
    expect(promtool('test', 'rules', join(dir, 'watchman.rules.test.yml'))).toContain('SUCCESS');
  });
});
