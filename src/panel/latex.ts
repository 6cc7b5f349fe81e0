/**
 * The action as LaTeX (pure; used by the webview, where KaTeX typesets it, and by the LaTeX export).
 *
 * Conventions (docs/METHOD.md section 1): the stored form is ln p in monomial form,
 * S(x) = sum_m c_m prod_{i in m} (x_i - x0_i) around the action's expansion point x0; the energy view
 * shows E(x) = -S(x). A variable whose x0_i is not 0 is written as its shift, \delta x_i = x_i - x0_i,
 * and the shifts are defined beside the action (expansionLatex).
 * Column names come from the user's file and are untrusted: they only ever appear inside \text{}
 * with every LaTeX special character escaped.
 */

import type { Action, ActionTerm } from '../core/report/schema';
import { significantDigits } from './numbers';

export type Convention = 'ln p' | 'energy';
export type VariableNames = 'columns' | 'indices';

export interface LatexOptions {
  /** 'ln p' shows S(x) with the stored signs; 'energy' shows E(x) = -S(x). Default 'ln p'. */
  convention?: Convention;
  /** 'columns': x_{\text{name}}; 'indices': x_{i} (0-based). Default 'columns'. */
  names?: VariableNames;
  /**
   * Significant digits of the coefficients. Default: those a term's standard error leaves meaningful
   * (significantDigits in numbers.ts), 4 for a term without one.
   */
  digits?: number;
  /** Only these orders (monomial lengths); undefined = all. */
  orders?: readonly number[];
  /** Only terms with |c| >= minAbs. Default 0. */
  minAbs?: number;
  /** Only terms with a standard error and |c / stdErr| >= minZ (the constant stays). Default 0: all. */
  minZ?: number;
  /** The symbol of the variables. Default 'x'. */
  symbol?: string;
  /** The action's expansion point x0 (absent: 0); variables with x0_i != 0 are shown as shifts. */
  expansionPoint?: readonly number[];
}

/** Longest column name put into LaTeX (longer names are cut with an ellipsis). */
export const MAX_NAME_LENGTH = 64;

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** Escapes arbitrary text for use inside \text{...} (KaTeX and LaTeX). Control characters are dropped. */
export function escapeLatexText(s: string): string {
  let cut = s;
  if ([...cut].length > MAX_NAME_LENGTH) cut = [...cut].slice(0, MAX_NAME_LENGTH - 1).join('') + '…';
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) {
      out += ' ';
      continue;
    }
    out += TEXT_ESCAPES[ch] ?? ch;
  }
  return out;
}

/** The LaTeX of variable i: x_{\text{name}} or x_{i}; as a shift \delta x_{...} when `shifted`. */
export function variableLatex(index: number, columns: readonly string[], names: VariableNames = 'columns', symbol = 'x', shifted = false): string {
  const name = columns[index];
  const prefix = shifted ? '\\delta ' : '';
  if (names === 'indices' || name === undefined || name.trim() === '') return `${prefix}${symbol}_{${index}}`;
  return `${prefix}${symbol}_{\\text{${escapeLatexText(name)}}}`;
}

/** Whether variable i is written as a shift (its expansion point is not 0). */
function isShifted(point: readonly number[] | undefined, i: number): boolean {
  return point !== undefined && point[i] !== undefined && point[i] !== 0;
}

/**
 * The definitions of the shifted variables, `\delta x_{a} = x_{a} - 300.1,\; ...` (x0 to 7 significant
 * digits), or '' when the action is expanded around 0.
 */
export function expansionLatex(point: readonly number[] | undefined, columns: readonly string[], options: Pick<LatexOptions, 'names' | 'symbol'> = {}): string {
  if (!point) return '';
  const parts: string[] = [];
  point.forEach((v, i) => {
    if (!isShifted(point, i)) return;
    const plain = variableLatex(i, columns, options.names ?? 'columns', options.symbol ?? 'x');
    const shifted = variableLatex(i, columns, options.names ?? 'columns', options.symbol ?? 'x', true);
    parts.push(`${shifted} = ${plain} ${v < 0 ? '+' : '-'} ${numberLatex(Math.abs(v), 7)}`);
  });
  return parts.join(',\\; ');
}

/** Groups a sorted monomial into (index, power) pairs, in the order of first appearance. */
export function monomialPowers(monomial: readonly number[]): { index: number; power: number }[] {
  const out: { index: number; power: number }[] = [];
  for (const i of monomial) {
    const last = out[out.length - 1];
    const same = last !== undefined && last.index === i ? last : out.find((p) => p.index === i);
    if (same) same.power += 1;
    else out.push({ index: i, power: 1 });
  }
  return out;
}

/** x_{a}^{2} x_{b}; the empty monomial (constant) gives ''. Variables with a nonzero expansion point are shifts. */
export function monomialLatex(monomial: readonly number[], columns: readonly string[], names: VariableNames = 'columns', symbol = 'x', expansionPoint?: readonly number[]): string {
  return monomialPowers(monomial)
    .map(({ index, power }) => {
      const v = variableLatex(index, columns, names, symbol, isShifted(expansionPoint, index));
      return power === 1 ? v : `${v}^{${power}}`;
    })
    .join(' ');
}

/** Plain-text form of a monomial (for titles and tables): x0^2 x1, or name^2·other. */
export function monomialText(monomial: readonly number[], columns: readonly string[], names: VariableNames = 'columns'): string {
  if (monomial.length === 0) return '1';
  return monomialPowers(monomial)
    .map(({ index, power }) => {
      const col = columns[index];
      const v = names === 'indices' || col === undefined || col.trim() === '' ? `x${index}` : col;
      return power === 1 ? v : `${v}^${power}`;
    })
    .join(' · ');
}

/** Terms ordered by order (monomial length) ascending, then |coefficient| descending, then monomial. */
export function sortTerms<T extends ActionTerm>(terms: readonly T[]): T[] {
  return [...terms].sort((p, q) => {
    if (p.monomial.length !== q.monomial.length) return p.monomial.length - q.monomial.length;
    const d = Math.abs(q.coefficient) - Math.abs(p.coefficient);
    if (d !== 0 && !Number.isNaN(d)) return d;
    for (let k = 0; k < p.monomial.length; k++) {
      const a = p.monomial[k] ?? 0;
      const b = q.monomial[k] ?? 0;
      if (a !== b) return a - b;
    }
    return 0;
  });
}

/** The displayed coefficient: the stored one for ln p, its negative for the energy. */
export function displayedCoefficient(c: number, convention: Convention): number {
  return convention === 'energy' ? -c : c;
}

/** A number in LaTeX with `digits` significant digits: 1.234, -5.6 \times 10^{-4}. */
export function numberLatex(v: number, digits = 4): string {
  if (Number.isNaN(v)) return '\\text{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  const exp = Math.floor(Math.log10(a));
  if (exp >= -3 && exp < 5) {
    const decimals = Math.max(0, digits - 1 - exp);
    return sign + trimZeros(a.toFixed(Math.min(decimals, 20)));
  }
  const [mant, e] = a.toExponential(Math.max(0, digits - 1)).split('e');
  return `${sign}${trimZeros(mant ?? '')} \\times 10^{${Number(e)}}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Filters terms by order and magnitude (the magnitude is sign-independent). */
export function filterTerms<T extends ActionTerm>(terms: readonly T[], orders?: readonly number[], minAbs = 0, minZ = 0): T[] {
  return terms.filter(
    (t) =>
      (orders === undefined || orders.includes(t.monomial.length)) &&
      !(Math.abs(t.coefficient) < minAbs) &&
      (minZ <= 0 || t.monomial.length === 0 || (t.stdErr !== undefined && t.stdErr > 0 && Math.abs(t.coefficient / t.stdErr) >= minZ)),
  );
}

/**
 * One term as LaTeX with its sign: `+ 0.5\, x_{a}^{2}` or `- 1.2` (the constant), or without the
 * leading '+' when `first`.
 */
export function termLatex(term: ActionTerm, columns: readonly string[], options: LatexOptions & { first?: boolean } = {}): string {
  const convention = options.convention ?? 'ln p';
  const c = displayedCoefficient(term.coefficient, convention);
  const mono = monomialLatex(term.monomial, columns, options.names ?? 'columns', options.symbol ?? 'x', options.expansionPoint);
  const negative = c < 0 || Object.is(c, -0);
  const mag = numberLatex(Math.abs(c), options.digits ?? significantDigits(c, term.stdErr));
  const sign = negative ? '-' : options.first ? '' : '+';
  const body = mono === '' ? mag : `${mag}\\, ${mono}`;
  return sign === '' ? body : `${sign} ${body}`;
}

/** The left-hand side: S(x) or E(x). */
export function actionLhs(convention: Convention = 'ln p'): string {
  return convention === 'energy' ? 'E(x) = -\\ln p(x) =' : 'S(x) = \\ln p(x) =';
}

/** The terms shown for the options, sorted. */
export function selectTerms(action: Pick<Action, 'terms'>, options: LatexOptions = {}): ActionTerm[] {
  return sortTerms(filterTerms(action.terms, options.orders, options.minAbs ?? 0, options.minZ ?? 0));
}

/** The whole action as one LaTeX expression (no environment): `S(x) = \ln p(x) = ... `. */
export function actionToLatex(action: Pick<Action, 'terms'>, columns: readonly string[], options: LatexOptions = {}): string {
  const terms = selectTerms(action, options);
  const body = terms.length === 0 ? '0' : terms.map((t, i) => termLatex(t, columns, { ...options, first: i === 0 })).join(' ');
  return `${actionLhs(options.convention)} ${body}`;
}

/**
 * A compilable LaTeX document of the action for the export: amsmath `align*` with `perLine` terms per
 * line, grouped by order, and a comment header naming the source (escaped into a comment).
 */
export function actionToLatexDocument(
  action: Pick<Action, 'terms' | 'units' | 'expansionPoint' | 'expansionReason'>,
  columns: readonly string[],
  options: LatexOptions & { perLine?: number; source?: string; citation?: string } = {},
): string {
  const terms = selectTerms(action, options);
  const shiftOptions = { ...options, expansionPoint: action.expansionPoint };
  const perLine = Math.max(1, options.perLine ?? 4);
  const lines: string[] = [];
  let current: string[] = [];
  let lastOrder = -1;
  terms.forEach((t, i) => {
    if ((t.monomial.length !== lastOrder || current.length >= perLine) && current.length > 0) {
      lines.push(current.join(' '));
      current = [];
    }
    lastOrder = t.monomial.length;
    current.push(termLatex(t, columns, { ...shiftOptions, first: i === 0 }));
  });
  if (current.length > 0) lines.push(current.join(' '));
  if (lines.length === 0) lines.push('0');
  const comment = (s: string): string => s.replace(/[\r\n]+/g, ' ');
  const head = [
    '% Generated by Action Lens.',
    options.source !== undefined ? `% Source: ${comment(options.source)}` : undefined,
    `% Units: ${action.units}; convention: ${options.convention ?? 'ln p'}; monomial form (docs/METHOD.md section 1 of Action Lens).`,
    action.expansionPoint?.some((v) => v !== 0)
      ? `% Expanded around x0 = (${action.expansionPoint.map((v) => String(v)).join(', ')})${action.expansionReason ? `: ${comment(action.expansionReason)}` : ''}.`
      : undefined,
    options.citation !== undefined ? `% Method: ${comment(options.citation)}` : undefined,
  ].filter((l): l is string => l !== undefined);
  const definitions = expansionLatex(action.expansionPoint, columns, options);
  if (definitions !== '') lines.push(`\\text{with } ${definitions}`);
  const body = lines.map((l, i) => (i === 0 ? `${actionLhs(options.convention)} &\\ ${l}` : `&\\ ${l}`)).join(' \\\\\n');
  return [
    ...head,
    '\\documentclass{article}',
    '\\usepackage{amsmath}',
    '\\usepackage[T1]{fontenc}',
    '\\begin{document}',
    '\\begin{align*}',
    body,
    '\\end{align*}',
    '\\end{document}',
    '',
  ].join('\n');
}
