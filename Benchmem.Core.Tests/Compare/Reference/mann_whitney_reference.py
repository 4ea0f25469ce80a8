#!/usr/bin/env python3
"""Reference p-values for SignificanceTests, computed independently of Benchmem (Python 3 + mpmath, 50 digits).

One-sided Mann-Whitney, H1: x tends to be larger than y; U = #(x > y) + 0.5 #(x == y).
  exact:      P(U >= u) from the null distribution of U without ties, as the coefficients of the Gaussian
              binomial [n1+n2 choose n1]_q computed with Python's exact integers (product formula, not the
              recurrence Benchmem uses).
  asymptotic: z = (U - n1 n2 / 2 - 0.5) / sqrt(n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1)))),
              p = erfc(z / sqrt 2) / 2: the formula of scipy.stats.mannwhitneyu(x, y, alternative='greater',
              method='asymptotic', use_continuity=True) (scipy not installed here; the formula is its documented one).
Run: python3 mann_whitney_reference.py  (prints the constants pasted into SignificanceTests.cs)
"""
from fractions import Fraction
import math
import mpmath

mpmath.mp.dps = 50


def u_and_ties(x, y):
    values = sorted([(v, 1) for v in x] + [(v, 0) for v in y])
    rank_sum_x = Fraction(0)
    tie = 0
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j][0] == values[i][0]:
            j += 1
        avg = Fraction(i + 1 + j, 2)
        rank_sum_x += avg * sum(1 for k in range(i, j) if values[k][1] == 1)
        t = j - i
        tie += t ** 3 - t
        i = j
    n1 = len(x)
    return rank_sum_x - Fraction(n1 * (n1 + 1), 2), tie


def asymptotic(x, y):
    u, tie = u_and_ties(x, y)
    n1, n2 = len(x), len(y)
    n = n1 + n2
    var = mpmath.mpf(n1 * n2) / 12 * ((n + 1) - mpmath.mpf(tie) / (n * (n - 1)))
    z = (mpmath.mpf(u.numerator) / u.denominator - mpmath.mpf(n1 * n2) / 2 - mpmath.mpf('0.5')) / mpmath.sqrt(var)
    return mpmath.erfc(z / mpmath.sqrt(2)) / 2, u, tie


def poly_mul_binomial(poly, k):
    """poly * (1 - q^k)"""
    out = poly + [0] * k
    for i, c in enumerate(poly):
        out[i + k] -= c
    return out


def poly_div(poly, k):
    """poly / (1 - q^k), exact (the division leaves no remainder here)"""
    out = list(poly)
    for i in range(k, len(out)):
        out[i] += out[i - k]
    return out


def exact(x, y):
    u, tie = u_and_ties(x, y)
    assert tie == 0, "exact reference only without ties"
    n1, n2 = len(x), len(y)
    poly = [1]
    for i in range(1, n1 + 1):
        poly = poly_mul_binomial(poly, n2 + i)
    for i in range(1, n1 + 1):
        poly = poly_div(poly, i)
    poly = poly[: n1 * n2 + 1]
    assert all(c >= 0 for c in poly) and sum(poly) == math.comb(n1 + n2, n1)
    uu = int(u)
    return mpmath.mpf(sum(poly[uu:])) / sum(poly), u


def cases():
    # No ties, 200 x 200: a permutation of 0..399; x shifted by s + 0.5 keeps every value distinct.
    v = [(k * 163) % 400 for k in range(400)]
    for s in (10, 30):
        x = [v[k] + s + 0.5 for k in range(200)]
        y = [v[k] for k in range(200, 400)]
        yield f"exact200_shift{s}", x, y, True
    # No ties, 40 x 50 (within Benchmem's exact limit n1 n2 <= 2500): a permutation of 0..89.
    w = [(k * 37) % 90 for k in range(90)]
    for s in (5, 12):
        x = [w[k] + s + 0.5 for k in range(40)]
        y = [w[k] for k in range(40, 90)]
        yield f"exact40x50_shift{s}", x, y, True
    # Heavy ties, past Perfolizer's int overflow (n1 n2 (n1 + n2 + 1) > 2^31).
    for (n1, n2, s) in ((1100, 1100, 2), (1100, 1100, 0), (3000, 2000, 1), (2000, 2000, 6)):
        x = [(i * 37) % 101 + s for i in range(n1)]
        y = [(j * 53) % 101 for j in range(n2)]
        yield f"ties{n1}x{n2}_shift{s}", x, y, False


for name, x, y, do_exact in cases():
    p, u, tie = asymptotic(x, y)
    line = f"{name}: n1={len(x)} n2={len(y)} U={float(u)} tieTerm={tie} asymptotic p={mpmath.nstr(p, 15)}"
    if do_exact:
        pe, _ = exact(x, y)
        line += f" exact p={mpmath.nstr(pe, 15)}"
    print(line)
