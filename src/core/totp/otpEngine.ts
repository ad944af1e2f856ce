import type * as Otp from './otp';

export type OtpEngine = typeof Otp;

let engine: OtpEngine | undefined;

/**
 * The TOTP engine (./otp), loaded on first use. The build maps this require to the separate
 * bundle dist/otp.js (see esbuild.js); under tsx it loads the TypeScript source.
 */
export function otp(): OtpEngine {
  engine ??= require('./otp') as OtpEngine;
  return engine;
}
