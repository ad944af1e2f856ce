// One path to root credentials: AssumeRoot is called from exactly one place in the product, the
// session runner's environment (src/flows/env.ts), so guardrails, the durable intent gate, the
// session registry and the task id cannot be skipped by a new flow. Read from the syntax tree of
// every file under src/, so comments and strings do not count and a second caller fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..', '..');

/** Where each name may appear, and how often (definition sites and the one call). */
const ALLOWED: Record<string, Record<string, number>> = {
  // The STS command itself: only the AWS operation that wraps it.
  AssumeRootCommand: { 'src/aws/rootSession.ts': 2 },
  assumeRoot: {
    'src/aws/rootSession.ts': 1, // export async function assumeRoot(...)
    'src/aws/managementOps.ts': 4, // import, interface member, bound property, its call
    'src/flows/env.ts': 1, // the runner's assume: the one caller
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Counts identifiers (and string-literal property names, e.g. ops['assumeRoot']) per watched name. */
function occurrences(file: string, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    const name = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text
      : ts.isStringLiteralLike(node) && node.parent && (ts.isElementAccessExpression(node.parent) || ts.isPropertyAssignment(node.parent) || ts.isBindingElement(node.parent)) ? node.text
        : undefined;
    if (name && Object.hasOwn(ALLOWED, name)) counts.set(name, (counts.get(name) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return counts;
}

function violations(files: Array<{ path: string; text: string }>): string[] {
  const out: string[] = [];
  for (const { path, text } of files) {
    for (const [name, count] of occurrences(path, text)) {
      const allowed = ALLOWED[name][path] ?? 0;
      if (count !== allowed) out.push(`${path}: ${count} × ${name} (expected ${allowed})`);
    }
  }
  return out;
}

const product = () => sourceFiles(join(root, 'src')).map((p) => ({ path: relative(root, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }));

test('AssumeRoot has one caller in the product: the session runner environment', () => {
  const files = product();
  assert.ok(files.length > 50, `read the product's sources (${files.length} files)`);
  assert.deepEqual(violations(files), [], 'every root session goes through runRootTask (src/flows/env.ts): no second AssumeRoot caller');
  const env = files.find((f) => f.path === 'src/flows/env.ts')!;
  assert.match(env.text, /runRootTask\(runnerEnv\(deps\)/, 'the caller is the runner environment');
});

test('the check fails on a second caller, however it is spelled', () => {
  const files = product();
  for (const text of [
    'export const sneak = (ops: any) => ops.assumeRoot({ accountId: "1", task: "t" });',
    'export const sneak = (ops: any) => ops["assumeRoot"]({});',
    'export const sneak = ({ assumeRoot }: any) => assumeRoot({});',
    'import { AssumeRootCommand } from "@aws-sdk/client-sts"; export const c = new AssumeRootCommand({} as any);',
  ]) {
    const found = violations([...files, { path: 'src/flows/sneak.ts', text }]);
    assert.ok(found.some((v) => v.startsWith('src/flows/sneak.ts')), `not caught: ${text}`);
  }
  const extra = files.map((f) => (f.path === 'src/flows/env.ts' ? { ...f, text: `${f.text}\nexport const again = (d: any) => d.ops.assumeRoot({});\n` } : f));
  assert.ok(violations(extra).some((v) => v.startsWith('src/flows/env.ts')), 'a second call in the allowed file is caught too');
});
