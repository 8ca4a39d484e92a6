/**
 * Pull of the bench image (bench/data/build-image.sh) from a registry on loopback (Debian's
 * docker-registry, htpasswd auth): `stratum pull` (one pass: download, verify, apply) against
 * `skopeo copy docker://… oci:…` followed by `stratum extract` (two passes), in one run, each a
 * fresh simulator state, alternating which goes first; medians of --runs (default 3). Target: <= 0.8x.
 * With --link-mbit M, both sides pull through a proxy that passes the registry's answers at M
 * megabits per second (bench/throttle-proxy.ts), as over a network; without it, loopback's speed.
 * The built binary is timed (run `npx -y pnpm@10.34.8 build` first). Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/registry-pull.ts [--small] [--runs N] [--link-mbit M]
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRegistry } from '../packages/cli/test/registry-server.js'
import { median } from './common.js'
import { throttleProxy } from './throttle-proxy.js'

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'stratum.js')
const small = process.argv.includes('--small')
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt < 0 ? 3 : Number(process.argv[runsAt + 1])
const linkAt = process.argv.indexOf('--link-mbit')
const linkMbit = linkAt < 0 ? undefined : Number(process.argv[linkAt + 1])
const exec = promisify(execFile)
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
const proxy = linkMbit === undefined ? undefined : await throttleProxy(reg.host, (linkMbit * 1e6) / 8)
const from = proxy?.host ?? reg.host
const ref = `${from}/bench/image:${tag}`
console.log(linkMbit === undefined ? 'link: loopback' : `link: ${linkMbit} Mbit/s (paced proxy)`)
try {
  execFileSync('skopeo', [
    'copy',
    '--dest-tls-verify=false',
    '--dest-creds',
    creds,
    `oci:${layout}:${tag}`,
    `docker://${reg.host}/bench/image:${tag}`,
  ])
  // asynchronous: the proxy runs in this process's event loop
  const seconds = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now()
    await f()
    return (performance.now() - t0) / 1000
  }
  const stratum = (state: string, ...args: string[]) => exec(process.execPath, [BIN, '--state', state, ...args])
  let n = 0
  const fresh = () => {
    const d = join(work, `run-${n++}`)
    mkdirSync(d)
    return d
  }
  const pull = async () => {
    const d = fresh()
    const s = await seconds(() => stratum(join(d, 'state'), 'pull', '--insecure', '--creds', creds, ref))
    rmSync(d, { recursive: true, force: true })
    return s
  }
  const copied: number[] = []
  const twoPass = async () => {
    const d = fresh()
    const s = await seconds(async () => {
      copied.push(
        await seconds(() =>
          exec('skopeo', [
            'copy',
            '--src-tls-verify=false',
            '--src-creds',
            creds,
            `docker://${ref}`,
            `oci:${join(d, 'l')}:${tag}`,
          ]),
        ),
      )
      await stratum(join(d, 'state'), 'extract', `${join(d, 'l')}:${tag}`)
    })
    rmSync(d, { recursive: true, force: true })
    return s
  }
  const p: number[] = []
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      p.push(await pull())
      t.push(await twoPass())
    } else {
      t.push(await twoPass())
      p.push(await pull())
    }
  }
  const [a, b, c] = [median(p), median(t), median(copied)]
  console.log(
    `pull ${a.toFixed(2)} s vs skopeo copy + extract ${b.toFixed(2)} s (the copy ${c.toFixed(2)} s of it): ${(a / b).toFixed(2)}x (target <= 0.8x: ${a / b <= 0.8 ? 'met' : 'NOT met'})`,
  )
} finally {
  await proxy?.close()
  await reg.stop()
  rmSync(work, { recursive: true, force: true })
}
