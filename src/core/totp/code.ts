import { otp } from './otpEngine';
import type { TotpParams } from './types';

export interface TotpNow {
  code: string;
  /** Whole seconds until this code's time step ends (1..period). */
  secondsLeft: number;
}

/**
 * The RFC 6238 code for `secret` (raw key bytes) at `nowMs`, and how long it stays current.
 * T0 is the Unix epoch, as in RFC 6238 and every authenticator app.
 */
export function totpAt(secret: Uint8Array, params: TotpParams, nowMs: number): TotpNow {
  const epoch = Math.floor(nowMs / 1000);
  const code = otp().generateCode(secret, params, epoch);
  return { code, secondsLeft: params.period - (epoch % params.period) };
}

/** "492039" → "492 039", "12345678" → "1234 5678": two halves are easier to read out and type. */
export function formatCode(code: string): string {
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}
