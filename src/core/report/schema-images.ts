/**
 * The report's image sections (part of the schema, src/core/report/schema.ts, which re-exports them):
 * when the columns are the pixels of a grid, where each column sits on it (`grid`) and a few rows of
 * data and of the model to draw as pictures, with the coupling matrix's extreme modes (`images`).
 * README.md, "The report".
 */

/** A pixel of the grid that is not among the report's columns: a constant column left out, drawn with its value. */
export interface GridOmittedCell {
  /** r * width + c. */
  cell: number;
  /** The column's name in the file. */
  name: string;
  /** Its value in every row (raw units). */
  value: number;
}

/** Where the report's columns sit on an image grid (src/core/data/grid.ts). */
export interface ReportGrid {
  height: number;
  width: number;
  /** cells[k] = r * width + c of report column k (distinct, below height * width). */
  cells: number[];
  /** 'names': read from the column names (r07c13); 'option': `--grid HxW`, the file's columns row by row. */
  source: 'names' | 'option';
  /** Pixels of the grid left out of the model because they are constant (the others absent from `cells` are not in the selection). */
  omitted?: GridOmittedCell[];
}

/** One eigenpair of the quadratic form of the order-2 terms (pipeline/images.ts). */
export interface CouplingMode {
  eigenvalue: number;
  /** Unit vector, one entry per report column. */
  vector: number[];
}

/** Rows to draw as images beside each other, raw units, report column order. */
export interface ReportImages {
  /** A few held-out rows. */
  dataRows: number[][];
  /** As many rows drawn from the fitted model (for the network: exact samples x = f^-1(z)). */
  modelSamples: number[][];
  /** How the model's rows were drawn. */
  samplesSource?: string;
  /**
   * Extreme eigenpairs of the symmetric matrix A of the order-2 terms, S_2 = sum_ij A_ij dx_i dx_j
   * (A_ii = c_(i,i), A_ij = c_(i,j) / 2), ascending: the stiffest directions (most negative
   * eigenvalues) first, then the softest (closest to 0 or positive, the model's widest directions).
   */
  couplingModes?: CouplingMode[];
}
