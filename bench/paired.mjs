// A ratio of two routes' request rates, measured as pairs run back to back and reported as the
// median of the pairs: a shared machine drifts, and drift between two runs far apart would be
// measured as a difference between the routes.
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `{ a, b, ratio }`: median req/s of each route and the median of the per-round ratios b ÷ a. */
export async function pairedRatio(a, b, options = {}) {
  const load = (target) => autocannon({ connections: 32, duration: DURATION_S, ...options, ...target });
  await load({ ...a, duration: 1 }); // warm-up
  const rates = { a: [], b: [], ratios: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always gets the warmer machine.
    const [first, second] = round % 2 ? [b, a] : [a, b];
    const r1 = (await load(first)).requests.average;
    const r2 = (await load(second)).requests.average;
    const [ra, rb] = round % 2 ? [r2, r1] : [r1, r2];
    rates.a.push(ra);
    rates.b.push(rb);
    rates.ratios.push(rb / ra);
  }
  return { a: median(rates.a), b: median(rates.b), ratio: median(rates.ratios), ratios: rates.ratios };
}
