/**
 * The wasm engine in the panel's worker: both builds of the kernels inlined into the worker bundle by esbuild
 * (the webview's CSP lets WebAssembly compile, 'wasm-unsafe-eval', but the worker cannot fetch the extension's
 * files). One thread: the webview has no SharedArrayBuffer.
 */
import { wasmEngine } from '../src/core/backends/wasm';
import simd from '../dist/kernels.wasm';
import relaxed from '../dist/kernels.relaxed.wasm';
import { registerEngine } from './engines';

registerEngine(wasmEngine({ simd, relaxed }));
