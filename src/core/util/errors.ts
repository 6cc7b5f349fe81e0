/** Where an InputError is: file, 1-based line and column, and how many characters the fault spans. */
export interface InputErrorWhere {
  file?: string;
  line?: number;
  /**
   * 1-based column. In a CSV: the character column where the cell at fault starts, as an editor
   * shows it (UTF-16 code units, after a BOM; a tab is one). In an argument: the character in it.
   */
  column?: number;
  /** Characters from `column` on that line the fault spans (a cell's text, quotes included); absent: unknown. */
  length?: number;
}

/**
 * An error caused by the user's input (a file, an argument). Faces show `message` as is and exit
 * with code 2 (CLI) or show it in a notification (extension). The message starts with
 * `file:line:column:`, the form editors and terminals turn into a link; `length` lets the extension
 * select the cell itself.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly length?: number;

  constructor(message: string, where: InputErrorWhere = {}) {
    super(InputError.format(message, where));
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.length = where.length;
  }

  private static format(message: string, where: InputErrorWhere): string {
    if (where.file === undefined) return message;
    let at = where.file;
    if (where.line !== undefined) at += `:${where.line}`;
    if (where.line !== undefined && where.column !== undefined) at += `:${where.column}`;
    return `${at}: ${message}`;
  }
}

/** Training could not go on (diverged beyond recovery); carries what was learned before. */
export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}
