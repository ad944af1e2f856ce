// node:test reporter that writes {passed, failed, skipped} of leaf tests as JSON, so that
// scripts/test.mjs can add the tiers up into one summary line.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    const data = event.data;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    if (data.skip || data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${data.file ?? ''} ${data.name}`.trim());
    }
  }
  yield JSON.stringify(counts);
}
