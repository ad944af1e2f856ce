import type * as vscode from 'vscode';
import type { CallGate } from '../aws/iamRoot';
import { Cancelled } from '../core/errors';
import type { Limiter } from '../core/rateLimit';
import type { ActiveRootTask } from './rootTask/runner';

/**
 * The gate the IAM root-credential operations call through: every call is audited by the root
 * session (read/write events, writes refused near expiry) and rate-limited by the shared limiter.
 * With a token, a cancelled run stops before its next call (the runner ends the session).
 */
export function sessionGate(active: ActiveRootTask, limiter: Limiter, token?: vscode.CancellationToken): CallGate {
  const live = () => {
    if (token?.isCancellationRequested) throw new Cancelled();
  };
  return {
    read(operation, resource, call) {
      live();
      return active.read(operation, resource, () => limiter.run(call));
    },
    write(operation, resource, call) {
      live();
      return active.write(operation, resource, () => limiter.run(call));
    },
  };
}
