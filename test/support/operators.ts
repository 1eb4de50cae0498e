import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './spawn-node.js';

/** The artefacts for operators that ship in the package. */
export const RULES_FILE = join(ROOT, 'operators/watchman.rules.yml');
export const DASHBOARD_FILE = join(ROOT, 'operators/watchman.grafana.json');

interface GrafanaPanel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr?: string; refId: string }>;
  panels?: GrafanaPanel[];
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: Array<{ name: string; query: { query: string } | string; allValue?: string }> };
}

export function grafanaDashboard(): GrafanaDashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as GrafanaDashboard;
}

/** Every panel, those inside rows included. */
export function panelsOf(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/**
 * Every PromQL expression of the dashboard as Prometheus would get it from Grafana: the panels'
 * queries and the variables' (`label_values(expr, label)` asks for `expr`), with the variables
 * at "All" and `$__rate_interval` at `rateInterval`. Named `<panel title> (<refId>)`.
 */
export function dashboardExpressions(dashboard: GrafanaDashboard, rateInterval: string): Array<[string, string]> {
  const variables = dashboard.templating.list;
  const substitute = (expr: string) => {
    let text = expr.replaceAll('$__rate_interval', rateInterval);
    for (const variable of variables) text = text.replaceAll(`$${variable.name}`, variable.allValue ?? '.*');
    return text;
  };
  const fromPanels = panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr)
      .map((target): [string, string] => [`${panel.title} (${target.refId})`, substitute(target.expr ?? '')]),
  );
  const fromVariables = variables.map((variable): [string, string] => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const inner = /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1] ?? query;
    return [`variable ${variable.name}`, substitute(inner)];
  });
  return [...fromPanels, ...fromVariables];
}
