/**
 * Pull of the bench image (bench/data/build-image.sh) from a registry on loopback (Debian's
 * docker-registry, htpasswd auth): `stratum pull` (one pass: download, verify, apply) against
 * `skopeo copy docker://… oci:…` followed by `stratum extract` (two passes), in one run, each a
 * fresh simulator state, alternating which goes first; medians of --runs (default 3). Target: <= 0.8x.
 * The built binary is timed (run `npx -y pnpm@10.34.8 build` first). Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/registry-pull.ts [--small] [--runs N]
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRegistry } from '../packages/cli/test/registry-server.js'
import { median } from './common.js'

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'stratum.js')
const small = process.argv.includes('--small')
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt < 0 ? 3 : Number(process.argv[runsAt + 1])
const work = mkdtempSync(join(tmpdir(), 'bench-registry-pull-'))

const image = execFileSync(
  'bash',
  [join(import.meta.dirname, 'data', 'build-image.sh'), ...(small ? ['--small'] : [])],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
const [, layout, tag] = /layout=(\S+) tag=(\S+)/.exec(image)!
console.log(image.split('\n').find((l) => l.startsWith('data=')) ?? 'data=unknown')

const reg = await startRegistry()
const creds = `${reg.user}:${reg.password}`
const ref = `${reg.host}/bench/image:${tag}`
try {
  execFileSync('skopeo', [
    'copy',
    '--dest-tls-verify=false',
    '--dest-creds',
    creds,
    `oci:${layout}:${tag}`,
    `docker://${ref}`,
  ])
  const seconds = (f: () => void): number => {
    const t0 = performance.now()
    f()
    return (performance.now() - t0) / 1000
  }
  const stratum = (state: string, ...args: string[]) =>
    execFileSync(process.execPath, [BIN, '--state', state, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
  let n = 0
  const fresh = () => {
    const d = join(work, `run-${n++}`)
    mkdirSync(d)
    return d
  }
  const pull = () => {
    const d = fresh()
    const s = seconds(() => stratum(join(d, 'state'), 'pull', '--insecure', '--creds', creds, ref))
    rmSync(d, { recursive: true, force: true })
    return s
  }
  const twoPass = () => {
    const d = fresh()
    const s = seconds(() => {
      execFileSync('skopeo', [
        'copy',
        '--src-tls-verify=false',
        '--src-creds',
        creds,
        `docker://${ref}`,
        `oci:${join(d, 'l')}:${tag}`,
      ])
      stratum(join(d, 'state'), 'extract', `${join(d, 'l')}:${tag}`)
    })
    rmSync(d, { recursive: true, force: true })
    return s
  }
  const p: number[] = []
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      p.push(pull())
      t.push(twoPass())
    } else {
      t.push(twoPass())
      p.push(pull())
    }
  }
  const [a, b] = [median(p), median(t)]
  console.log(
    `pull ${a.toFixed(2)} s vs skopeo copy + extract ${b.toFixed(2)} s: ${(a / b).toFixed(2)}x (target <= 0.8x: ${a / b <= 0.8 ? 'met' : 'NOT met'})`,
  )
} finally {
  await reg.stop()
  rmSync(work, { recursive: true, force: true })
}
