// What host and e2e runs start before code-server and hand to the tests: the hook through which
// the local AWS sandbox (and later other local services) reach the extension under test.
//
// A fixture returns `env` (set on code-server, so the extension host and the SDK's default
// credential chain see it), `machineSettings` (written as code-server's remote settings, e.g.
// rootTasks.endpointUrl) and `info` (written to the JSON file whose path the tests find in
// ROOT_TASKS_TEST_FIXTURES, keyed by fixture name). Secrets may go in `env` and `info`, which
// stay in the run's own folder; never print them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxFixture } from './sandboxFixture';

export interface FixtureContext {
  root: string;
  /** The run's own folder, for logs and state. */
  runDir: string;
}

export interface StartedFixture {
  env?: Record<string, string>;
  machineSettings?: Record<string, unknown>;
  info?: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface Fixture {
  name: string;
  start(context: FixtureContext): Promise<StartedFixture>;
}

/** Fixtures for host and e2e runs, started in this order. */
export const FIXTURES: Fixture[] = [sandboxFixture];

export const FIXTURES_ENV = 'ROOT_TASKS_TEST_FIXTURES';

export interface StartedFixtures {
  env: Record<string, string>;
  machineSettings: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts every fixture in order; if one fails, stops those already started and rethrows. */
export async function startFixtures(context: FixtureContext, fixtures: Fixture[] = FIXTURES): Promise<StartedFixtures> {
  const started: Array<{ name: string; fixture: StartedFixture }> = [];
  const stop = async () => {
    for (const { fixture } of started.reverse()) await fixture.stop().catch(() => undefined);
  };
  try {
    for (const f of fixtures) started.push({ name: f.name, fixture: await f.start(context) });
  } catch (err) {
    await stop();
    throw err;
  }
  const infoFile = join(context.runDir, 'fixtures.json');
  writeFileSync(infoFile, JSON.stringify(Object.fromEntries(started.map((s) => [s.name, s.fixture.info ?? {}])), null, 2), { mode: 0o600 });
  return {
    env: Object.assign({ [FIXTURES_ENV]: infoFile }, ...started.map((s) => s.fixture.env ?? {})),
    machineSettings: Object.assign({}, ...started.map((s) => s.fixture.machineSettings ?? {})),
    stop,
  };
}

/** In a test (host or e2e): what fixture `name` reported, or undefined when it did not run. */
export function readFixture<T extends Record<string, unknown>>(name: string): T | undefined {
  const file = process.env[FIXTURES_ENV];
  if (!file) return undefined;
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, T>;
  return all[name];
}
