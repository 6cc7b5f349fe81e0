import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { readCsv } from '../../core/data/csv';
import { loadModel } from '../../core/flow/serialize';
import { reorderColumns } from '../../core/pipeline/columns';
import { InputError } from '../../core/util/errors';

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
      const lines: string[] = [];
      for (let r = 0; r < table.rows; r++) lines.push(String(lp[r]));
      process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
      for (const s of table.skippedRows) process.stderr.write(`action-lens: ${pointsPath}:${s.line}: skipped row (no value printed): ${s.reason}\n`);
    });
}

export async function readModel(path: string): Promise<ReturnType<typeof loadModel>> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the model: ${(err as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`the model is not valid JSON: ${(err as Error).message}`, { file: path });
  }
  return loadModel(data, path);
}
