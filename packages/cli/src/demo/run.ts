/**
 * The demo, as a function: builds a three-layer OCI image layout in a temp directory, then
 * through the `stratum` CLI (in-process, --json) extracts it, extracts it again (all reused),
 * starts a container, applies a change, commits, packages the new layer, checks the packaged
 * diffID against a fresh sha256 of the file, extracts the packaged layer into a second store,
 * exports both copies to host directories and compares the trees. Returns whether every check held;
 * with `keep`, leaves the directory and prints three commands to try on it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { chainIdOf, type ChainId, type DiffId, layerBlob, sha256, writeImageLayout } from '@stratum/core'
import { hostFileTree } from '@stratum/zfs-driver'
import { compareManifests, manifestOf, type Manifest } from '../tree/manifest.js'
import { cliIn, type CliResult } from './cli.js'
import { DEMO_CHANGE, DEMO_LAYERS } from './image.js'
import { buildTar } from './tar.js'

type Log = (line: string) => void

const short = (d: string): string => `${d.slice(0, 19)}…`

const manifestAt = async (dir: string): Promise<Manifest> => {
  const m = await manifestOf(hostFileTree(dir, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(`reading ${dir}: ${JSON.stringify(m.left)}`)
  return m.right
}

/** The commands a newcomer can try next on the store the demo kept (`stratum` is `node <bin>` before install). */
export const nextCommands = (dir: string, stratum = 'npx -y pnpm@10.34.8 stratum'): string[] => {
  const at = `${stratum} --state ${join(dir, 'a.state')}`
  return [`${at} ls images`, `${at} start db image:demo`, `${at} export db ${join(dir, 'db-root')}`]
}

export const runDemo = async (log: Log, opts: { readonly keep?: boolean } = {}): Promise<boolean> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-demo-'))
  let ok = true
  const check = (what: string, cond: boolean, detail = ''): void => {
    ok &&= cond
    log(`${cond ? 'ok  ' : 'FAIL'} ${what}${detail === '' ? '' : `: ${detail}`}`)
  }
  const must = (r: CliResult, what: string): Record<string, unknown> => {
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr}`)
    return r.json as Record<string, unknown>
  }
  try {
    log(`demo directory ${dir}`)
    const layout = join(dir, 'image')
    const blobs = DEMO_LAYERS.map((specs, i) => layerBlob(buildTar(specs), i === 1 ? 'none' : 'gzip'))
    const written = await writeImageLayout(layout, 'demo', blobs)()
    if (E.isLeft(written)) throw new Error(`writing the image: ${JSON.stringify(written.left)}`)
    const expectedChain = written.right.chainIds
    log(`built ${layout}:demo with ${blobs.length} layers (whiteout, opaque dir, symlink, hardlinks, setuid, sticky)`)

    const a = cliIn(dir, join(dir, 'a.state'))
    const b = cliIn(dir, join(dir, 'b.state'))
    must(await a('init'), 'init')

    const x1 = must(await a('extract', `${layout}:demo`), 'extract') as {
      layers: { chainId: string; reused: boolean }[]
      top: ChainId
    }
    check(
      'extract gives the OCI chainIDs',
      JSON.stringify(x1.layers.map((l) => l.chainId)) === JSON.stringify(expectedChain),
      `top ${short(x1.top)}`,
    )
    check(
      'first extract applies every layer',
      x1.layers.every((l) => !l.reused),
    )
    const x2 = must(await a('extract', `${layout}:demo`), 'extract again') as typeof x1
    check('second extract reuses every layer', x2.layers.every((l) => l.reused) && x2.top === x1.top)

    await writeFile(join(dir, 'change.tar'), buildTar(DEMO_CHANGE))
    must(await a('start', 'web', x1.top), 'start')
    const applied = must(await a('apply', 'web', join(dir, 'change.tar')), 'apply')
    log(`     applied ${String(applied.entries)} entries to container web`)
    const commit = must(await a('commit', 'web'), 'commit') as { chainId: ChainId; diffId: DiffId }
    check(
      'commit chainID = sha256(parent + " " + diffID)',
      commit.chainId === chainIdOf(x1.top, commit.diffId),
      short(commit.chainId),
    )

    const tarFile = join(dir, 'layer.tar')
    const pkg = must(await a('package', commit.chainId, '-o', tarFile), 'package') as { diffId: string; bytes: number }
    const fresh = sha256(await readFile(tarFile))
    check('packaged diffID = sha256 of the written bytes', pkg.diffId === fresh, `${pkg.bytes} bytes, ${short(fresh)}`)
    check('packaged diffID = committed diffID', pkg.diffId === commit.diffId)

    must(await b('extract', `${layout}:demo`), 'extract into the second store')
    const re = must(await b('extract-layer', x1.top, tarFile), 'extract-layer') as { chainId: string }
    check('re-extracting the packaged layer elsewhere gives the same chainID', re.chainId === commit.chainId)

    const outA = join(dir, 'export-a')
    const outB = join(dir, 'export-b')
    must(await a('export', commit.chainId, outA), 'export a')
    must(await b('export', commit.chainId, outB), 'export b')
    const [ma, mb] = [await manifestAt(outA), await manifestAt(outB)]
    const diffs = compareManifests(ma, mb)
    check(
      'both stores export the same tree',
      diffs.length === 0,
      diffs.length === 0 ? `${ma.size} entries` : diffs.slice(0, 5).join('; '),
    )

    const has = (p: string) => ma.has(p)
    check(
      'whiteouts removed etc/old.conf, etc/os-release, var/log/app.log',
      !has('etc/old.conf') && !has('etc/os-release') && !has('var/log/app.log'),
    )
    check('the opaque usr/share hides the base docs', !has('usr/share/doc') && has('usr/share/man/app.1'))
    check(
      'hardlinks survive',
      JSON.stringify(ma.get('bin/sh')?.links) === '["bin/busybox"]' &&
        JSON.stringify(ma.get('srv/www/index.html')?.links) === '["srv/www/home.html"]',
    )
    check(
      'symlinks and modes survive',
      ma.get('lib/libc.so')?.target === 'libc.so.7' &&
        ma.get('srv/current')?.target === 'www' &&
        ma.get('bin/su')?.mode === 0o4755 &&
        ma.get('tmp')?.mode === 0o1777 &&
        ma.get('etc/app.conf')?.mode === 0o600,
    )
    check(
      'the changed file has its new content',
      ma.get('etc/app.conf')?.sha256 === sha256('port=8443\ntls=on\n').slice(7),
    )

    const layers = must(await a('ls', 'layers'), 'ls layers') as { layers: unknown[] }
    check('the first store holds 4 layers', layers.layers.length === 4)
  } catch (e) {
    check('demo ran to the end', false, e instanceof Error ? e.message : String(e))
  } finally {
    if (opts.keep !== true) await rm(dir, { recursive: true, force: true })
  }
  if (opts.keep === true) {
    log(`the image and both stores stay in ${dir} (the demo with --clean leaves nothing); try next:`)
    for (const c of nextCommands(dir)) log(`  ${c}`)
  }
  log(ok ? 'demo: all checks passed' : 'demo: SOME CHECKS FAILED')
  return ok
}
