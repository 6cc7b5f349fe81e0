/**
 * "Learn Action (choose settings)…": a quick pick of the run's settings (layer kind, layers, hidden
 * width, order, step budget, seed, columns), each changed in its own pick or input box, then Learn.
 * Nothing modal; Escape on the list cancels.
 */

import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { DEFAULT_LEARN_SETTINGS } from '../core/pipeline/learn';
import { SETTING_LIMITS } from '../core/pipeline/limits';
import { headerLineIndex, sniffHeaderDelimiter, splitHeader } from '../core/data/csv-header';
import { nonlinearKinds } from '../core/flow/kinds';
import type { LearnOverrides } from './settings';

type Key = 'learn' | 'layerKind' | 'layers' | 'hidden' | 'order' | 'maxSteps' | 'seed' | 'columns';

interface Item extends vscode.QuickPickItem {
  key: Key;
}

/** The settings entered as integers: their input box's title, range, and value when not overridden. */
const INTEGER_SETTINGS = {
  layers: { title: 'Layers L', ...SETTING_LIMITS.layers, fallback: DEFAULT_LEARN_SETTINGS.layers },
  order: { title: 'Order K of the extracted action', ...SETTING_LIMITS.order, fallback: DEFAULT_LEARN_SETTINGS.order },
  maxSteps: { title: 'Training budget in optimizer steps (early stopping normally ends sooner)', ...SETTING_LIMITS.maxSteps, fallback: DEFAULT_LEARN_SETTINGS.maxSteps },
  seed: { title: 'Seed', ...SETTING_LIMITS.seed, fallback: 1 },
} as const;

/** The header names of a CSV, from its first 64 KB (for the column pick). */
export async function readHeaderNames(csvPath: string): Promise<string[]> {
  const fh = await open(csvPath, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/);
    const i = headerLineIndex((k) => lines[k] ?? '', lines.length);
    if (i < 0) return [];
    const line = lines[i] ?? '';
    return splitHeader(line, sniffHeaderDelimiter(line)).map((f, k) => f.name || `x${k}`);
  } finally {
    await fh.close();
  }
}

function intInput(title: string, value: number | undefined, min: number, max: number, placeholder?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value: value === undefined ? '' : String(value),
    placeHolder: placeholder,
    validateInput: (s) => {
      if (s.trim() === '' && placeholder !== undefined) return undefined;
      const n = Number(s);
      return Number.isInteger(n) && n >= min && n <= max ? undefined : `an integer from ${min} to ${max}`;
    },
  });
}

export async function chooseSettings(csvPath: string, initial: LearnOverrides): Promise<LearnOverrides | undefined> {
  const o: LearnOverrides = { ...initial };
  for (;;) {
    const items: Item[] = [
      { key: 'learn', label: '$(play) Learn with these settings', alwaysShow: true },
      { key: 'layerKind', label: 'Layer kind', description: o.layerKind ?? DEFAULT_LEARN_SETTINGS.layerKind },
      { key: 'layers', label: 'Layers L', description: String(o.layers ?? INTEGER_SETTINGS.layers.fallback) },
      { key: 'hidden', label: 'Hidden width H (coupling layers)', description: o.hidden == null ? 'number of columns' : String(o.hidden) },
      { key: 'order', label: 'Order K of the action', description: String(o.order ?? INTEGER_SETTINGS.order.fallback) },
      { key: 'maxSteps', label: 'Training budget (steps)', description: String(o.maxSteps ?? INTEGER_SETTINGS.maxSteps.fallback) },
      { key: 'seed', label: 'Seed', description: String(o.seed ?? INTEGER_SETTINGS.seed.fallback) },
      { key: 'columns', label: 'Columns', description: o.columns && o.columns.length > 0 ? o.columns.join(', ') : 'all' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Action Lens: Learn Action — settings for this run', placeHolder: 'Change a setting, or Learn' });
    if (!pick) return undefined;
    switch (pick.key) {
      case 'learn':
        return o;
      case 'layerKind': {
        const k = await vscode.window.showQuickPick(
          nonlinearKinds().map((kind) => ({
            label: kind.name,
            description: kind.name === DEFAULT_LEARN_SETTINGS.layerKind ? `${kind.pickDescription} (default)` : kind.pickDescription,
          })),
          { title: 'Layer kind' },
        );
        if (k) o.layerKind = k.label as LearnOverrides['layerKind'];
        break;
      }
      case 'layers':
      case 'order':
      case 'maxSteps':
      case 'seed': {
        const setting = INTEGER_SETTINGS[pick.key];
        const v = await intInput(setting.title, o[pick.key] ?? setting.fallback, setting.min, setting.max);
        if (v !== undefined) o[pick.key] = Number(v);
        break;
      }
      case 'hidden': {
        const v = await intInput('Hidden width H (empty: the number of columns)', o.hidden ?? undefined, SETTING_LIMITS.hidden.min, SETTING_LIMITS.hidden.max, 'number of columns');
        if (v !== undefined) o.hidden = v.trim() === '' ? null : Number(v);
        break;
      }
      case 'columns': {
        let names: string[];
        try {
          names = await readHeaderNames(csvPath);
        } catch (e) {
          void vscode.window.showErrorMessage(`Action Lens: cannot read ${csvPath}: ${e instanceof Error ? e.message : String(e)}`);
          break;
        }
        const selected = new Set(o.columns && o.columns.length > 0 ? o.columns : names);
        const picked = await vscode.window.showQuickPick(
          names.map((n, i) => ({ label: n, description: `column ${i}`, picked: selected.has(n) || selected.has(String(i)) })),
          { title: 'Columns to use', canPickMany: true },
        );
        if (picked) o.columns = picked.length === names.length ? [] : picked.map((p) => p.label);
        break;
      }
    }
  }
}
