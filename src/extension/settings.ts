/**
 * The extension's settings (actionLens.*) turned into learn settings, with every value checked
 * (settings.json can hold anything). Pure: no vscode; the caller passes a getter.
 */

import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_LEARN_SETTINGS, type LearnSettings } from '../core/pipeline/learn';
import { SETTING_LIMITS } from '../core/pipeline/limits';
import { layerKindNames } from '../core/flow/kinds';
import type { LayerKindName } from '../core/report/schema';

/** What a user (settings or the quick pick) or a caller (command arguments) may set. */
export interface LearnOverrides {
  layerKind?: LayerKindName;
  layers?: number;
  /** null: the number of columns. */
  hidden?: number | null;
  order?: number;
  /** The training budget in optimizer steps. */
  maxSteps?: number;
  /** Where the action is expanded: auto (default), zero or mean. */
  expansion?: 'auto' | 'zero' | 'mean';
  seed?: number;
  /** Empty: all columns. */
  columns?: string[];
  /** Dequantize the discrete columns (LearnSettings.dequantize). */
  dequantize?: boolean;
  /** Programmatic only (tests, scripts): */
  epochs?: number;
  steps?: number;
  patience?: number;
  restarts?: number;
  ensemble?: number;
  modelSamples?: number;
  batch?: number;
  skipInvalid?: boolean;
}

export interface ResolvedLearn {
  settings: LearnSettings;
  columns?: string[];
  skipInvalid: boolean;
}

const INT_RULES = SETTING_LIMITS;
export const EXPANSION_CHOICES = ['auto', 'zero', 'mean'] as const;

function checkInt(name: keyof typeof INT_RULES, v: unknown, errors: string[], source: string): number | undefined {
  if (v === undefined) return undefined;
  const r = INT_RULES[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < r.min || v > r.max) {
    errors.push(`${source}${name} must be an integer from ${r.min} to ${r.max} (got ${JSON.stringify(v)})`);
    return undefined;
  }
  return v;
}

/**
 * Checks untrusted overrides (from settings.json or a command's arguments). Unknown keys are
 * ignored; a wrong value is an error (not silently replaced).
 */
export function checkOverrides(x: unknown, source = ''): { overrides: LearnOverrides; errors: string[] } {
  const errors: string[] = [];
  const out: LearnOverrides = {};
  if (x === undefined || x === null) return { overrides: out, errors };
  if (typeof x !== 'object' || Array.isArray(x)) return { overrides: out, errors: [`${source || 'settings'} must be an object`] };
  const o = x as Record<string, unknown>;
  if (o.layerKind !== undefined) {
    const kinds = layerKindNames();
    if (typeof o.layerKind === 'string' && kinds.includes(o.layerKind)) out.layerKind = o.layerKind;
    else errors.push(`${source}layerKind must be one of ${kinds.join(', ')} (got ${JSON.stringify(o.layerKind)})`);
  }
  for (const k of Object.keys(INT_RULES) as (keyof typeof INT_RULES)[]) {
    if (k === 'hidden' && o.hidden === null) {
      out.hidden = null;
      continue;
    }
    const v = checkInt(k, o[k], errors, source);
    if (v !== undefined) out[k] = v;
  }
  if (o.expansion !== undefined) {
    if (typeof o.expansion === 'string' && (EXPANSION_CHOICES as readonly string[]).includes(o.expansion)) out.expansion = o.expansion as LearnOverrides['expansion'];
    else errors.push(`${source}expansion must be one of ${EXPANSION_CHOICES.join(', ')} (got ${JSON.stringify(o.expansion)})`);
  }
  if (o.columns !== undefined && o.columns !== null) {
    if (Array.isArray(o.columns) && o.columns.every((c) => typeof c === 'string')) out.columns = (o.columns as string[]).map((c) => c.trim()).filter((c) => c !== '');
    else errors.push(`${source}columns must be a list of column names or 0-based indices (got ${JSON.stringify(o.columns)})`);
  }
  if (o.dequantize !== undefined) {
    if (typeof o.dequantize === 'boolean') out.dequantize = o.dequantize;
    else errors.push(`${source}dequantize must be true or false`);
  }
  if (o.skipInvalid !== undefined) {
    if (typeof o.skipInvalid === 'boolean') out.skipInvalid = o.skipInvalid;
    else errors.push(`${source}skipInvalid must be true or false`);
  }
  return { overrides: out, errors };
}

/** The keys of the actionLens.* configuration that feed learning. */
export const CONFIG_KEYS = ['layerKind', 'layers', 'hidden', 'order', 'maxSteps', 'expansion', 'seed', 'columns', 'dequantize'] as const;

/** Settings from the configuration getter (only keys the user set, or defaults), checked. */
export function overridesFromConfig(get: (key: string) => unknown): { overrides: LearnOverrides; errors: string[] } {
  const raw: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) {
    const v = get(k);
    if (v !== undefined) raw[k] = v;
  }
  return checkOverrides(raw, 'actionLens.');
}

/** Defaults, then the configuration, then the per-run overrides. */
export function resolveLearn(config: LearnOverrides, run: LearnOverrides = {}): ResolvedLearn {
  const o: LearnOverrides = { ...config, ...run };
  const settings: LearnSettings = {
    ...DEFAULT_LEARN_SETTINGS,
    seed: o.seed ?? 1,
    layerKind: o.layerKind ?? DEFAULT_LEARN_SETTINGS.layerKind,
    layers: o.layers ?? DEFAULT_LEARN_SETTINGS.layers,
    hidden: o.hidden === null ? undefined : o.hidden,
    order: o.order ?? DEFAULT_LEARN_SETTINGS.order,
    maxSteps: o.maxSteps ?? DEFAULT_LEARN_SETTINGS.maxSteps,
    epochs: o.epochs,
    expansion: o.expansion ?? DEFAULT_LEARN_SETTINGS.expansion,
    steps: o.steps,
    patience: o.patience ?? DEFAULT_LEARN_SETTINGS.patience,
    restarts: o.restarts ?? DEFAULT_LEARN_SETTINGS.restarts,
    ensemble: o.ensemble ?? DEFAULT_LEARN_SETTINGS.ensemble,
    modelSamples: o.modelSamples ?? DEFAULT_LEARN_SETTINGS.modelSamples,
    batch: o.batch ?? DEFAULT_LEARN_SETTINGS.batch,
    dequantize: o.dequantize ?? false,
  };
  const columns = o.columns !== undefined && o.columns.length > 0 ? o.columns : undefined;
  return { settings, columns, skipInvalid: o.skipInvalid ?? false };
}

/** `data.csv` -> `data`: the stem the report is named after. */
export function csvStem(csvPath: string): string {
  return basename(csvPath).replace(/\.(csv|tsv|txt)$/i, '') || 'data';
}

/**
 * Where the report and the weights of a CSV go: `<stem>.report.json` and `<stem>.report.model.json`
 * beside the CSV, or in `outputFolder` (absolute, or relative to `baseFolder`: the workspace folder).
 */
export function outputPaths(csvPath: string, outputFolder: string, baseFolder: string | undefined): { reportPath: string; modelPath: string } {
  const dir = outputFolderFor(csvPath, outputFolder, baseFolder);
  const stem = csvStem(csvPath);
  return { reportPath: join(dir, `${stem}.report.json`), modelPath: join(dir, `${stem}.report.model.json`) };
}

export function outputFolderFor(csvPath: string, outputFolder: string, baseFolder: string | undefined): string {
  const folder = outputFolder.trim().replace(/\$\{workspaceFolder\}/g, baseFolder ?? dirname(csvPath));
  if (folder === '') return dirname(resolve(csvPath));
  if (isAbsolute(folder)) return folder;
  return resolve(baseFolder ?? dirname(csvPath), folder);
}
