/**
 * The CSV header hover's content, as Markdown (pure: hover.ts wraps it for VS Code, the tests read
 * it). Short enough to show whole, without scrolling inside the hover: the link first, on the line
 * with the column's name; what the coefficients mean (order, units, the point they are expanded
 * around); at most two warnings about that meaning; then the self terms and the strongest couplings,
 * cut with "… N more" lines to at most HOVER_MAX_LINES lines in all. Numbers are printed to their
 * significance (src/panel/numbers.ts). Every text from the report is escaped (it names columns from
 * the user's file); the only trusted Markdown is the one command link.
 */

import type { Report } from '../core/report/schema';
import { formatCoefficient, formatValue } from '../panel/numbers';
import { columnTerms, type LabelledTerm } from './columnTerms';
import { escapeMarkdownText } from './markdown';

export const SHOW_COLUMN_COMMAND = 'actionLens.showColumn';

/**
 * Lines a hover shows without scrolling: VS Code's hover is at most about 250 px high, and a line of
 * the hover's text takes 19 px (measured in code-server; the gap between the two paragraphs 8 more).
 */
export const HOVER_MAX_LINES = 11;
/** Warnings shown, and the characters each may take (one line in a hover of usual width). */
const MAX_WARNINGS = 2;
const WARNING_CHARS = 90;
/** Coordinates of the expansion point named before "…". */
const POINT_ENTRIES = 3;
/** Characters of a term's label (a coupling of long column names would wrap over several lines). */
const LABEL_CHARS = 60;

/**
 * One rendered line of the hover: the first line of a paragraph, or a line continuing it (a hard
 * line break). More paragraphs or lists would be roomier, but their margins would push the lines
 * past the hover's height.
 */
interface Block {
  kind: 'p' | 'br';
  markdown: string;
}

export interface HoverContent {
  markdown: string;
  /** Rendered lines, at most HOVER_MAX_LINES. */
  lines: number;
  /** The terms listed, in order (for tests). */
  shown: LabelledTerm[];
}

/** The point the report's raw action is expanded around, when it is not the origin (older reports: none). */
export function expansionPoint(report: Report): number[] | null {
  const point: unknown = report.action.expansionPoint;
  if (!Array.isArray(point) || point.length !== report.input.columns.length) return null;
  if (!point.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return null;
  return point.some((v) => v !== 0) ? point : null;
}

/** `around temp = 300.1, p = 1013, …`: the hovered column first, in the raw units the panel shows by default. */
function aroundText(report: Report, column: number, point: number[]): string {
  const order = [column, ...point.map((_, i) => i).filter((i) => i !== column)];
  const named = order.slice(0, POINT_ENTRIES).map((i) => `${escapeMarkdownText(report.input.columns[i] ?? `x${i}`)} = ${formatValue(point[i])}`);
  return `around ${named.join(', ')}${order.length > POINT_ENTRIES ? ', …' : ''}`;
}

/**
 * What a warning must be about to bear on the coefficients' meaning: the truncated series and where
 * it converges, a training that did not end well (cancelled, diverged, at a limit, worse than a
 * Gaussian, several optima), missing standard errors, the expansion. Notes about rows or diagrams stay in the panel.
 */
const ABOUT_MEANING = /converge|truncat|series|cancel|diverg|epoch limit|step limit|Gaussian|standard error|expan|optimum/i;

/** The report's warnings that bear on what the coefficients mean, the series' convergence first. */
export function actionWarnings(warnings: readonly string[]): string[] {
  const relevant = warnings.filter((w) => ABOUT_MEANING.test(w));
  return [...relevant.filter((w) => /converge/i.test(w)), ...relevant.filter((w) => !/converge/i.test(w))];
}

function termItem(t: LabelledTerm): Block {
  const stdErr = t.stdErr !== undefined && t.stdErr !== null && Number.isFinite(t.stdErr) ? t.stdErr : undefined;
  return { kind: 'br', markdown: `• ${escapeMarkdownText(t.label, LABEL_CHARS)}: \`${formatCoefficient(t.coefficient, stdErr)}\`` };
}

/** Up to `room` lines of `terms`; when they do not fit, the last line says how many more there are. */
function listed(terms: LabelledTerm[], room: number, what: string): { blocks: Block[]; shown: LabelledTerm[] } {
  if (terms.length === 0) return { blocks: [{ kind: 'br', markdown: '• none' }], shown: [] };
  const fit = terms.length <= room ? terms.length : Math.max(0, room - 1);
  const shown = terms.slice(0, fit);
  const blocks = shown.map(termItem);
  if (fit < terms.length) blocks.push({ kind: 'br', markdown: `… ${terms.length - fit} more${what}` });
  return { blocks, shown };
}

export function hoverContent(report: Report, column: number, reportPath: string, stale: boolean): HoverContent {
  // The identified theory's terms of the column come first where there is one: what the data support.
  const fromTheory = report.theory !== undefined && report.theory.terms.some((t) => t.monomial.includes(column));
  const terms = columnTerms(report, column, Number.POSITIVE_INFINITY, fromTheory ? 'theory' : 'action');
  const args = encodeURIComponent(JSON.stringify([reportPath, column]));
  // The head: the link with the name, then what qualifies the numbers (warnings, a stale report).
  const head: Block[] = [
    { kind: 'p', markdown: `**${escapeMarkdownText(terms.name)}** · [Open in Action Lens](command:${SHOW_COLUMN_COMMAND}?${args} "Show this column in the Action Lens panel")` },
  ];
  for (const w of actionWarnings(report.warnings).slice(0, MAX_WARNINGS)) head.push({ kind: 'br', markdown: `⚠ ${escapeMarkdownText(w, WARNING_CHARS)}` });
  if (stale) head.push({ kind: 'br', markdown: '*The file changed since this report was computed.*' });
  const point = expansionPoint(report);
  const units = report.action.units === 'standardized' ? 'standardized units' : 'raw units';
  const what = fromTheory ? `**Identified theory**, self terms` : '**Self terms** of ln p';
  const selfHeading = `${what} up to order ${terms.order} (${units}${point ? `, ${aroundText(report, column, point)}` : ''}):`;

  // Then the terms under two heading lines: self terms first, the couplings get what is left but at
  // least one line (two when they must be cut: one term and the "… N more").
  const room = HOVER_MAX_LINES - head.length - 2;
  const couplingMin = terms.couplings.length === 0 ? 1 : Math.min(terms.couplings.length, 2);
  const self = listed(terms.self, Math.max(1, room - couplingMin), ' self terms');
  const couplings = listed(terms.couplings, Math.max(1, room - self.blocks.length), '');
  const couplingHeading = fromTheory ? '**Its interactions with other columns:**' : '**Strongest couplings:**';
  const blocks: Block[] = [...head, { kind: 'p', markdown: selfHeading }, ...self.blocks, { kind: 'br', markdown: couplingHeading }, ...couplings.blocks];
  return { markdown: render(blocks), lines: blocks.length, shown: [...self.shown, ...couplings.shown] };
}

/**
 * The hover of a header field that the run left out (a constant column: report input.omittedColumns):
 * that it was left out and why, as there are no terms to show. Null when the field is no such column.
 */
export function omittedColumnContent(report: Report, fieldIndex: number, fieldName: string): string | null {
  const o = report.input.omittedColumns?.find((c) => c.sourceColumn === fieldIndex && c.name === fieldName);
  if (!o) return null;
  return `**${escapeMarkdownText(o.name)}** · left out of this run, so it has no terms  \n${escapeMarkdownText(o.reason, WARNING_CHARS * 2)}\n`;
}

/** Paragraphs apart; the lines of one paragraph joined by hard line breaks (two trailing spaces). */
function render(blocks: Block[]): string {
  let out = '';
  blocks.forEach((b, i) => {
    if (i > 0) out += b.kind === 'br' ? '  \n' : '\n\n';
    out += b.markdown;
  });
  return `${out}\n`;
}
