import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { KeyValueStore } from '../../../src/core/findings';

/**
 * globalState as a file, for tests that kill a process: each update is written to a temporary
 * file, synced and renamed over the old one, so a kill leaves the previous or the new state whole.
 */
export function fileStore(path: string): KeyValueStore {
  let values: Record<string, unknown> = {};
  try {
    values = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // No file yet: empty.
  }
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    update: async (key, value) => {
      values = { ...values, [key]: value };
      const tmp = `${path}.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, JSON.stringify(values));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
  };
}
