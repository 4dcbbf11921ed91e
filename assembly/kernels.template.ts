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

const ROWS = 256;

@inline function ld(p: usize): v128 { return v128.load(p); }
@inline function st(p: usize, v: v128): void { v128.store(p, v); }
@inline function at(base: usize, row: i32, stride: i32, col: i32): usize { return base + ((<usize>row * <usize>stride + <usize>col) << 2); }

/**
 * Z = A W^T + b, then the activation when fused: A (n x lda), Wt (m x ldz: W transposed, columns past k zero),
 * bias (ldz, zero-padded), Z (n x ldz). act: 0 none, 1 relu (Z holds max(z, 0)).
 * Tiles of 4 rows x 8 columns: 8 accumulators; each W row of 8 is loaded once per 4 rows.
 */
export function forward(A: usize, lda: i32, Wt: usize, bias: usize, Z: usize, ldz: i32, n: i32, m: i32, act: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let j = 0;
    for (; j + 8 <= ldz; j += 8) {
      const b0 = ld(bias + (<usize>j << 2)), b1 = ld(bias + (<usize>(j + 4) << 2));
      let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
      let a0 = at(A, i, lda, 0), a1 = at(A, i + 1, lda, 0), a2 = at(A, i + 2, lda, 0), a3 = at(A, i + 3, lda, 0);
      let w = at(Wt, 0, ldz, j);
      const sw = <usize>ldz << 2;
      for (let q = 0; q < m; q++) {
        const w0 = ld(w), w1 = ld(w + 16);
        let s = v128.load32_splat(a0); c00 = MADD(s, w0, c00); c01 = MADD(s, w1, c01);
        s = v128.load32_splat(a1); c10 = MADD(s, w0, c10); c11 = MADD(s, w1, c11);
        s = v128.load32_splat(a2); c20 = MADD(s, w0, c20); c21 = MADD(s, w1, c21);
        s = v128.load32_splat(a3); c30 = MADD(s, w0, c30); c31 = MADD(s, w1, c31);
        a0 += 4; a1 += 4; a2 += 4; a3 += 4; w += sw;
      }
      if (act == 1) {
        c00 = f32x4.max(c00, zero); c01 = f32x4.max(c01, zero); c10 = f32x4.max(c10, zero); c11 = f32x4.max(c11, zero);
        c20 = f32x4.max(c20, zero); c21 = f32x4.max(c21, zero); c30 = f32x4.max(c30, zero); c31 = f32x4.max(c31, zero);
      }
      st(at(Z, i, ldz, j), c00); st(at(Z, i, ldz, j + 4), c01);
      st(at(Z, i + 1, ldz, j), c10); st(at(Z, i + 1, ldz, j + 4), c11);
      st(at(Z, i + 2, ldz, j), c20); st(at(Z, i + 2, ldz, j + 4), c21);
      st(at(Z, i + 3, ldz, j), c30); st(at(Z, i + 3, ldz, j + 4), c31);
    }
    for (; j < ldz; j += 4) {
      const b0 = ld(bias + (<usize>j << 2));
      let c0 = b0, c1 = b0, c2 = b0, c3 = b0;
      let a0 = at(A, i, lda, 0), a1 = at(A, i + 1, lda, 0), a2 = at(A, i + 2, lda, 0), a3 = at(A, i + 3, lda, 0);
      let w = at(Wt, 0, ldz, j);
      const sw = <usize>ldz << 2;
      for (let q = 0; q < m; q++) {
        const w0 = ld(w);
        c0 = MADD(v128.load32_splat(a0), w0, c0); c1 = MADD(v128.load32_splat(a1), w0, c1);
        c2 = MADD(v128.load32_splat(a2), w0, c2); c3 = MADD(v128.load32_splat(a3), w0, c3);
        a0 += 4; a1 += 4; a2 += 4; a3 += 4; w += sw;
      }
      if (act == 1) { c0 = f32x4.max(c0, zero); c1 = f32x4.max(c1, zero); c2 = f32x4.max(c2, zero); c3 = f32x4.max(c3, zero); }
      st(at(Z, i, ldz, j), c0); st(at(Z, i + 1, ldz, j), c1); st(at(Z, i + 2, ldz, j), c2); st(at(Z, i + 3, ldz, j), c3);
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j < ldz; j += 4) {
      let c = ld(bias + (<usize>j << 2));
      let a = at(A, i, lda, 0);
      let w = at(Wt, 0, ldz, j);
      const sw = <usize>ldz << 2;
      for (let q = 0; q < m; q++) { c = MADD(v128.load32_splat(a), ld(w), c); a += 4; w += sw; }
      if (act == 1) c = f32x4.max(c, zero);
      st(at(Z, i, ldz, j), c);
    }
  }
}

/**
 * D = G W (the gradient reaching the previous layer's outputs): G (n x ldg, k used), W (k x ldd, W's rows
 * zero-padded), D (n x ldd). Fused when `gate` is not 0: D = (gate > 0) ? D : 0 elementwise over a buffer of
 * the same shape (the previous ReLU's outputs: ReLU's derivative), times `mask` when not 0 (dropout).
 */
export function backward(G: usize, ldg: i32, W: usize, D: usize, ldd: i32, n: i32, k: i32, gate: usize, mask: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i < n; i += 4) {
    const rows = min(4, n - i);
    for (let q = 0; q < ldd; q += 4) {
      let c0 = zero, c1 = zero, c2 = zero, c3 = zero;
      let g0 = at(G, i, ldg, 0), g1 = at(G, i + min(1, rows - 1), ldg, 0), g2 = at(G, i + min(2, rows - 1), ldg, 0), g3 = at(G, i + min(3, rows - 1), ldg, 0);
      let w = at(W, 0, ldd, q);
      const sw = <usize>ldd << 2;
      for (let j = 0; j < k; j++) {
        const w0 = ld(w);
        c0 = MADD(v128.load32_splat(g0), w0, c0); c1 = MADD(v128.load32_splat(g1), w0, c1);
        c2 = MADD(v128.load32_splat(g2), w0, c2); c3 = MADD(v128.load32_splat(g3), w0, c3);
        g0 += 4; g1 += 4; g2 += 4; g3 += 4; w += sw;
      }
      for (let r = 0; r < rows; r++) {
        let c = r == 0 ? c0 : r == 1 ? c1 : r == 2 ? c2 : c3;
        const o = at(0, i + r, ldd, q);
        if (gate) c = v128.and(c, f32x4.gt(ld(gate + o), zero));
        if (mask) c = f32x4.mul(c, ld(mask + o));
        st(D + o, c);
      }
    }
  }
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

/** Wt (m x ldt) = W^T for W (k x m, packed), zero past column k; b copied into bp (ldt, zero-padded). */
export function transposeIn(W: usize, k: i32, m: i32, Wt: usize, ldt: i32, b: usize, bp: usize): void {
  memory.fill(Wt, 0, (<usize>m * <usize>ldt) << 2);
  memory.fill(bp, 0, <usize>ldt << 2);
  for (let j = 0; j < k; j++) {
    for (let q = 0; q < m; q++) store<f32>(at(Wt, q, ldt, j), load<f32>(at(W, j, m, q)));
    store<f32>(bp + (<usize>j << 2), load<f32>(b + (<usize>j << 2)));
  }
}

/** Wp (k x ldp) = W (k x m) with each row zero-padded to ldp. */
export function padRows(W: usize, k: i32, m: i32, Wp: usize, ldp: i32): void {
  memory.fill(Wp, 0, (<usize>k * <usize>ldp) << 2);
  for (let j = 0; j < k; j++) memory.copy(at(Wp, j, ldp, 0), at(W, j, m, 0), <usize>m << 2);
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
