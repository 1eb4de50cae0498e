import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readmeBlock } from '../support/readme-blocks.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { tempDir } from '../support/temp-dir.js';

// The README's alert rules under `promtool test rules`: a failing critical check pages, a
// failing non-critical one (which leaves the app up) only warns.

const PROMTOOL = '/usr/bin/promtool';

describeIf(needsProgram(PROMTOOL, 'prometheus'))('the README’s alert rules (promtool)', () => {
  it('page on a failing critical check only, and warn on a non-critical one', () => {
    const dir = tempDir('watchman-rules-');
    writeFileSync(join(dir, 'watchman.rules.yml'), readmeBlock('yaml', 'watchman.rules.yml'));
    const labels = (check: string, critical: boolean) => ({
      check,
      critical: String(critical),
      instance: 'app:3000',
      job: 'watchman',
    });
    // Prometheus keeps alias="" (a single check) as no alias label at all.
    const series = (check: string, critical: boolean, values: string) => ({
      series: `watchman_check_up{check="${check}",critical="${critical}",instance="app:3000",job="watchman"}`,
      values,
    });
    const tests = {
      rule_files: ['watchman.rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series('databases', true, '0x10'),
            series('payments', false, '0x10'),
            series('storage', true, '1x10'),
          ],
          alert_rule_test: [
            {
              eval_time: '6m',
              alertname: 'WatchmanCheckFailing',
              exp_alerts: [
                {
                  exp_labels: { ...labels('databases', true), severity: 'page' },
                  exp_annotations: { summary: 'databases  is failing on app:3000' },
                },
              ],
            },
            {
              eval_time: '6m',
              alertname: 'WatchmanCheckDegraded',
              exp_alerts: [
                {
                  exp_labels: { ...labels('payments', false), severity: 'warning' },
                  exp_annotations: { summary: 'payments  (non-critical) is failing on app:3000' },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'watchman.rules.test.yml'), stringify(tests));
    // promtool exits non-zero, naming the alert and the labels it got, when a rule fires otherwise.
    const output = execFileSync(PROMTOOL, ['test', 'rules', join(dir, 'watchman.rules.test.yml')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toContain('SUCCESS');
  });
});
