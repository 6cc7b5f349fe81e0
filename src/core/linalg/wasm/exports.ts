/** The functions the WebAssembly kernels export (gemm.wat, unitwise.wat), by byte offsets into the kernel heap; the native kernel (native.ts) provides gemmStrided too. */
export interface GemmExports {
  gemmNT: (n: number, m: number, k: number, a: number, b: number, out: number) => void;
  gemmStrided: (n: number, m: number, k: number, a: number, sar: number, saj: number, b: number, ldb: number, out: number, ldo: number, bias: number, mode: number, tri: number, aux: number, auxMode: number) => void;
}

export interface UnitwiseExports {
  cubicForward: (n: number, d: number, x: number, y: number, a: number, c: number, prod: number, expo: number) => void;
  cubicBackward: (n: number, d: number, x: number, gy: number, gx: number, a: number, c: number, w: number, ga: number, gc: number) => void;
  standardize: (n: number, d: number, x: number, y: number, mean: number, inv: number) => void;
  columnSums: (n: number, d: number, src: number, dst: number) => void;
  gaussianHead: (n: number, d: number, z: number, g: number, logDet: number, scale: number, c: number) => number;
  luUnpack: (d: number, p: number, expS: number, lo: number, up: number, upT: number) => void;
  permuteRows: (d: number, perm: number, src: number, dst: number, dstT: number) => void;
  luScatter: (d: number, gLo: number, gUp: number, up: number, wn: number, g: number) => void;
  weightedSum: (count: number, x: number, wx: number, y: number, wy: number) => void;
  adam: (count: number, p: number, g: number, m: number, v: number, b1: number, b2: number, a1: number, a2: number, step: number, invRoot: number, eps: number) => void;
  weightedGram: (m: number, w: number, buf: number, offs: number, cols: number, rowsG: number, out: number, ldo: number) => void;
}
