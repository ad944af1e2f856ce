import type * as Qr from './qr';

export type QrEngine = typeof Qr;

let engine: QrEngine | undefined;

/**
 * The QR image decoder (./qr), loaded on first use. The build maps this require to the separate
 * bundle dist/qr.js (see esbuild.js); under tsx it loads the TypeScript source.
 */
export function qr(): QrEngine {
  engine ??= require('./qr') as QrEngine;
  return engine;
}
