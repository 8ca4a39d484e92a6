/**
 * What starting `stratum` costs (the built binary, packages/cli/dist/stratum.js; run `npx -y pnpm@10.34.8 build`
 * first) against `node -e 0` measured in the same run, interleaved: the median wall time of
 * `--help`, `completion bash`, a usage error, and `ls layers` on an empty simulator store (the
 * first command that loads the store's code), each with the number of modules it loads.
 * Run from the repository root: npx tsx bench/cli-startup.ts [--runs N]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './common.js'

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'stratum.js')
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 9
const work = mkdtempSync(join(tmpdir(), 'bench-cli-startup-'))
const state = join(work, 'state')

// a loader hook that names each module as it is loaded (on stderr, after a marker)
const MARK = 'bench-module-loaded '
const hooks = `export async function load(url, context, next) { process._rawDebug(${JSON.stringify(MARK)} + url); return next(url, context) }`
const counter = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)})`
const COUNT = ['--import', `data:text/javascript,${encodeURIComponent(counter)}`]

/** Runs node with `args`: wall seconds, exit code, and the modules it loaded when counted. */
const node = (args: readonly string[], count = false) => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [...(count ? COUNT : []), ...args], { encoding: 'utf8' })
  const s = (performance.now() - t0) / 1000
  const modules = new Set(r.stderr.split('\n').filter((l) => l.startsWith(MARK)))
  return { s, code: r.status, modules: modules.size, stderr: r.stderr }
}

const cases: { name: string; args: string[]; code: number }[] = [
  { name: 'stratum --help', args: [BIN, '--help'], code: 0 },
  { name: 'stratum completion bash', args: [BIN, 'completion', 'bash'], code: 0 },
  { name: 'stratum ls bogus (usage error)', args: [BIN, 'ls', 'bogus'], code: 2 },
  { name: 'stratum ls layers (empty store)', args: [BIN, '--state', state, 'ls', 'layers'], code: 0 },
]
const init = node([BIN, '--state', state, 'init'])
if (init.code !== 0) throw new Error(`stratum init: exit ${init.code}: ${init.stderr}`)
for (const c of cases) {
  const once = node(c.args)
  if (once.code !== c.code) throw new Error(`${c.name}: exit ${once.code}, expected ${c.code}: ${once.stderr}`)
}

const bare: number[] = []
const times = cases.map((): number[] => [])
for (let i = 0; i < runs; i++) {
  bare.push(node(['-e', '0']).s)
  cases.forEach((c, j) => times[j]!.push(node(c.args).s))
}
const base = median(bare)
console.log(`cli start-up bench, median of ${runs} interleaved runs`)
cases.forEach((c, j) => {
  const s = median(times[j]!)
  console.log(
    `start-up: ${c.name} ${s.toFixed(3)} s (${node(c.args, true).modules} modules), node -e 0 ${base.toFixed(3)} s: ${(s / base).toFixed(2)}x, +${(s - base).toFixed(3)} s`,
  )
})
rmSync(work, { recursive: true, force: true })
