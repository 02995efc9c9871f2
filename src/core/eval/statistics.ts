import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * The two statistics a before/after comparison of students needs. The distributions come from
 * stdlib (accurate to double precision: its normal quantile and binomial CDF are ports of the
 * Boost/Cephes algorithms); the formulas are the textbook ones, cited where they are used.
 */

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3): unlike the
 * normal-approximation interval it stays inside [0, 1] and behaves at 0 and n successes.
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): Interval | null {
  if (trials <= 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * McNemar's exact (conditional) test on paired binary outcomes: of the n = b + c discordant
 * pairs, b went one way and c the other; under "no difference" b ~ Binomial(n, 1/2). Two-sided
 * p = min(1, 2 · P(X ≤ min(b, c))). No discordant pair: p = 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}
