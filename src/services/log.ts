import * as vscode from 'vscode';

/**
 * The one logger (the only module-level singleton STYLE allows). Components tag their lines.
 * Nothing secret is ever passed here: callers log allow-listed fields only (see core/redact.ts).
 */
export interface Log {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  debug(component: string, message: string): void;
  show(): void;
}

export function createLog(channel: vscode.LogOutputChannel): Log {
  return {
    info: (c, m) => channel.info(`[${c}] ${m}`),
    warn: (c, m) => channel.warn(`[${c}] ${m}`),
    error: (c, m) => channel.error(`[${c}] ${m}`),
    debug: (c, m) => channel.debug(`[${c}] ${m}`),
    show: () => channel.show(true),
  };
}
