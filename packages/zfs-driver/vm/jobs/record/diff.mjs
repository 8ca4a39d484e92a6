// Scenario: zfs diff formats (types, renames, link changes, escaping) and its errors.
import { mkdirSync, writeFileSync, rmSync, renameSync, linkSync, unlinkSync, symlinkSync, chmodSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const E = (code, err) => ({ code, err })
const MNT = '/stratum-test'

const mkSocket = (path) =>
  new Promise((resolve, reject) => {
    // The child exits without closing its server: the socket file stays.
    const r = spawnSync('node', [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`,
    ])
    if (r.status !== 0) reject(new Error(`socket ${path}: ${r.stderr}`))
    else resolve()
  })

const mknod = (path, kind, maj, min) => {
  const r = spawnSync('mknod', [path, kind, String(maj), String(min)])
  if (r.status !== 0) throw new Error(`mknod ${path}: ${r.stderr}`)
}

export const diff = async (s, P) => {
  const d = `${P}/diff`
  const m = `${MNT}/diff`
  s.run(['zfs', 'create', d], E(0, ''))
  const f = (p) => `${m}/${p}`
  writeFileSync(f('keep'), 'keep\n')
  writeFileSync(f('modify'), 'v1\n')
  writeFileSync(f('remove'), 'bye\n')
  writeFileSync(f('recreate'), 'old\n')
  writeFileSync(f('move-me'), 'm\n')
  writeFileSync(f('chmod-me'), 'c\n')
  writeFileSync(f('hard'), 'h\n')
  writeFileSync(f('two-links'), 't\n')
  linkSync(f('two-links'), f('two-links-2'))
  writeFileSync(f('becomes-dir'), 'f\n')
  mkdirSync(f('dir1'))
  writeFileSync(f('dir1/inner'), 'i\n')
  mkdirSync(f('sub'))
  symlinkSync('keep', f('link'))
  spawnSync('mkfifo', [f('fifo')])
  await mkSocket(f('sock'))
  mknod(f('blk'), 'b', 7, 0)
  mknod(f('chr'), 'c', 1, 3)
  s.run(['zfs', 'snapshot', `${d}@s1`], E(0, ''))

  writeFileSync(f('modify'), 'v2\n')
  rmSync(f('remove'))
  rmSync(f('recreate'))
  writeFileSync(f('recreate'), 'new\n')
  renameSync(f('move-me'), f('sub/moved'))
  chmodSync(f('chmod-me'), 0o600)
  linkSync(f('hard'), f('hard-2'))
  unlinkSync(f('two-links-2'))
  rmSync(f('becomes-dir'))
  mkdirSync(f('becomes-dir'))
  renameSync(f('dir1'), f('dir2'))
  rmSync(f('link'))
  symlinkSync('modify', f('link'))
  rmSync(f('fifo'))
  rmSync(f('sock'))
  rmSync(f('blk'))
  rmSync(f('chr'))
  writeFileSync(f('new file'), 'space\n')
  writeFileSync(f('new\nline'), 'nl\n')
  writeFileSync(f('tab\there'), 'tab\n')
  writeFileSync(f('back\\slash'), 'bs\n')
  writeFileSync(f('ś-utf8'), 'u\n')
  writeFileSync(Buffer.concat([Buffer.from(`${m}/raw-`), Buffer.from([0xff, 0x7f, 0x01])]), 'raw\n')
  writeFileSync(f('sub/deep new'), 'd\n')
  s.run(['zfs', 'snapshot', `${d}@s2`], E(0, ''))

  s.run(['zfs', 'diff', '-H', '-F', `${d}@s1`, `${d}@s2`])
  s.run(['zfs', 'diff', '-F', `${d}@s1`, `${d}@s2`])
  s.run(['zfs', 'diff', '-H', `${d}@s1`, `${d}@s2`])
  s.run(['zfs', 'diff', `${d}@s1`, `${d}@s2`])
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s1`, '@s2'])
  s.run(['zfs', 'diff', '-H', '-F', '-t', `${d}@s1`, `${d}@s2`])
  s.run(['zfs', 'diff', '-H', '-F', '-h', `${d}@s1`, `${d}@s2`])
  writeFileSync(f('after-s2'), 'live\n')
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s2`])
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s2`, d])
  s.run(['zfs', 'snapshot', `${d}@s3`], E(0, ''))
  // No changes between two snapshots.
  s.run(['zfs', 'snapshot', `${d}@s4`], E(0, ''))
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s3`, `${d}@s4`], { code: 0, out: '' })

  // Errors.
  s.run(
    ['zfs', 'diff', '-H', '-F', `${d}@s2`, `${d}@s1`],
    E(1, 'Unable to obtain diffs: \n   Not an earlier snapshot from the same fs\n'),
  )
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s1`, `${d}@s1`])
  s.run(
    ['zfs', 'diff', '-H', '-F', `${d}@s1`, `${d}@nosuch`],
    E(1, 'Unable to obtain diffs: No such file or directory\n'),
  )
  s.run(
    ['zfs', 'diff', '-H', '-F', `${P}/nosuch@s1`, `${d}@s2`],
    E(1, `cannot open '${P}/nosuch': dataset does not exist\n`),
  )
  s.run(
    ['zfs', 'diff', '-H', '-F', d],
    E(1, `Badly formed snapshot name ${d}: missing '@' delimiter in snapshot name\n`),
  )
  s.run(['zfs', 'diff', '-H', '-F', d, `${P}/other`])
  s.run(['zfs', 'diff'], { code: 2, errStart: 'must provide at least one snapshot name\n' })
  s.run(['zfs', 'create', `${P}/other`], E(0, ''))
  s.run(['zfs', 'snapshot', `${P}/other@o`], E(0, ''))
  s.run(
    ['zfs', 'diff', '-H', '-F', `${d}@s1`, `${P}/other@o`],
    E(1, 'Not an earlier snapshot from the same fs: invalid name\n'),
  )

  // The layer case: a clone of s2, changed, diffed against its origin and an older snapshot.
  s.run(['zfs', 'clone', `${d}@s2`, `${d}-layer`], E(0, ''))
  const lm = `${MNT}/diff-layer`
  writeFileSync(`${lm}/layer-file`, 'L\n')
  rmSync(`${lm}/keep`)
  s.run(['zfs', 'snapshot', `${d}-layer@extracted`], E(0, ''))
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s2`, `${d}-layer@extracted`])
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s1`, `${d}-layer@extracted`])
  s.run(['zfs', 'diff', '-H', '-F', `${d}@s3`, `${d}-layer@extracted`])
  s.run(['zfs', 'promote', `${d}-layer`], E(0, ''))
  s.run(['zfs', 'diff', '-H', '-F', `${d}-layer@s2`, `${d}-layer@extracted`])
  s.run(['zfs', 'diff', '-H', '-F', `${d}-layer@s1`, `${d}@s3`])

  // A mountpoint with a space is escaped too; an unmounted dataset cannot be diffed.
  s.run(['zfs', 'create', `${P}/diff sp`], E(0, ''))
  s.run(['zfs', 'snapshot', `${P}/diff sp@a`], E(0, ''))
  writeFileSync(`${MNT}/diff sp/x`, 'x\n')
  s.run(['zfs', 'snapshot', `${P}/diff sp@b`], E(0, ''))
  s.run(['zfs', 'diff', '-H', '-F', `${P}/diff sp@a`, `${P}/diff sp@b`])
  s.run(['zfs', 'unmount', `${P}/diff sp`], E(0, ''))
  s.run(
    ['zfs', 'diff', '-H', '-F', `${P}/diff sp@a`, `${P}/diff sp@b`],
    E(1, 'Cannot diff an unmounted snapshot: operation not applicable to datasets of this type\n'),
  )
  s.run(['zfs', 'mount', `${P}/diff sp`], E(0, ''))
}
