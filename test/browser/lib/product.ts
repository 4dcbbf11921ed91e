// What the browser tests take from the product itself, bundled by esbuild.mjs into out/test/browser/product.js:
// the panel's page exactly as the extension host builds it, and the model file's defaults.
export { panelPage, panelCsp } from '../../../src/extension/panelPage';
export { resolveConfig } from '../../../src/core/config';
