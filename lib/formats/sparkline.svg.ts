import { escapeHtml as e } from './html-escape.js';

/** One run as the sparkline draws it. */
export interface SparklineRun {
  durationMs: number;
  ok: boolean;
}

/** What the line is of, and its size in CSS pixels. */
export interface SparklineOptions {
  /** Names the line for screen readers and the tooltip, e.g. `databases default`. */
  label: string;
  width?: number;
  height?: number;
}

// Room around the plot, so the markers at the edges are not cut.
const PAD = 4;
// Half the size of a failure's cross.
const CROSS = 2.5;

/**
 * A check's latency history as inline SVG: a line through every run, oldest left, scaled to
 * the slowest run shown (its own max, not the page's); each failed run is a cross, so a
 * failure reads by shape and not by colour alone; the last run, when it passed, a dot. The
 * accessible name (`<title>` and `aria-label`) says min, max and last. Nothing is fetched or
 * styled inline: the page's stylesheet colours it by class, and the CSP stays as it is.
 * Empty history draws nothing.
 */
export function sparklineSvg(runs: readonly SparklineRun[], options: SparklineOptions): string {
  if (runs.length === 0) return '';
  const { width = 120, height = 28 } = options;
  const ms = runs.map((run) => (Number.isFinite(run.durationMs) && run.durationMs > 0 ? run.durationMs : 0));
  const max = Math.max(...ms);
  const x = (i: number) => (runs.length === 1 ? width / 2 : PAD + (i * (width - 2 * PAD)) / (runs.length - 1));
  // All runs at 0 ms lie on the baseline instead of dividing by zero.
  const y = (value: number) => (max > 0 ? PAD + (1 - value / max) * (height - 2 * PAD) : height - PAD);
  const at = ms.map((value, i) => ({ x: round(x(i)), y: round(y(value)) }));

  const failed = runs.filter((run) => !run.ok).length;
  const name = `${options.label}: latency of the last ${runs.length === 1 ? 'run' : `${runs.length} runs`}, min ${formatMs(Math.min(...ms))}, max ${formatMs(max)}, last ${formatMs(ms.at(-1)!)}; ${failed} failed`;
  const crosses = at
    .filter((_, i) => !runs[i].ok)
    .map(
      (p) =>
        `<path class="fail" d="M${round(p.x - CROSS)} ${round(p.y - CROSS)}L${round(p.x + CROSS)} ${round(p.y + CROSS)}M${round(p.x + CROSS)} ${round(p.y - CROSS)}L${round(p.x - CROSS)} ${round(p.y + CROSS)}" stroke="currentColor" fill="none"/>`,
    )
    .join('');
  const last = at.at(-1)!;
  const dot = runs.at(-1)!.ok ? `<circle class="last" cx="${last.x}" cy="${last.y}" r="2" fill="currentColor"/>` : '';
  return `<svg class="spark" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${e(name)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${e(name)}</title><polyline class="line" points="${at.map((p) => `${p.x},${p.y}`).join(' ')}" stroke="currentColor" fill="none"/>${crosses}${dot}</svg>`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// Durations without float noise: two decimals under 1 ms, one under 100 ms, whole above.
function formatMs(value: number): string {
  const digits = value < 1 ? 2 : value < 100 ? 1 : 0;
  return `${Number(value.toFixed(digits))} ms`;
}
