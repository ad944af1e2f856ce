// Kept apart from sandboxFixture.ts: fixtures.ts imports that one, and this one imports fixtures.ts.
import { sandboxControl, type SandboxControl } from '../sandbox';
import { readFixture } from './fixtures';
import type { SandboxFixtureInfo } from './sandboxFixture';

/**
 * In a host or e2e test: the control client of the run's sandbox, reset to its seed, so each
 * suite starts from the sample organization whatever the suites before it changed.
 */
export async function freshSandbox(): Promise<SandboxControl> {
  const info = readFixture<SandboxFixtureInfo>('sandbox');
  if (!info?.endpoint) throw new Error('the sandbox fixture did not run');
  const control = sandboxControl(info.endpoint);
  await control.reset();
  return control;
}
