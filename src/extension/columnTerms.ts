/**
 * A column's learned terms from a report, for the CSV hover: its self terms c_(i), c_(i,i), ...
 * and its strongest couplings with other columns. Pure: the hover turns this into a MarkdownString.
 */

import type { ActionTerm, Report } from '../core/report/schema';
import { monomialText } from '../panel/latex';

export interface LabelledTerm {
  /** Plain text built from column names (untrusted: escape before display). */
  label: string;
  monomial: number[];
  coefficient: number;
  stdErr?: number;
}

export interface ColumnTerms {
  column: number;
  name: string;
  order: number;
  self: LabelledTerm[];
  couplings: LabelledTerm[];
  /** Couplings not listed. */
  moreCouplings: number;
}

/** Which report column a header field is: by the report's sourceColumns, else by name. */
export function reportColumnForField(report: Report, fieldIndex: number, fieldName: string): number {
  const src = report.input.sourceColumns;
  if (Array.isArray(src) && src.length === report.input.columns.length) {
    const c = src.indexOf(fieldIndex);
    if (c < 0) return -1;
    // the file's header still has to name the same column
    return report.input.columns[c] === fieldName ? c : -1;
  }
  return report.input.columns.indexOf(fieldName);
}

function label(t: ActionTerm, columns: readonly string[]): LabelledTerm {
  return { label: monomialText(t.monomial, columns), monomial: t.monomial, coefficient: t.coefficient, stdErr: t.stdErr };
}

/**
 * The column's terms: self terms by order, couplings by |coefficient| (the first `maxCouplings` of
 * them listed); of the identified theory with `source` 'theory' (its constant, -ln Z, is no one's).
 */
export function columnTerms(report: Report, column: number, maxCouplings = Number.POSITIVE_INFINITY, source: 'action' | 'theory' = 'action'): ColumnTerms {
  const columns = report.input.columns;
  const terms = source === 'theory' && report.theory ? report.theory.terms : report.action.terms;
  const self: LabelledTerm[] = [];
  const couplings: ActionTerm[] = [];
  for (const t of terms) {
    if (!t.monomial.includes(column)) continue;
    if (t.monomial.every((i) => i === column)) self.push(label(t, columns));
    else couplings.push(t);
  }
  self.sort((a, b) => a.monomial.length - b.monomial.length);
  couplings.sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient) || a.monomial.length - b.monomial.length);
  return {
    column,
    name: columns[column] ?? `x${column}`,
    order: report.action.order,
    self,
    couplings: couplings.slice(0, maxCouplings).map((t) => label(t, columns)),
    moreCouplings: Math.max(0, couplings.length - maxCouplings),
  };
}
