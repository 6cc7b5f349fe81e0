/**
 * How a coefficient of the shown action was built, as parts that add up to it exactly in the shown
 * units (docs/METHOD.md section 5): the diagram classes of the layer that reads the shown coordinates,
 * that layer's own log-det vertices and the remainder of vertices above K. Pure; used by the panel's
 * term tooltips.
 *
 * Raw units around the training mean: the standardization (layer 0) only rescales each leg by
 * 1/sigma there, so its diagrams would show one trivial class. The parts shown are then layer 1's (the
 * first layer that mixes variables), rescaled to raw units, plus the standardization's log-det for
 * the constant. Elsewhere (raw units around another point, or standardized units) they are the reading
 * layer's own.
 */

import type { ActionTerm, DiagramClass, Report } from '../core/report/schema';

export interface Contribution {
  label: string;
  value: number;
}

export interface TermContributions {
  /** Which layer's diagrams, in words. */
  source: string;
  parts: Contribution[];
  /** The parts' sum; equals the shown coefficient when `complete`. */
  sum: number;
  /** False when a class's stored entries were cut (the report keeps the largest only). */
  complete: boolean;
}

const LEG_WORDS = ['end on a constant', 'pass', 'split in two', 'split in three'];

/** A diagram class in words: "order-4 vertex: 2 pass, 2 end on a constant". */
export function classWords(cls: Pick<DiagramClass, 'vertexOrder' | 'legs'>): string {
  const legs = cls.legs.map((n, j) => (n > 0 ? `${n} ${LEG_WORDS[j] ?? `split in ${j}`}` : '')).filter((p) => p !== '');
  return `order-${cls.vertexOrder} vertex: ${legs.join(', ') || 'no legs'}`;
}

function key(m: readonly number[]): string {
  return m.join(',');
}

function entryValue(entries: readonly ActionTerm[], monomial: readonly number[]): number | undefined {
  const k = key(monomial);
  return entries.find((e) => key(e.monomial) === k)?.coefficient;
}

/** Whether the raw action is expanded at the standardization's mean (layer 0 is then a pure rescaling). */
function rawAtMean(report: Report): boolean {
  const x0 = report.action.expansionPoint;
  const mean = report.model.standardization.mean;
  return x0 !== undefined && x0.length === mean.length && x0.every((v, i) => v === mean[i]);
}

/**
 * The parts of the coefficient of `monomial` in the shown action (raw or standardized units), or
 * null when the report has no diagrams for the layer needed.
 */
export function termContributions(report: Report, monomial: readonly number[], standardized: boolean): TermContributions | null {
  const viaLayer1 = standardized || rawAtMean(report);
  const layer = report.layers.find((l) => l.index === (viaLayer1 ? 1 : 0));
  if (!layer) return null;
  // Raw units from layer 1's standardized entries: each variable of the monomial brings 1/sigma.
  const std = report.model.standardization.std;
  let scale = 1;
  if (!standardized && viaLayer1) for (const i of monomial) scale /= std[i];
  const parts: Contribution[] = [];
  let complete = true;
  for (const cls of layer.diagrams) {
    const v = entryValue(cls.entries, monomial);
    if (cls.entriesCut && v === undefined) complete = false;
    if (v !== undefined && v !== 0) parts.push({ label: classWords(cls), value: v * scale });
  }
  const logDet = entryValue(layer.logDet.entries, monomial);
  if (layer.logDet.entriesCut && logDet === undefined) complete = false;
  if (logDet !== undefined && logDet !== 0) parts.push({ label: `layer ${layer.index}'s own log-det vertex`, value: logDet * scale });
  const remainder = entryValue(layer.remainder.entries, monomial);
  if (layer.remainder.entriesCut && remainder === undefined) complete = false;
  if (remainder !== undefined && remainder !== 0) parts.push({ label: 'vertices above order K ending on constants (remainder)', value: remainder * scale });
  if (!standardized && viaLayer1 && monomial.length === 0) {
    const logStd = std.reduce((s, v) => s - Math.log(v), 0);
    parts.push({ label: 'the standardization\'s log-det, −Σ ln σ_i', value: logStd });
  }
  const sum = parts.reduce((s, p) => s + p.value, 0);
  const source = viaLayer1
    ? standardized
      ? 'diagrams of layer 1, which reads the standardized coordinates'
      : 'diagrams of layer 1 (the first that mixes variables), in raw units: around the mean the standardization only rescales each leg by 1/σ'
    : 'diagrams of layer 0 (the standardization), which reads the raw coordinates around the expansion point';
  return { source, parts, sum, complete };
}
