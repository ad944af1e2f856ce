import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultExportFolder, insideAny } from '../../src/core/exportLocation';

const exists = (dirs: string[]) => (p: string) => dirs.includes(p);

test('exports are offered outside every workspace folder by default', () => {
  const home = '/home/dev';
  assert.equal(defaultExportFolder(home, ['/home/dev/src/infra'], exists(['/home/dev/Downloads', '/home/dev', '/tmp']), '/tmp'), '/home/dev/Downloads');
  assert.equal(defaultExportFolder(home, ['/home/dev/src/infra'], exists(['/home/dev', '/tmp']), '/tmp'), '/home/dev');
  // A workspace opened on the home folder: nothing under it is outside the workspace.
  assert.equal(defaultExportFolder(home, ['/home/dev'], exists(['/home/dev/Downloads', '/home/dev', '/tmp']), '/tmp'), '/tmp');
  assert.equal(defaultExportFolder(home, ['/home/dev/Downloads'], exists(['/home/dev/Downloads', '/home/dev/Documents', '/tmp']), '/tmp'), '/home/dev/Documents');
  for (const [folders, chosen] of [[['/work/repo'], defaultExportFolder(home, ['/work/repo'], exists(['/home/dev', '/tmp']), '/tmp')]] as const) {
    assert.equal(insideAny(chosen, folders), false);
  }
});

test('inside means the folder itself or below it, not a sibling with a common prefix', () => {
  assert.equal(insideAny('/work/repo', ['/work/repo']), true);
  assert.equal(insideAny('/work/repo/out', ['/work/repo']), true);
  assert.equal(insideAny('/work/repo-exports', ['/work/repo']), false);
  assert.equal(insideAny('/work', ['/work/repo']), false);
});
