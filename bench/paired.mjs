// A ratio of two routes' request rates, measured as pairs run back to back and reported as the
// median of the pairs with their spread: a shared machine drifts, and drift between two runs far
// apart would be measured as a difference between the routes.
import { load } from './load.mjs';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `{ a, b, ratio, ratios }`: median req/s of each route and the median of the per-round ratios b ÷ a. */
export async function pairedRatio(a, b, options = {}) {
  const once = async (target) => {
    const { rps, non2xx } = await load({ duration: DURATION_S, ...options, ...target });
    if (non2xx > 0) throw new Error(`${target.url} answered ${non2xx} non-2xx responses`);
    return rps;
  };
  await once({ ...a, duration: 1 }); // warm-up
  await once({ ...b, duration: 1 });
  const rates = { a: [], b: [], ratios: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always gets the warmer machine.
    const [first, second] = round % 2 ? [b, a] : [a, b];
    const r1 = await once(first);
    const r2 = await once(second);
    const [ra, rb] = round % 2 ? [r2, r1] : [r1, r2];
    rates.a.push(ra);
    rates.b.push(rb);
    rates.ratios.push(rb / ra);
  }
  return { a: median(rates.a), b: median(rates.b), ratio: median(rates.ratios), ratios: rates.ratios };
}

/** "0.93 (0.88–0.97 over 5 rounds)". */
export function spread({ ratio, ratios }) {
  return `${ratio.toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} over ${ratios.length} rounds)`;
}
