import type { Report } from '../report/schema';
import type { TrainingProgress } from '../train/trainer';

export interface ExperimentOptions {
  quick: boolean;
  seed: number;
  signal?: AbortSignal;
  onPhase?: (phase: string) => void;
  onProgress?: (p: TrainingProgress) => void;
}

export interface ExperimentOutput {
  /** The main report (its `experiment` section holds the comparison with the truth). */
  report: Report;
  /** Data files the experiment drew, name → CSV text, written beside the report. */
  data: Record<string, string>;
}

/** One of the paper's experiments (docs/METHOD.md section 8), runnable quick (seconds) or full. */
export interface Experiment {
  id: string;
  title: string;
  description: string;
  run(options: ExperimentOptions): Promise<ExperimentOutput>;
}
