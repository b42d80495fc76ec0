// AssemblyScript source of the training gradient kernels (WebAssembly SIMD, 128-bit only).
// Built by build-grad-kernels.mjs (next to this file) into grad-kernels.wasm.ts (base64).
//
// The module imports tfjs-backend-wasm's own memory ('env.memory') and works in place on tensor
// buffers that backend allocated: every pointer is a byte offset into that heap. So this module
// must own no memory at all: no globals in memory, no data segments, no allocation (the build
// checks there is no data section).
//
// Why: weight gradients are Xᵀ·dY over all B·T rows. tfjs-wasm either runs that transposed matMul
// through a naive loop, or (after an explicit transpose) through XNNPACK, which repacks the big
// right-hand operand on every call (~3 ms per MB): both cost more than the arithmetic.

/** Rows per block: two blocks of [NB, K] and [NB, M] stay cache-resident while every tile of C passes over them. */
const NB: i32 = 64;

/**
 * c[K, M] = aᵀ · b for row-major a [N, K], b [N, M] (c overwritten). Tiles of 4 rows × 8 columns of c
 * keep 8 accumulators in registers; rows of a and b are visited in blocks of NB so both stay in cache.
 */
export function matMulTA(a: usize, b: usize, c: usize, N: i32, K: i32, M: i32): void {
  memory.fill(c, 0, <usize>(K * M) << 2);
  const K4 = K & ~3;
  const M8 = M & ~7;
  const rowA = (<usize>K) << 2;
  const rowB = (<usize>M) << 2;
  for (let n0 = 0; n0 < N; n0 += NB) {
    const n1 = min(N, n0 + NB);
    for (let k = 0; k < K4; k += 4) {
      for (let m = 0; m < M8; m += 8) {
        const c0 = c + ((<usize>(k * M + m)) << 2);
        const c1 = c0 + rowB;
        const c2 = c1 + rowB;
        const c3 = c2 + rowB;
        let x0 = v128.load(c0), y0 = v128.load(c0, 16);
        let x1 = v128.load(c1), y1 = v128.load(c1, 16);
        let x2 = v128.load(c2), y2 = v128.load(c2, 16);
        let x3 = v128.load(c3), y3 = v128.load(c3, 16);
        let pa = a + ((<usize>(n0 * K + k)) << 2);
        let pb = b + ((<usize>(n0 * M + m)) << 2);
        for (let n = n0; n < n1; n++) {
          const b0 = v128.load(pb);
          const b1 = v128.load(pb, 16);
          let s = v128.load32_splat(pa);
          x0 = f32x4.add(x0, f32x4.mul(s, b0));
          y0 = f32x4.add(y0, f32x4.mul(s, b1));
          s = v128.load32_splat(pa, 4);
          x1 = f32x4.add(x1, f32x4.mul(s, b0));
          y1 = f32x4.add(y1, f32x4.mul(s, b1));
          s = v128.load32_splat(pa, 8);
          x2 = f32x4.add(x2, f32x4.mul(s, b0));
          y2 = f32x4.add(y2, f32x4.mul(s, b1));
          s = v128.load32_splat(pa, 12);
          x3 = f32x4.add(x3, f32x4.mul(s, b0));
          y3 = f32x4.add(y3, f32x4.mul(s, b1));
          pa += rowA;
          pb += rowB;
        }
        v128.store(c0, x0); v128.store(c0, y0, 16);
        v128.store(c1, x1); v128.store(c1, y1, 16);
        v128.store(c2, x2); v128.store(c2, y2, 16);
        v128.store(c3, x3); v128.store(c3, y3, 16);
      }
      // Columns past the last full 8-wide tile.
      for (let m = M8; m < M; m++) scalarCell(a, b, c, n0, n1, K, M, k, m, 4);
    }
    // Rows of c past the last full 4-row tile.
    for (let k = K4; k < K; k++) for (let m = 0; m < M; m++) scalarCell(a, b, c, n0, n1, K, M, k, m, 1);
  }
}

/** c[k..k+rows, m] += Σ_{n0 ≤ n < n1} a[n, k+i] · b[n, m], one cell at a time (edges only). */
function scalarCell(a: usize, b: usize, c: usize, n0: i32, n1: i32, K: i32, M: i32, k: i32, m: i32, rows: i32): void {
  for (let i = 0; i < rows; i++) {
    let acc: f32 = 0;
    for (let n = n0; n < n1; n++) acc += load<f32>(a + ((<usize>(n * K + k + i)) << 2)) * load<f32>(b + ((<usize>(n * M + m)) << 2));
    const p = c + ((<usize>((k + i) * M + m)) << 2);
    store<f32>(p, load<f32>(p) + acc);
  }
}

/** c[M] = column sums of row-major b [N, M] (c overwritten): the bias gradient. */
export function colSums(b: usize, c: usize, N: i32, M: i32): void {
  const M8 = M & ~7;
  const rowB = (<usize>M) << 2;
  for (let m = 0; m < M8; m += 8) {
    let x = f32x4.splat(0), y = f32x4.splat(0);
    let pb = b + ((<usize>m) << 2);
    for (let n = 0; n < N; n++) {
      x = f32x4.add(x, v128.load(pb));
      y = f32x4.add(y, v128.load(pb, 16));
      pb += rowB;
    }
    const pc = c + ((<usize>m) << 2);
    v128.store(pc, x);
    v128.store(pc, y, 16);
  }
  for (let m = M8; m < M; m++) {
    let acc: f32 = 0;
    for (let n = 0; n < N; n++) acc += load<f32>(b + ((<usize>(n * M + m)) << 2));
    store<f32>(c + ((<usize>m) << 2), acc);
  }
}

// ---------------------------------------------------------------- layer plumbing
// Row-major [B·T, C] activations, sequence-major rows. These replace chains of tfjs ops whose wasm
// kernels are JS loops over every row (strided Slice, Concat on axis 1) or extra passes over memory.

/** dst[0..n) = src[0..n) for n floats. */
function copyRow(dst: usize, src: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) v128.store(dst + ((<usize>i) << 2), v128.load(src + ((<usize>i) << 2)));
  for (; i < n; i++) store<f32>(dst + ((<usize>i) << 2), load<f32>(src + ((<usize>i) << 2)));
}

/** dst[0..n) = a[0..n) + b[0..n). */
function addRows(dst: usize, a: usize, b: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/** out [B·T, 2R] rows = [x[t − d] (zeros for t < d) | x[t]] within each of B sequences: the dilated conv's input. */
export function shiftConcat(x: usize, out: usize, B: i32, T: i32, R: i32, d: i32): void {
  const rb = (<usize>R) << 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = <usize>(b * T + t);
      const dst = out + row * (rb << 1);
      if (t >= d) copyRow(dst, x + (row - <usize>d) * rb, R);
      else memory.fill(dst, 0, rb);
      copyRow(dst + rb, x + row * rb, R);
    }
  }
}

/** Gradient of shiftConcat: dx[t] = g[t, R..2R) + g[t + d, 0..R) (second term only while t + d < T). */
export function shiftConcatGrad(g: usize, dx: usize, B: i32, T: i32, R: i32, d: i32): void {
  const rb = (<usize>R) << 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = <usize>(b * T + t);
      const src = g + row * (rb << 1);
      if (t + d < T) addRows(dx + row * rb, src + rb, g + (row + <usize>d) * (rb << 1), R);
      else copyRow(dx + row * rb, src + rb, R);
    }
  }
}

/** z [N, G] = (2·s[:, :G] − 1) · s[:, G:] for s = σ([2·h_filter | h_gate]) [N, 2G]: tanh(h_f)·σ(h_g). */
export function gate(s: usize, z: usize, N: i32, G: i32): void {
  const G4 = G & ~3;
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  const gb = (<usize>G) << 2;
  for (let n = 0; n < N; n++) {
    const sf = s + (<usize>n) * (gb << 1);
    const sg = sf + gb;
    const zr = z + (<usize>n) * gb;
    let j = 0;
    for (; j < G4; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(zr + o, f32x4.mul(f32x4.sub(f32x4.mul(two, v128.load(sf + o)), one), v128.load(sg + o)));
    }
    for (; j < G; j++) {
      const o = (<usize>j) << 2;
      store<f32>(zr + o, (2 * load<f32>(sf + o) - 1) * load<f32>(sg + o));
    }
  }
}

/**
 * Gradient of the gated unit w.r.t. the unscaled pre-activation h [N, 2G], from s (as in gate) and dz:
 * with t = 2σ_f − 1 = tanh(h_f), dh_f = dz·σ_g·(1 − t²), dh_g = dz·t·σ_g·(1 − σ_g).
 */
export function gateGrad(s: usize, dz: usize, dh: usize, N: i32, G: i32): void {
  const G4 = G & ~3;
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  const gb = (<usize>G) << 2;
  for (let n = 0; n < N; n++) {
    const sf = s + (<usize>n) * (gb << 1);
    const sg = sf + gb;
    const df = dh + (<usize>n) * (gb << 1);
    const dg = df + gb;
    const dzr = dz + (<usize>n) * gb;
    let j = 0;
    for (; j < G4; j += 4) {
      const o = (<usize>j) << 2;
      const t = f32x4.sub(f32x4.mul(two, v128.load(sf + o)), one);
      const g = v128.load(sg + o);
      const a = f32x4.mul(v128.load(dzr + o), g);
      v128.store(df + o, f32x4.mul(a, f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(dg + o, f32x4.mul(f32x4.mul(a, t), f32x4.sub(one, g)));
    }
    for (; j < G; j++) {
      const o = (<usize>j) << 2;
      const t: f32 = 2 * load<f32>(sf + o) - 1;
      const g = load<f32>(sg + o);
      const a = load<f32>(dzr + o) * g;
      store<f32>(df + o, a * (1 - t * t));
      store<f32>(dg + o, a * t * (1 - g));
    }
  }
}

// ---------------------------------------------------------------- forward-type products

/**
 * y[N, M] = (acc[N, M] when acc ≠ 0) + x[N, K] · w[K, M] (+ bias[M] when bias ≠ 0), all row-major
 * (acc may be y itself). The accumulate input folds a residual or skip sum into the product's pass. Tiles of 4 rows × 8 columns:
 * eight accumulators, the four x values of a k broadcast, w's k-th row segment loaded once per tile
 * row. w (at most a few tens of KB here) stays cache-resident; so do the 4 rows of x a tile reads.
 */
export function matMul(x: usize, w: usize, bias: usize, acc: usize, y: usize, N: i32, K: i32, M: i32): void {
  const N4 = N & ~3;
  const M8 = M & ~7;
  const rowX = (<usize>K) << 2;
  const rowW = (<usize>M) << 2;
  for (let n = 0; n < N4; n += 4) {
    const x0 = x + (<usize>n) * rowX;
    const y0 = y + (<usize>n) * rowW;
    for (let m = 0; m < M8; m += 8) {
      const mo = (<usize>m) << 2;
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0);
      if (bias) { b0 = v128.load(bias + mo); b1 = v128.load(bias + mo, 16); }
      let a0 = b0, c0 = b1, a1 = b0, c1 = b1, a2 = b0, c2 = b1, a3 = b0, c3 = b1;
      if (acc) {
        const pa = acc + (<usize>n) * rowW + mo;
        a0 = f32x4.add(a0, v128.load(pa)); c0 = f32x4.add(c0, v128.load(pa, 16));
        a1 = f32x4.add(a1, v128.load(pa + rowW)); c1 = f32x4.add(c1, v128.load(pa + rowW, 16));
        a2 = f32x4.add(a2, v128.load(pa + 2 * rowW)); c2 = f32x4.add(c2, v128.load(pa + 2 * rowW, 16));
        a3 = f32x4.add(a3, v128.load(pa + 3 * rowW)); c3 = f32x4.add(c3, v128.load(pa + 3 * rowW, 16));
      }
      let px = x0;
      let pw = w + mo;
      const end = x0 + rowX;
      for (; px < end; px += 4) {
        const w0 = v128.load(pw);
        const w1 = v128.load(pw, 16);
        let s = v128.load32_splat(px);
        a0 = f32x4.add(a0, f32x4.mul(s, w0));
        c0 = f32x4.add(c0, f32x4.mul(s, w1));
        s = v128.load32_splat(px + rowX);
        a1 = f32x4.add(a1, f32x4.mul(s, w0));
        c1 = f32x4.add(c1, f32x4.mul(s, w1));
        s = v128.load32_splat(px + 2 * rowX);
        a2 = f32x4.add(a2, f32x4.mul(s, w0));
        c2 = f32x4.add(c2, f32x4.mul(s, w1));
        s = v128.load32_splat(px + 3 * rowX);
        a3 = f32x4.add(a3, f32x4.mul(s, w0));
        c3 = f32x4.add(c3, f32x4.mul(s, w1));
        pw += rowW;
      }
      const py = y0 + mo;
      v128.store(py, a0); v128.store(py, c0, 16);
      v128.store(py + rowW, a1); v128.store(py + rowW, c1, 16);
      v128.store(py + 2 * rowW, a2); v128.store(py + 2 * rowW, c2, 16);
      v128.store(py + 3 * rowW, a3); v128.store(py + 3 * rowW, c3, 16);
    }
    for (let i = 0; i < 4; i++) for (let m = M8; m < M; m++) dotCell(x, w, bias, acc, y, n + i, m, K, M);
  }
  for (let n = N4; n < N; n++) for (let m = 0; m < M; m++) dotCell(x, w, bias, acc, y, n, m, K, M);
}

/** y[n, m] = acc[n, m] + bias[m] + Σ_k x[n, k] · w[k, m], one cell (edges only). */
function dotCell(x: usize, w: usize, bias: usize, acc: usize, y: usize, n: i32, m: i32, K: i32, M: i32): void {
  const o = (<usize>(n * M + m)) << 2;
  let sum: f32 = bias ? load<f32>(bias + ((<usize>m) << 2)) : 0;
  if (acc) sum += load<f32>(acc + o);
  for (let k = 0; k < K; k++) sum += load<f32>(x + ((<usize>(n * K + k)) << 2)) * load<f32>(w + ((<usize>(k * M + m)) << 2));
  store<f32>(y + o, sum);
}

// ---------------------------------------------------------------- trimmed ("valid") layers
// When only the last T rows of a window are scored, layer l needs its output only on the rows later
// layers read: each layer's conv reads d rows back, so the rows kept shrink by d per layer and no
// zero padding is ever read.

/**
 * out [B·(n−d), 2R+E] rows = [x[i] | x[i+d] | e[L−(n−d)+i]] within each of B sequences of n rows of x:
 * a valid dilated conv's input, with the pitch excitation e [B·L, E] (E may be 0) of the same output
 * rows appended so one product also applies its projection.
 */
export function convInput(x: usize, e: usize, out: usize, B: i32, n: i32, R: i32, d: i32, E: i32, L: i32): void {
  const m = n - d;
  const rb = (<usize>R) << 2;
  const eb = (<usize>E) << 2;
  const ob = (rb << 1) + eb;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < m; i++) {
      const dst = out + (<usize>(b * m + i)) * ob;
      const src = x + (<usize>(b * n + i)) * rb;
      copyRow(dst, src, R);
      copyRow(dst + rb, src + (<usize>d) * rb, R);
      if (E > 0) copyRow(dst + (rb << 1), e + (<usize>(b * L + L - m + i)) * eb, E);
    }
  }
}

/** Gradient of convInput w.r.t. x: dx[t] = g[t, 0..R) (t < n−d) + g[t−d, R..2R) (t ≥ d); the excitation columns get none. */
export function convInputGrad(g: usize, dx: usize, B: i32, n: i32, R: i32, d: i32, E: i32): void {
  const m = n - d;
  const rb = (<usize>R) << 2;
  const gb = (rb << 1) + ((<usize>E) << 2);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < n; t++) {
      const dst = dx + (<usize>(b * n + t)) * rb;
      const past = t < m;
      const now = t >= d;
      const gp = g + (<usize>(b * m + t)) * gb;
      const gn = g + (<usize>(b * m + t - d)) * gb + rb;
      if (past && now) addRows(dst, gp, gn, R);
      else if (past) copyRow(dst, gp, R);
      else if (now) copyRow(dst, gn, R);
      else memory.fill(dst, 0, rb);
    }
  }
}

/** out [B·keep, C] = the last `keep` of each sequence's n rows of x [B·n, C]. */
export function lastRows(x: usize, out: usize, B: i32, n: i32, keep: i32, C: i32): void {
  const rb = (<usize>C) << 2;
  for (let b = 0; b < B; b++) memory.copy(out + (<usize>(b * keep)) * rb, x + (<usize>(b * n + n - keep)) * rb, (<usize>keep) * rb);
}

/** Gradient of lastRows: dx [B·n, C] is g's rows in the last `keep` places of each sequence, zeros before. */
export function lastRowsGrad(g: usize, dx: usize, B: i32, n: i32, keep: i32, C: i32): void {
  const rb = (<usize>C) << 2;
  for (let b = 0; b < B; b++) {
    const dst = dx + (<usize>(b * n)) * rb;
    memory.fill(dst, 0, (<usize>(n - keep)) * rb);
    memory.copy(dst + (<usize>(n - keep)) * rb, g + (<usize>(b * keep)) * rb, (<usize>keep) * rb);
  }
}
