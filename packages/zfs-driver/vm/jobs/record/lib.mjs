// Recording helpers for the fixture job: run a command, keep {argv, code, stdout, stderr},
// compare against the texts of docs/ZFS-STRINGS.md, write one JSON file per scenario.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const utf8OrBase64 = (buf) => {
  const s = buf.toString('utf8')
  return Buffer.from(s, 'utf8').equals(buf) ? { text: s } : { text: s, base64: buf.toString('base64') }
}

/** Builds a record; non-UTF-8 output keeps its exact bytes in stdoutBase64/stderrBase64. */
const toRecord = (argv, code, stdout, stderr) => {
  const out = utf8OrBase64(stdout)
  const err = utf8OrBase64(stderr)
  const rec = { argv, code, stdout: out.text, stderr: err.text }
  if (out.base64 !== undefined) rec.stdoutBase64 = out.base64
  if (err.base64 !== undefined) rec.stderrBase64 = err.base64
  return rec
}

export const docChecks = []

export class Scenario {
  constructor(name, outDir) {
    this.name = name
    this.outDir = outDir
    this.records = []
  }

  /** Runs argv synchronously, records it, and checks `expect` ({code, err | errStart | out}). */
  run(argv, expect, opts = {}) {
    const r = spawnSync(argv[0], argv.slice(1), { cwd: opts.cwd, timeout: 120_000 })
    const code = r.status === null ? -1 : r.status
    const rec = toRecord(argv, code, r.stdout ?? Buffer.alloc(0), r.stderr ?? Buffer.alloc(0))
    this.records.push(rec)
    if (expect !== undefined) this.check(rec, expect)
    return rec
  }

  /** Runs several commands at the same time (a race); records them in argv order. */
  async race(argvs) {
    const one = (argv) =>
      new Promise((resolve) => {
        const p = spawn(argv[0], argv.slice(1))
        const out = []
        const err = []
        p.stdout.on('data', (d) => out.push(d))
        p.stderr.on('data', (d) => err.push(d))
        p.on('close', (code) => resolve(toRecord(argv, code ?? -1, Buffer.concat(out), Buffer.concat(err))))
      })
    const recs = await Promise.all(argvs.map(one))
    this.records.push(...recs)
    return recs
  }

  check(rec, expect) {
    const problems = []
    if (expect.code !== undefined && rec.code !== expect.code) problems.push(`code ${rec.code} != doc ${expect.code}`)
    if (expect.err !== undefined && rec.stderr !== expect.err) problems.push('stderr differs')
    if (expect.errStart !== undefined && !rec.stderr.startsWith(expect.errStart)) problems.push('stderr start differs')
    if (expect.out !== undefined && rec.stdout !== expect.out) problems.push('stdout differs')
    docChecks.push({
      scenario: this.name,
      argv: rec.argv,
      ok: problems.length === 0,
      problems,
      expected: expect,
      actual: { code: rec.code, stdout: rec.stdout, stderr: rec.stderr },
    })
  }

  write() {
    mkdirSync(this.outDir, { recursive: true })
    writeFileSync(join(this.outDir, `${this.name}.json`), `${JSON.stringify(this.records, null, 2)}\n`)
  }
}

/** Runs a setup command that is not a fixture (file operations); throws if it fails. */
export const sh = (script, cwd) => {
  const r = spawnSync('bash', ['-euc', script], { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`setup failed (${r.status}): ${script}\n${r.stderr}`)
  return r.stdout
}

/** Prints the doc comparison and writes it to `file`. */
export const reportDocChecks = (file) => {
  const bad = docChecks.filter((c) => !c.ok)
  for (const c of bad) {
    const short = (t) => (typeof t === 'string' && t.length > 120 ? `${t.slice(0, 60)}…(${t.length} chars)` : t)
    const brief = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, short(v)])))
    console.log(`DOC-DIFF [${c.scenario}] ${c.argv.map(short).join(' ')}: ${c.problems.join('; ')}`)
    console.log(`  doc:    ${brief(c.expected)}`)
    console.log(`  actual: ${brief(c.actual)}`)
  }
  console.log(`doc checks: ${docChecks.length - bad.length} match, ${bad.length} differ`)
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(docChecks, null, 2)}\n`)
}
