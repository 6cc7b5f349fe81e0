import { dirname, resolve } from 'node:path';
import { loadModel, MODEL_LIMITS } from '../../flow/serialize';
import { hasStructuredRoute } from '../../flow/structured';
import { layerKindNames } from '../../flow/kinds';
import { REPORT_LIMITS, validateReport } from '../../report/validate';
import { readJsonFile } from '../../util/json-file';
import type { Report } from '../../report/schema';
import { InputError } from '../../util/errors';
import { slicerFor, type ActionSlicer } from './slicer';

/**
 * A report and its slicer from the report's path: the weights are read from report.model.weightsFile
 * (relative to the report), or from `modelPath` when given. Both are read like every model and report
 * (README.md, "Bad input and faults"): bad files are InputErrors naming the file and the field.
 */
export async function loadSlicer(reportPath: string, options: { modelPath?: string; units?: 'raw' | 'standardized' } = {}): Promise<{ report: Report; slicer: ActionSlicer; modelPath: string }> {
  const report = await readReport(reportPath);
  const weights = options.modelPath ?? (report.model.estimator === 'flow' && report.model.weightsFile ? resolve(dirname(reportPath), report.model.weightsFile) : undefined);
  if (!weights) throw new InputError('the report names no model file (model.weightsFile): it was not made by learn, or pass the model file', { file: reportPath });
  const { flow } = loadModel(await readJsonFile(weights, 'the model', MODEL_LIMITS.fileBytes), weights);
  if (!hasStructuredRoute(flow.layers)) {
    const kinds = [...new Set(flow.layers.map((l) => l.kind))].join(', ');
    throw new InputError(`the action is computed on demand only through linear and unitwise layers (the cubic kind); this model has ${kinds} layers, and its report stores every order`, { file: weights });
  }
  if (flow.dim !== report.input.columns.length) throw new InputError(`the model has ${flow.dim} columns, the report ${report.input.columns.length}`, { file: weights });
  return { report, slicer: slicerFor(flow, report, options.units ?? 'raw'), modelPath: weights };
}

/** The report through the same reader as Open Report: size limit before reading, JSON errors located, every field checked. */
async function readReport(path: string): Promise<Report> {
  const v = validateReport(await readJsonFile(path, 'the report', REPORT_LIMITS.fileBytes), { layerKinds: layerKindNames() });
  if (!v.ok) throw new InputError(`not a valid Action Lens report: ${v.errors.slice(0, 3).join('; ')}`, { file: path });
  return v.report;
}
