// The host tier runs this suite on each tested VS Code version (test/scripts/lib/tools.mjs): the
// extension host is the version the tier names, on the Node that version runs extensions on, and
// that Node meets what package.json and the bundled AWS SDK require.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

interface ExpectedRuntime {
  vscode: string;
  nodeMajor: number;
}

const root = vscode.extensions.getExtension('aws-root-tasks.aws-root-tasks')!.extensionPath;
const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('runtime (host)', () => {
  it('is the VS Code version and extension host Node the tier names', function () {
    console.log(`[runtime] VS Code ${vscode.version}, extension host Node ${process.versions.node}`);
    const raw = process.env.ROOT_TASKS_EXPECT_RUNTIME;
    // Desktop runs (npm run test:desktop) name no expected version.
    if (!raw) this.skip();
    const expected = JSON.parse(raw) as ExpectedRuntime;
    assert.equal(vscode.version, expected.vscode);
    assert.equal(nodeMajor, expected.nodeMajor);
  });

  it("the extension host's Node meets package.json engines.node", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const floor = /^>=(\d+)$/.exec(pkg.engines.node);
    assert.ok(floor, `engines.node ${pkg.engines.node}: expected the form >=N`);
    assert.ok(nodeMajor >= Number(floor[1]), `Node ${process.versions.node} is below engines.node ${pkg.engines.node}`);
  });
});
