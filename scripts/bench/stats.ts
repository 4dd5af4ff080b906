// Latency and throughput figures for the benchmark scripts.
export function percentileMs(samplesMs: readonly number[], fraction: number): number {
  if (samplesMs.length === 0) return Number.NaN;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export function formatRow(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((cell, index) => String(cell).padStart(widths[index] ?? 10)).join('  ');
}
