import { SingleBar } from 'cli-progress';
import type { TrainingProgress } from '../core/train/trainer';

/**
 * Training progress on stderr: a bar on a terminal (cli-progress), plain lines otherwise (one every
 * few seconds and at the end), so logs of non-interactive runs stay readable.
 */
export class ProgressReporter {
  private bar: SingleBar | null = null;
  private lastLine = 0;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly quiet = false) {
    this.tty = Boolean(stream.isTTY);
  }

  phase(name: string): void {
    if (this.quiet) return;
    this.stopBar();
    this.stream.write(`action-lens: ${name}\n`);
  }

  update(p: TrainingProgress): void {
    if (this.quiet) return;
    const total = p.totalSteps ?? p.maxEpochs;
    const value = p.totalSteps !== null ? p.step : p.epoch;
    if (this.tty) {
      if (!this.bar) {
        this.bar = new SingleBar({ stream: this.stream, format: '  {bar} {value}/{total} {unit} | val NLL {val} (best {best})', hideCursor: true, clearOnComplete: false }, undefined);
        this.bar.start(total, 0, { unit: p.totalSteps !== null ? 'steps' : 'epochs', val: '-', best: '-' });
      }
      this.bar.update(value, { val: p.valNll.toFixed(4), best: p.bestValNll.toFixed(4) });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine > 2000 || value === total) {
      this.lastLine = now;
      this.stream.write(`  epoch ${p.epoch} step ${p.step}: train NLL ${p.trainNll.toFixed(4)}, val NLL ${p.valNll.toFixed(4)} (best ${p.bestValNll.toFixed(4)})\n`);
    }
  }

  done(): void {
    this.stopBar();
  }

  private stopBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
