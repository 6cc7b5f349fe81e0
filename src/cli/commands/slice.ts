import type { Command } from 'commander';
import { loadSlicer } from '../../core/action/on-demand';
import { writeFileAtomic } from '../../core/util/atomic';
import { InputError } from '../../core/util/errors';
import { integerOption } from '../options';

interface SliceFlags {
  fixed?: string;
  order?: number;
  top?: number;
  units: 'raw' | 'standardized';
  model?: string;
  out?: string;
  seconds?: number;
}

/**
 * `slice`: the action's coefficients computed from the weights on demand (docs/METHOD.md section 4.7),
 * for the orders a report of many columns does not store (and for any other order: the numbers are
 * the stored ones to rounding). CSV to stdout or --out.
 */
export function registerSlice(program: Command): void {
  program
    .command('slice')
    .description('Print a slice of the action (the coefficients of every monomial containing the held columns) or the strongest terms of an order, computed exactly from the weights.')
    .argument('<report.json>', 'a report written by `action-lens learn` (its model file is found through model.weightsFile)')
    .option('--fixed <i[,j]>', 'held column indices (0-based, report column order), comma-separated')
    .option('--order <K>', "the slice's total order (default: the report's order)", integerOption('--order', 1, 12))
    .option('--top <k>', 'instead of a slice, the k strongest terms of the order, with their guarantee', integerOption('--top', 1, 1_000_000))
    .option('--seconds <T>', 'with --top: time budget of the search (default: none, exact)', (v: string) => {
      const x = Number(v);
      if (!(x >= 0)) throw new InputError(`--seconds must be a number >= 0, got "${v}"`);
      return x;
    })
    .option('--units <u>', 'raw (around the report\'s expansion point) or standardized', (v: string) => {
      if (v !== 'raw' && v !== 'standardized') throw new InputError(`--units must be raw or standardized, got "${v}"`);
      return v;
    }, 'raw')
    .option('--model <model.json>', 'the model file, when not beside the report')
    .option('--out <file.csv>', 'write the CSV here instead of stdout')
    .action(async (reportPath: string, flags: SliceFlags) => {
      const t0 = Date.now();
      const { report, slicer } = await loadSlicer(reportPath, { ...(flags.model ? { modelPath: flags.model } : {}), units: flags.units });
      const order = flags.order ?? slicer.order;
      if (order > slicer.order) throw new InputError(`--order ${order} is above the report's order ${slicer.order}`);
      const columns = report.input.columns;
      const lines: string[] = [];
      let summary: string;
      if (flags.top !== undefined) {
        const { terms, guarantee } = slicer.topTerms(order, flags.top, flags.seconds !== undefined ? { seconds: flags.seconds } : {});
        lines.push('rank,monomial,columns,coefficient');
        terms.forEach((t, r) => lines.push(`${r + 1},${t.monomial.join(' ')},${csvCell(t.monomial.map((i) => columns[i]).join(' '))},${t.coefficient}`));
        summary = `the ${terms.length} strongest terms of order ${order}: ${guarantee}`;
      } else {
        if (flags.fixed === undefined) throw new InputError('give --fixed (the held column indices) or --top');
        const fixed = parseFixed(flags.fixed, columns.length);
        if (fixed.length >= order) throw new InputError(`--fixed holds ${fixed.length} indices; a slice of order ${order} holds 1 to ${order - 1}`);
        const values = slicer.slice(fixed, order);
        const free = order - fixed.length;
        const d = columns.length;
        lines.push([...Array.from({ length: free }, (_, k) => `free${k + 1}`), 'monomial', 'coefficient'].join(','));
        const idx = new Array<number>(free).fill(0);
        for (let e = 0; e < values.length; e++) {
          for (let r = free - 1, v = e; r >= 0; r--, v = Math.floor(v / d)) idx[r] = v % d;
          // Each monomial once: free indices non-decreasing (the slice is symmetric in them).
          if (idx.some((v, k) => k > 0 && v < idx[k - 1])) continue;
          const m = [...fixed, ...idx].sort((a, b) => a - b);
          lines.push(`${idx.join(',')},${m.join(' ')},${values[e]}`);
        }
        summary = `slice of order ${order} with [${fixed.join(', ')}] held: ${lines.length - 1} coefficients`;
      }
      const text = lines.join('\n') + '\n';
      if (flags.out) await writeFileAtomic(flags.out, text, [reportPath]);
      else process.stdout.write(text);
      process.stderr.write(`action-lens: ${summary} (${((Date.now() - t0) / 1000).toFixed(2)} s)\n`);
    });
}

function parseFixed(text: string, d: number): number[] {
  const parts = text.split(',').map((s) => s.trim());
  return parts.map((p) => {
    const v = Number(p);
    if (p === '' || !Number.isInteger(v) || v < 0 || v >= d) throw new InputError(`--fixed: "${p}" is not a column index from 0 to ${d - 1}`);
    return v;
  });
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
