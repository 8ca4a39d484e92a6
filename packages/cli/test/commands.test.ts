// Every command end to end on the simulator, through main() with a temp state file.
import { existsSync } from 'node:fs'
import { readFile, stat, writeFile, lstat, readlink, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { chainIdOf, datasetName, parseDiffId, sha256, snapshotName } from '@stratum/core'
import { openSimDriver } from '@stratum/sim-driver'
import { hostFileTree, xattrSupport } from '@stratum/zfs-driver'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, jsonAt, tempDir, writeImage } from './helpers.js'

const BASE = [
  { path: 'etc', type: 'dir' as const },
  { path: 'etc/hosts', body: '127.0.0.1 localhost\n' },
  { path: 'bin', type: 'dir' as const },
  { path: 'bin/tool', body: 'tool\n', mode: 0o755 },
]
const UPDATE = [{ path: 'etc', type: 'dir' as const }, { path: 'etc/.wh.hosts' }, { path: 'etc/motd', body: 'hi\n' }]

describe('stratum init', () => {
  it('creates the layout and the state file, and says where', async () => {
    const dir = await tempDir()
    const r = await cliAt(dir)('init')
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toBe(`initialized stratum (sim, state ${join(dir, 'state')})\n`)
    expect(existsSync(join(dir, 'state'))).toBe(true)
    expect(await jsonAt(dir)('init')).toEqual({
      driver: 'sim',
      base: 'stratum',
      storage: 'stratum/storage',
      runtime: 'stratum/runtime',
      tmp: 'stratum/tmp',
      state: join(dir, 'state'),
    })
  })

  it('uses $STRATUM_STATE, else .stratum/state under the cwd; --base picks the pool', async () => {
    const dir = await tempDir()
    const { captureIo } = await import('../src/io.js')
    const { main } = await import('../src/main.js')
    const viaEnv = captureIo({ cwd: dir, env: { STRATUM_STATE: join(dir, 'env.state') } })
    expect(await main(['init'], viaEnv)).toBe(0)
    expect(existsSync(join(dir, 'env.state'))).toBe(true)
    const viaCwd = captureIo({ cwd: dir })
    expect(await main(['--json', '--base', 'tank/layers', 'init'], viaCwd)).toBe(0)
    expect(existsSync(join(dir, '.stratum', 'state'))).toBe(true)
    expect(JSON.parse(viaCwd.out())).toMatchObject({ base: 'tank/layers', storage: 'tank/layers/storage' })
  })
})

describe('stratum extract', () => {
  it('prints each layer chainID with extracted/reused, then the top; a second run reuses all', async () => {
    const dir = await tempDir()
    const img = await writeImage(join(dir, 'img'), 'v1', [BASE, UPDATE])
    const [c1, c2] = img.chainIds
    const first = await cliAt(dir)('extract', `${join(dir, 'img')}:v1`)
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toBe(`${c1} extracted\n${c2} extracted\ntop ${c2}\nimage img:v1\n`)
    const again = await jsonAt(dir)<{ layers: { chainId: string; reused: boolean }[]; top: string }>(
      'extract',
      `${join(dir, 'img')}:v1`,
    )
    expect(again.top).toBe(c2)
    expect(again.layers.map((l) => [l.chainId, l.reused])).toEqual([
      [c1, true],
      [c2, true],
    ])
  })

  it('--name records the image under that name; ls images lists it (text and --json)', async () => {
    const dir = await tempDir()
    const img = await writeImage(join(dir, 'img'), 'v1', [BASE])
    const r = await cliAt(dir)('extract', '--name', 'registry.example/team/app:1.0', `${join(dir, 'img')}:v1`)
    expect(r.stdout.endsWith('image registry.example/team/app:1.0\n')).toBe(true)
    await cliAt(dir)('extract', `${join(dir, 'img')}:v1`)
    const ls = await cliAt(dir)('ls', 'images')
    expect((await cliAt(dir)('ls', '-H', '-o', 'name,top', 'images')).stdout).toBe(
      `img:v1\t${img.chainIds[0]}\nregistry.example/team/app:1.0\t${img.chainIds[0]}\n`,
    )
    expect(ls.stdout.split('\n')[0]).toMatch(/^NAME +TOP +MANIFEST +PLATFORM +CREATED +LABELS$/)
    const json = await jsonAt(dir)<{ images: { name: string; top: string; manifest: string }[] }>('ls', 'images')
    expect(json.images.map((i) => [i.name, i.manifest])).toEqual([
      ['img:v1', img.manifestDigest],
      ['registry.example/team/app:1.0', img.manifestDigest],
    ])
    const bad = await cliAt(dir)('extract', '--name', 'Bad Name', `${join(dir, 'img')}:v1`)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^stratum: InvalidName: 'Bad Name': image reference: /)
  })

  it('start, package and export take an image name or a chainID prefix; a short prefix is one line', async () => {
    const dir = await tempDir()
    const img = await writeImage(join(dir, 'img'), 'v1', [BASE])
    const top = img.chainIds[0]!
    const cli = cliAt(dir)
    await cli('extract', `${join(dir, 'img')}:v1`)
    expect((await cli('start', 'web', 'img:v1')).stdout).toBe(`started web from ${top}\n`)
    expect((await cli('start', 'db', top.slice(7, 19))).stdout).toBe(`started db from ${top}\n`)
    expect((await cli('package', 'img:v1', '-o', join(dir, 'l.tar'))).code).toBe(0)
    expect((await cli('export', 'img:v1', join(dir, 'out'))).code).toBe(0)
    const short = await cli('start', 'x', top.slice(7, 18))
    expect(short.code).toBe(1)
    expect(short.stderr).toBe(
      `stratum: no image or layer '${top.slice(7, 18)}', and a chainID prefix needs at least 12 hex digits\n` +
        "hint: 'stratum ls images' lists the images, 'stratum ls layers' the layers\n",
    )
  })

  it('rmi <image> drops the reference; prune --dry-run lists, prune removes; rmi --prune does both', async () => {
    const dir = await tempDir()
    const one = await writeImage(join(dir, 'one'), 'v1', [BASE])
    const two = await writeImage(join(dir, 'two'), 'v1', [BASE, UPDATE])
    const cli = cliAt(dir)
    await cli('extract', `${join(dir, 'one')}:v1`)
    await cli('extract', `${join(dir, 'two')}:v1`)
    expect((await cli('rmi', 'two:v1')).stdout).toBe('untagged two:v1\n')
    expect((await cli('prune', '--dry-run')).stdout).toBe(`would remove ${two.chainIds[1]}\n`)
    expect((await cli('prune')).stdout).toBe(`removed ${two.chainIds[1]}\n`)
    expect((await cli('prune')).stdout).toBe('')
    expect(await cli('rmi', '--prune', 'one:v1')).toEqual({
      code: 0,
      stdout: `untagged one:v1\nremoved ${one.chainIds[0]}\n`,
      stderr: '',
    })
    expect((await cli('ls', 'layers')).stdout).toBe('')
  })

  it('defaults the tag to latest and names a missing tag in one line, listing the tags there', async () => {
    const dir = await tempDir()
    await writeImage(join(dir, 'img'), 'latest', [BASE])
    expect((await cliAt(dir)('extract', join(dir, 'img'))).code).toBe(0)
    const r = await cliAt(dir)('extract', `${join(dir, 'img')}:nope`)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^stratum: Io: ENOENT '.*index\.json': no manifest named 'nope' \(tags: latest\)\n$/)
  })
})

describe('stratum extract-layer', () => {
  it('takes plain and gzip tars (by magic bytes) and prints the chainID', async () => {
    const dir = await tempDir()
    const tar = buildTar(BASE)
    await writeFile(join(dir, 'l.tar'), tar)
    await writeFile(join(dir, 'l.tgz'), gzipSync(tar))
    const plain = await jsonAt(dir)<{ chainId: string; mediaType: string }>(
      'extract-layer',
      'empty',
      join(dir, 'l.tar'),
    )
    expect(plain.chainId).toBe(sha256(tar))
    expect(plain.mediaType).toBe('application/vnd.oci.image.layer.v1.tar')
    const gz = await cliAt(dir)('extract-layer', 'empty', join(dir, 'l.tgz'))
    expect(gz).toEqual({ code: 0, stdout: `${sha256(tar)}\n`, stderr: '' })
    const upper = buildTar(UPDATE)
    await writeFile(join(dir, 'u.tar'), upper)
    const over = await cliAt(dir)('extract-layer', sha256(tar), join(dir, 'u.tar'))
    expect(over.stdout.trim()).toBe(chainIdOf(sha256(tar) as never, sha256(upper) as never))
  })
})

describe('stratum start, apply, commit, package, export, ls, rm, rmi', () => {
  it('runs a container through its life and packages a layer whose diffID is the sha256 of the file', async () => {
    const dir = await tempDir()
    const cli = cliAt(dir)
    const json = jsonAt(dir)
    await writeFile(join(dir, 'base.tar'), buildTar(BASE))
    const base = (await cli('extract-layer', 'empty', join(dir, 'base.tar'))).stdout.trim()

    expect(await cli('start', 'web', base)).toEqual({ code: 0, stdout: `started web from ${base}\n`, stderr: '' })
    await writeFile(join(dir, 'change.tar.gz'), gzipSync(buildTar(UPDATE)))
    const applied = await json<{ entries: number }>('apply', 'web', join(dir, 'change.tar.gz'))
    expect(applied.entries).toBe(3)
    expect(await json('ls', 'containers')).toEqual({
      containers: [expect.objectContaining({ id: 'web', parent: base })],
    })

    const commit = await cli('commit', 'web', '--keep')
    expect(commit.code).toBe(0)
    const [chainLine, diffLine] = commit.stdout.trim().split('\n')
    const chainId = chainLine!.replace(/^chainid /, '')
    const diffId = diffLine!.replace(/^diffid /, '')
    expect(E.isRight(parseDiffId(diffId))).toBe(true)
    expect(chainId).toBe(chainIdOf(base as never, diffId as never))
    expect((await json<{ containers: { id: string; parent: string }[] }>('ls', 'containers')).containers).toEqual([
      expect.objectContaining({ id: 'web', parent: chainId }),
    ])

    const pkg = await cli('package', chainId, '-o', join(dir, 'layer.tar'))
    expect(pkg).toEqual({ code: 0, stdout: `${diffId}\n`, stderr: '' })
    expect(sha256(await readFile(join(dir, 'layer.tar')))).toBe(diffId)

    const layers = await json<{ layers: { chainId: string; parent: string }[] }>('ls', 'layers')
    expect(layers.layers.map((l) => [l.chainId, l.parent]).sort()).toEqual(
      [
        [base, 'empty'],
        [chainId, base],
      ].sort(),
    )

    await cli('export', chainId, join(dir, 'out'))
    expect(await readFile(join(dir, 'out/etc/motd'), 'utf8')).toBe('hi\n')
    expect(existsSync(join(dir, 'out/etc/hosts'))).toBe(false)
    expect((await stat(join(dir, 'out/bin/tool'))).mode & 0o7777).toBe(0o755)

    const busy = await cli('rmi', chainId)
    expect(busy.code).toBe(1)
    expect(busy.stderr).toBe(
      `stratum: HasDependentClones: 'stratum/storage/${chainId.slice(7)}@extracted': dependent clones: stratum/runtime/web\n`,
    )
    expect(await cli('rm', 'web')).toEqual({ code: 0, stdout: 'removed web\n', stderr: '' })
    expect(await json('ls', 'containers')).toEqual({ containers: [] })
    expect(await cli('rmi', chainId)).toEqual({ code: 0, stdout: `removed ${chainId}\n`, stderr: '' })
    expect((await json<{ layers: unknown[] }>('ls', 'layers')).layers).toHaveLength(1)
  })

  it('commit without --keep consumes the container; committing the same change twice dedupes', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    // with a './' entry the root's mtime is the tar's too, so both containers end as the same tree
    await writeFile(join(dir, 'change.tar'), buildTar([{ path: '', type: 'dir' }, ...UPDATE]))
    const commits: { chainId: string; deduped: boolean }[] = []
    for (const id of ['a', 'b']) {
      await json('start', id, 'empty')
      await json('apply', id, join(dir, 'change.tar'))
      commits.push(await json('commit', id))
    }
    expect(commits[0]!.chainId).toBe(commits[1]!.chainId)
    expect(commits.map((c) => c.deduped)).toEqual([false, true])
    expect(await json('ls', 'containers')).toEqual({ containers: [] })
  })

  it('exports a container, keeping symlinks, hardlinks and the mtime of files', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    await writeFile(
      join(dir, 't.tar'),
      buildTar([
        { path: 'a', body: 'x', mtimeMs: 1_500_000_000_000 },
        { path: 'b', type: 'hardlink', linkname: 'a' },
        { path: 'l', type: 'symlink', linkname: '/etc/passwd' },
      ]),
    )
    await json('start', 'c', 'empty')
    await json('apply', 'c', join(dir, 't.tar'))
    const r = await json<{ entries: number }>('export', 'c', join(dir, 'out'))
    expect(r.entries).toBe(3)
    const [a, b] = [await lstat(join(dir, 'out/a')), await lstat(join(dir, 'out/b'))]
    expect(a.ino).toBe(b.ino)
    expect(Math.floor(a.mtimeMs)).toBe(1_500_000_000_000)
    expect(await readlink(join(dir, 'out/l'))).toBe('/etc/passwd')
  })

  it('export copies the extended attributes the user may set, byte-exact (all namespaces as root)', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    const binary = new Uint8Array([0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0x80])
    const root = process.getuid?.() === 0
    await writeFile(
      join(dir, 't.tar'),
      buildTar([
        {
          path: 'f',
          body: 'x',
          xattrs: [
            ['user.note', binary],
            ['trusted.t', new Uint8Array([7])],
          ],
        },
        { path: 'd', type: 'dir', xattrs: [['user.dir', new Uint8Array([1, 2])]] },
      ]),
    )
    await json('start', 'c', 'empty')
    await json('apply', 'c', join(dir, 't.tar'))
    await json('export', 'c', join(dir, 'out'))
    const out = hostFileTree(join(dir, 'out'), { readOnly: true })
    const get = async (p: string, n: string) => {
      const r = await out.getXattr(p, n)()
      return E.isRight(r) ? [...r.right] : r.left._tag === 'Io' ? r.left.code : r.left._tag
    }
    if (!xattrSupport()) {
      expect(await get('f', 'user.note')).toBe('Unsupported')
      return
    }
    expect(await get('f', 'user.note')).toEqual([...binary])
    expect(await get('d', 'user.dir')).toEqual([1, 2])
    expect(await get('f', 'trusted.t')).toEqual(root ? [7] : 'ENODATA')
  })

  it('export refuses a non-empty target directory', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, 'out'))
    await writeFile(join(dir, 'out/x'), 'keep me')
    expect((await cliAt(dir)('init')).code).toBe(0)
    const r = await cliAt(dir)('export', 'empty', join(dir, 'out'))
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`stratum: Io: EEXIST '${join(dir, 'out')}': export target is not empty\n`)
    expect(await readFile(join(dir, 'out/x'), 'utf8')).toBe('keep me')
  })
})

describe('stratum recover', () => {
  it('reports the tmp datasets a crash left and destroys them', async () => {
    const dir = await tempDir()
    await jsonAt(dir)('init')
    const d = await openSimDriver({ stateFile: join(dir, 'state') })()
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    expect(E.isRight(await d.right.create(datasetName('stratum/tmp/crashed'))())).toBe(true)
    expect(await cliAt(dir)('recover')).toEqual({ code: 0, stdout: 'destroyed stratum/tmp/crashed\n', stderr: '' })
    expect(await jsonAt(dir)('recover')).toEqual({ destroyed: [], rolledBack: [], completed: [], skipped: [] })
  })

  it('leaves a snapshot someone else made on a container alone and reports it (zfs-auto-snapshot, an admin)', async () => {
    const dir = await tempDir()
    await jsonAt(dir)('start', 'web', 'empty')
    const d = await openSimDriver({ stateFile: join(dir, 'state') })()
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    expect(E.isRight(await d.right.snapshot(snapshotName('stratum/runtime/web@commit-1'))())).toBe(true)
    expect(await jsonAt(dir)('recover')).toEqual({
      destroyed: [],
      rolledBack: [],
      completed: [],
      skipped: [{ name: 'stratum/runtime/web@commit-1', reason: 'a snapshot Stratum did not make: left alone' }],
    })
    expect(
      (await jsonAt(dir)<{ containers: { id: string }[] }>('ls', 'containers')).containers.map((c) => c.id),
    ).toEqual(['web'])
  })
})

describe('stratum recover: work of another host', () => {
  it("says what it skipped and why (text and --json); --owner-host takes that host's work over", async () => {
    const dir = await tempDir()
    await jsonAt(dir)('start', 'web', 'empty')
    const d = await openSimDriver({ stateFile: join(dir, 'state') })()
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    const lock = snapshotName('stratum/runtime/web@extracted')
    const props = {
      'stratum:state': 'committing',
      'stratum:owner': 'deadhost/77/cccc',
      'stratum:created': new Date().toISOString(),
    }
    expect(E.isRight(await d.right.snapshot(lock, { properties: props as never })())).toBe(true)
    const text = await cliAt(dir)('recover')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(
      /^skipped stratum\/runtime\/web@extracted: owner deadhost\/77\/cccc is on host 'deadhost', .*--owner-host=deadhost/,
    )
    const json = await jsonAt(dir)<{ skipped: { name: string; reason: string }[] }>('recover')
    expect(json.skipped.map((k) => k.name)).toEqual(['stratum/runtime/web@extracted'])
    expect((await cliAt(dir)('rm', 'web')).stderr).toMatch(/^stratum: Busy/)
    expect(await jsonAt(dir)('recover', '--owner-host', 'deadhost')).toEqual({
      destroyed: [],
      rolledBack: ['stratum/runtime/web@extracted'],
      completed: [],
      skipped: [],
    })
    expect(await cliAt(dir)('rm', 'web')).toMatchObject({ code: 0 })
    expect((await cliAt(dir)('recover', '--older-than', 'soon')).code).toBe(2)
  })
})

describe('failures: escaped lines, JSON documents, usage errors', () => {
  it('control characters of an entry name are escaped in the error line', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'evil.tar'), buildTar([{ path: '../\x1b[2J\rpwned', body: 'x' }]))
    const r = await cliAt(dir)('extract-layer', 'empty', join(dir, 'evil.tar'))
    expect(r.code).toBe(1)
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/)
    expect(r.stderr).toContain('\\x1b[2J\\x0dpwned')
  })

  it('under --json a failure prints {"error": {tag, message, ...}} on stdout and the one line on stderr', async () => {
    const dir = await tempDir()
    const r = await cliAt(dir)('--json', 'rm', 'a/b')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe("stratum: InvalidName: 'a/b': a container id is one dataset name component\n")
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      error: {
        tag: 'InvalidName',
        message: "InvalidName: 'a/b': a container id is one dataset name component",
        name: 'a/b',
        reason: 'a container id is one dataset name component',
      },
    })
  })

  it('--driver zfs without --base is a usage error (exit 2)', async () => {
    const dir = await tempDir()
    expect(await cliAt(dir)('--driver', 'zfs', 'ls', 'layers')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --base <pool/dataset> is required with --driver zfs\n',
    })
  })
})

describe('errors and usage', () => {
  it('a bad argument is one line naming the thing (the tag when not in the user’s words), then a hint, exit 1', async () => {
    const dir = await tempDir()
    const cli = cliAt(dir)
    expect(await cli('start', 'web', 'sha256:1234')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "stratum: no image or layer 'sha256:1234', and a chainID prefix needs at least 12 hex digits\n" +
        "hint: 'stratum ls images' lists the images, 'stratum ls layers' the layers\n",
    })
    expect((await cli('start', 'a/b', 'empty')).stderr).toBe(
      "stratum: InvalidName: 'a/b': a container id is one dataset name component\n",
    )
    expect(await cli('ls', 'things')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "error: command-argument value 'things' is invalid for argument 'what'. Allowed choices are layers, containers, images.\n",
    })
    expect((await cli('rm', 'ghost')).stderr).toBe(
      "stratum: no container 'ghost'\nhint: 'stratum ls containers' lists the containers\n",
    )
    expect((await cli('extract-layer', 'empty', join(dir, 'missing.tar'))).stderr).toMatch(
      /^stratum: Io: ENOENT '.*missing\.tar': .*\n$/,
    )
  })

  it("a usage error exits 2 with commander's message", async () => {
    const dir = await tempDir()
    const r = await cliAt(dir)('frobnicate')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("error: unknown command 'frobnicate'\n")
    expect((await cliAt(dir)('package', `sha256:${'0'.repeat(64)}`)).stderr).toBe(
      "error: required option '-o, --output <file>' not specified\n",
    )
  })
})

describe('stratum mount / umount', () => {
  it('on the simulator (no host paths) mount fails with Unsupported, exit 1; umount releases nothing held and succeeds', async () => {
    const dir = await tempDir()
    const cli = cliAt(dir)
    await cli('init')
    expect((await cli('start', 'web', 'empty')).code).toBe(0)
    const m = await cli('mount', 'web')
    expect(m.code).toBe(1)
    expect(m.stderr).toContain('Unsupported')
    const u = await jsonAt(dir)('umount', 'web')
    expect(u).toEqual({ container: 'web', holder: 'cli', released: true })
  })
})
