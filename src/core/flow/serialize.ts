import { InputError } from '../util/errors';
import { Flow } from './flow';
import { kindOf, layerKind } from './kinds';
import type { Layer, LayerStructure } from './layer';

export const MODEL_FORMAT = 'action-lens-model';
export const MODEL_VERSION = 1;

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

/** Rebuilds a flow from a parsed model file; `file` is named in errors. */
export function loadModel(data: unknown, file: string): { flow: Flow; model: SavedModel } {
  const fail = (why: string): never => {
    throw new InputError(`not an Action Lens model file: ${why}`, { file });
  };
  if (typeof data !== 'object' || data === null) fail('expected a JSON object');
  const m = data as Partial<SavedModel>;
  if (m.format !== MODEL_FORMAT) fail(`"format" must be "${MODEL_FORMAT}"`);
  if (m.version !== MODEL_VERSION) fail(`unsupported version ${String(m.version)} (this tool reads version ${MODEL_VERSION})`);
  if (!Array.isArray(m.flow) || m.flow.length === 0) fail('"flow" must be a non-empty array');
  if (!Array.isArray(m.columns)) fail('"columns" must be an array');
  const entries = m.flow as SavedModel['flow'];
  const first = entries[0].structure;
  if (first?.kind !== 'standardize') return fail('the first layer must be the standardization');
  const d = (first.mean as number[]).length;
  const layers: Layer[] = entries.map((entry, i) => {
    const s = entry.structure;
    const kind = layerKind(s.kind);
    if (!kind) return fail(`layer ${i} has an unknown kind "${s.kind}"`);
    const layer = kind.fromStructure(d, s);
    if (!Array.isArray(entry.params) || entry.params.length !== layer.paramCount) {
      return fail(`layer ${i} (${s.kind}) needs ${layer.paramCount} parameters, the file has ${Array.isArray(entry.params) ? entry.params.length : 'none'}`);
    }
    if (!entry.params.every((v) => typeof v === 'number' && Number.isFinite(v))) return fail(`layer ${i} has a non-finite parameter`);
    layer.params.set(entry.params);
    return layer;
  });
  return { flow: new Flow(layers), model: m as SavedModel };
}
