/**
 * What a finished or failed run tells the user, as pure functions of the report or the error (no
 * vscode, so they are unit-tested): where "Go to Line" puts the selection.
 */

/** A 0-based span on one line of a document, as "Go to Line" selects it. */
export interface LineSpan {
  line: number;
  start: number;
  end: number;
}

/**
 * The span to select for an error at 1-based `line` and `column` spanning `length` characters: the
 * cell, clamped to the document (it may have changed since it was read); the whole line when the
 * error has no column.
 */
export function errorSpan(
  where: { line: number; column?: number; length?: number },
  doc: { lineCount: number; lineLength: (line: number) => number },
): LineSpan {
  const line = Math.max(0, Math.min(doc.lineCount - 1, where.line - 1));
  const width = doc.lineLength(line);
  if (where.column === undefined) return { line, start: 0, end: width };
  const start = Math.max(0, Math.min(width, where.column - 1));
  const end = Math.max(start, Math.min(width, start + Math.max(0, where.length ?? 0)));
  return { line, start, end };
}
