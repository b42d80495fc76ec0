// Native training kernels: the two products that dominate a training step (x·W with bias and
// accumulate, and the weight gradient aᵀ·b) plus column sums, for x86-64 CPUs with AVX2+FMA or
// AVX-512. They work in place on tfjs-backend-wasm's heap (the WebAssembly.Memory's ArrayBuffer),
// exactly as the wasm kernels in ../wasm/grad-kernels.as do, so the TypeScript side swaps one for
// the other per call. Why native: wasm SIMD is 128 bits without FMA (~35 GFLOP/s here); the same
// loops at 512 bits with FMA run several times faster, and the products are ~70% of a step.
//
// One generic kernel body is compiled once per instruction set (target attributes) and chosen at
// load time; a CPU with neither reports simd "none" and the caller keeps the wasm kernels.
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WH_X86 1
#endif

typedef float vf __attribute__((vector_size(64), aligned(4), may_alias));

#define LOADV(p) (*(const vf *)(p))
#define STOREV(p, v) (*(vf *)(p) = (v))
#define LANES 16

#ifdef WH_X86
// y[N, M] = (acc) + x[N, K]·w[K, M] (+ bias[M]); acc may alias y. Tiles of RT rows × CT·16 columns
// keep RT·CT accumulators in registers; the x values of a k are broadcast, w's row segment loaded once.
#define DEFINE_MATMUL(NAME, TARGET, RT, CT)                                                                  \
  /* The last M − m0 (< 16) columns: w's columns copied once into zero-padded rows, so every row is */     \
  /* still one vector pass over k; only the final store is partial. */                                      \
  __attribute__((target(TARGET))) static void matmul_tail_##NAME(const float *x, const float *w, const float *bias, \
                                                              const float *acc, float *y, int N, int K, int M, int m0) { \
    const int ct = M - m0;                                                                                 \
    float stackPad[256 * LANES];                                                                           \
    float *pad = K <= 256 ? stackPad : (float *)malloc((size_t)K * LANES * sizeof(float));                 \
    if (!pad) return;                                                                                      \
    memset(pad, 0, (size_t)K * LANES * sizeof(float));                                                     \
    for (int k = 0; k < K; k++) memcpy(pad + (size_t)k * LANES, w + (size_t)k * M + m0, ct * sizeof(float)); \
    float bpad[LANES] = {0};                                                                               \
    if (bias) memcpy(bpad, bias + m0, ct * sizeof(float));                                                 \
    for (int n = 0; n < N; n++) {                                                                          \
      float out[LANES];                                                                                    \
      vf c = LOADV(bpad);                                                                                  \
      for (int k = 0; k < K; k++) c += x[(size_t)n * K + k] * LOADV(pad + (size_t)k * LANES);              \
      STOREV(out, c);                                                                                      \
      float *py = y + (size_t)n * M + m0;                                                                  \
      const float *pa = acc ? acc + (size_t)n * M + m0 : NULL;                                             \
      for (int j = 0; j < ct; j++) py[j] = out[j] + (pa ? pa[j] : 0.0f);                                   \
    }                                                                                                      \
    if (pad != stackPad) free(pad);                                                                        \
  }                                                                                                        \
  __attribute__((target(TARGET))) static void NAME(const float *x, const float *w, const float *bias,       \
                                                   const float *acc, float *y, int N, int K, int M) {       \
    const int CW = CT * LANES;                                                                             \
    int m = 0;                                                                                             \
    for (; m + CW <= M; m += CW) {                                                                         \
      int n = 0;                                                                                           \
      for (; n + RT <= N; n += RT) {                                                                       \
        vf c[RT][CT];                                                                                      \
        _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) { \
          vf v = bias ? LOADV(bias + m + j * LANES) : (vf){0};                                             \
          if (acc) v += LOADV(acc + (size_t)(n + r) * M + m + j * LANES);                                  \
          c[r][j] = v;                                                                                     \
        }                                                                                                  \
        const float *px = x + (size_t)n * K;                                                               \
        for (int k = 0; k < K; k++) {                                                                      \
          vf wv[CT];                                                                                       \
          _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) wv[j] = LOADV(w + (size_t)k * M + m + j * LANES); \
          _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) {                                          \
            const float s = px[(size_t)r * K + k];                                                         \
            _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) c[r][j] += s * wv[j];                     \
          }                                                                                                \
        }                                                                                                  \
        _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) \
          STOREV(y + (size_t)(n + r) * M + m + j * LANES, c[r][j]);                                        \
      }                                                                                                    \
      for (; n < N; n++) {                                                                                 \
        vf c[CT];                                                                                          \
        for (int j = 0; j < CT; j++) {                                                                     \
          c[j] = bias ? LOADV(bias + m + j * LANES) : (vf){0};                                             \
          if (acc) c[j] += LOADV(acc + (size_t)n * M + m + j * LANES);                                     \
        }                                                                                                  \
        for (int k = 0; k < K; k++) {                                                                      \
          const float s = x[(size_t)n * K + k];                                                            \
          for (int j = 0; j < CT; j++) c[j] += s * LOADV(w + (size_t)k * M + m + j * LANES);               \
        }                                                                                                  \
        for (int j = 0; j < CT; j++) STOREV(y + (size_t)n * M + m + j * LANES, c[j]);                      \
      }                                                                                                    \
    }                                                                                                      \
    for (; m + LANES <= M; m += LANES) {                                                                   \
      for (int n = 0; n < N; n++) {                                                                        \
        vf c = bias ? LOADV(bias + m) : (vf){0};                                                           \
        if (acc) c += LOADV(acc + (size_t)n * M + m);                                                      \
        for (int k = 0; k < K; k++) c += x[(size_t)n * K + k] * LOADV(w + (size_t)k * M + m);              \
        STOREV(y + (size_t)n * M + m, c);                                                                  \
      }                                                                                                    \
    }                                                                                                      \
    if (m < M) matmul_tail_##NAME(x, w, bias, acc, y, N, K, M, m);                                        \
  }

// c[K, M] = aᵀ·b for a [N, K], b [N, M]. Rows are visited in blocks of NB so a block of a and of b
// stays in cache while every RT × CT·16 tile of c accumulates over it in registers.
#define DEFINE_MATMUL_TA(NAME, TARGET, RT, CT)                                                               \
  __attribute__((target(TARGET))) static void NAME(const float *a, const float *b, float *c, int N, int K, int M) { \
    const int CW = CT * LANES;                                                                             \
    const int NB = 256;                                                                                    \
    memset(c, 0, (size_t)K * M * sizeof(float));                                                           \
    for (int n0 = 0; n0 < N; n0 += NB) {                                                                   \
      const int n1 = n0 + NB < N ? n0 + NB : N;                                                            \
      int k = 0;                                                                                           \
      for (; k + RT <= K; k += RT) {                                                                       \
        int m = 0;                                                                                         \
        for (; m + CW <= M; m += CW) {                                                                     \
          vf t[RT][CT];                                                                                    \
          _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) \
            t[r][j] = LOADV(c + (size_t)(k + r) * M + m + j * LANES);                                      \
          for (int n = n0; n < n1; n++) {                                                                  \
            vf bv[CT];                                                                                     \
            _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) bv[j] = LOADV(b + (size_t)n * M + m + j * LANES); \
            const float *pa = a + (size_t)n * K + k;                                                       \
            _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) {                                        \
              const float s = pa[r];                                                                       \
              _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) t[r][j] += s * bv[j];                   \
            }                                                                                              \
          }                                                                                                \
          _Pragma("GCC unroll 16") for (int r = 0; r < RT; r++) _Pragma("GCC unroll 4") for (int j = 0; j < CT; j++) \
            STOREV(c + (size_t)(k + r) * M + m + j * LANES, t[r][j]);                                      \
        }                                                                                                  \
        for (; m + LANES <= M; m += LANES) {                                                               \
          for (int r = 0; r < RT; r++) {                                                                   \
            vf t = LOADV(c + (size_t)(k + r) * M + m);                                                     \
            for (int n = n0; n < n1; n++) t += a[(size_t)n * K + k + r] * LOADV(b + (size_t)n * M + m);   \
            STOREV(c + (size_t)(k + r) * M + m, t);                                                        \
          }                                                                                                \
        }                                                                                                  \
        for (; m < M; m++)                                                                                 \
          for (int r = 0; r < RT; r++) {                                                                   \
            float t = 0;                                                                                   \
            for (int n = n0; n < n1; n++) t += a[(size_t)n * K + k + r] * b[(size_t)n * M + m];            \
            c[(size_t)(k + r) * M + m] += t;                                                               \
          }                                                                                                \
      }                                                                                                    \
      for (; k < K; k++) {                                                                                 \
        int m = 0;                                                                                         \
        for (; m + LANES <= M; m += LANES) {                                                               \
          vf t = LOADV(c + (size_t)k * M + m);                                                             \
          for (int n = n0; n < n1; n++) t += a[(size_t)n * K + k] * LOADV(b + (size_t)n * M + m);          \
          STOREV(c + (size_t)k * M + m, t);                                                                \
        }                                                                                                  \
        for (; m < M; m++) {                                                                               \
          float t = 0;                                                                                     \
          for (int n = n0; n < n1; n++) t += a[(size_t)n * K + k] * b[(size_t)n * M + m];                  \
          c[(size_t)k * M + m] += t;                                                                       \
        }                                                                                                  \
      }                                                                                                    \
    }                                                                                                      \
  }

// c[M] = Σ_n b[n, M].
#define DEFINE_COLSUMS(NAME, TARGET)                                                                         \
  __attribute__((target(TARGET))) static void NAME(const float *b, float *c, int N, int M) {               \
    int m = 0;                                                                                             \
    for (; m + LANES <= M; m += LANES) {                                                                   \
      vf s0 = (vf){0}, s1 = (vf){0};                                                                       \
      int n = 0;                                                                                           \
      for (; n + 1 < N; n += 2) { s0 += LOADV(b + (size_t)n * M + m); s1 += LOADV(b + (size_t)(n + 1) * M + m); } \
      if (n < N) s0 += LOADV(b + (size_t)n * M + m);                                                       \
      STOREV(c + m, s0 + s1);                                                                              \
    }                                                                                                      \
    for (; m < M; m++) {                                                                                   \
      float s = 0;                                                                                         \
      for (int n = 0; n < N; n++) s += b[(size_t)n * M + m];                                               \
      c[m] = s;                                                                                            \
    }                                                                                                      \
  }

typedef int32_t vi __attribute__((vector_size(64), aligned(4), may_alias));

// e^y for y ≤ 0 … any y in float range: 2^n · (1 + r + r²·P(r)) with n = round(y·log2 e), Cephes' expf
// polynomial (about 1 ulp). Inlined into each target's caller, so it takes that target's width.
static inline __attribute__((always_inline)) vf vexp(vf y) {
  const vf hi = (vf){0} + 88.3762626647949f, lo = (vf){0} - 87.3365447504f;
  // Clamp (C has no vector ?:): select by the comparison masks' bits.
  vi yb, hb, lb;
  memcpy(&yb, &y, sizeof y); memcpy(&hb, &hi, sizeof hi); memcpy(&lb, &lo, sizeof lo);
  const vi over = y > hi, under = y < lo;
  yb = (yb & ~over) | (hb & over);
  yb = (yb & ~under) | (lb & under);
  memcpy(&y, &yb, sizeof y);
  const vf magic = (vf){0} + 12582912.0f; // 1.5·2^23: adding and subtracting it rounds to an integer
  const vf n = (y * 1.44269504088896341f + magic) - magic;
  const vf r = (y - n * 0.693359375f) + n * 2.12194440e-4f;
  vf p = (vf){0} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const vi e = (__builtin_convertvector(n, vi) + 127) << 23;
  vf scale;
  memcpy(&scale, &e, sizeof scale);
  return p * scale;
}

// s [N, 2G] = σ([2·h_filter | h_gate]) for h [N, 2G]: the gated unit's one sigmoid pass (tanh(x) = 2σ(2x) − 1).
#define DEFINE_GATE_SIGMOID(NAME, TARGET)                                                                    \
  __attribute__((target(TARGET))) static void NAME(const float *h, float *s, int N, int G) {               \
    for (int n = 0; n < N; n++) {                                                                          \
      for (int half = 0; half < 2; half++) {                                                               \
        const float k = half == 0 ? -2.0f : -1.0f;                                                         \
        const float *src = h + (size_t)n * 2 * G + (size_t)half * G;                                       \
        float *dst = s + (size_t)n * 2 * G + (size_t)half * G;                                             \
        int j = 0;                                                                                         \
        for (; j + LANES <= G; j += LANES) STOREV(dst + j, 1.0f / (1.0f + vexp(LOADV(src + j) * k)));     \
        if (j < G) {                                                                                       \
          float in[LANES] = {0}, out[LANES];                                                               \
          memcpy(in, src + j, (G - j) * sizeof(float));                                                    \
          STOREV(out, 1.0f / (1.0f + vexp(LOADV(in) * k)));                                                \
          memcpy(dst + j, out, (G - j) * sizeof(float));                                                   \
        }                                                                                                  \
      }                                                                                                    \
    }                                                                                                      \
  }

// c [n] = a [n] + b [n].
#define DEFINE_ADD(NAME, TARGET)                                                                             \
  __attribute__((target(TARGET))) static void NAME(const float *a, const float *b, float *c, size_t n) {   \
    size_t i = 0;                                                                                          \
    for (; i + LANES <= n; i += LANES) STOREV(c + i, LOADV(a + i) + LOADV(b + i));                         \
    for (; i < n; i++) c[i] = a[i] + b[i];                                                                 \
  }

// z [N, G] = (2·s_f − 1)·s_g and its gradient dh [N, 2G] w.r.t. the unscaled pre-activation, from s and dz.
#define DEFINE_GATE(NAME, GRAD, TARGET)                                                                      \
  __attribute__((target(TARGET))) static void NAME(const float *s, float *z, int N, int G) {               \
    for (int n = 0; n < N; n++) {                                                                          \
      const float *sf = s + (size_t)n * 2 * G, *sg = sf + G;                                               \
      float *zr = z + (size_t)n * G;                                                                       \
      int j = 0;                                                                                           \
      for (; j + LANES <= G; j += LANES) STOREV(zr + j, (2.0f * LOADV(sf + j) - 1.0f) * LOADV(sg + j));   \
      for (; j < G; j++) zr[j] = (2.0f * sf[j] - 1.0f) * sg[j];                                            \
    }                                                                                                      \
  }                                                                                                        \
  __attribute__((target(TARGET))) static void GRAD(const float *s, const float *dz, float *dh, int N, int G) { \
    for (int n = 0; n < N; n++) {                                                                          \
      const float *sf = s + (size_t)n * 2 * G, *sg = sf + G, *d = dz + (size_t)n * G;                      \
      float *df = dh + (size_t)n * 2 * G, *dg = df + G;                                                    \
      int j = 0;                                                                                           \
      for (; j + LANES <= G; j += LANES) {                                                                 \
        const vf t = 2.0f * LOADV(sf + j) - 1.0f, g = LOADV(sg + j), a = LOADV(d + j) * g;                \
        STOREV(df + j, a * (1.0f - t * t));                                                                \
        STOREV(dg + j, a * t * (1.0f - g));                                                                \
      }                                                                                                    \
      for (; j < G; j++) {                                                                                 \
        const float t = 2.0f * sf[j] - 1.0f, g = sg[j], a = d[j] * g;                                      \
        df[j] = a * (1.0f - t * t);                                                                        \
        dg[j] = a * t * (1.0f - g);                                                                        \
      }                                                                                                    \
    }                                                                                                      \
  }

// AVX-512: 32 vector registers, so 8 rows × 32 columns (16 accumulators). AVX2 (16 registers, each
// vf is two of them): 6 rows × 16 columns.
DEFINE_MATMUL(matmul_avx512, "avx512f,fma", 8, 2)
DEFINE_MATMUL_TA(matmul_ta_avx512, "avx512f,fma", 8, 2)
DEFINE_COLSUMS(colsums_avx512, "avx512f,fma")
DEFINE_GATE_SIGMOID(gate_sigmoid_avx512, "avx512f,fma")
DEFINE_ADD(add_avx512, "avx512f,fma")
DEFINE_GATE(gate_avx512, gate_grad_avx512, "avx512f,fma")
DEFINE_MATMUL(matmul_avx2, "avx2,fma", 6, 1)
DEFINE_MATMUL_TA(matmul_ta_avx2, "avx2,fma", 6, 1)
DEFINE_COLSUMS(colsums_avx2, "avx2,fma")
DEFINE_GATE_SIGMOID(gate_sigmoid_avx2, "avx2,fma")
DEFINE_ADD(add_avx2, "avx2,fma")
DEFINE_GATE(gate_avx2, gate_grad_avx2, "avx2,fma")
#endif

// Row plumbing of the trimmed layers (see ../wasm/grad-kernels.as for the definitions): copies, so memcpy.
static void conv_input(const float *x, const float *e, float *out, int B, int n, int R, int d, int E, int L) {
  const int m = n - d, W = 2 * R + E;
  for (int b = 0; b < B; b++)
    for (int i = 0; i < m; i++) {
      float *dst = out + (size_t)(b * m + i) * W;
      const float *src = x + (size_t)(b * n + i) * R;
      memcpy(dst, src, R * sizeof(float));
      memcpy(dst + R, src + (size_t)d * R, R * sizeof(float));
      if (E > 0) memcpy(dst + 2 * R, e + (size_t)(b * L + L - m + i) * E, E * sizeof(float));
    }
}

static void conv_input_grad(const float *g, float *dx, int B, int n, int R, int d, int E) {
  const int m = n - d, W = 2 * R + E;
  for (int b = 0; b < B; b++)
    for (int t = 0; t < n; t++) {
      float *dst = dx + (size_t)(b * n + t) * R;
      const float *gp = g + (size_t)(b * m + t) * W;
      const float *gn = g + (size_t)(b * m + t - d) * W + R;
      if (t < m && t >= d) for (int c = 0; c < R; c++) dst[c] = gp[c] + gn[c];
      else if (t < m) memcpy(dst, gp, R * sizeof(float));
      else if (t >= d) memcpy(dst, gn, R * sizeof(float));
      else memset(dst, 0, R * sizeof(float));
    }
}

static void last_rows(const float *x, float *out, int B, int n, int keep, int C) {
  for (int b = 0; b < B; b++) memcpy(out + (size_t)b * keep * C, x + (size_t)(b * n + n - keep) * C, (size_t)keep * C * sizeof(float));
}

static void last_rows_grad(const float *g, float *dx, int B, int n, int keep, int C) {
  for (int b = 0; b < B; b++) {
    float *dst = dx + (size_t)b * n * C;
    memset(dst, 0, (size_t)(n - keep) * C * sizeof(float));
    memcpy(dst + (size_t)(n - keep) * C, g + (size_t)b * keep * C, (size_t)keep * C * sizeof(float));
  }
}

typedef void (*matmul_fn)(const float *, const float *, const float *, const float *, float *, int, int, int);
typedef void (*matmul_ta_fn)(const float *, const float *, float *, int, int, int);
typedef void (*colsums_fn)(const float *, float *, int, int);
typedef void (*gate_sigmoid_fn)(const float *, float *, int, int);
typedef void (*add_fn)(const float *, const float *, float *, size_t);
static gate_sigmoid_fn GATE_SIGMOID = 0;
typedef void (*gate_fn)(const float *, float *, int, int);
typedef void (*gate_grad_fn)(const float *, const float *, float *, int, int);
static gate_fn GATE = 0;
static gate_grad_fn GATE_GRAD = 0;
static add_fn ADD = 0;

static matmul_fn MATMUL = 0;
static matmul_ta_fn MATMUL_TA = 0;
static colsums_fn COLSUMS = 0;
static const char *SIMD = "none";

static void choose(void) {
#ifdef WH_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) {
    MATMUL = matmul_avx512; MATMUL_TA = matmul_ta_avx512; COLSUMS = colsums_avx512; GATE_SIGMOID = gate_sigmoid_avx512; ADD = add_avx512; GATE = gate_avx512; GATE_GRAD = gate_grad_avx512; SIMD = "avx512";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    MATMUL = matmul_avx2; MATMUL_TA = matmul_ta_avx2; COLSUMS = colsums_avx2; GATE_SIGMOID = gate_sigmoid_avx2; ADD = add_avx2; GATE = gate_avx2; GATE_GRAD = gate_grad_avx2; SIMD = "avx2";
  }
#endif
}

// ---------------------------------------------------------------- N-API glue

#define MAX_ARGS 10

// Reads the heap (arg 0: an ArrayBuffer) and n byte offsets / sizes after it; validates that every
// offset lies inside the heap and is 4-byte aligned, so a wrong call throws instead of corrupting memory.
static int read_args(napi_env env, napi_callback_info info, size_t want, char **heap, size_t *heap_len, double *v) {
  size_t argc = MAX_ARGS;
  napi_value argv[MAX_ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want + 1) {
    napi_throw_type_error(env, NULL, "wavehouse kernels: too few arguments");
    return 0;
  }
  void *data = NULL;
  if (napi_get_arraybuffer_info(env, argv[0], &data, heap_len) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "wavehouse kernels: the first argument must be the heap's ArrayBuffer");
    return 0;
  }
  *heap = (char *)data;
  for (size_t i = 0; i < want; i++) {
    if (napi_get_value_double(env, argv[i + 1], &v[i]) != napi_ok || !(v[i] >= 0) || v[i] > 9007199254740991.0 || v[i] != (double)(int64_t)v[i]) {
      napi_throw_range_error(env, NULL, "wavehouse kernels: offsets and sizes must be non-negative integers");
      return 0;
    }
  }
  return 1;
}

static int in_heap(napi_env env, size_t heap_len, double off, double floats) {
  if (off == 0) return 1;
  if ((uint64_t)off % 4 != 0 || off + floats * 4 > (double)heap_len) {
    napi_throw_range_error(env, NULL, "wavehouse kernels: an operand lies outside the heap");
    return 0;
  }
  return 1;
}

#define PTR(off) ((off) == 0 ? NULL : (float *)(heap + (size_t)(off)))

// matMul(heap, x, w, bias, acc, y, N, K, M): offsets in bytes; bias/acc 0 = none.
static napi_value js_matmul(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[8];
  if (!read_args(env, info, 8, &heap, &len, v)) return NULL;
  const double N = v[5], K = v[6], M = v[7];
  if (N * M == 0) return NULL;
  // x and w are read only when K > 0 (an empty tensor may have no heap offset).
  if ((K > 0 && (v[0] == 0 || v[1] == 0)) || v[4] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: matMul needs x, w and y"); return NULL; }
  if (!in_heap(env, len, v[0], N * K) || !in_heap(env, len, v[1], K * M) || !in_heap(env, len, v[2], M) ||
      !in_heap(env, len, v[3], N * M) || !in_heap(env, len, v[4], N * M)) return NULL;
  MATMUL(PTR(v[0]), PTR(v[1]), PTR(v[2]), PTR(v[3]), PTR(v[4]), (int)N, (int)K, (int)M);
  return NULL;
}

// matMulTB(heap, a, b, y, N, M, K): y [N, K] = a [N, M] · bᵀ for b [K, M] (b small: a weight, transposed
// once here into a scratch buffer, then the x·W kernel).
static napi_value js_matmul_tb(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[6];
  if (!read_args(env, info, 6, &heap, &len, v)) return NULL;
  const double N = v[3], M = v[4], K = v[5];
  if (N * K == 0) return NULL;
  if ((M > 0 && (v[0] == 0 || v[1] == 0)) || v[2] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: matMulTB needs a, b and y"); return NULL; }
  if (!in_heap(env, len, v[0], N * M) || !in_heap(env, len, v[1], K * M) || !in_heap(env, len, v[2], N * K)) return NULL;
  const int m = (int)M, k = (int)K;
  float *bt = (float *)malloc((size_t)m * k * sizeof(float) + 4);
  if (!bt) { napi_throw_error(env, NULL, "wavehouse kernels: out of memory"); return NULL; }
  const float *b = PTR(v[1]);
  for (int i = 0; i < k; i++) for (int j = 0; j < m; j++) bt[(size_t)j * k + i] = b[(size_t)i * m + j];
  MATMUL(PTR(v[0]), bt, NULL, NULL, PTR(v[2]), (int)N, m, k);
  free(bt);
  return NULL;
}

// matMulTA(heap, a, b, c, N, K, M).
static napi_value js_matmul_ta(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[6];
  if (!read_args(env, info, 6, &heap, &len, v)) return NULL;
  const double N = v[3], K = v[4], M = v[5];
  if (K * M == 0) return NULL;
  if ((N > 0 && (v[0] == 0 || v[1] == 0)) || v[2] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: matMulTA needs a, b and c"); return NULL; }
  if (!in_heap(env, len, v[0], N * K) || !in_heap(env, len, v[1], N * M) || !in_heap(env, len, v[2], K * M)) return NULL;
  MATMUL_TA(PTR(v[0]), PTR(v[1]), PTR(v[2]), (int)N, (int)K, (int)M);
  return NULL;
}

// colSums(heap, b, c, N, M).
static napi_value js_colsums(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[4];
  if (!read_args(env, info, 4, &heap, &len, v)) return NULL;
  if (v[3] == 0) return NULL;
  if ((v[2] > 0 && v[0] == 0) || v[1] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: colSums needs b and c"); return NULL; }
  if (!in_heap(env, len, v[0], v[2] * v[3]) || !in_heap(env, len, v[1], v[3])) return NULL;
  COLSUMS(PTR(v[0]), PTR(v[1]), (int)v[2], (int)v[3]);
  return NULL;
}

// gateSigmoid(heap, h, s, N, G).
static napi_value js_gate_sigmoid(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[4];
  if (!read_args(env, info, 4, &heap, &len, v)) return NULL;
  const double N = v[2], G = v[3];
  if (N * G == 0) return NULL;
  if (v[0] == 0 || v[1] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: gateSigmoid needs h and s"); return NULL; }
  if (!in_heap(env, len, v[0], N * 2 * G) || !in_heap(env, len, v[1], N * 2 * G)) return NULL;
  GATE_SIGMOID(PTR(v[0]), PTR(v[1]), (int)N, (int)G);
  return NULL;
}

// add(heap, a, b, c, n).
static napi_value js_add(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[4];
  if (!read_args(env, info, 4, &heap, &len, v)) return NULL;
  if (v[3] == 0) return NULL;
  if (v[0] == 0 || v[1] == 0 || v[2] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: add needs a, b and c"); return NULL; }
  if (!in_heap(env, len, v[0], v[3]) || !in_heap(env, len, v[1], v[3]) || !in_heap(env, len, v[2], v[3])) return NULL;
  ADD(PTR(v[0]), PTR(v[1]), PTR(v[2]), (size_t)v[3]);
  return NULL;
}

// gate(heap, s, z, N, G) and gateGrad(heap, s, dz, dh, N, G).
static napi_value js_gate(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[4];
  if (!read_args(env, info, 4, &heap, &len, v)) return NULL;
  if (v[2] * v[3] == 0) return NULL;
  if (v[0] == 0 || v[1] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: gate needs s and z"); return NULL; }
  if (!in_heap(env, len, v[0], v[2] * 2 * v[3]) || !in_heap(env, len, v[1], v[2] * v[3])) return NULL;
  GATE(PTR(v[0]), PTR(v[1]), (int)v[2], (int)v[3]);
  return NULL;
}

static napi_value js_gate_grad(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[5];
  if (!read_args(env, info, 5, &heap, &len, v)) return NULL;
  const double N = v[3], G = v[4];
  if (N * G == 0) return NULL;
  if (v[0] == 0 || v[1] == 0 || v[2] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: gateGrad needs s, dz and dh"); return NULL; }
  if (!in_heap(env, len, v[0], N * 2 * G) || !in_heap(env, len, v[1], N * G) || !in_heap(env, len, v[2], N * 2 * G)) return NULL;
  GATE_GRAD(PTR(v[0]), PTR(v[1]), PTR(v[2]), (int)N, (int)G);
  return NULL;
}

// convInput(heap, x, e, out, B, n, R, d, E, L): e may be 0 when E = 0.
static napi_value js_conv_input(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[9];
  if (!read_args(env, info, 9, &heap, &len, v)) return NULL;
  const double B = v[3], n = v[4], R = v[5], d = v[6], E = v[7], L = v[8];
  if (!(d < n) || (E > 0 && L < n - d)) { napi_throw_range_error(env, NULL, "wavehouse kernels: convInput shape"); return NULL; }
  if (B * R == 0) return NULL;
  if (v[0] == 0 || v[2] == 0 || (E > 0 && v[1] == 0)) { napi_throw_range_error(env, NULL, "wavehouse kernels: convInput needs x, out (and e)"); return NULL; }
  if (!in_heap(env, len, v[0], B * n * R) || !in_heap(env, len, v[1], B * L * E) || !in_heap(env, len, v[2], B * (n - d) * (2 * R + E))) return NULL;
  conv_input(PTR(v[0]), PTR(v[1]), PTR(v[2]), (int)B, (int)n, (int)R, (int)d, (int)E, (int)L);
  return NULL;
}

// convInputGrad(heap, g, dx, B, n, R, d, E).
static napi_value js_conv_input_grad(napi_env env, napi_callback_info info) {
  char *heap; size_t len; double v[7];
  if (!read_args(env, info, 7, &heap, &len, v)) return NULL;
  const double B = v[2], n = v[3], R = v[4], d = v[5], E = v[6];
  if (!(d < n)) { napi_throw_range_error(env, NULL, "wavehouse kernels: convInputGrad shape"); return NULL; }
  if (B * R == 0) return NULL;
  if (v[0] == 0 || v[1] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: convInputGrad needs g and dx"); return NULL; }
  if (!in_heap(env, len, v[0], B * (n - d) * (2 * R + E)) || !in_heap(env, len, v[1], B * n * R)) return NULL;
  conv_input_grad(PTR(v[0]), PTR(v[1]), (int)B, (int)n, (int)R, (int)d, (int)E);
  return NULL;
}

// lastRows(heap, x, out, B, n, keep, C) and lastRowsGrad(heap, g, dx, B, n, keep, C).
static napi_value rows_common(napi_env env, napi_callback_info info, int grad) {
  char *heap; size_t len; double v[6];
  if (!read_args(env, info, 6, &heap, &len, v)) return NULL;
  const double B = v[2], n = v[3], keep = v[4], C = v[5];
  if (keep > n) { napi_throw_range_error(env, NULL, "wavehouse kernels: lastRows keeps more rows than there are"); return NULL; }
  if (B * C * n == 0) return NULL;
  if (v[0] == 0 || v[1] == 0) { napi_throw_range_error(env, NULL, "wavehouse kernels: lastRows needs its operands"); return NULL; }
  const double in = grad ? B * keep * C : B * n * C, out = grad ? B * n * C : B * keep * C;
  if (!in_heap(env, len, v[0], in) || !in_heap(env, len, v[1], out)) return NULL;
  if (grad) last_rows_grad(PTR(v[0]), PTR(v[1]), (int)B, (int)n, (int)keep, (int)C);
  else last_rows(PTR(v[0]), PTR(v[1]), (int)B, (int)n, (int)keep, (int)C);
  return NULL;
}
static napi_value js_last_rows(napi_env env, napi_callback_info info) { return rows_common(env, info, 0); }
static napi_value js_last_rows_grad(napi_env env, napi_callback_info info) { return rows_common(env, info, 1); }

NAPI_MODULE_INIT() {
  choose();
  napi_value simd;
  napi_create_string_utf8(env, SIMD, NAPI_AUTO_LENGTH, &simd);
  napi_set_named_property(env, exports, "simd", simd);
  if (MATMUL) {
    napi_property_descriptor fns[] = {
      { "matMul", NULL, js_matmul, NULL, NULL, NULL, napi_enumerable, NULL },
      { "matMulTA", NULL, js_matmul_ta, NULL, NULL, NULL, napi_enumerable, NULL },
      { "matMulTB", NULL, js_matmul_tb, NULL, NULL, NULL, napi_enumerable, NULL },
      { "colSums", NULL, js_colsums, NULL, NULL, NULL, napi_enumerable, NULL },
      { "gateSigmoid", NULL, js_gate_sigmoid, NULL, NULL, NULL, napi_enumerable, NULL },
      { "add", NULL, js_add, NULL, NULL, NULL, napi_enumerable, NULL },
      { "gate", NULL, js_gate, NULL, NULL, NULL, napi_enumerable, NULL },
      { "gateGrad", NULL, js_gate_grad, NULL, NULL, NULL, napi_enumerable, NULL },
      { "convInput", NULL, js_conv_input, NULL, NULL, NULL, napi_enumerable, NULL },
      { "convInputGrad", NULL, js_conv_input_grad, NULL, NULL, NULL, napi_enumerable, NULL },
      { "lastRows", NULL, js_last_rows, NULL, NULL, NULL, napi_enumerable, NULL },
      { "lastRowsGrad", NULL, js_last_rows_grad, NULL, NULL, NULL, napi_enumerable, NULL },
    };
    napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
  }
  return exports;
}
