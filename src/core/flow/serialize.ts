import { findUnsafeKey, isRecord } from '../report/checker';
import { SETTING_LIMITS } from '../pipeline/limits';
import { InputError } from '../util/errors';
import { Flow } from './flow';
import { kindOf, layerKind, layerKindNames, nonlinearKind } from './kinds';
import type { Layer, LayerStructure } from './layer';

export const MODEL_FORMAT = 'action-lens-model';
export const MODEL_VERSION = 1;

/**
 * What a model file may hold (README.md, "Bad input and faults"). The size is checked before the file
 * is read; the columns bound what rebuilding a layer allocates before its parameters are compared
 * with the file's (an affine layer holds d^2 of them: 32 MB at 2,000 columns).
 */
export const MODEL_LIMITS = {
  fileBytes: 400_000_000,
  columns: 2_000,
} as const;

/** The saved model: enough to rebuild the flow exactly (structure + float64 parameters). */
export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  layerKind: string;
  layers: number;
  hidden: number;
  seed: number;
  columns: string[];
  /** One entry per flow layer, in order (standardization first). */
  flow: Array<{ structure: LayerStructure; params: number[] }>;
}

export function saveModel(flow: Flow, meta: { layerKind: string; layers: number; hidden: number; seed: number; columns: string[] }): SavedModel {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    ...meta,
    flow: flow.layers.map((l) => ({ structure: kindOf(l).toStructure(l), params: Array.from(l.params) })),
  };
}

/** A fault in a model, at a field's path. */
class ModelFault extends Error {}

function fault(path: string, why: string): never {
  throw new ModelFault(`${path}: ${why}`);
}

/** A value as a message shows it: JSON, cut short (it came from the file). */
function shown(x: unknown): string {
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function integerIn(x: unknown, path: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) fault(path, `expected an integer from ${min} to ${max}, got ${shown(x)}`);
  return x;
}

/**
 * Rebuilds a model file's flow, checking everything first: the format, the metadata, the layers in
 * the order `learn` builds them (the standardization, then an affine and a `layerKind` layer per
 * block), every structure against the columns, every parameter count and every parameter finite, and
 * no `__proto__` / `constructor` / `prototype` key. Faults are InputErrors naming `file` and the
 * field's path.
 */
export function loadModel(data: unknown, file: string): { flow: Flow; model: SavedModel } {
  try {
    if (!isRecord(data)) fault('model', 'expected a JSON object');
    const unsafe = findUnsafeKey(data);
    if (unsafe) fault(unsafe.path, unsafe.why);
    if (data.format !== MODEL_FORMAT) fault('format', `must be "${MODEL_FORMAT}"`);
    if (data.version !== MODEL_VERSION) fault('version', `unsupported version ${shown(data.version)} (this tool reads version ${MODEL_VERSION})`);
    if (typeof data.layerKind !== 'string' || !nonlinearKind(data.layerKind)) fault('layerKind', `expected one of ${layerKindNames().join(', ')}`);
    const blocks = integerIn(data.layers, 'layers', SETTING_LIMITS.layers.min, SETTING_LIMITS.layers.max);
    integerIn(data.hidden, 'hidden', 0, SETTING_LIMITS.hidden.max);
    integerIn(data.seed, 'seed', SETTING_LIMITS.seed.min, SETTING_LIMITS.seed.max);
    const columns = data.columns;
    if (!Array.isArray(columns) || columns.length === 0) fault('columns', 'expected a non-empty array of column names');
    if (columns.length > MODEL_LIMITS.columns) fault('columns', `has ${columns.length} columns, more than the limit of ${MODEL_LIMITS.columns}`);
    const names = new Set<string>();
    columns.forEach((c, i) => {
      if (typeof c !== 'string') fault(`columns[${i}]`, 'expected a string');
      if (names.has(c)) fault(`columns[${i}]`, `the name ${shown(c)} is listed twice (points are matched to the model by name)`);
      names.add(c);
    });
    const entries = data.flow;
    if (!Array.isArray(entries)) fault('flow', 'expected an array of layers');
    if (entries.length !== 1 + 2 * blocks) fault('flow', `has ${entries.length} layers; ${blocks} blocks need ${1 + 2 * blocks} (the standardization, then an affine and a ${data.layerKind} layer per block)`);
    // The columns fix d; a standardization of another length says the names and the weights disagree.
    const first: unknown = entries[0];
    const mean = isRecord(first) && isRecord(first.structure) ? first.structure.mean : undefined;
    if (Array.isArray(mean) && mean.length !== columns.length) fault('flow[0].structure.mean', `has ${mean.length} numbers for the ${columns.length} columns`);
    const expected = (i: number): string => (i === 0 ? 'standardize' : i % 2 === 1 ? 'affine' : (data.layerKind as string));
    // A layer's own hidden width must be the model's (before the weights are counted by it).
    if (typeof data.hidden === 'number' && data.hidden > 0) {
      entries.forEach((e: unknown, i) => {
        const h = isRecord(e) && isRecord(e.structure) ? e.structure.hidden : undefined;
        if (h !== undefined && h !== data.hidden) fault(`flow[${i}].structure.hidden`, `is ${shown(h)}, the model says hidden = ${data.hidden}`);
      });
    }
    const flow = loadFlow(entries, columns.length, expected);
    return { flow, model: data as unknown as SavedModel };
  } catch (e) {
    if (e instanceof ModelFault) throw new InputError(`not an Action Lens model file: ${e.message}`, { file });
    throw e;
  }
}

/**
 * Rebuilds a flow over d variables from saved layers (a model file's, checked by loadModel, or a
 * replica of the trainer's own flow): every structure checked by its kind, every parameter count
 * compared and every parameter finite before it is set. `expected(i)`, when given, names the kind
 * layer i must have.
 */
export function loadFlow(entries: unknown[], d: number, expected?: (i: number) => string): Flow {
  try {
    const layers: Layer[] = entries.map((entry, i) => {
      const at = `flow[${i}]`;
      if (!isRecord(entry)) fault(at, 'expected an object with a structure and params');
      const s = entry.structure;
      if (!isRecord(s) || typeof s.kind !== 'string') fault(`${at}.structure`, 'expected an object with a kind');
      const structure = s as LayerStructure;
      const want = expected?.(i);
      if (want !== undefined && structure.kind !== want) fault(`${at}.structure.kind`, `expected "${want}", got ${shown(structure.kind)}`);
      const kind = layerKind(structure.kind);
      if (!kind) fault(`${at}.structure.kind`, `unknown layer kind ${shown(structure.kind)}`);
      const wrong = kind.checkStructure?.(d, structure);
      if (wrong) {
        const cut = wrong.indexOf(': ');
        fault(`${at}.structure.${cut < 0 ? '' : wrong.slice(0, cut)}`, cut < 0 ? wrong : wrong.slice(cut + 2));
      }
      const params = entry.params;
      if (!Array.isArray(params)) fault(`${at}.params`, 'expected an array of numbers');
      const layer = kind.fromStructure(d, structure);
      if (params.length !== layer.paramCount) fault(`${at}.params`, `a ${structure.kind} layer over ${d} columns has ${layer.paramCount} parameters, the file has ${params.length}`);
      for (let k = 0; k < params.length; k++) {
        const v: unknown = params[k];
        if (typeof v !== 'number' || !Number.isFinite(v)) fault(`${at}.params[${k}]`, `expected a finite number, got ${shown(v)}`);
      }
      layer.params.set(params as number[]);
      return layer;
    });
    return new Flow(layers);
  } catch (e) {
    // A structure a kind's constructor refuses (its own RangeError) is a fault of the file too.
    if (e instanceof RangeError) throw new ModelFault(`flow: ${e.message}`);
    throw e;
  }
}
