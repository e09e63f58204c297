// Summaries of repeated measurements: every figure is reported as median and min–max.

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export const summarize = (values: number[]): Summary => {
  if (values.length === 0) throw new Error('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
};

/** `12.3 (11.9–13.0)`: the median, then min–max. */
export const formatSummary = (s: Summary, digits = 1): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/** Element-wise ratios of two equally long series measured in the same rounds. */
export const pairwiseRatios = (numerators: number[], denominators: number[]): number[] =>
  numerators.map((n, i) => n / (denominators[i] as number));
