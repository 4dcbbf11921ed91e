/**
 * Relaxed SIMD (the wasm engine's fused multiply-add build) in Node. Chromium validates it by default; Node 20's
 * V8 (11.3) only behind --experimental-wasm-relaxed-simd, newer Node by default. V8 reads its wasm feature
 * flags when a module is validated or compiled, so setting the flag here, before nn-train compiles anything,
 * is enough; no re-launch of the process. Worker threads started later share the process's flags.
 */
import * as v8 from 'v8';

// Node's types leave out WebAssembly (it is a DOM lib type here): the one call used.
declare const WebAssembly: { validate(bytes: Uint8Array): boolean } | undefined;

/** True when `relaxed` (a relaxed-SIMD module's bytes) validates, after turning the flag on where it is needed. */
export function enableRelaxedSimd(relaxed: Uint8Array | undefined): boolean {
  if (!relaxed || typeof WebAssembly === 'undefined') return false;
  if (WebAssembly.validate(relaxed)) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(relaxed);
}
