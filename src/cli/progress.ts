import { SingleBar } from 'cli-progress';
import type { TrainingProgress } from '../core/train/trainer';
// The extension's progress words, shared so both faces explain a phase the same way (pure module).
import { parseStartsPhase, phaseText, progressCount } from '../core/pipeline/progress-text';

/**
 * Training progress on stderr: a bar on a terminal (cli-progress), plain lines otherwise (one every
 * few seconds and at the end), so logs of non-interactive runs stay readable. Each phase starts a new
 * bar or line series: nothing of one phase's progress is shown under the next.
 */
export class ProgressReporter {
  private bar: SingleBar | null = null;
  private lastLine = 0;
  private readonly tty: boolean;
  /** A start of the comparison of starts, announced with its first progress (which tells the steps each start gets). */
  private pendingPhase: string | null = null;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly quiet = false) {
    this.tty = Boolean(stream.isTTY);
  }

  phase(name: string): void {
    if (this.quiet) return;
    this.stopBar();
    this.flushPhase();
    this.lastLine = 0;
    if (parseStartsPhase(name) !== null) this.pendingPhase = name;
    else this.stream.write(`action-lens: ${phaseText(name)}\n`);
  }

  update(p: TrainingProgress): void {
    if (this.quiet) return;
    this.flushPhase(p);
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
      this.stream.write(`  ${progressCount(p)}: train NLL ${p.trainNll.toFixed(4)}, val NLL ${p.valNll.toFixed(4)} (best ${p.bestValNll.toFixed(4)})\n`);
    }
  }

  done(): void {
    this.stopBar();
    this.flushPhase();
  }

  private flushPhase(p?: TrainingProgress): void {
    if (this.pendingPhase === null) return;
    this.stream.write(`action-lens: ${phaseText(this.pendingPhase, p)}\n`);
    this.pendingPhase = null;
  }

  private stopBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
