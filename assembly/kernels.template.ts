/**
 * The WebAssembly engine's products, register-tiled over f32x4 (AssemblyScript). Matrices are row-major with
 * each row's stride a multiple of 4 floats (padding lanes are written but never read as results). Every
 * kernel takes byte addresses in this module's own linear memory, laid out by the JS driver
 * (src/core/backends/wasm.ts), so a step copies nothing but what the driver reads back.
 *
 * Sums are float32 (lanes accumulate in f32x4); over many rows the weight gradient sums in blocks of ROWS
 * rows whose partial sums are then added, which bounds the rounding error by (ROWS + n / ROWS) ulps instead
 * of n ulps.
 */

// The optimizers' updates live in their own file; exported from this module with the products.
export * from './optimizers';

const ROWS = 256;

@inline function ld(p: usize): v128 { return v128.load(p); }
@inline function st(p: usize, v: v128): void { v128.store(p, v); }
@inline function at(base: usize, row: i32, stride: i32, col: i32): usize { return base + ((<usize>row * <usize>stride + <usize>col) << 2); }

/** Columns per panel of a packed right-hand matrix (pack below); the last columns, when fewer, in panels of 8, then 4. */
const PANEL = 16;

/** The last row of a tile that may run past n: out-of-range rows recompute the last real one (not stored). */
@inline function clampRow(i: i32, n: i32): i32 { return i < n ? i : n - 1; }

/** A result vector at byte offset o of C: ReLU when act is 1, ReLU's derivative (gate > 0) and the dropout mask when given. */
@inline function finish(c: v128, C: usize, o: usize, act: i32, gate: usize, mask: usize): void {
  const zero = f32x4.splat(0);
  if (act == 1) c = f32x4.max(c, zero);
  if (gate) c = v128.and(c, f32x4.gt(ld(gate + o), zero));
  if (mask) c = f32x4.mul(c, ld(mask + o));
  st(C + o, c);
}

/**
 * C = A B (+ bias) over n rows: A (n x lda, K used), B (K x ldc) packed by pack(), C (n x ldc), then finish().
 * Each element sums its K products in order from the bias (or 0), whatever the tiling. Rows go in groups of
 * 4; per group, each full panel of 16 columns is two tiles of 2 rows x 16 columns (8 accumulators, the panel's
 * 4 vectors loaded once per 2 rows, contiguous), a narrow tail panel one tile of 4 rows x 8 or 4 columns.
 */
@inline function panelProduct(A: usize, lda: i32, B: usize, bias: usize, C: usize, ldc: i32, n: i32, K: i32, act: i32, gate: usize, mask: usize): void {
  const zero = f32x4.splat(0);
  const full = ldc - ldc % PANEL;
  for (let i = 0; i < n; i += 4) {
    for (let j = 0; j < full; j += PANEL) {
      for (let h = i; h < min(i + 4, n); h += 2) {
        const h1 = clampRow(h + 1, n);
        let bp = B + ((<usize>j * <usize>K) << 2);
        let a0 = at(A, h, lda, 0), a1 = at(A, h1, lda, 0);
        let c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        if (bias) { const o = bias + (<usize>j << 2); c00 = ld(o); c01 = ld(o + 16); c02 = ld(o + 32); c03 = ld(o + 48); }
        let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
        for (let q = 0; q < K; q++) {
          const b0 = v128.load(bp, 0), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
          let s = v128.load32_splat(a0); c00 = MADD(s, b0, c00); c01 = MADD(s, b1, c01); c02 = MADD(s, b2, c02); c03 = MADD(s, b3, c03);
          s = v128.load32_splat(a1); c10 = MADD(s, b0, c10); c11 = MADD(s, b1, c11); c12 = MADD(s, b2, c12); c13 = MADD(s, b3, c13);
          a0 += 4; a1 += 4; bp += 64;
        }
        let o = at(0, h, ldc, j);
        finish(c00, C, o, act, gate, mask); finish(c01, C, o + 16, act, gate, mask);
        finish(c02, C, o + 32, act, gate, mask); finish(c03, C, o + 48, act, gate, mask);
        if (h + 1 < n) {
          o = at(0, h + 1, ldc, j);
          finish(c10, C, o, act, gate, mask); finish(c11, C, o + 16, act, gate, mask);
          finish(c12, C, o + 32, act, gate, mask); finish(c13, C, o + 48, act, gate, mask);
        }
      }
    }
    let j = full;
    for (; j + 8 <= ldc; j += 8) {
      let bp = B + ((<usize>j * <usize>K) << 2);
      let a0 = at(A, i, lda, 0), a1 = at(A, clampRow(i + 1, n), lda, 0), a2 = at(A, clampRow(i + 2, n), lda, 0), a3 = at(A, clampRow(i + 3, n), lda, 0);
      const b0 = bias ? ld(bias + (<usize>j << 2)) : zero, b1 = bias ? ld(bias + (<usize>(j + 4) << 2)) : zero;
      let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
      for (let q = 0; q < K; q++) {
        const w0 = v128.load(bp, 0), w1 = v128.load(bp, 16);
        let s = v128.load32_splat(a0); c00 = MADD(s, w0, c00); c01 = MADD(s, w1, c01);
        s = v128.load32_splat(a1); c10 = MADD(s, w0, c10); c11 = MADD(s, w1, c11);
        s = v128.load32_splat(a2); c20 = MADD(s, w0, c20); c21 = MADD(s, w1, c21);
        s = v128.load32_splat(a3); c30 = MADD(s, w0, c30); c31 = MADD(s, w1, c31);
        a0 += 4; a1 += 4; a2 += 4; a3 += 4; bp += 32;
      }
      let o = at(0, i, ldc, j);
      finish(c00, C, o, act, gate, mask); finish(c01, C, o + 16, act, gate, mask);
      if (i + 1 < n) { o = at(0, i + 1, ldc, j); finish(c10, C, o, act, gate, mask); finish(c11, C, o + 16, act, gate, mask); }
      if (i + 2 < n) { o = at(0, i + 2, ldc, j); finish(c20, C, o, act, gate, mask); finish(c21, C, o + 16, act, gate, mask); }
      if (i + 3 < n) { o = at(0, i + 3, ldc, j); finish(c30, C, o, act, gate, mask); finish(c31, C, o + 16, act, gate, mask); }
    }
    for (; j < ldc; j += 4) {
      let bp = B + ((<usize>j * <usize>K) << 2);
      let a0 = at(A, i, lda, 0), a1 = at(A, clampRow(i + 1, n), lda, 0), a2 = at(A, clampRow(i + 2, n), lda, 0), a3 = at(A, clampRow(i + 3, n), lda, 0);
      const b = bias ? ld(bias + (<usize>j << 2)) : zero;
      let c0 = b, c1 = b, c2 = b, c3 = b;
      for (let q = 0; q < K; q++) {
        const w = ld(bp);
        c0 = MADD(v128.load32_splat(a0), w, c0); c1 = MADD(v128.load32_splat(a1), w, c1);
        c2 = MADD(v128.load32_splat(a2), w, c2); c3 = MADD(v128.load32_splat(a3), w, c3);
        a0 += 4; a1 += 4; a2 += 4; a3 += 4; bp += 16;
      }
      finish(c0, C, at(0, i, ldc, j), act, gate, mask);
      if (i + 1 < n) finish(c1, C, at(0, i + 1, ldc, j), act, gate, mask);
      if (i + 2 < n) finish(c2, C, at(0, i + 2, ldc, j), act, gate, mask);
      if (i + 3 < n) finish(c3, C, at(0, i + 3, ldc, j), act, gate, mask);
    }
  }
}

/**
 * Z = A W^T + b, then the activation when fused: A (n x lda), Wt W^T packed by pack(W, 1, m, m, k, ldz),
 * bias (ldz, zero-padded), Z (n x ldz). act: 0 none, 1 relu (Z holds max(z, 0)).
 */
export function forward(A: usize, lda: i32, Wt: usize, bias: usize, Z: usize, ldz: i32, n: i32, m: i32, act: i32): void {
  panelProduct(A, lda, Wt, bias, Z, ldz, n, m, act, 0, 0);
}

/**
 * D = G W (the gradient reaching the previous layer's outputs): G (n x ldg, k used), W packed by
 * pack(W, m, 1, k, m, ldd), D (n x ldd). Fused when `gate` is not 0: D = (gate > 0) ? D : 0 elementwise over a
 * buffer of the same shape (the previous ReLU's outputs: ReLU's derivative), times `mask` when not 0 (dropout).
 */
export function backward(G: usize, ldg: i32, W: usize, D: usize, ldd: i32, n: i32, k: i32, gate: usize, mask: usize): void {
  panelProduct(G, ldg, W, 0, D, ldd, n, k, 0, gate, mask);
}

/**
 * Packs a K x cols matrix M (element (q, c) at src[q * kStride + c * colStride]) for panelProduct: columns
 * padded with zeros to ldc, in panels of PANEL columns (the last ldc % PANEL in panels of 8, then 4); the panel starting
 * at column j holds its rows one after another at B + 4 j K, each as wide as the panel (16, 8 or 4). W^T (forward) is
 * pack(W, 1, m, m, k, ...), W itself (backward) pack(W, m, 1, k, m, ...), for W k x m row-major.
 */
export function pack(src: usize, kStride: i32, colStride: i32, K: i32, cols: i32, ldc: i32, B: usize): void {
  const full = ldc - ldc % PANEL;
  for (let j = 0; j < ldc; ) {
    const w = j < full ? PANEL : j + 8 <= ldc ? 8 : 4;
    for (let q = 0; q < K; q++) {
      for (let c = 0; c < w; c++) {
        const v: f32 = j + c < cols ? load<f32>(src + ((<usize>q * <usize>kStride + <usize>(j + c) * <usize>colStride) << 2)) : 0;
        store<f32>(B + ((<usize>j * <usize>K + <usize>q * <usize>w + <usize>c) << 2), v);
      }
    }
    j += w;
  }
}

/** bp (ldp floats) = b (k floats), zero-padded: the forward product's bias. */
export function padBias(b: usize, k: i32, bp: usize, ldp: i32): void {
  memory.fill(bp, 0, <usize>ldp << 2);
  memory.copy(bp, b, <usize>k << 2);
}

/**
 * GW = G^T A (the weight gradient, k x ldw) and gb = column sums of G (k): G (n x ldg), A (n x ldw). Tiles of
 * 4 outputs x 8 inputs; rows summed in blocks of ROWS, each block's sum added to the total.
 */
export function weightGrad(G: usize, ldg: i32, A: usize, ldw: i32, GW: usize, gb: usize, n: i32, k: i32): void {
  const zero = f32x4.splat(0);
  memory.fill(GW, 0, (<usize>k * <usize>ldw) << 2);
  memory.fill(gb, 0, <usize>(k + 4) << 2);
  for (let r0 = 0; r0 < n; r0 += ROWS) {
    const r1 = min(n, r0 + ROWS);
    for (let j = 0; j < k; j += 4) {
      const js = min(4, k - j);
      // Out-of-range outputs read the last real one (their sums are dropped).
      const j1 = j + min(1, js - 1), j2 = j + min(2, js - 1), j3 = j + min(3, js - 1);
      let q = 0;
      for (; q + 8 <= ldw; q += 8) {
        let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        let a = at(A, r0, ldw, q), g = at(G, r0, ldg, 0);
        const sa = <usize>ldw << 2, sg = <usize>ldg << 2;
        const o1 = <usize>(j1) << 2, o2 = <usize>(j2) << 2, o3 = <usize>(j3) << 2, o0 = <usize>j << 2;
        for (let r = r0; r < r1; r++) {
          const x0 = ld(a), x1 = ld(a + 16);
          let s = v128.load32_splat(g + o0); c00 = MADD(s, x0, c00); c01 = MADD(s, x1, c01);
          s = v128.load32_splat(g + o1); c10 = MADD(s, x0, c10); c11 = MADD(s, x1, c11);
          s = v128.load32_splat(g + o2); c20 = MADD(s, x0, c20); c21 = MADD(s, x1, c21);
          s = v128.load32_splat(g + o3); c30 = MADD(s, x0, c30); c31 = MADD(s, x1, c31);
          a += sa; g += sg;
        }
        let p = at(GW, j, ldw, q); st(p, f32x4.add(ld(p), c00)); st(p + 16, f32x4.add(ld(p + 16), c01));
        if (js > 1) { p = at(GW, j + 1, ldw, q); st(p, f32x4.add(ld(p), c10)); st(p + 16, f32x4.add(ld(p + 16), c11)); }
        if (js > 2) { p = at(GW, j + 2, ldw, q); st(p, f32x4.add(ld(p), c20)); st(p + 16, f32x4.add(ld(p + 16), c21)); }
        if (js > 3) { p = at(GW, j + 3, ldw, q); st(p, f32x4.add(ld(p), c30)); st(p + 16, f32x4.add(ld(p + 16), c31)); }
      }
      for (; q < ldw; q += 4) {
        let c0 = zero, c1 = zero, c2 = zero, c3 = zero;
        let a = at(A, r0, ldw, q), g = at(G, r0, ldg, 0);
        const sa = <usize>ldw << 2, sg = <usize>ldg << 2;
        const o1 = <usize>(j1) << 2, o2 = <usize>(j2) << 2, o3 = <usize>(j3) << 2, o0 = <usize>j << 2;
        for (let r = r0; r < r1; r++) {
          const x0 = ld(a);
          c0 = MADD(v128.load32_splat(g + o0), x0, c0); c1 = MADD(v128.load32_splat(g + o1), x0, c1);
          c2 = MADD(v128.load32_splat(g + o2), x0, c2); c3 = MADD(v128.load32_splat(g + o3), x0, c3);
          a += sa; g += sg;
        }
        let p = at(GW, j, ldw, q); st(p, f32x4.add(ld(p), c0));
        if (js > 1) { p = at(GW, j + 1, ldw, q); st(p, f32x4.add(ld(p), c1)); }
        if (js > 2) { p = at(GW, j + 2, ldw, q); st(p, f32x4.add(ld(p), c2)); }
        if (js > 3) { p = at(GW, j + 3, ldw, q); st(p, f32x4.add(ld(p), c3)); }
      }
    }
    // Bias gradient: the block's column sums, four columns per lane group.
    for (let j = 0; j < k; j += 4) {
      let c = zero;
      let g = at(G, r0, ldg, j);
      const sg = <usize>ldg << 2;
      for (let r = r0; r < r1; r++) { c = f32x4.add(c, ld(g)); g += sg; }
      const p = gb + (<usize>j << 2);
      st(p, f32x4.add(ld(p), c));
    }
  }
}

/** dst row i = src row idx[i] (idx: i32 row numbers), rows of `stride` floats: a mini-batch's inputs. */
export function gather(src: usize, idx: usize, dst: usize, n: i32, stride: i32): void {
  const bytes = <usize>stride << 2;
  for (let i = 0; i < n; i++) {
    const row = load<i32>(idx + (<usize>i << 2));
    memory.copy(dst + <usize>i * bytes, src + <usize>row * bytes, bytes);
  }
}

/** GWp (k x ldp) back to packed k x m. */
export function unpadRows(Gp: usize, k: i32, m: i32, ldp: i32, G: usize): void {
  for (let j = 0; j < k; j++) memory.copy(at(G, j, m, 0), at(Gp, j, ldp, 0), <usize>m << 2);
}

/**
 * dst += src over n floats (n a multiple of 4): adds a thread's partial weight gradient into the total, the
 * partials one after another in a fixed order, so a threaded run sums the same way every time.
 */
export function accumulate(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    st(dst + o, f32x4.add(ld(dst + o), ld(src + o)));
  }
}
