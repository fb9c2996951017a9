export const BUDGET: { firstLoadKB: number; allRoutesKB: number };

export interface Measurement {
  firstLoadBytes: number;
  allRoutesBytes: number;
  serviceWorkerBytes: number;
  cssBytes: number;
  firstLoadFiles: string[];
  chunks: Array<{ file: string; gzipBytes: number }>;
}

export function measure(distDir: string): Measurement;
