// Prints the closing tally of a vitest JSON report, and fails if the PostgreSQL suites did not run.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tests = report.testResults.flatMap((file) => file.assertionResults);
const count = (status) => tests.filter((t) => t.status === status).length;
const onPostgres = tests.filter((t) => t.ancestorTitles.some((title) => title.includes('[postgres]')));
const pgPassed = onPostgres.filter((t) => t.status === 'passed').length;
console.log(`PostgreSQL suites: ${pgPassed} of ${onPostgres.length} tests passed on PostgreSQL`);
if (onPostgres.length === 0) {
  console.log('PostgreSQL tests did not run');
  process.exitCode = 1;
}
// A file that fails to load has no assertions; count it as a failure so the tally cannot hide it.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed'),
);
for (const file of brokenFiles)
  console.log(`failed to run: ${file.name}: ${(file.message ?? '').split('\n')[0]}`);
const skipped = count('skipped') + count('pending') + count('todo');
console.log(`${count('passed')} passed, ${count('failed') + brokenFiles.length} failed, ${skipped} skipped`);
