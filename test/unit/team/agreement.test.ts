import test from 'node:test';
import assert from 'node:assert/strict';
import { cohensKappa, krippendorffAlpha } from '../../../src/core/stats/nominalAgreement.ts';

const close = (actual: number | null, expected: number, message?: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${message ?? ''} ${actual} ≠ ${expected}`);
};

// Worked by hand. Two curators, ten items:
//   A: acc acc acc acc edit edit rej rej rej acc
//   B: acc acc acc edit edit rej  rej rej acc rej
// Agreements: items 1-3, 5, 7, 8 = 6 of 10, p_o = 0.6.
// A: 5 acc, 2 edit, 3 rej; B: 4 acc, 2 edit, 4 rej; p_e = (5·4 + 2·2 + 3·4) / 100 = 0.36.
// κ = (0.6 − 0.36) / (1 − 0.36) = 0.375.
// Alpha: n = 20 ratings, pooled acc 9, edit 4, rej 7; each of the 4 disagreeing units adds 2 to
// Σ_{c≠k} o_ck (two ordered pairs, 1/(m−1) = 1 each) = 8; Σ_{c≠k} n_c n_k = 20² − (81 + 16 + 49) = 254;
// α = 1 − (n − 1)·8 / 254 = 1 − 152/254 = 51/127.
const A = ['accept', 'accept', 'accept', 'accept', 'edit', 'edit', 'reject', 'reject', 'reject', 'accept'];
const B = ['accept', 'accept', 'accept', 'edit', 'edit', 'reject', 'reject', 'reject', 'accept', 'reject'];

test("two curators: Cohen's kappa and Krippendorff's alpha against the hand-computed values", () => {
  const kappa = cohensKappa(A.map((a, i) => [a, B[i] as string] as const));
  assert.equal(kappa.items, 10);
  assert.equal(kappa.agreements, 6);
  close(kappa.kappa, 0.375, 'kappa');
  const alpha = krippendorffAlpha(A.map((a, i) => [a, B[i] as string]));
  assert.equal(alpha.units, 10);
  assert.equal(alpha.ratings, 20);
  close(alpha.alpha, 51 / 127, 'alpha');
});

// Three curators, one rating missing and one item only one curator decided:
//   u1: A acc, B acc, C acc · u2: A acc, B rej, C acc · u3: A rej, B rej, C — · u4: A edit, B acc, C edit · u5: A rej only
// Alpha (u5 is not pairable): u2 {acc 2, rej 1}, m = 3 adds 2·1/2 twice = 2; u4 likewise 2; Σ_{c≠k} o_ck = 4.
// Pooled n_c: acc 3 + 2 + 1 = 6, rej 1 + 2 = 3, edit 2; n = 11; Σ_{c≠k} n_c n_k = 121 − (36 + 9 + 4) = 72.
// α = 1 − 10·4/72 = 4/9.
// Pairs over the items both decided:
//   A–B (u1..u4): agree on u1, u3: p_o = 1/2; A {acc 2, rej 1, edit 1}, B {acc 2, rej 2}: p_e = (4 + 2)/16 = 3/8; κ = (1/2 − 3/8)/(5/8) = 0.2
//   A–C (u1, u2, u4): all agree; A, C both {acc 2, edit 1}: p_e = 5/9; κ = 1
//   B–C (u1, u2, u4): agree on u1: p_o = 1/3; B {acc 2, rej 1}, C {acc 2, edit 1}: p_e = 4/9; κ = (1/3 − 4/9)/(5/9) = −0.2
test("three curators with a missing rating: alpha and each pair's kappa against the hand-computed values", () => {
  const units = [['accept', 'accept', 'accept'], ['accept', 'reject', 'accept'], ['reject', 'reject'], ['edit', 'accept', 'edit'], ['reject']];
  const alpha = krippendorffAlpha(units);
  assert.equal(alpha.units, 4);
  assert.equal(alpha.ratings, 11);
  close(alpha.alpha, 4 / 9, 'alpha');
  close(
    cohensKappa([
      ['accept', 'accept'],
      ['accept', 'reject'],
      ['reject', 'reject'],
      ['edit', 'accept'],
    ]).kappa,
    0.2,
    'A–B',
  );
  close(
    cohensKappa([
      ['accept', 'accept'],
      ['accept', 'accept'],
      ['edit', 'edit'],
    ]).kappa,
    1,
    'A–C',
  );
  close(
    cohensKappa([
      ['accept', 'accept'],
      ['reject', 'accept'],
      ['accept', 'edit'],
    ]).kappa,
    -0.2,
    'B–C',
  );
});

test('agreement is undefined, not a number, without items or when every decision is the same', () => {
  assert.equal(cohensKappa([]).kappa, null);
  assert.equal(
    cohensKappa([
      ['accept', 'accept'],
      ['accept', 'accept'],
    ]).kappa,
    null,
  );
  assert.equal(krippendorffAlpha([['accept']]).alpha, null);
  assert.equal(
    krippendorffAlpha([
      ['accept', 'accept'],
      ['accept', 'accept'],
    ]).alpha,
    null,
  );
});
