// What each row says about where it was measured: cores and the load while it ran. The project's
// machines are shared with other engineers' test runs, so a row measured under a high load average
// says so rather than passing for a quiet-machine figure.
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The 1-minute load average sampled before and after a measurement. */
export interface LoadWindow {
  before: number;
  after: number;
}

export async function underLoad<T>(fn: () => Promise<T>): Promise<{ load: LoadWindow; result: T }> {
  const before = loadavg()[0]!;
  const result = await fn();
  return { load: { before, after: loadavg()[0]! }, result };
}

/** "2 cores · load 3.1→4.0 (loaded) · medians on a shared machine" */
export function machineCell(cores: number, load: LoadWindow): string {
  const peak = Math.max(load.before, load.after);
  const loaded = peak > cores ? ' (loaded)' : '';
  return `${cores} cores · load ${load.before.toFixed(1)}→${load.after.toFixed(1)}${loaded} · medians, shared machine`;
}
