// Figures of several runs: median with min/max, and ratios taken run by run (pair i of one side
// with pair i of the other) rather than as a ratio of medians, so one slow run on a shared machine
// shows up as a spread instead of silently skewing the quotient.

export interface Figure {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function figure(values: number[]): Figure {
  if (!values.length) throw new Error('a figure needs at least one run');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, values };
}

/** `numerator[i] / denominator[i]` for every pair; the shorter side decides how many pairs. */
export function pairRatios(numerator: number[], denominator: number[]): Figure {
  const n = Math.min(numerator.length, denominator.length);
  if (!n) throw new Error('pairRatios needs at least one pair');
  return figure(Array.from({ length: n }, (_, i) => numerator[i]! / denominator[i]!));
}

/** `1.23 s [1.10–1.40]` with the given unit formatter. */
export function show(f: Figure, format: (v: number) => string): string {
  if (f.values.length === 1) return format(f.median);
  return `${format(f.median)} [${format(f.min)}–${format(f.max)}]`;
}

export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
export const sec = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} s`;
export const times = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)}×`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const count = (v: number) => Math.round(v).toLocaleString('en-US');
