import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { THEORIES, createTheory, findTheory } from '../../core/theories/registry';
import { ParameterError, type Theory } from '../../core/theories/theory';
import { hmc, type HmcPhase, type HmcResult } from '../../core/sampling/hmc';
import { InputError } from '../../core/util/errors';
import { writeFileAtomic } from '../../core/util/atomic';
import { TOOL_VERSION } from '../../core/version';

/** Beyond this many values the CSV text would run to gigabytes; nobody needs that from one call. */
const MAX_VALUES = 20_000_000;

interface SampleOptions {
  n: string;
  seed: string;
  out: string;
  chains: string;
  [param: string]: string | undefined;
}

/** `action-lens sample <theory>`: synthetic data with a known action (docs/METHOD.md section 7). */
export function registerSample(program: Command): void {
  const cmd = program
    .command('sample')
    .description('Draw rows from a synthetic theory by Hamiltonian Monte Carlo; write them as CSV and the exact action as <out>.truth.json.')
    .argument('<theory>', `the theory: ${THEORIES.map((t) => t.name).join(' | ')}`);
  const seen = new Set<string>();
  for (const def of THEORIES) {
    for (const p of def.parameters) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      cmd.option(`--${p.name} <value>`, `${p.description} (default: per theory, below)`);
    }
  }
  cmd
    .option('--n <rows>', 'rows to draw', '10000')
    .option('--seed <int>', 'seed; the same seed gives the same rows', '1')
    .option('--chains <count>', 'parallel HMC chains (rows come chain by chain in contiguous blocks)', '32')
    .requiredOption('--out <file.csv>', 'the CSV to write (header x0..x{d-1}); the truth goes to <file.csv>.truth.json')
    .addHelpText('after', helpText())
    .action(async (theoryName: string, opts: SampleOptions) => {
      await runSample(theoryName, opts);
    });
}

function helpText(): string {
  const lines = ['', 'Theories and their defaults:'];
  for (const def of THEORIES) {
    lines.push(`  ${def.name}: ${def.summary}`);
    lines.push(`    ${def.parameters.map((p) => `--${p.name} ${p.defaultValue}`).join('  ')}`);
  }
  lines.push(
    '',
    'Rejected: sets whose exp(-E) is not normalizable (g4 < 0; g4 = 0 with g3 != 0; g4 = g3 = 0 with Delta',
    'not positive definite). Sets that are not unimodal by the one-site condition g3^2 < (8/3) g4 m2 are',
    'sampled with a warning; the truth file reports how often the chains crossed between the wells.',
    '',
    'Example: action-lens sample doublewell --d 4 --n 20000 --seed 7 --out dw.csv',
  );
  return lines.join('\n');
}

async function runSample(theoryName: string, opts: SampleOptions): Promise<void> {
  const def = findTheory(theoryName);
  const n = parseInteger('n', opts.n, 1);
  const seed = parseInteger('seed', opts.seed, 0);
  const chains = parseInteger('chains', opts.chains, 1);
  const given: Record<string, number> = {};
  for (const spec of THEORIES.flatMap((t) => t.parameters)) {
    const raw = opts[spec.name];
    if (raw === undefined || spec.name in given) continue;
    given[spec.name] = spec.integer === true ? parseInteger(spec.name, raw, 1) : parseNumber(spec.name, raw);
  }
  let theory: Theory;
  try {
    theory = createTheory(def.name, given);
  } catch (err) {
    if (err instanceof ParameterError) throw new InputError(`--${err.param}: ${err.reason}`);
    throw err;
  }
  if (n * theory.d > MAX_VALUES) {
    throw new InputError(`--n: ${n} rows x ${theory.d} columns = ${n * theory.d} values, more than the limit of ${MAX_VALUES}`);
  }
  const out = opts.out;
  const folder = dirname(resolve(out));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new InputError(`--out: the folder ${folder} does not exist`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new InputError(`--out: ${out} is a folder; give a file name`);

  if (theory.warning !== null) process.stderr.write(`action-lens: warning: ${theory.warning}\n`);
  const progress = new Progress(process.stderr.isTTY === true);
  let result: HmcResult;
  try {
    result = hmc(theory, { n, seed, chains, onProgress: (phase, done, total) => progress.update(phase, done, total) });
  } finally {
    progress.stop();
  }

  await writeFileAtomic(out, toCsv(result));
  const truthPath = `${out}.truth.json`;
  await writeFileAtomic(truthPath, `${compactJson(truth(theory, result, seed))}\n`);
  const minEss = Math.min(...result.ess);
  const wells = result.wells === undefined ? '' : `, ${result.wells.crossings} well crossings`;
  process.stderr.write(
    `sample: wrote ${out} (${n} rows) and ${truthPath}; acceptance ${result.acceptance.toFixed(2)}, thinning ${result.thinning}, ` +
      `min ESS ${Number.isFinite(minEss) ? Math.round(minEss) : 'n/a'}${wells}\n`,
  );
}

function parseNumber(name: string, raw: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InputError(`--${name}: expected a number, got '${raw}'`);
  return v;
}

function parseInteger(name: string, raw: string, min: number): number {
  const v = parseNumber(name, raw);
  if (!Number.isSafeInteger(v) || v < min) throw new InputError(`--${name}: expected an integer >= ${min}, got '${raw}'`);
  return v;
}

/** String(number) is the shortest text that reads back to the same float64. */
function toCsv(r: HmcResult): Buffer {
  const chunks: Buffer[] = [Buffer.from(`${Array.from({ length: r.d }, (_, i) => `x${i}`).join(',')}\n`)];
  const rowsPerChunk = 10_000;
  for (let start = 0; start < r.n; start += rowsPerChunk) {
    const lines: string[] = [];
    for (let row = start; row < Math.min(r.n, start + rowsPerChunk); row++) {
      const cells: string[] = [];
      for (let i = 0; i < r.d; i++) cells.push(String(r.samples[row * r.d + i]));
      lines.push(cells.join(','));
    }
    chunks.push(Buffer.from(`${lines.join('\n')}\n`));
  }
  return Buffer.concat(chunks);
}

function truth(theory: Theory, r: HmcResult, seed: number): unknown {
  return {
    tool: { name: 'action-lens', version: TOOL_VERSION },
    action: theory.trueAction(),
    theory: { name: theory.name, params: theory.params, unimodal: theory.unimodal, warning: theory.warning },
    data: { rows: r.n, columns: Array.from({ length: r.d }, (_, i) => `x${i}`) },
    sampler: {
      method: 'hmc',
      seed,
      chains: r.chains,
      layout: r.layout,
      chainLengths: r.chainLengths,
      acceptance: r.acceptance,
      stepSize: r.stepSize,
      trajectoryLength: r.trajectoryLength,
      leapfrogSteps: r.leapfrogSteps,
      thinning: r.thinning,
      pilotAutocorrTime: r.pilotAutocorrTime,
      warmup: r.warmup,
      divergences: r.divergences,
      gradientEvaluations: r.gradientEvaluations,
      ess: r.ess,
      integratedAutocorrTime: r.integratedAutocorrTime,
      rhat: r.rhat,
      wells: r.wells,
    },
  };
}

/** Indented JSON, with arrays of plain numbers kept on one line so monomials read as [0, 0, 1]. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|null)(?:,\s*(?:-?[\d.eE+-]+|null))*)\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
}

const PHASE_LABEL: Record<HmcPhase, string> = {
  warmup: 'warm-up (step size, trajectory length)',
  pilot: 'pilot (autocorrelation time for the thinning)',
  sampling: 'sampling',
};
/** hmc counts warm-up and pilot in lockstep iterations of all chains, sampling in transitions summed over chains. */
const PHASE_UNIT: Record<HmcPhase, string> = { warmup: 'iterations per chain', pilot: 'iterations per chain', sampling: 'transitions over all chains' };

/** A bar per phase on a terminal; otherwise one plain line when a phase starts. */
class Progress {
  private phase: HmcPhase | null = null;
  private bar: SingleBar | null = null;

  constructor(private readonly tty: boolean) {}

  update(phase: HmcPhase, done: number, total: number): void {
    if (phase !== this.phase) {
      this.stop();
      this.phase = phase;
      if (this.tty) {
        this.bar = new SingleBar({ format: `${PHASE_LABEL[phase]} [{bar}] {percentage}%`, stream: process.stderr }, Presets.shades_classic);
        this.bar.start(total, done);
      } else {
        process.stderr.write(`sample: ${PHASE_LABEL[phase]}: ${total} ${PHASE_UNIT[phase]}\n`);
      }
    }
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
