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

// connect(options[, cb]), connect(port[, host][, cb]), connect(path[, cb]), or internally
// connect([options, cb]): name the target, not the options (they can hold a whole CA bundle).
function target(args: unknown[]): string {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string };
    return o.path ?? `${o.host ?? 'localhost'}:${o.port}`;
  }
  return typeof first === 'number' ? `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${first}` : String(first);
}

export function guardNetwork(): NetworkGuard {
  const attempts: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const stack = new Error().stack?.split('\n').slice(2, 8).join('\n') ?? '';
    attempts.push(`connect to ${target(args)}\n${stack}`);
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
