import type { Command } from 'commander';
import { readCsv } from '../../core/data/csv';
import { loadModel, MODEL_LIMITS } from '../../core/flow/serialize';
import { reorderColumns } from '../../core/pipeline/columns';
import { InputError } from '../../core/util/errors';
import { readJsonFile } from '../../core/util/json-file';

export function registerLogp(program: Command): void {
  program
    .command('logp')
    .description('Print ln p(x) of a trained model for each row of a CSV, one number per line (full float64 precision).')
    .argument('<model.json>', 'a model written by `action-lens learn` (<report>.model.json)')
    .argument('<points.csv>', 'rows to evaluate; columns are matched to the model by name (x0, x1, ... for files without a header)')
    .action(async (modelPath: string, pointsPath: string) => {
      const { flow, model } = await readModel(modelPath);
      const table = await readCsv(pointsPath, { columns: model.columns, minRows: 1 });
      // readCsv returns the columns in the requested (model) order already.
      const x = reorderColumns(table.data, table.rows, Int32Array.from(model.columns.keys()));
      const lp = flow.logProb(x, table.rows);
      // Finite weights can still overflow at a point (one far outside the data, or a broken or hostile
      // model): such values are not a result; the command refuses rather than print them among sound ones.
      const bad: number[] = [];
      for (let r = 0; r < table.rows; r++) if (!Number.isFinite(lp[r])) bad.push(r);
      if (bad.length > 0) {
        const line = table.lines[bad[0]];
        throw new InputError(
          `ln p is not finite at ${bad.length} of ${table.rows} rows (the first at ${pointsPath}:${line}): the computation overflows there (a point far outside the data, or a broken model); nothing was printed`,
          { file: modelPath },
        );
      }
      const lines: string[] = [];
      for (let r = 0; r < table.rows; r++) lines.push(String(lp[r]));
      process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
      for (const s of table.skippedRows) process.stderr.write(`action-lens: ${pointsPath}:${s.line}: skipped row (no value printed): ${s.reason}\n`);
    });
}

/** A model file, refused above MODEL_LIMITS.fileBytes before it is read, checked field by field (loadModel). */
export async function readModel(path: string): Promise<ReturnType<typeof loadModel>> {
  return loadModel(await readJsonFile(path, 'the model', MODEL_LIMITS.fileBytes), path);
}
