// Fixture job main: runs every scenario against the pool in STRATUM_ZFS_POOL and writes
// packages/zfs-driver/test/fixtures/live/<scenario>.json ([{argv, code, stdout, stderr}]).
// Usage: node main.mjs <fixtures-dir> [doc-check-file]
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { Scenario, reportDocChecks } from './lib.mjs'
import { create, snapshot, clone } from './names.mjs'
import { promote, rename, destroy } from './lifecycle.mjs'
import { diff } from './diff.mjs'
import { listget, seedCommit } from './listget.mjs'

const pool = process.env.STRATUM_ZFS_POOL
if (!pool) throw new Error('STRATUM_ZFS_POOL is not set')
const [outDir, docFile] = process.argv.slice(2)

// A second pool on a file for the cross-pool cases.
// session.sh usually made it already (STRATUM_ZFS_OTHER_POOL=otherpool).
if (process.env.STRATUM_ZFS_OTHER_POOL !== 'otherpool') {
  const other = spawnSync(
    'bash',
    ['-c', 'truncate -s 256M /tmp/otherpool.img && zpool create -f -m none otherpool /tmp/otherpool.img'],
    { encoding: 'utf8' },
  )
  if (other.status !== 0) console.log(`otherpool not created: ${other.stderr}`)
}

const channel = (s, P) => {
  const lua = '/tmp/snaps.lua'
  writeFileSync(
    lua,
    [
      'args = ...',
      'argv = args["argv"]',
      'local out = {}',
      'for snap in zfs.list.snapshots(argv[1]) do out[#out + 1] = snap end',
      'err = zfs.sync.snapshot(argv[1] .. "@by-program")',
      'return {snapshots = out, snapshot_err = err}',
      '',
    ].join('\n'),
  )
  s.run(['zfs', 'create', `${P}/program`])
  s.run(['zfs', 'snapshot', `${P}/program@one`])
  s.run(['zfs', 'program', P.split('/')[0], lua, `${P}/program`])
  s.run(['zfs', 'program', '-j', P.split('/')[0], lua, `${P}/program`])
  s.run(['zfs', 'program', '-n', P.split('/')[0], lua, `${P}/program`])
  s.run(['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', `${P}/program`])
  s.run(['zfs', 'version'])
  s.run(['zpool', 'get', '-H', '-p', '-o', 'name,property,value', 'size,feature@async_destroy', P.split('/')[0]])
  s.run([
    'zfs',
    'get',
    '-H',
    '-p',
    '-o',
    'name,property,value,source',
    'atime,casesensitivity,normalization,utf8only,xattr,acltype,mountpoint',
    P.split('/')[0],
  ])
}

const scenarios = [
  ['create', create],
  ['snapshot', snapshot],
  ['clone', clone],
  ['promote', promote],
  ['rename', rename],
  ['destroy', destroy],
  ['diff', diff],
  ['list-get', listget],
  ['seed-commit', seedCommit],
  ['program', channel],
]
let failed = 0
for (const [name, fn] of scenarios) {
  const s = new Scenario(name, outDir)
  try {
    await fn(s, pool)
    console.log(`scenario ${name}: ${s.records.length} commands recorded`)
  } catch (e) {
    failed++
    console.log(`scenario ${name} FAILED after ${s.records.length} commands: ${e.stack}`)
  }
  s.write()
}
reportDocChecks(docFile)
process.exit(failed === 0 ? 0 : 1)
