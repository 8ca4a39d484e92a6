// Prints where a vitest run's time went: seconds per test file and per top-level group, and the
// slowest tests, from vitest's JSON report (`--reporter=json --outputFile.json=<file>`).
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const s = (ms) => `${(ms / 1000).toFixed(1).padStart(7)} s`
const groups = new Map()
const tests = []
console.log('== durations per test file ==')
for (const file of report.testResults ?? []) {
  const name = relative(process.cwd(), file.name)
  console.log(`${s((file.endTime ?? 0) - (file.startTime ?? 0))}  ${name}`)
  for (const t of file.assertionResults ?? []) {
    const top = `${name} > ${t.ancestorTitles?.slice(0, 2).join(' > ') ?? ''}`
    groups.set(top, (groups.get(top) ?? 0) + (t.duration ?? 0))
    tests.push([t.duration ?? 0, `${top} > ${t.title}`])
  }
}
console.log('== durations per group (sum of its tests) ==')
for (const [g, ms] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${s(ms)}  ${g}`)
console.log('== slowest tests ==')
for (const [ms, t] of tests.sort((a, b) => b[0] - a[0]).slice(0, 25)) console.log(`${s(ms)}  ${t}`)
