/**
 * "Learn Action (choose settings)…": a quick pick of the run's settings (layer kind, layers, hidden
 * width, order, epochs, seed, columns), each changed in its own pick or input box, then Learn.
 * Nothing modal; Escape on the list cancels.
 */

import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { DEFAULT_LEARN_SETTINGS } from '../core/pipeline/learn';
import { headerLineIndex, sniffDelimiter, splitHeader } from './csvHeader';
import { LAYER_KINDS, type LearnOverrides } from './settings';

type Key = 'learn' | 'layerKind' | 'layers' | 'hidden' | 'order' | 'epochs' | 'seed' | 'columns';

interface Item extends vscode.QuickPickItem {
  key: Key;
}

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
    return splitHeader(line, sniffDelimiter(line)).map((f, k) => f.name || `x${k}`);
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
  const d = DEFAULT_LEARN_SETTINGS;
  for (;;) {
    const items: Item[] = [
      { key: 'learn', label: '$(play) Learn with these settings', alwaysShow: true },
      { key: 'layerKind', label: 'Layer kind', description: o.layerKind ?? d.layerKind },
      { key: 'layers', label: 'Layers L', description: String(o.layers ?? d.layers) },
      { key: 'hidden', label: 'Hidden width H (coupling layers)', description: o.hidden == null ? 'number of columns' : String(o.hidden) },
      { key: 'order', label: 'Order K of the action', description: String(o.order ?? d.order) },
      { key: 'epochs', label: 'Epochs (upper bound)', description: String(o.epochs ?? d.epochs) },
      { key: 'seed', label: 'Seed', description: String(o.seed ?? 1) },
      { key: 'columns', label: 'Columns', description: o.columns && o.columns.length > 0 ? o.columns.join(', ') : 'all' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Action Lens: Learn Action — settings for this run', placeHolder: 'Change a setting, or Learn' });
    if (!pick) return undefined;
    switch (pick.key) {
      case 'learn':
        return o;
      case 'layerKind': {
        const k = await vscode.window.showQuickPick(
          LAYER_KINDS.map((kind) => ({
            label: kind,
            description: kind === 'cubic' ? 'monotone cubic per unit after an affine layer (default)' : 'quadratic coupling: ln p is an exact polynomial',
          })),
          { title: 'Layer kind' },
        );
        if (k) o.layerKind = k.label as LearnOverrides['layerKind'];
        break;
      }
      case 'layers': {
        const v = await intInput('Layers L', o.layers ?? d.layers, 1, 64);
        if (v !== undefined) o.layers = Number(v);
        break;
      }
      case 'hidden': {
        const v = await intInput('Hidden width H (empty: the number of columns)', o.hidden ?? undefined, 1, 4096, 'number of columns');
        if (v !== undefined) o.hidden = v.trim() === '' ? null : Number(v);
        break;
      }
      case 'order': {
        const v = await intInput('Order K of the extracted action', o.order ?? d.order, 0, 12);
        if (v !== undefined) o.order = Number(v);
        break;
      }
      case 'epochs': {
        const v = await intInput('Epochs (upper bound; early stopping usually ends sooner)', o.epochs ?? d.epochs, 1, 1_000_000);
        if (v !== undefined) o.epochs = Number(v);
        break;
      }
      case 'seed': {
        const v = await intInput('Seed', o.seed ?? 1, 0, 2 ** 32 - 1);
        if (v !== undefined) o.seed = Number(v);
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
