import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Requests that have been run, one empty marker file per request hash in a folder (the extension
 * uses its global storage). Creating the marker with O_EXCL is the claim: of two windows running
 * the same request, exactly one succeeds, and a second run is refused.
 */
export interface UsedRequests {
  /** True when this call claimed the request; false when it was already used. */
  claim(requestSha256: string, note: string): Promise<boolean>;
}

export function usedRequestsIn(dir: string): UsedRequests {
  return {
    async claim(requestSha256, note) {
      if (!/^[0-9a-f]{64}$/.test(requestSha256)) throw new Error('A request hash must be 64 hex digits.');
      await mkdir(dir, { recursive: true });
      try {
        await writeFile(join(dir, requestSha256), `${note}\n`, { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
    },
  };
}
