import { affineKind } from './affine';
import { couplingKind } from './coupling';
import { cubicKind } from './cubic';
import type { Layer } from './layer';
import type { LayerKind, NonlinearKind } from './layer-kind';
import { standardizeKind } from './standardize';

/**
 * The one list of layer kinds (records: layer-kind.ts). Every flow is N, then blocks of an affine
 * layer and a nonlinear one; the nonlinear kinds are what a user chooses, in the order listed here
 * (the first is the default's fallback where another needs more variables). The trainer, extraction,
 * diagrams, serialization, the convergence radius, the tfjs engine, the report's check, the CLI's
 * --layer-kind and the extension's settings read this registry; package.json's actionLens.layerKind
 * is held to it by a test. A new kind: its file (the Layer class and its record) and a line here.
 */
const registry = new Map<string, LayerKind>();

/** Adds a kind (a new kind's tests register theirs here; the built-in ones are below). */
export function registerLayerKind(kind: LayerKind): void {
  if (registry.has(kind.name)) throw new Error(`layer kind "${kind.name}" is already registered`);
  registry.set(kind.name, kind);
}

export function isNonlinearKind(kind: LayerKind): kind is NonlinearKind {
  return typeof (kind as Partial<NonlinearKind>).create === 'function';
}

/** Any kind a flow's layer may be of (the standardization and affine layers included). */
export function layerKind(name: string): LayerKind | undefined {
  return registry.get(name);
}

/** The record of a layer's kind; a layer whose kind was never registered is a programming error. */
export function kindOf(layer: Layer): LayerKind {
  const kind = registry.get(layer.kind);
  if (!kind) throw new Error(`layer kind "${layer.kind}" is not registered (src/core/flow/kinds.ts)`);
  return kind;
}

/** The kinds a user chooses from, in order. */
export function nonlinearKinds(): NonlinearKind[] {
  return [...registry.values()].filter(isNonlinearKind);
}

export function nonlinearKind(name: string): NonlinearKind | undefined {
  const kind = registry.get(name);
  return kind && isNonlinearKind(kind) ? kind : undefined;
}

/** The names a user chooses from: --layer-kind's choices, actionLens.layerKind's enum, a report's model.layerKind. */
export function layerKindNames(): string[] {
  return nonlinearKinds().map((k) => k.name);
}

for (const kind of [standardizeKind, affineKind, cubicKind, couplingKind]) registerLayerKind(kind);
