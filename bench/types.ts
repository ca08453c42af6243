/** What every benchmark module under bench/ exports as `run`. */
export interface BenchOptions {
  /** `npm run bench -- --large`: include the big sizes (1M-leaf trees and the like). */
  readonly large: boolean;
}

export interface BenchReport {
  /** File name under bench/results/, without extension. */
  readonly name: string;
  readonly title: string;
  /** A readable markdown body: tables with ratios to the peer libraries measured in the same run. */
  readonly markdown: string;
}

export type BenchModule = (options: BenchOptions) => Promise<BenchReport>;
