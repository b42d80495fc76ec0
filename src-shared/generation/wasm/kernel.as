// AssemblyScript source of the generation kernel (WebAssembly SIMD, 128-bit only).
// Built by scripts/build-wasm.mjs into kernel.wasm.ts (base64), so no loader needs fs.
// Kept as .as so the project's TypeScript program does not type-check AssemblyScript builtins;
// the build script copies it to a temporary .ts file for asc.
//
// All pointers are byte offsets into the instance's own memory, laid out by engineWasm.ts.
// Matrices are packed in panels of 8 output columns: panel p holds W[k][8p..8p+8] for k = 0..K-1
// contiguously (K * 32 bytes), so the inner loops read weights as one linear stream.
// Matrices may instead be bf16 panels (gemmBf16 below), half the bytes per step.
// Only baseline SIMD is used (no relaxed-simd FMA): Node 20's V8 does not enable it by default.

// ---------------------------------------------------------------- matrix kernels
// y[b][0..N) = (accumulate ? y[b] : 0) + (bias ? bias : 0) + x[b][0..K) @ W, for b < n.

function initAcc(y: usize, bias: usize, accumulate: i32, off: usize): v128 {
  let a = f32x4.splat(0);
  if (accumulate) a = v128.load(y + off);
  if (bias) a = f32x4.add(a, v128.load(bias + off));
  return a;
}

/** One take, four panels (32 columns) at once: eight independent accumulator chains. */
function k1p4(x: usize, w: usize, panelBytes: usize, K: i32, y: usize, bias: usize, accumulate: i32): void {
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  let a2 = initAcc(y, bias, accumulate, 32), a3 = initAcc(y, bias, accumulate, 48);
  let a4 = initAcc(y, bias, accumulate, 64), a5 = initAcc(y, bias, accumulate, 80);
  let a6 = initAcc(y, bias, accumulate, 96), a7 = initAcc(y, bias, accumulate, 112);
  let w0 = w, w1 = w + panelBytes, w2 = w + 2 * panelBytes, w3 = w + 3 * panelBytes;
  const end = x + ((<usize>K) << 2);
  for (let p = x; p < end; p += 4) {
    const s = v128.load32_splat(p);
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(w0)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(w0, 16)));
    a2 = f32x4.add(a2, f32x4.mul(s, v128.load(w1)));
    a3 = f32x4.add(a3, f32x4.mul(s, v128.load(w1, 16)));
    a4 = f32x4.add(a4, f32x4.mul(s, v128.load(w2)));
    a5 = f32x4.add(a5, f32x4.mul(s, v128.load(w2, 16)));
    a6 = f32x4.add(a6, f32x4.mul(s, v128.load(w3)));
    a7 = f32x4.add(a7, f32x4.mul(s, v128.load(w3, 16)));
    w0 += 32; w1 += 32; w2 += 32; w3 += 32;
  }
  v128.store(y, a0); v128.store(y, a1, 16); v128.store(y, a2, 32); v128.store(y, a3, 48);
  v128.store(y, a4, 64); v128.store(y, a5, 80); v128.store(y, a6, 96); v128.store(y, a7, 112);
}

/**
 * One take, one panel (8 columns), for widths that are not a multiple of 32. Every kernel sums over k
 * in the same order from the same start, so a take's numbers do not depend on how takes are grouped.
 */
function k1p1(x: usize, w: usize, K: i32, y: usize, bias: usize, accumulate: i32): void {
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  const end = x + ((<usize>K) << 2);
  for (; x < end; x += 4) {
    const s = v128.load32_splat(x);
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(w)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(w, 16)));
    w += 32;
  }
  v128.store(y, a0);
  v128.store(y, a1, 16);
}

/** Four takes, one panel: each weight vector loaded once is used by all four takes. */
function k4p1(x: usize, xStride: usize, w: usize, K: i32, y: usize, yStride: usize, bias: usize, accumulate: i32): void {
  const y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  let c0 = initAcc(y1, bias, accumulate, 0), c1 = initAcc(y1, bias, accumulate, 16);
  let d0 = initAcc(y2, bias, accumulate, 0), d1 = initAcc(y2, bias, accumulate, 16);
  let e0 = initAcc(y3, bias, accumulate, 0), e1 = initAcc(y3, bias, accumulate, 16);
  // One moving pointer plus loop-invariant offsets: V8 keeps this loop tighter than four moving pointers.
  const x2 = xStride << 1, x3 = x2 + xStride;
  const end = x + ((<usize>K) << 2);
  for (; x < end; x += 4) {
    const s0 = v128.load32_splat(x), s1 = v128.load32_splat(x + xStride);
    const s2 = v128.load32_splat(x + x2), s3 = v128.load32_splat(x + x3);
    a0 = f32x4.add(a0, f32x4.mul(s0, v128.load(w)));
    c0 = f32x4.add(c0, f32x4.mul(s1, v128.load(w)));
    d0 = f32x4.add(d0, f32x4.mul(s2, v128.load(w)));
    e0 = f32x4.add(e0, f32x4.mul(s3, v128.load(w)));
    a1 = f32x4.add(a1, f32x4.mul(s0, v128.load(w, 16)));
    c1 = f32x4.add(c1, f32x4.mul(s1, v128.load(w, 16)));
    d1 = f32x4.add(d1, f32x4.mul(s2, v128.load(w, 16)));
    e1 = f32x4.add(e1, f32x4.mul(s3, v128.load(w, 16)));
    w += 32;
  }
  v128.store(y, a0); v128.store(y, a1, 16);
  v128.store(y1, c0); v128.store(y1, c1, 16);
  v128.store(y2, d0); v128.store(y2, d1, 16);
  v128.store(y3, e0); v128.store(y3, e1, 16);
}

/** y[b] (+)= x[b] @ W (+ bias) for n takes; strides in floats; N a multiple of 8. */
export function gemm(x: usize, xStride: i32, n: i32, w: usize, K: i32, N: i32, y: usize, yStride: i32, bias: usize, accumulate: i32): void {
  const panels = N >> 3;
  const panelBytes = (<usize>K) << 5;
  const xs = (<usize>xStride) << 2, ys = (<usize>yStride) << 2;
  if (n < 4) {
    // Few takes: each on its own, four panels per pass (eight independent accumulator chains).
    for (let b = 0; b < n; b++) {
      const xb = x + (<usize>b) * xs, yb = y + (<usize>b) * ys;
      let p = 0;
      for (; p + 3 < panels; p += 4) {
        k1p4(xb, w + (<usize>p) * panelBytes, panelBytes, K, yb + ((<usize>p) << 5), bias ? bias + ((<usize>p) << 5) : 0, accumulate);
      }
      for (; p < panels; p++) k1p1(xb, w + (<usize>p) * panelBytes, K, yb + ((<usize>p) << 5), bias ? bias + ((<usize>p) << 5) : 0, accumulate);
    }
    return;
  }
  // Groups of four takes share every weight load. Panel-outer, so a panel (K x 32 bytes) stays in L1
  // while every group uses it and the matrix is streamed from L2/L3 once per call, not once per group.
  const groups = n >> 2;
  for (let p = 0; p < panels; p++) {
    const wp = w + (<usize>p) * panelBytes, yp = y + ((<usize>p) << 5), bp = bias ? bias + ((<usize>p) << 5) : 0;
    for (let g = 0; g < groups; g++) {
      k4p1(x + (<usize>(g << 2)) * xs, xs, wp, K, yp + (<usize>(g << 2)) * ys, ys, bp, accumulate);
    }
    for (let b = groups << 2; b < n; b++) k1p1(x + (<usize>b) * xs, wp, K, yp + (<usize>b) * ys, bp, accumulate);
  }
}

// ---------------------------------------------------------------- bf16 matrix kernels
// The same products with weights stored as bfloat16 (the top 16 bits of an f32) and f32 arithmetic:
// half the bytes streamed per step. A panel holds K rows of 16 bytes; 32-bit word j (j < 4) of a row
// is bf16(W[k][8p + j]) in its low half and bf16(W[k][8p + 4 + j]) in its high half, so one load
// decodes exactly into columns 0..3 (shift left 16) and 4..7 (mask the low half off): two integer
// ops per 8 weights, no rounding. Sums run over k in the same order as the f32 kernels, so a take's
// numbers still do not depend on how takes are grouped.

/** Columns 0..3 of a bf16 panel row. */
@inline function lo(v: v128): v128 {
  return i32x4.shl(v, 16);
}

/** Columns 4..7 of a bf16 panel row. */
@inline function hi(v: v128, mask: v128): v128 {
  return v128.and(v, mask);
}

/** k1p4 over a bf16 panel set. */
function h1p4(x: usize, w: usize, panelBytes: usize, K: i32, y: usize, bias: usize, accumulate: i32): void {
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  let a2 = initAcc(y, bias, accumulate, 32), a3 = initAcc(y, bias, accumulate, 48);
  let a4 = initAcc(y, bias, accumulate, 64), a5 = initAcc(y, bias, accumulate, 80);
  let a6 = initAcc(y, bias, accumulate, 96), a7 = initAcc(y, bias, accumulate, 112);
  const mask = i32x4.splat(0xffff0000);
  let w0 = w, w1 = w + panelBytes, w2 = w + 2 * panelBytes, w3 = w + 3 * panelBytes;
  const end = x + ((<usize>K) << 2);
  for (let p = x; p < end; p += 4) {
    const s = v128.load32_splat(p);
    const v0 = v128.load(w0), v1 = v128.load(w1), v2 = v128.load(w2), v3 = v128.load(w3);
    a0 = f32x4.add(a0, f32x4.mul(s, lo(v0)));
    a1 = f32x4.add(a1, f32x4.mul(s, hi(v0, mask)));
    a2 = f32x4.add(a2, f32x4.mul(s, lo(v1)));
    a3 = f32x4.add(a3, f32x4.mul(s, hi(v1, mask)));
    a4 = f32x4.add(a4, f32x4.mul(s, lo(v2)));
    a5 = f32x4.add(a5, f32x4.mul(s, hi(v2, mask)));
    a6 = f32x4.add(a6, f32x4.mul(s, lo(v3)));
    a7 = f32x4.add(a7, f32x4.mul(s, hi(v3, mask)));
    w0 += 16; w1 += 16; w2 += 16; w3 += 16;
  }
  v128.store(y, a0); v128.store(y, a1, 16); v128.store(y, a2, 32); v128.store(y, a3, 48);
  v128.store(y, a4, 64); v128.store(y, a5, 80); v128.store(y, a6, 96); v128.store(y, a7, 112);
}

/** k1p1 over a bf16 panel. */
function h1p1(x: usize, w: usize, K: i32, y: usize, bias: usize, accumulate: i32): void {
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  const mask = i32x4.splat(0xffff0000);
  const end = x + ((<usize>K) << 2);
  for (; x < end; x += 4) {
    const s = v128.load32_splat(x);
    const v = v128.load(w);
    a0 = f32x4.add(a0, f32x4.mul(s, lo(v)));
    a1 = f32x4.add(a1, f32x4.mul(s, hi(v, mask)));
    w += 16;
  }
  v128.store(y, a0);
  v128.store(y, a1, 16);
}

/** k4p1 over a bf16 panel: each row is decoded once for all four takes. */
function h4p1(x: usize, xStride: usize, w: usize, K: i32, y: usize, yStride: usize, bias: usize, accumulate: i32): void {
  const y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
  let a0 = initAcc(y, bias, accumulate, 0), a1 = initAcc(y, bias, accumulate, 16);
  let c0 = initAcc(y1, bias, accumulate, 0), c1 = initAcc(y1, bias, accumulate, 16);
  let d0 = initAcc(y2, bias, accumulate, 0), d1 = initAcc(y2, bias, accumulate, 16);
  let e0 = initAcc(y3, bias, accumulate, 0), e1 = initAcc(y3, bias, accumulate, 16);
  const mask = i32x4.splat(0xffff0000);
  const x2 = xStride << 1, x3 = x2 + xStride;
  const end = x + ((<usize>K) << 2);
  for (; x < end; x += 4) {
    const s0 = v128.load32_splat(x), s1 = v128.load32_splat(x + xStride);
    const s2 = v128.load32_splat(x + x2), s3 = v128.load32_splat(x + x3);
    const v = v128.load(w);
    const w0 = lo(v), w1 = hi(v, mask);
    a0 = f32x4.add(a0, f32x4.mul(s0, w0));
    c0 = f32x4.add(c0, f32x4.mul(s1, w0));
    d0 = f32x4.add(d0, f32x4.mul(s2, w0));
    e0 = f32x4.add(e0, f32x4.mul(s3, w0));
    a1 = f32x4.add(a1, f32x4.mul(s0, w1));
    c1 = f32x4.add(c1, f32x4.mul(s1, w1));
    d1 = f32x4.add(d1, f32x4.mul(s2, w1));
    e1 = f32x4.add(e1, f32x4.mul(s3, w1));
    w += 16;
  }
  v128.store(y, a0); v128.store(y, a1, 16);
  v128.store(y1, c0); v128.store(y1, c1, 16);
  v128.store(y2, d0); v128.store(y2, d1, 16);
  v128.store(y3, e0); v128.store(y3, e1, 16);
}

/** gemm with W in bf16 panels (K * 16 bytes each); same contract otherwise. */
export function gemmBf16(x: usize, xStride: i32, n: i32, w: usize, K: i32, N: i32, y: usize, yStride: i32, bias: usize, accumulate: i32): void {
  const panels = N >> 3;
  const panelBytes = (<usize>K) << 4;
  const xs = (<usize>xStride) << 2, ys = (<usize>yStride) << 2;
  if (n < 4) {
    for (let b = 0; b < n; b++) {
      const xb = x + (<usize>b) * xs, yb = y + (<usize>b) * ys;
      let p = 0;
      for (; p + 3 < panels; p += 4) {
        h1p4(xb, w + (<usize>p) * panelBytes, panelBytes, K, yb + ((<usize>p) << 5), bias ? bias + ((<usize>p) << 5) : 0, accumulate);
      }
      for (; p < panels; p++) h1p1(xb, w + (<usize>p) * panelBytes, K, yb + ((<usize>p) << 5), bias ? bias + ((<usize>p) << 5) : 0, accumulate);
    }
    return;
  }
  const groups = n >> 2;
  for (let p = 0; p < panels; p++) {
    const wp = w + (<usize>p) * panelBytes, yp = y + ((<usize>p) << 5), bp = bias ? bias + ((<usize>p) << 5) : 0;
    for (let g = 0; g < groups; g++) {
      h4p1(x + (<usize>(g << 2)) * xs, xs, wp, K, yp + (<usize>(g << 2)) * ys, ys, bp, accumulate);
    }
    for (let b = groups << 2; b < n; b++) h1p1(x + (<usize>b) * xs, wp, K, yp + (<usize>b) * ys, bp, accumulate);
  }
}

// ---------------------------------------------------------------- int16 matrix kernels
// x @ W as exact integer sums: i32x4.dot_i16x8_s does eight multiply-adds in one instruction where
// f32 needs a mul and an add per four, so a step runs half the instructions.
// W is stored as int16 with one f32 scale per column; each take's input row is quantized to int16 with
// its own scale on the fly (|q| <= XM), and the i32 sums are scaled back to f32 once per output.
// The packer bounds every column's sum of |W_q| by I32_MAX / XM, so no sum can overflow, and integer
// sums do not depend on order: a take's numbers do not depend on how takes are grouped.
//
// Matrix block: [N f32 column scales][panel pairs]. A panel (8 columns) row pair k = 2i, 2i + 1 is
// 32 bytes: columns 0..3 then 4..7, each as the int16 pair (W[2i][c], W[2i+1][c]). Panels 2g and
// 2g + 1 are interleaved row pair by row pair (64 bytes per row pair), so the batch-1 kernel walks
// 16 columns with one pointer; an odd last panel stands alone (32 bytes per row pair).

const XM: f32 = 8191; // activation range: 13 bits and a sign (the packer's bound assumes this value)

/** Quantizes K floats at x (K a multiple of 8) to int16 at q with |q| <= XM; returns the scale back (0 for a zero row). */
function quantizeRow(x: usize, K: i32, q: usize): f32 {
  const bytes = (<usize>K) << 2;
  let mv = f32x4.splat(0);
  // |x| as i32 lanes: for non-negative floats integer order is float order, and NaN and Infinity come
  // above every finite value, so one i32x4.max_s does what f32x4.max (about seven instructions in V8) did.
  for (let i: usize = 0; i < bytes; i += 16) mv = i32x4.max_s(mv, f32x4.abs(v128.load(x + i)));
  const m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  if (!(m > 0) || m == Infinity) {
    // All zero (or not finite): the row contributes nothing.
    for (let j: usize = 0; j < bytes >> 1; j += 16) v128.store(q + j, i32x4.splat(0));
    return 0;
  }
  const inv = f32x4.splat(XM / m);
  const round = cst(ROUND); // as i32 lanes, its bits (0x4b400000) are what the subtraction takes off
  for (let i: usize = 0, j: usize = 0; i < bytes; i += 32, j += 16) {
    // |x * inv| <= XM: rounding by adding ROUND leaves nearest(x * inv) + 2^22 in the low bits, and
    // subtracting ROUND's bits leaves the integer (as trunc_sat(nearest(.)) gives, in two instructions).
    const a = i32x4.sub(f32x4.add(f32x4.mul(v128.load(x + i), inv), round), round);
    const b = i32x4.sub(f32x4.add(f32x4.mul(v128.load(x + i, 16), inv), round), round);
    v128.store(q + j, i16x8.narrow_i32x4_s(a, b));
  }
  return m / XM;
}

/** init + f32(acc) * (columnScale * rowScale): the one scale-out every int16 kernel uses. */
@inline function scaleOut(acc: v128, cs: usize, sx: v128, init: v128): v128 {
  return f32x4.add(init, f32x4.mul(f32x4.convert_i32x4_s(acc), f32x4.mul(v128.load(cs), sx)));
}

/**
 * One take, one panel pair (16 columns), two row pairs per pass: four i32 accumulators, one pointer.
 * (Eight accumulators, as k1p4 has, make TurboFan hoist every load and spill inside the loop.)
 */
function q1p2(q: usize, sxs: f32, w: usize, K: i32, cs: usize, y: usize, bias: usize, accumulate: i32): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  const end = q + ((<usize>K) << 1);
  for (; q < end; q += 8) {
    const s = v128.load32_splat(q), t = v128.load32_splat(q, 4);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(s, v128.load(w)));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(s, v128.load(w, 16)));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(s, v128.load(w, 32)));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(s, v128.load(w, 48)));
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(t, v128.load(w, 64)));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(t, v128.load(w, 80)));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(t, v128.load(w, 96)));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(t, v128.load(w, 112)));
    w += 128;
  }
  const sx = f32x4.splat(sxs);
  v128.store(y, scaleOut(a0, cs, sx, initAcc(y, bias, accumulate, 0)));
  v128.store(y, scaleOut(a1, cs + 16, sx, initAcc(y, bias, accumulate, 16)), 16);
  v128.store(y, scaleOut(a2, cs + 32, sx, initAcc(y, bias, accumulate, 32)), 32);
  v128.store(y, scaleOut(a3, cs + 48, sx, initAcc(y, bias, accumulate, 48)), 48);
}

/** One take, one panel (8 columns) whose row pairs are `rowBytes` apart (64 inside a pair, 32 alone). */
function q1p1(q: usize, sxs: f32, w: usize, rowBytes: usize, K: i32, cs: usize, y: usize, bias: usize, accumulate: i32): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0);
  const end = q + ((<usize>K) << 1);
  for (; q < end; q += 4) {
    const s = v128.load32_splat(q);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(s, v128.load(w)));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(s, v128.load(w, 16)));
    w += rowBytes;
  }
  const sx = f32x4.splat(sxs);
  v128.store(y, scaleOut(a0, cs, sx, initAcc(y, bias, accumulate, 0)));
  v128.store(y, scaleOut(a1, cs + 16, sx, initAcc(y, bias, accumulate, 16)), 16);
}

/** Four takes, one panel: each weight vector loaded once is used by all four takes. */
function q4p1(q: usize, qStride: usize, sx: usize, w: usize, rowBytes: usize, K: i32, cs: usize, y: usize, yStride: usize, bias: usize, accumulate: i32): void {
  const y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), c0 = i32x4.splat(0), c1 = i32x4.splat(0);
  let d0 = i32x4.splat(0), d1 = i32x4.splat(0), e0 = i32x4.splat(0), e1 = i32x4.splat(0);
  const q2 = qStride << 1, q3 = q2 + qStride;
  const end = q + ((<usize>K) << 1);
  for (; q < end; q += 4) {
    const s0 = v128.load32_splat(q), s1 = v128.load32_splat(q + qStride);
    const s2 = v128.load32_splat(q + q2), s3 = v128.load32_splat(q + q3);
    const v0 = v128.load(w), v1 = v128.load(w, 16);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(s0, v0));
    c0 = i32x4.add(c0, i32x4.dot_i16x8_s(s1, v0));
    d0 = i32x4.add(d0, i32x4.dot_i16x8_s(s2, v0));
    e0 = i32x4.add(e0, i32x4.dot_i16x8_s(s3, v0));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(s0, v1));
    c1 = i32x4.add(c1, i32x4.dot_i16x8_s(s1, v1));
    d1 = i32x4.add(d1, i32x4.dot_i16x8_s(s2, v1));
    e1 = i32x4.add(e1, i32x4.dot_i16x8_s(s3, v1));
    w += rowBytes;
  }
  const t0 = f32x4.splat(load<f32>(sx)), t1 = f32x4.splat(load<f32>(sx, 4));
  const t2 = f32x4.splat(load<f32>(sx, 8)), t3 = f32x4.splat(load<f32>(sx, 12));
  v128.store(y, scaleOut(a0, cs, t0, initAcc(y, bias, accumulate, 0)));
  v128.store(y, scaleOut(a1, cs + 16, t0, initAcc(y, bias, accumulate, 16)), 16);
  v128.store(y1, scaleOut(c0, cs, t1, initAcc(y1, bias, accumulate, 0)));
  v128.store(y1, scaleOut(c1, cs + 16, t1, initAcc(y1, bias, accumulate, 16)), 16);
  v128.store(y2, scaleOut(d0, cs, t2, initAcc(y2, bias, accumulate, 0)));
  v128.store(y2, scaleOut(d1, cs + 16, t2, initAcc(y2, bias, accumulate, 16)), 16);
  v128.store(y3, scaleOut(e0, cs, t3, initAcc(y3, bias, accumulate, 0)));
  v128.store(y3, scaleOut(e1, cs + 16, t3, initAcc(y3, bias, accumulate, 16)), 16);
}

/**
 * gemm with W as an int16 matrix block (see above). `q` is scratch for n * K int16 (the quantized
 * rows) and `sx` for n f32 (their scales).
 */
export function gemmI16(x: usize, xStride: i32, n: i32, w: usize, K: i32, N: i32, y: usize, yStride: i32, bias: usize, accumulate: i32, q: usize, sx: usize): void {
  const panels = N >> 3;
  const pairBytes = (<usize>K) << 5; // two panels: K/2 row pairs x 64 bytes
  const xs = (<usize>xStride) << 2, ys = (<usize>yStride) << 2, qs = (<usize>K) << 1;
  const cs = w, wp0 = w + ((<usize>N) << 2);
  for (let b = 0; b < n; b++) store<f32>(sx + ((<usize>b) << 2), quantizeRow(x + (<usize>b) * xs, K, q + (<usize>b) * qs));
  const last = panels - 1;
  if (n < 4) {
    for (let b = 0; b < n; b++) {
      const qb = q + (<usize>b) * qs, yb = y + (<usize>b) * ys, sb = load<f32>(sx + ((<usize>b) << 2));
      let p = 0;
      for (; p < last; p += 2) {
        const off = (<usize>p) << 5;
        q1p2(qb, sb, wp0 + (<usize>(p >> 1)) * pairBytes, K, cs + off, yb + off, bias ? bias + off : 0, accumulate);
      }
      if (p == last) {
        const off = (<usize>p) << 5;
        q1p1(qb, sb, wp0 + (<usize>(p >> 1)) * pairBytes, 32, K, cs + off, yb + off, bias ? bias + off : 0, accumulate);
      }
    }
    return;
  }
  // Panel-outer, as in gemm: a panel stays in L1 while every group of four takes uses it.
  const groups = n >> 2;
  for (let p = 0; p < panels; p++) {
    const off = (<usize>p) << 5;
    const paired = p < last || (panels & 1) == 0;
    const wp = wp0 + (<usize>(p >> 1)) * pairBytes + (paired && (p & 1) ? 32 : 0);
    const rowBytes: usize = paired ? 64 : 32;
    const yp = y + off, bp = bias ? bias + off : 0;
    for (let g = 0; g < groups; g++) {
      const b = g << 2;
      q4p1(q + (<usize>b) * qs, qs, sx + ((<usize>b) << 2), wp, rowBytes, K, cs + off, yp + (<usize>b) * ys, ys, bp, accumulate);
    }
    for (let b = groups << 2; b < n; b++) q1p1(q + (<usize>b) * qs, load<f32>(sx + ((<usize>b) << 2)), wp, rowBytes, K, cs + off, yp + (<usize>b) * ys, bp, accumulate);
  }
}

/** The step's matrix product in the plan's precision: 0 f32 panels, 1 bf16 panels, 2 int16 blocks. */
@inline function mm(prec: i32, x: usize, xStride: i32, n: i32, w: usize, K: i32, N: i32, y: usize, yStride: i32, bias: usize, accumulate: i32, q: usize, sx: usize): void {
  if (prec == 2) gemmI16(x, xStride, n, w, K, N, y, yStride, bias, accumulate, q, sx);
  else if (prec == 1) gemmBf16(x, xStride, n, w, K, N, y, yStride, bias, accumulate);
  else gemm(x, xStride, n, w, K, N, y, yStride, bias, accumulate);
}

// ---------------------------------------------------------------- nonlinearities
// exp(x) by Cody-Waite range reduction and a degree-6 polynomial (Cephes expf coefficients):
// relative error about 2e-7 over the clamped range, far inside the engine's 1e-4 budget.
//
// Constants are scalars in static data, broadcast by one load32_splat each: V8 (TurboFan, x64) builds a
// v128.const from immediates in three or four instructions at every use inside a loop.
// ROUND (1.5 * 2^23) rounds by addition: for |v| < 2^22, v + ROUND is the f32 whose low mantissa bits are
// nearest(v) (ties to even, as f32x4.nearest) offset by 2^22, so nearest(v) = (v + ROUND) - ROUND exactly
// and the integer's low bits are there for the taking, with no i32x4.trunc_sat (about seven instructions).

const C: usize = memory.data<f32>([
  -87.0, 88.0, 1.44269504088896341, 0.693359375, -2.12194440e-4, // byte 0, 4: clamp; 8: log2(e); 12, 16: ln(2) hi, lo
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // 20..40: the polynomial
  1.0, 12582912.0, 127.0, // 44: one, 48: ROUND, 52: the exponent bias
  -40.0, 40.0, // 56, 60: the gate's clamp
], 16);

// Byte offsets into C.
const EXP_LO: usize = 0, EXP_HI: usize = 4, LOG2E: usize = 8, LN2_HI: usize = 12, LN2_LO: usize = 16;
const P0: usize = 20, P1: usize = 24, P2: usize = 28, P3: usize = 32, P4: usize = 36, P5: usize = 40;
const ONE: usize = 44, ROUND: usize = 48, BIAS: usize = 52, GATE_LO: usize = 56, GATE_HI: usize = 60;

/** The constant at byte `off` of C in every lane. */
@inline function cst(off: usize): v128 {
  return v128.load32_splat(C + off);
}

/**
 * x clamped to [lo, hi] with pmin/pmax (one minps/maxps each; f32x4.min/max cost about seven in V8 for
 * their NaN and signed-zero rules). A NaN x stays NaN, as with min/max.
 */
@inline function clamp(x: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, lo), hi);
}

/** exp(x) with x clamped to [-87, 88] (inlined: a call would spill every live vector, V8's wasm ABI saves none). */
@inline function exp4(x: v128): v128 {
  return expIn(clamp(x, cst(EXP_LO), cst(EXP_HI)));
}

/** exp(x) for x in [-87, 88] (no clamp). */
@inline function expIn(x: v128): v128 {
  // m = nearest(x * log2(e)) + ROUND; n = nearest(x * log2(e)), exact.
  const m = f32x4.add(f32x4.mul(x, cst(LOG2E)), cst(ROUND));
  const n = f32x4.sub(m, cst(ROUND));
  let r = f32x4.sub(x, f32x4.mul(n, cst(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, cst(LN2_LO)));
  let p = cst(P0);
  p = f32x4.add(f32x4.mul(p, r), cst(P1));
  p = f32x4.add(f32x4.mul(p, r), cst(P2));
  p = f32x4.add(f32x4.mul(p, r), cst(P3));
  p = f32x4.add(f32x4.mul(p, r), cst(P4));
  p = f32x4.add(f32x4.mul(p, r), cst(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), cst(ONE));
  // 2^n: the low bits of m + 127 (n + 127 in 1..254) shifted into the exponent field; the rest shifts out.
  const scale = i32x4.shl(f32x4.add(m, cst(BIAS)), 23);
  return f32x4.mul(p, scale);
}

/** z[b][g] = tanh(h[b][g]) * sigmoid(h[b][G + g]) for n takes; h stride 2G, z stride G; G a multiple of 4. */
export function gate(h: usize, n: i32, G: i32, z: usize): void {
  const gBytes = (<usize>G) << 2;
  for (let b = 0; b < n; b++) {
    const hb = h + (<usize>b) * (gBytes << 1), zb = z + (<usize>b) * gBytes;
    for (let g: usize = 0; g < gBytes; g += 16) {
      const f = v128.load(hb + g), s = v128.load(hb + gBytes + g);
      // tanh(f) * sigmoid(s) = (a - 1) / ((a + 1)(1 + e)) with a = exp(2f), e = exp(-s): one division.
      // Both exponents are clamped to [-40, 40], where tanh and sigmoid are already 1 (or within
      // 5e-18 of 0) in f32, so the product of the denominators stays finite (< 6e34).
      const a = expIn(clamp(f32x4.add(f, f), cst(GATE_LO), cst(GATE_HI)));
      const e = expIn(clamp(f32x4.neg(s), cst(GATE_LO), cst(GATE_HI)));
      const one = cst(ONE);
      v128.store(zb + g, f32x4.div(f32x4.sub(a, one), f32x4.mul(f32x4.add(a, one), f32x4.add(one, e))));
    }
  }
}

/** dst[i] = max(src[i], 0) for `count` floats (a multiple of 4). */
export function relu(src: usize, dst: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let i: usize = 0; i < (<usize>count) << 2; i += 16) v128.store(dst + i, f32x4.pmax(v128.load(src + i), zero)); // x < 0 ? 0 : x, one maxps
}

/** Copies `count` floats (a multiple of 4). */
function copy(src: usize, dst: usize, count: i32): void {
  for (let i: usize = 0; i < (<usize>count) << 2; i += 16) v128.store(dst + i, v128.load(src + i));
}

/** h += Σ_e e_vals[e] · w[e] for E rows w of `count` floats (a multiple of 4): the pitch excitation's share of a layer's input. */
function excite(eVals: usize, E: i32, w: usize, h: usize, count: i32): void {
  const row = (<usize>count) << 2;
  for (let e = 0; e < E; e++) {
    const s = f32x4.splat(load<f32>(eVals + ((<usize>e) << 2)));
    const we = w + (<usize>e) * row;
    for (let i: usize = 0; i < row; i += 16) v128.store(h + i, f32x4.add(v128.load(h + i), f32x4.mul(s, v128.load(we + i))));
  }
}

/** dst = a + b for `count` floats (a multiple of 4). */
function add3(a: usize, b: usize, dst: usize, count: i32): void {
  for (let i: usize = 0; i < (<usize>count) << 2; i += 16) v128.store(dst + i, f32x4.add(v128.load(a + i), v128.load(b + i)));
}

// ---------------------------------------------------------------- one generation step
// The plan (i32 words, written once by engineWasm.ts) names every buffer; see PLAN_* there.
// Header words: 0 layers, 1 Rp, 2 Gp, 3 Sp, 4 Qp, 5 emb, 6 tabNow, 7 tabPast, 8 out1W, 9 out1B,
// 10 out2W, 11 out2B, 12 xs, 13 cat, 14 h, 15 z, 16 a, 17 a2, 18 logits, 19 classes, 20 prev,
// 21 labels, 22 biasStride (floats per label, = Dp), 23 precision (0 f32, 1 bf16, 2 int16),
// 24 qbuf (n * max K int16), 25 qscale (n f32), 26 exc (n * E f32: each take's pitch excitation),
// 27 E (excitation channels, 0 = none); layer l's 7 words start at 32 + 7 l:
// dilation, queue, convW, biasCond, resSkipW, resSkipB, excW ([E][Dp] f32).

/** Feeds classes[b] (the sample at time t) to every take and writes logits for t + 1. */
export function step(plan: usize, n: i32, t: i32): void {
  const L = load<i32>(plan, 0), Rp = load<i32>(plan, 4), Gp = load<i32>(plan, 8), Sp = load<i32>(plan, 12), Qp = load<i32>(plan, 16);
  const emb = <usize>load<i32>(plan, 20), tabNow = <usize>load<i32>(plan, 24), tabPast = <usize>load<i32>(plan, 28);
  const out1W = <usize>load<i32>(plan, 32), out1B = <usize>load<i32>(plan, 36);
  const out2W = <usize>load<i32>(plan, 40), out2B = <usize>load<i32>(plan, 44);
  const xs = <usize>load<i32>(plan, 48), cat = <usize>load<i32>(plan, 52), h = <usize>load<i32>(plan, 56);
  const z = <usize>load<i32>(plan, 60), a = <usize>load<i32>(plan, 64), a2 = <usize>load<i32>(plan, 68);
  const logits = <usize>load<i32>(plan, 72), classes = <usize>load<i32>(plan, 76), prev = <usize>load<i32>(plan, 80);
  const labels = <usize>load<i32>(plan, 84);
  const prec = load<i32>(plan, 92), qb = <usize>load<i32>(plan, 96), qsc = <usize>load<i32>(plan, 100);
  const exc = <usize>load<i32>(plan, 104), E = load<i32>(plan, 108);
  const Dp = 2 * Gp, RS = Rp + Sp;
  const rowR = (<usize>Rp) << 2, rowD = (<usize>Dp) << 2, rowRS = (<usize>RS) << 2, rowCat = rowR << 1;

  // Layer 0: its input is one of Q classes, so x@convNow and x@convPast are table rows.
  const l0 = plan + 128;
  const bias0 = <usize>load<i32>(l0, 12);
  for (let b = 0; b < n; b++) {
    const c = <usize>load<i32>(classes + ((<usize>b) << 2));
    const p = load<i32>(prev + ((<usize>b) << 2));
    const lab = <usize>load<i32>(labels + ((<usize>b) << 2));
    const xb = xs + (<usize>b) * rowRS, hb = h + (<usize>b) * rowD;
    copy(emb + c * rowR, xb, Rp);
    for (let i: usize = 0; i < ((<usize>Sp) << 2); i += 16) v128.store(xb + rowR + i, f32x4.splat(0)); // skip sum starts at 0
    add3(bias0 + lab * rowD, tabNow + c * rowD, hb, Dp);
    if (p >= 0) add3(hb, tabPast + (<usize>p) * rowD, hb, Dp);
    if (E > 0) excite(exc + (<usize>(b * E)) * 4, E, <usize>load<i32>(l0, 24), hb, Dp);
    store<i32>(prev + ((<usize>b) << 2), <i32>c);
  }
  gate(h, n, Gp, z);
  mm(prec, z, Gp, n, <usize>load<i32>(l0, 16), Gp, RS, xs, RS, <usize>load<i32>(l0, 20), 1, qb, qsc);

  for (let l = 1; l < L; l++) {
    const lp = plan + 128 + (<usize>l) * 28;
    const d = load<i32>(lp, 0);
    const queue = <usize>load<i32>(lp, 4);
    const biasCond = <usize>load<i32>(lp, 12);
    // Ring layout [d][n][Rp]: at one step the takes' slots are adjacent (one block, not n far-apart rows).
    const slot = queue + (<usize>(t % d)) * (<usize>n) * rowR;
    for (let b = 0; b < n; b++) {
      const xb = xs + (<usize>b) * rowRS, cb = cat + (<usize>b) * rowCat;
      const qb = slot + (<usize>b) * rowR;
      const lab = <usize>load<i32>(labels + ((<usize>b) << 2));
      // cat = [x_now | x_past]; the queue slot then takes x_now for use d steps later.
      copy(xb, cb, Rp);
      copy(qb, cb + rowR, Rp);
      copy(xb, qb, Rp);
      copy(biasCond + lab * rowD, h + (<usize>b) * rowD, Dp);
      if (E > 0) excite(exc + (<usize>(b * E)) * 4, E, <usize>load<i32>(lp, 24), h + (<usize>b) * rowD, Dp);
    }
    mm(prec, cat, 2 * Rp, n, <usize>load<i32>(lp, 8), 2 * Rp, Dp, h, Dp, 0, 1, qb, qsc);
    gate(h, n, Gp, z);
    mm(prec, z, Gp, n, <usize>load<i32>(lp, 16), Gp, RS, xs, RS, <usize>load<i32>(lp, 20), 1, qb, qsc);
  }

  // Output head: relu -> out1 -> relu -> out2.
  for (let b = 0; b < n; b++) relu(xs + (<usize>b) * rowRS + rowR, a + (<usize>b) * ((<usize>Sp) << 2), Sp);
  mm(prec, a, Sp, n, out1W, Sp, Sp, a2, Sp, out1B, 0, qb, qsc);
  relu(a2, a2, n * Sp);
  mm(prec, a2, Sp, n, out2W, Sp, Qp, logits, Qp, out2B, 0, qb, qsc);
}

// ---------------------------------------------------------------- sampling support
/**
 * out[b][q] = exp((logits[b][q] - max_q logits[b]) * invT[b]) for q < Q, 0 for padding q in [Q, stride):
 * the unnormalised softmax at each take's temperature, with a SIMD exp (Math.exp costs ~25 ns a call).
 */
export function softmaxWeights(logits: usize, n: i32, Q: i32, stride: i32, invT: usize, out: usize): void {
  const rowBytes = (<usize>stride) << 2;
  const full = (<usize>(Q & ~3)) << 2, qBytes = (<usize>Q) << 2;
  for (let b = 0; b < n; b++) {
    const row = logits + (<usize>b) * rowBytes, dst = out + (<usize>b) * rowBytes;
    let mv = f32x4.splat(-Infinity);
    for (let i: usize = 0; i < full; i += 16) mv = f32x4.pmax(mv, v128.load(row + i)); // one maxps; a NaN logit spoils the take either way
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (let i = full; i < qBytes; i += 4) m = max(m, load<f32>(row + i));
    const ms = f32x4.splat(m), ts = f32x4.splat(load<f32>(invT + ((<usize>b) << 2)));
    for (let i: usize = 0; i < rowBytes; i += 16) v128.store(dst + i, exp4(f32x4.mul(f32x4.sub(v128.load(row + i), ms), ts)));
    for (let i = qBytes; i < rowBytes; i += 4) store<f32>(dst + i, 0);
  }
}

/** First byte after the kernel's static data (its constant table); the engine's layout starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
