/**
 * An error caused by the user's input (a file, an argument). Faces show `message` as is and exit
 * with code 2 (CLI) or show it in a notification (extension). `file`, `line` and `column` say where;
 * line and column are 1-based, column counts fields (CSV) or characters (arguments).
 */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    super(InputError.format(message, where));
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }

  private static format(message: string, where: { file?: string; line?: number; column?: number }): string {
    if (where.file === undefined) return message;
    let at = where.file;
    if (where.line !== undefined) at += `:${where.line}`;
    if (where.column !== undefined) at += `:${where.column}`;
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
