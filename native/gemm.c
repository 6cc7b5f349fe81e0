/*
 * The product kernel of gemm.wat's gemmStrided, natively: out (+)= op(A) B on float64, in the
 * WebAssembly kernel heap's own memory (the module computes on the same buffers as the wasm kernels,
 * by byte offset). Built where a C compiler and Node's headers are present (scripts/build-native.mjs);
 * elsewhere the wasm kernel runs. Why it exists: WebAssembly SIMD is 128 bits wide, so the wasm
 * kernel peaks at two f64x2 multiply-adds per cycle; the CPU's own vectors (AVX2, AVX-512) do 2-4x
 * that, and the training step's products are most of its time.
 *
 * Same arithmetic as the wasm kernel, to the bit: every output entry starts from 0, its bias or its
 * old value, then adds A(r, j) B(j, c) for j in order with one fused multiply-add each where the CPU
 * has FMA (the wasm kernel's relaxed_madd), separate multiply and add where it has not. Entries of
 * triangular products skip what the wasm kernel's blocks skip (see gemmStrided).
 */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

/* The heap's memory (a shared WebAssembly.Memory never moves when it grows) and the argument block:
   JS writes a product's 15 integers and the heap's size there and calls `run`, which costs less than
   passing them through N-API. */
static __thread char *heap;
static __thread int32_t *args;

#if defined(__x86_64__) && defined(__GNUC__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
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

BLOCK(block4x16, 4, v8d, 8, 2)
BLOCK(block4x4, 4, v4d, 4, 1)
BLOCK(block4x2, 4, v2d, 2, 1)
BLOCK(block4x1, 4, double, 1, 1)
BLOCK(block1x16, 1, v8d, 8, 2)
BLOCK(block1x4, 1, v4d, 4, 1)
BLOCK(block1x2, 1, v2d, 2, 1)
BLOCK(block1x1, 1, double, 1, 1)

/*
 * Any n and m (the wasm kernel needs multiples of 4, so its callers pad and copy): the last rows are
 * blocks of one row, the last columns blocks of two or one. With triangular flags, each entry's j range and
 * skipping are those of the wasm kernel's 4 x 4 block holding it.
 */
CLONES static void gemmStrided(int n, int m, int k, const double *a, int sar, int saj, const double *b, int ldb,
                               double *out, int ldo, const double *bias, int mode, int tri, const double *aux,
                               int auxMode) {
#define ARGS a, sar, saj, b, ldb, out, ldo, bias, mode, aux, auxMode
  for (int r = 0; r < n; r += 4) {
    int rows = n - r < 4 ? n - r : 4;
    for (int c = 0; c < m;) {
      int width = !tri && c + 16 <= m ? 16 : c + 4 <= m ? 4 : c + 2 <= m ? 2 : 1;
      int j0 = 0, j1 = k;
      if (tri) {
        int cb = c & ~3;
        if (((tri & 16) && cb > r + 3) || ((tri & 32) && cb + 3 < r)) {
          c += width;
          continue;
        }
        if ((tri & 2) && r > j0) j0 = r;
        if ((tri & 8) && cb > j0) j0 = cb;
        if ((tri & 1) && r + 4 < j1) j1 = r + 4;
        if ((tri & 4) && cb + 4 < j1) j1 = cb + 4;
      }
      if (rows == 4) {
        if (width == 16) block4x16(ARGS, r, c, j0, j1);
        else if (width == 4) block4x4(ARGS, r, c, j0, j1);
        else if (width == 2) block4x2(ARGS, r, c, j0, j1);
        else block4x1(ARGS, r, c, j0, j1);
      } else {
        for (int i = r; i < r + rows; i++) {
          if (width == 16) block1x16(ARGS, i, c, j0, j1);
          else if (width == 4) block1x4(ARGS, i, c, j0, j1);
          else if (width == 2) block1x2(ARGS, i, c, j0, j1);
          else block1x1(ARGS, i, c, j0, j1);
        }
      }
      c += width;
    }
  }
#undef ARGS
}

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
  gemmStrided(n, m, k, PTR(3), args[4], args[5], PTR(6), args[7], PTR(8), args[9], PTR(10), mode, args[12], PTR(13),
              auxMode);
  return NULL;
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
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, NULL, &f);
  napi_set_named_property(env, exports, "run", f);
  napi_create_function(env, "bind", NAPI_AUTO_LENGTH, bind, NULL, &f);
  napi_set_named_property(env, exports, "bind", f);
  napi_create_function(env, "isa", NAPI_AUTO_LENGTH, isa, NULL, &f);
  napi_set_named_property(env, exports, "isa", f);
  return exports;
}
