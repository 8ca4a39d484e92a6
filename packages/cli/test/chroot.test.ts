/**
 * A real process in a container root on real ZFS (issue 15): Debian's busybox-static, packed
 * with umoci on the host by .ci/busybox-layout.sh into .busybox-layout/, is extracted onto the
 * pool; a container started with a refquota is mounted (`stratum mount`), `chroot <path>
 * /bin/sh -c` writes and deletes files, fills the root until EDQUOT (usage then shows it at its
 * limit) and frees it; `umount`, `commit`, `package`: the layer holds exactly those changes.
 * Runs where STRATUM_ZFS_POOL names a pool (the qemu guest, as root); there a missing layout fails.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { datasetName } from '@stratum/core'
import { createZfsDriver } from '@stratum/zfs-driver'
import { cliOn, jsonOn, tempDir, zfsGlobals } from './helpers.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''
const LAYOUT = fileURLToPath(new URL('../../../.busybox-layout', import.meta.url))
const MiB = 1024 * 1024
const REFQUOTA = 12 * MiB

const exec = promisify(execFile)
/** Runs a command; its exit code and output, never a throw. */
const run = (cmd: string, ...args: string[]) =>
  exec(cmd, args, { maxBuffer: 16 * MiB }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  )

/** The changes the shell makes, and the entries (besides changed directories) a layer of them holds. */
const CHANGES = [
  'echo hello > /tmp/hello.txt',
  'mkdir /etc/app',
  'echo conf > /etc/app/app.conf',
  'ln -s /tmp/hello.txt /etc/app/link',
  'rm /bin/vi /etc/passwd',
].join(' && ')
const ENTRIES = ['bin/.wh.vi', 'etc/.wh.passwd', 'etc/app/', 'etc/app/app.conf', 'etc/app/link', 'tmp/hello.txt']
const CHANGED_DIRS = ['./', 'bin/', 'etc/', 'tmp/']
/** Copies of the busybox binary (~2 MB each) until a write fails: exit 3 at EDQUOT, 0 if 40 copies fit. */
const FILL = 'i=0; while [ $i -lt 40 ]; do cp /bin/busybox /tmp/fill$i || exit 3; i=$((i+1)); done'

if (pool === '') {
  it.skip('a busybox process in a container root on real ZFS: set STRATUM_ZFS_POOL (runs in the qemu guest)', () => {})
} else {
  it('a busybox process in a container root on real ZFS: changes, EDQUOT at the refquota, the packaged layer', async () => {
    const t0 = Date.now()
    expect(existsSync(join(LAYOUT, 'index.json')), `${LAYOUT} missing: run .ci/busybox-layout.sh on the host`).toBe(
      true,
    )
    const base = `${pool}/chroot-${randomUUID()}`
    const dir = await tempDir()
    const cli = cliOn(dir, zfsGlobals(base))
    const json = jsonOn(dir, zfsGlobals(base))
    try {
      await json('init')
      const { top } = await json<{ top: string }>('extract', `${LAYOUT}:busybox`, '--name', 'busybox')
      await json('start', 'c', 'busybox', '--refquota', String(REFQUOTA))
      const { path } = await json<{ path: string }>('mount', 'c')
      expect(await run('chroot', path, '/bin/sh', '-c', 'echo $((6*7)); busybox | head -n1')).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^42\nBusyBox v1\./),
      })
      expect(await run('chroot', path, '/bin/sh', '-c', CHANGES)).toMatchObject({ code: 0, stderr: '' })

      const fill = await run('chroot', path, '/bin/sh', '-c', FILL)
      expect(fill.code, fill.stderr).toBe(3)
      expect(fill.stderr).toMatch(/quota exceeded/i)
      const { containers } = await json<{
        containers: { id: string; referenced: number; available: number; refquota: number }[]
      }>('usage')
      const [c] = containers
      console.log(`chroot: container at EDQUOT: ${JSON.stringify(c)}`)
      expect(c).toMatchObject({ id: 'c', refquota: REFQUOTA })
      expect(c!.referenced).toBeGreaterThan(REFQUOTA - 2 * MiB)
      expect(c!.referenced).toBeLessThanOrEqual(REFQUOTA + MiB)
      expect(c!.available).toBeLessThan(2 * MiB)
      expect(await run('chroot', path, '/bin/sh', '-c', 'rm /tmp/fill*')).toMatchObject({ code: 0 })

      await json('umount', 'c')
      const { chainId } = await json<{ chainId: string }>('commit', 'c')
      const tar = join(dir, 'c.tar')
      await json('package', chainId, '-o', tar)
      const names = (await run('tar', '-tf', tar)).stdout.split('\n').filter((n) => n !== '')
      expect(names).toEqual(expect.arrayContaining(ENTRIES))
      expect(names.filter((n) => !ENTRIES.includes(n) && !CHANGED_DIRS.includes(n))).toEqual([])
      expect((await run('tar', '-xOf', tar, 'tmp/hello.txt')).stdout).toBe('hello\n')
      expect((await run('tar', '-xOf', tar, 'etc/app/app.conf')).stdout).toBe('conf\n')
      expect((await run('tar', '-tvf', tar, 'etc/app/link')).stdout).toMatch(/etc\/app\/link -> \/tmp\/hello\.txt/)
      expect(chainId).not.toBe(top)
      expect((await cli('ls', 'containers')).stdout).toBe('')
    } finally {
      const r = await createZfsDriver().destroy(datasetName(base), { recursive: true, dependents: true })()
      console.log(`chroot: the test took ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      if (r._tag === 'Left' && r.left._tag !== 'DatasetNotFound')
        console.error(`cleanup of ${base}: ${JSON.stringify(r.left)}`)
    }
  }, 600_000)
}
