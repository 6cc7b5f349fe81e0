/*
 * The product kernel of gemm.wat's gemmStrided, natively: out (+)= op(A) B on float64, in the
 * WebAssembly kernel heap's own memory (the module computes on the same buffers as the wasm kernels,
 * by byte offset). Built where a C compiler and Node's headers are present (scripts/build-native.mjs);
 * elsewhere the wasm kernel runs. Why it exists: WebAssembly SIMD is 128 bits wide, so the wasm
 * kernel peaks at two f64x2 multiply-adds per cycle; the CPU's own vectors (AVX2, AVX-512) do 2-4x
 * that, and the training step's products are most of its time. Adam's step is here too (adam).
 *
 * Same arithmetic as the wasm kernel, to the bit: every output entry starts from 0, its bias or its
 * old value, then adds A(r, j) B(j, c) for j in order with one fused multiply-add each where the CPU
 * has FMA (the wasm kernel's relaxed_madd), separate multiply and add where it has not. Entries of
 * triangular products skip what the wasm kernel's blocks skip (see triangular).
 */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

/* The heap's memory (a shared WebAssembly.Memory never moves when it grows) and the argument block:
   JS writes a product's 15 integers and the heap's size there and calls `run`, which costs less than
   passing them through N-API. */
static __thread char *heap;
static __thread int32_t *args;
/* Whether the AVX-512 code runs: where the CPU has it (x86-64-v4, decided when the module loads),
   unless the tests turned it off (blocks(false)) to run the code of AVX2 machines here too. */
static int hasAvx512;
static int cpuHasAvx512;

#if defined(__x86_64__) && defined(__GNUC__)
#define CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

/* Vectors of 2, 4 and 8 doubles, unaligned: GCC maps them to the clone's widest registers (one zmm,
   or two ymm, or four xmm for the 8-wide one). */
typedef double v2d __attribute__((vector_size(16), aligned(8)));
typedef double v4d __attribute__((vector_size(32), aligned(8)));
typedef double v8d __attribute__((vector_size(64), aligned(8)));

#define LOAD(T, p) (*(const T *)(p))
#define STORE(T, p, v) (*(T *)(p) = (v))

/* One block of R rows x (W * NV) columns starting at (r, c), in vectors of type T (W doubles; W = 1
   is a plain double); j runs over [j0, j1). */
#define BLOCK(NAME, R, T, W, NV)                                                                    \
  static inline __attribute__((always_inline)) void NAME(                                           \
      const double *a, int sar, int saj, const double *b, int ldb, double *out, int ldo,             \
      const double *bias, int mode, const double *aux, int auxMode, int r, int c, int j0, int j1) { \
    T acc[R][NV];                                                                                   \
    double *po = out + (ptrdiff_t)r * ldo + c;                                                      \
    for (int i = 0; i < R; i++)                                                                     \
      for (int v = 0; v < NV; v++)                                                                  \
        acc[i][v] = mode == 2   ? LOAD(T, po + (ptrdiff_t)i * ldo + W * v)                          \
                    : mode == 1 ? LOAD(T, bias + c + W * v)                                         \
                                : (T){0};                                                           \
    const double *pa = a + (ptrdiff_t)r * sar;                                                      \
    for (int j = j0; j < j1; j++) {                                                                 \
      const double *pb = b + (ptrdiff_t)j * ldb + c;                                                \
      T x[NV];                                                                                      \
      for (int v = 0; v < NV; v++) x[v] = LOAD(T, pb + W * v);                                      \
      for (int i = 0; i < R; i++) {                                                                 \
        double s = pa[(ptrdiff_t)i * sar + (ptrdiff_t)j * saj];                                     \
        for (int v = 0; v < NV; v++) acc[i][v] += s * x[v];                                         \
      }                                                                                             \
    }                                                                                               \
    if (aux) {                                                                                      \
      double *pq = (double *)aux + (po - out);                                                      \
      for (int i = 0; i < R; i++)                                                                   \
        for (int v = 0; v < NV; v++) {                                                              \
          double *q = pq + (ptrdiff_t)i * ldo + W * v;                                              \
          if (auxMode == 1) STORE(T, q, acc[i][v] * acc[i][v]);                                     \
          else acc[i][v] = acc[i][v] * (LOAD(T, q) + LOAD(T, q));                                   \
        }                                                                                           \
    }                                                                                               \
    for (int i = 0; i < R; i++)                                                                     \
      for (int v = 0; v < NV; v++) STORE(T, po + (ptrdiff_t)i * ldo + W * v, acc[i][v]);            \
  }

BLOCK(block8x24, 8, v8d, 8, 3)
BLOCK(block8x16, 8, v8d, 8, 2)
BLOCK(block8x8, 8, v8d, 8, 1)
BLOCK(block8x4, 8, v4d, 4, 1)
BLOCK(block8x2, 8, v2d, 2, 1)
BLOCK(block8x1, 8, double, 1, 1)
BLOCK(block4x24, 4, v8d, 8, 3)
BLOCK(block4x16, 4, v8d, 8, 2)
BLOCK(block4x8, 4, v8d, 8, 1)
BLOCK(block4x4, 4, v4d, 4, 1)
BLOCK(block4x2, 4, v2d, 2, 1)
BLOCK(block4x1, 4, double, 1, 1)
BLOCK(block1x24, 1, v8d, 8, 3)
BLOCK(block1x16, 1, v8d, 8, 2)
BLOCK(block1x8, 1, v8d, 8, 1)
BLOCK(block1x4, 1, v4d, 4, 1)
BLOCK(block1x2, 1, v2d, 2, 1)
BLOCK(block1x1, 1, double, 1, 1)

#define ARGS a, sar, saj, b, ldb, out, ldo, bias, mode, aux, auxMode

/* One column panel of `width` columns from c, every row: blocks of `tall` rows (8 or 4), then 4, then 1. */
static inline __attribute__((always_inline)) void panel(int tall, int width, int n, int c, int k, const double *a, int sar,
                                                        int saj, const double *b, int ldb, double *out, int ldo,
                                                        const double *bias, int mode, const double *aux, int auxMode) {
#define BLOCKS(R, r)                                     \
  if (width == 24) block##R##x24(ARGS, r, c, 0, k);      \
  else if (width == 16) block##R##x16(ARGS, r, c, 0, k); \
  else if (width == 8) block##R##x8(ARGS, r, c, 0, k);   \
  else if (width == 4) block##R##x4(ARGS, r, c, 0, k);   \
  else if (width == 2) block##R##x2(ARGS, r, c, 0, k);   \
  else block##R##x1(ARGS, r, c, 0, k);
  int r = 0;
  if (tall == 8)
    for (; r + 8 <= n; r += 8) { BLOCKS(8, r) }
  for (; r + 4 <= n; r += 4) { BLOCKS(4, r) }
  for (; r < n; r++) { BLOCKS(1, r) }
#undef BLOCKS
}

/*
 * Whether the wasm kernel computes its 4 x 4 block at rows rb.., columns cb.. of a product with
 * triangular flags `tri` (gemm.wat: an unwanted output half skips whole blocks), and the j range
 * [*j0, *j1) it sums there (the triangular operands' known zeros lie outside it).
 */
static inline int blockRange(int tri, int k, int rb, int cb, int *j0, int *j1) {
  if (((tri & 16) && cb > rb + 3) || ((tri & 32) && cb + 3 < rb)) return 0;
  int lo = 0, hi = k;
  if ((tri & 2) && rb > lo) lo = rb;
  if ((tri & 8) && cb > lo) lo = cb;
  if ((tri & 1) && rb + 4 < hi) hi = rb + 4;
  if ((tri & 4) && cb + 4 < hi) hi = cb + 4;
  *j0 = lo;
  *j1 = hi;
  return 1;
}

/* The wasm kernel's 4 x 4 block (or the narrower one at the last columns, the shorter one at the last rows) at (rb, c). */
static inline __attribute__((always_inline)) void triangleBlock(int n, int m, int k, const double *a, int sar, int saj,
                                                                const double *b, int ldb, double *out, int ldo,
                                                                const double *bias, int mode, const double *aux,
                                                                int auxMode, int tri, int rb, int c) {
  int j0, j1;
  if (!blockRange(tri, k, rb, c & ~3, &j0, &j1)) return;
  int width = c + 4 <= m ? 4 : c + 2 <= m ? 2 : 1;
  if (rb + 4 <= n) {
    if (width == 4) block4x4(ARGS, rb, c, j0, j1);
    else if (width == 2) block4x2(ARGS, rb, c, j0, j1);
    else block4x1(ARGS, rb, c, j0, j1);
    return;
  }
  for (int i = rb; i < n; i++) {
    if (width == 4) block1x4(ARGS, i, c, j0, j1);
    else if (width == 2) block1x2(ARGS, i, c, j0, j1);
    else block1x1(ARGS, i, c, j0, j1);
  }
}

/*
 * A tile of R x W entries (whole 4 x 4 blocks, all computed) in one block of the big kernel, with the
 * wasm kernel's per-block j ranges. Each entry's sum runs over j in order in three legs that pass it
 * through `out` (a stored double reloads as the same bits): its 4 x 4 block alone from its own start up
 * to the tile's common range [jf0, jf1) (or its start value written there), the tile's block over the
 * common range, and its 4 x 4 block alone again to its own end. Only without an epilogue (aux).
 */
static inline __attribute__((always_inline)) void triangleTile(int R, int W, int jf0, int jf1, int k, const double *a,
                                                               int sar, int saj, const double *b, int ldb, double *out,
                                                               int ldo, const double *bias, int mode, int tri, int r,
                                                               int c) {
  const double *aux = 0;
  int auxMode = 0;
  for (int q = r; q < r + R; q += 4)
    for (int g = c; g < c + W; g += 4) {
      int j0 = 0, j1 = 0;
      blockRange(tri, k, q, g, &j0, &j1);
      if (j0 < jf0) block4x4(ARGS, q, g, j0, jf0);
      else if (mode != 2)
        for (int i = q; i < q + 4; i++)
          for (int v = 0; v < 4; v++) out[(ptrdiff_t)i * ldo + g + v] = mode == 1 ? bias[g + v] : 0.0;
    }
#define TILE(RR, WW) block##RR##x##WW(a, sar, saj, b, ldb, out, ldo, bias, 2, aux, auxMode, r, c, jf0, jf1)
  if (R == 8 && W == 24) TILE(8, 24);
  else if (R == 8) TILE(8, 16);
  else if (W == 24) TILE(4, 24);
  else TILE(4, 16);
#undef TILE
  for (int q = r; q < r + R; q += 4)
    for (int g = c; g < c + W; g += 4) {
      int j0 = 0, j1 = 0;
      blockRange(tri, k, q, g, &j0, &j1);
      if (j1 > jf1) block4x4(a, sar, saj, b, ldb, out, ldo, bias, 2, aux, auxMode, q, g, jf1, j1);
    }
}

/*
 * A product with triangular flags: the wasm kernel's 4 x 4 blocks where a block is skipped nearby or
 * the ranges differ much, and tiles of the big blocks (R x W, up to tall x wide) over the blocks that
 * are all computed and share most of their j range: away from the diagonal, most of the product.
 */
static inline __attribute__((always_inline)) void triangular(int tall, int wide, int n, int m, int k, const double *a,
                                                             int sar, int saj, const double *b, int ldb, double *out,
                                                             int ldo, const double *bias, int mode, const double *aux,
                                                             int auxMode, int tri) {
  for (int r = 0; r < n;) {
    int R = tall == 8 && r + 8 <= n ? 8 : r + 4 <= n ? 4 : 0;
    if (R == 0 || aux) {
      for (int c = 0; c < m; c += c + 4 <= m ? 4 : c + 2 <= m ? 2 : 1) triangleBlock(n, m, k, ARGS, tri, r, c);
      r += 4;
      continue;
    }
    for (int c = 0; c < m;) {
      /* The widest tile from c (16 or 24 columns) whose blocks are all computed, and its common j range. */
      int W = 0, jf0 = 0, jf1 = k, lo = 0, hi = k;
      for (int w = 4; w <= wide && c + w <= m; w += 4) {
        int ok = 1;
        for (int q = r; q < r + R && ok; q += 4) {
          int j0 = 0, j1 = 0;
          ok = blockRange(tri, k, q, c + w - 4, &j0, &j1);
          if (j0 > lo) lo = j0;
          if (j1 < hi) hi = j1;
        }
        if (!ok) break;
        if (w == 16 || w == 24) {
          W = w;
          jf0 = lo;
          jf1 = hi;
        }
      }
      if (W >= 16 && jf1 - jf0 >= 8) {
        triangleTile(R, W, jf0, jf1, k, a, sar, saj, b, ldb, out, ldo, bias, mode, tri, r, c);
        c += W;
        continue;
      }
      for (int q = r; q < r + R; q += 4) triangleBlock(n, m, k, ARGS, tri, q, c);
      c += c + 4 <= m ? 4 : c + 2 <= m ? 2 : 1;
    }
    r += R;
  }
}

/*
 * Any n and m (the wasm kernel needs multiples of 4, so its callers pad and copy). A full product runs
 * in column panels (the panel of B, k x width, stays in the first-level cache while every block of rows
 * passes over it), in blocks of `tall` x `wide` (8 x 24 with AVX-512's 32 registers: 24 accumulators,
 * twice the work per load of B of the 4 x 16 blocks that fit 16 registers), then narrower blocks (16,
 * 8, 4, 2, 1 columns) for the last columns and blocks of 4 and 1 rows for the last rows. Measured on
 * the training step's products at d = 100: 55-65 GFlop/s with 4 x 16 blocks row by row, 75-93 now;
 * at d = 32 (32 columns as 16 + 16, not 24 + 4 + 4) the step runs 15-20% faster. Blocks only change which entries are computed together, never an entry's
 * arithmetic, so every shape of block gives the same bits. With triangular flags, each entry's j range
 * and skipping are those of the wasm kernel's 4 x 4 block holding it (triangular).
 */
static inline __attribute__((always_inline)) void products(int tall, int wide, int n, int m, int k, const double *a,
                                                           int sar, int saj, const double *b, int ldb, double *out,
                                                           int ldo, const double *bias, int mode, int tri,
                                                           const double *aux, int auxMode) {
  if (tri) {
    triangular(tall, wide, n, m, k, ARGS, tri);
    return;
  }
  for (int c = 0; c < m;) {
    /* The widest blocks, except that 32 to 39 columns go as 16 + 16 (+ the rest), not 24 + 4 + 4. */
    int rest = m - c;
    int width = wide == 24 && (rest >= 40 || (rest >= 24 && rest < 32)) ? 24 : rest >= 16 ? 16 : rest >= 8 ? 8 : rest >= 4 ? 4 : rest >= 2 ? 2 : 1;
    panel(tall, width, n, c, k, ARGS);
    c += width;
  }
}

#define PARAMS                                                                                                      \
  int n, int m, int k, const double *a, int sar, int saj, const double *b, int ldb, double *out, int ldo,             \
      const double *bias, int mode, int tri, const double *aux, int auxMode

/* With AVX-512 (32 vector registers): 8 x 24 blocks. */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("arch=x86-64-v4"))) static void gemmWide(PARAMS) {
  products(8, 24, n, m, k, a, sar, saj, b, ldb, out, ldo, bias, mode, tri, aux, auxMode);
}
#endif

/* Elsewhere (AVX2 and SSE: 16 registers; NEON) the 4 x 16 blocks. */
CLONES static void gemmStrided(PARAMS) { products(4, 16, n, m, k, a, sar, saj, b, ldb, out, ldo, bias, mode, tri, aux, auxMode); }
#undef ARGS

/*
 * Adam's step (train/adam.ts; unitwise.wat's adam) on count parameters: m = b1 m + a1 g,
 * v = b2 v + (a2 g) g, p -= (step m) / (sqrt(v) invRoot + eps). The same operations in the same order
 * with no fused multiply-adds (fp-contract off here, whatever the file's flags), and IEEE's correctly
 * rounded square root and division: the same bits as the wasm kernel and the JS loop. Why it exists:
 * the square roots and divisions bound the step, and AVX-512 does eight at a time where wasm does two.
 */
#define ADAM_ONE(i)                                               \
  {                                                               \
    double gs = g[i];                                             \
    double ms = b1 * m[i] + a1 * gs;                              \
    double vs = b2 * v[i] + (a2 * gs) * gs;                       \
    m[i] = ms;                                                    \
    v[i] = vs;                                                    \
    p[i] = p[i] - (step * ms) / (__builtin_sqrt(vs) * inv + eps); \
  }

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("arch=x86-64-v4"), optimize("fp-contract=off"))) static void adamWide(
    int count, double *p, const double *g, double *m, double *v, double b1, double b2, double a1, double a2,
    double step, double inv, double eps) {
  int i = 0;
  for (; i + 8 <= count; i += 8) {
    v8d gv = LOAD(v8d, g + i);
    v8d mv = b1 * LOAD(v8d, m + i) + a1 * gv;
    v8d vv = b2 * LOAD(v8d, v + i) + (a2 * gv) * gv;
    STORE(v8d, m + i, mv);
    STORE(v8d, v + i, vv);
    v8d root;
    for (int k = 0; k < 8; k++) root[k] = __builtin_sqrt(vv[k]);
    STORE(v8d, p + i, LOAD(v8d, p + i) - (step * mv) / (root * inv + eps));
  }
  for (; i < count; i++) ADAM_ONE(i)
}
#endif

__attribute__((optimize("fp-contract=off"))) static void adamPlain(int count, double *p, const double *g, double *m,
                                                                    double *v, double b1, double b2, double a1,
                                                                    double a2, double step, double inv, double eps) {
  for (int i = 0; i < count; i++) ADAM_ONE(i)
}
#undef ADAM_ONE

#define PTR(i) (args[i] ? (double *)(heap + args[i]) : (double *)0)

/* Whether a matrix of rows x cols doubles at byte offset `at` (strides in doubles) lies within the heap's
   `size` bytes. Nothing to check when it is empty. */
static int within(int64_t at, int64_t rows, int64_t cols, int64_t rowStride, int64_t colStride, int64_t size) {
  if (rows <= 0 || cols <= 0) return 1;
  if (at < 8 || rowStride < 0 || colStride < 0) return 0;
  return at + 8 * ((rows - 1) * rowStride + (cols - 1) * colStride + 1) <= size;
}

static napi_value run(napi_env env, napi_callback_info info) {
  (void)info;
  /* WebAssembly checks every access against its memory; a native kernel must check its reach itself,
     or a wrong offset would corrupt the process instead of throwing. */
  int n = args[0], m = args[1], k = args[2], mode = args[11], auxMode = args[14];
  int64_t size = args[15];
  int ok = n >= 0 && m >= 0 && k >= 0 && within(args[3], n, k, args[4], args[5], size) &&
           within(args[6], k, m, args[7], 1, size) && within(args[8], n, m, args[9], 1, size) &&
           (mode != 1 || within(args[10], 1, m, 0, 1, size)) && (auxMode == 0 || within(args[13], n, m, args[9], 1, size));
  if (!ok) {
    napi_throw_range_error(env, NULL, "native gemmStrided: an operand reaches outside the kernel heap");
    return NULL;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  if (hasAvx512) {
    gemmWide(n, m, k, PTR(3), args[4], args[5], PTR(6), args[7], PTR(8), args[9], PTR(10), mode, args[12], PTR(13),
             auxMode);
    return NULL;
  }
#endif
  gemmStrided(n, m, k, PTR(3), args[4], args[5], PTR(6), args[7], PTR(8), args[9], PTR(10), mode, args[12], PTR(13),
              auxMode);
  return NULL;
}

/* adam(): count and the byte offsets of p, g, m, v in the argument block's first five integers, the
   heap's size in its 16th, and the seven constants (b1, b2, a1, a2, step, invRoot, eps) as doubles
   after the integers. */
static napi_value adam(napi_env env, napi_callback_info info) {
  (void)info;
  int count = args[0];
  int64_t size = args[15];
  const double *c = (const double *)(args + 16);
  int ok = count >= 0;
  for (int i = 1; i <= 4 && ok; i++) ok = within(args[i], 1, count, 0, 1, size);
  if (!ok) {
    napi_throw_range_error(env, NULL, "native adam: an operand reaches outside the kernel heap");
    return NULL;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  if (hasAvx512) {
    adamWide(count, PTR(1), PTR(2), PTR(3), PTR(4), c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
    return NULL;
  }
#endif
  adamPlain(count, PTR(1), PTR(2), PTR(3), PTR(4), c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
  return NULL;
}

/* blocks(wide: boolean): the 8 x 24 blocks and AVX-512 Adam where the CPU has AVX-512 (wide), else the
   4 x 16 blocks and the plain Adam; returns whether the wide ones are in use. For the tests. */
static napi_value blocks(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool wide = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_bool(env, argv[0], &wide) != napi_ok) {
    napi_throw_type_error(env, NULL, "blocks(wide: boolean)");
    return NULL;
  }
  hasAvx512 = wide && cpuHasAvx512;
  napi_value result;
  napi_get_boolean(env, hasAvx512, &result);
  return result;
}

/* bind(memoryView: Float64Array over the whole heap memory, argsOffset: byte offset of 16 int32s). */
static napi_value bind(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  int32_t at;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      napi_get_value_int32(env, argv[1], &at) != napi_ok || type != napi_float64_array || data == NULL) {
    napi_throw_type_error(env, NULL, "bind(view: Float64Array at offset 0 of the heap, argsOffset: number)");
    return NULL;
  }
  heap = (char *)data - offset;
  args = (int32_t *)(heap + at);
  return NULL;
}

/* Which instruction set the dispatcher picked, for the bench's record; 'baseline' is the only one
   without fused multiply-adds (native.ts matches it with the plain wasm kernel). */
static napi_value isa(napi_env env, napi_callback_info info) {
  (void)info;
  const char *name = "baseline";
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) name = "avx512";
  else if (__builtin_cpu_supports("x86-64-v3")) name = "avx2";
#elif defined(__aarch64__)
  /* AArch64 always has FMA, and -ffp-contract=fast uses it. */
  name = "neon";
#endif
  napi_value s;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &s);
  return s;
}

NAPI_MODULE_INIT() {
  napi_value f;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  cpuHasAvx512 = hasAvx512 = __builtin_cpu_supports("x86-64-v4");
#endif
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, NULL, &f);
  napi_set_named_property(env, exports, "run", f);
  napi_create_function(env, "blocks", NAPI_AUTO_LENGTH, blocks, NULL, &f);
  napi_set_named_property(env, exports, "blocks", f);
  napi_create_function(env, "adam", NAPI_AUTO_LENGTH, adam, NULL, &f);
  napi_set_named_property(env, exports, "adam", f);
  napi_create_function(env, "bind", NAPI_AUTO_LENGTH, bind, NULL, &f);
  napi_set_named_property(env, exports, "bind", f);
  napi_create_function(env, "isa", NAPI_AUTO_LENGTH, isa, NULL, &f);
  napi_set_named_property(env, exports, "isa", f);
  return exports;
}
