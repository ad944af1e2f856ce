// A directory lock for one-time work that two runs in the same checkout could start together
// (the tools install). A lock whose owner process is gone is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function ownerAlive(lockDir) {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

export async function withLock(lockDir, fn, { waitMs = 15 * 60_000 } = {}) {
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A just-created lock may not have its pid file yet: only a lock older than that is stale.
      await sleep(1000);
      if (!ownerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) console.log(`[lock] waiting for another run holding ${lockDir}`);
      announced = true;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
    }
  }
  writeFileSync(join(lockDir, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
