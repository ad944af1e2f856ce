// Refuses and records every outgoing connection while installed: every TCP/TLS connection (http,
// https, fetch, the AWS SDK) goes through net.Socket#connect, so patching that one method covers
// them all, whichever copy of the http modules the extension host hands an extension. The socket
// fails the way an unreachable host does (an 'error' event), so callers see a normal failure.
import * as net from 'net';

export interface NetworkGuard {
  /** One entry per refused attempt: the target and where it came from. */
  readonly attempts: string[];
  uninstall(): void;
}

export function guardNetwork(): NetworkGuard {
  const attempts: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const stack = new Error().stack?.split('\n').slice(2, 8).join('\n') ?? '';
    attempts.push(`connect ${JSON.stringify(args[0])}\n${stack}`);
    process.nextTick(() => this.destroy(new Error('network access refused by the activation test guard')));
    return this;
  } as typeof original;
  return {
    attempts,
    uninstall: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
