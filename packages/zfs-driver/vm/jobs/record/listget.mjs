// Scenarios: list/get output formats and sort order, user properties, set errors,
// and the seed's commit sequence (with its defect) plus the corrected commit.
import { writeFileSync, mkdirSync } from 'node:fs'

const E = (code, err) => ({ code, err })
const LIST = ['zfs', 'list', '-H', '-p', '-o', 'name,type,origin', '-t', 'filesystem,snapshot', '-r']
const GET = ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source']

export const listget = (s, P) => {
  const d = `${P}/list`
  for (const n of ['', '/ab', '/a', '/a/b', '/a-b', '/a.b', '/A']) s.run(['zfs', 'create', `${d}${n}`], E(0, ''))
  // Snapshots created in non-alphabetical order: listed by creation.
  for (const n of ['z', 'm', 'a']) s.run(['zfs', 'snapshot', `${d}/a@${n}`], E(0, ''))
  s.run([...LIST, d])
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name,used,available,referenced,mountpoint', '-r', d])
  s.run(['zfs', 'list', '-r', d])
  s.run(['zfs', 'list', '-p', '-o', 'name,origin,stratum:diffid', '-r', d])
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'snapshot', `${d}/a`])
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'snapshot', `${d}/ab`], { code: 0, out: '', err: '' })
  s.run(['zfs', 'list', '-t', 'snapshot', `${d}/ab`], { code: 0, out: '', err: 'no datasets available\n' })
  s.run(['zfs', 'list', '-H', `${d}/nosuch`], E(1, `cannot open '${d}/nosuch': dataset does not exist\n`))
  s.run(['zfs', 'list', '-H', '-t', 'bogus', d], { code: 2, errStart: "invalid type 'bogus'\n" })
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name,bogus', d], { code: 2 })
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name,creation,createtxg,guid,written', '-t', 'all', '-r', `${d}/a`])

  const diffid = `sha256:${'ab'.repeat(32)}`
  s.run(['zfs', 'set', `stratum:diffid=${diffid}`, `${d}/a`], E(0, ''))
  s.run(['zfs', 'set', 'stratum:state=committing', d], E(0, ''))
  s.run([...GET, 'stratum:diffid', `${d}/a`], { code: 0, out: `${d}/a\tstratum:diffid\t${diffid}\tlocal\n` })
  s.run([...GET, 'stratum:state', `${d}/a/b`], {
    code: 0,
    out: `${d}/a/b\tstratum:state\tcommitting\tinherited from ${d}\n`,
  })
  s.run([...GET, 'stratum:diffid', `${d}/ab`], { code: 0, out: `${d}/ab\tstratum:diffid\t-\t-\n` })
  s.run([...GET, 'stratum:diffid', `${d}/a@z`])
  s.run(['zfs', 'set', 'stratum:diffid=snapval', `${d}/a@z`], E(0, ''))
  s.run([...GET, 'stratum:diffid,stratum:state', `${d}/a@z`])
  s.run([...GET, 'stratum:diffid,origin,type,mountpoint,readonly,atime,creation', '-r', d])
  s.run(['zfs', 'get', '-H', '-p', '-o', 'value', 'used,available', d])
  s.run(
    ['zfs', 'set', 'Stratum:Bad=x', `${d}/a`],
    E(1, `cannot set property for '${d}/a': invalid property 'Stratum:Bad'\n`),
  )
  s.run(
    ['zfs', 'set', `stratum:big=${'v'.repeat(8192)}`, `${d}/a`],
    E(1, `cannot set property for '${d}/a': property value too long\n`),
  )
  s.run(['zfs', 'set', `stratum:${'n'.repeat(260)}=x`, `${d}/a`], { code: 1 })
  s.run(
    ['zfs', 'set', 'readonly=on', `${d}/a@z`],
    E(1, `cannot set property for '${d}/a@z': this property can not be modified for snapshots\n`),
  )
  s.run(['zfs', 'set', 'used=1', `${d}/a`], E(1, `cannot set property for '${d}/a': 'used' is readonly\n`))
  s.run(['zfs', 'set', 'readonly=on', `${d}/a-b`], E(0, ''))
  s.run(['zfs', 'inherit', 'stratum:diffid', `${d}/a`], E(0, ''))
  s.run([...GET, 'stratum:diffid', `${d}/a`], { code: 0, out: `${d}/a\tstratum:diffid\t-\t-\n` })
  s.run(['zfs', 'set', `stratum:diffid=${diffid}`, `${d}/a`], E(0, ''))
  // User properties stay with a dataset through rename and promote; clones do not inherit from origin.
  s.run(['zfs', 'rename', `${d}/a`, `${d}/renamed`], E(0, ''))
  s.run([...GET, 'stratum:diffid', `${d}/renamed`])
  s.run(['zfs', 'clone', `${d}/renamed@m`, `${d}/ab/cl`], E(0, ''))
  s.run([...GET, 'stratum:diffid,stratum:state', `${d}/ab/cl`])
  s.run(['zfs', 'promote', `${d}/ab/cl`], E(0, ''))
  s.run([...GET, 'stratum:diffid', `${d}/renamed`, `${d}/ab/cl`, `${d}/ab/cl@z`])
  s.run([...LIST, d])
}

export const seedCommit = (s, P) => {
  const b = `${P}/seed`
  const mnt = '/stratum-test/seed'
  for (const n of ['', '/storage', '/runtime', '/tmp', '/storage/empty']) s.run(['zfs', 'create', `${b}${n}`], E(0, ''))
  s.run(['zfs', 'snapshot', `${b}/storage/empty@extracted`], E(0, ''))
  // Extract: clone lower into the layer, apply files, snapshot.
  s.run(['zfs', 'clone', `${b}/storage/empty@extracted`, `${b}/storage/L1`], E(0, ''))
  mkdirSync(`${mnt}/storage/L1/etc`)
  writeFileSync(`${mnt}/storage/L1/etc/os-release`, 'ID=test\n')
  writeFileSync(`${mnt}/storage/L1/hello`, 'hello\n')
  s.run(['zfs', 'snapshot', `${b}/storage/L1@extracted`], E(0, ''))
  // Start a container.
  s.run(['zfs', 'clone', `${b}/storage/L1@extracted`, `${b}/runtime/c1`], E(0, ''))
  writeFileSync(`${mnt}/runtime/c1/hello`, 'changed\n')
  writeFileSync(`${mnt}/runtime/c1/added`, 'new\n')
  // Commit exactly as the seed does.
  s.run(['zfs', 'snapshot', `${b}/runtime/c1@extracted`], E(0, ''))
  s.run(['zfs', 'clone', `${b}/runtime/c1@extracted`, `${b}/storage/H`], E(0, ''))
  s.run(['zfs', 'promote', `${b}/storage/H`], E(0, ''))
  s.run(
    ['zfs', 'snapshot', `${b}/storage/H@extracted`],
    E(1, `cannot create snapshot '${b}/storage/H@extracted': dataset already exists\n`),
  )
  s.run([...LIST, b])
  s.run(['zfs', 'diff', '-H', '-F', `${b}/storage/L1@extracted`, `${b}/storage/H@extracted`])
  s.run(['zfs', 'destroy', `${b}/runtime/c1`], E(0, ''))
  s.run([...LIST, b])
  // Corrected commit for a runtime that is not kept: snapshot, rename into storage, rename the snapshot.
  s.run(['zfs', 'clone', `${b}/storage/H@extracted`, `${b}/runtime/c2`], E(0, ''))
  writeFileSync(`${mnt}/runtime/c2/c2-file`, 'c2\n')
  s.run(['zfs', 'snapshot', `${b}/runtime/c2@tmp-commit`], E(0, ''))
  s.run(['zfs', 'diff', '-H', '-F', `${b}/storage/H@extracted`, `${b}/runtime/c2@tmp-commit`])
  s.run(['zfs', 'rename', `${b}/runtime/c2`, `${b}/storage/H2`], E(0, ''))
  s.run(['zfs', 'rename', `${b}/storage/H2@tmp-commit`, `${b}/storage/H2@extracted`], E(0, ''))
  s.run(['zfs', 'set', 'readonly=on', `${b}/storage/H2`], E(0, ''))
  // Kept runtime: clone + promote + rename of the moved snapshot.
  s.run(['zfs', 'clone', `${b}/storage/H2@extracted`, `${b}/runtime/c3`], E(0, ''))
  writeFileSync(`${mnt}/runtime/c3/c3-file`, 'c3\n')
  s.run(['zfs', 'snapshot', `${b}/runtime/c3@tmp-commit`], E(0, ''))
  s.run(['zfs', 'clone', `${b}/runtime/c3@tmp-commit`, `${b}/tmp/u1`], E(0, ''))
  s.run(['zfs', 'promote', `${b}/tmp/u1`], E(0, ''))
  s.run(['zfs', 'rename', `${b}/tmp/u1@tmp-commit`, `${b}/tmp/u1@extracted`], E(0, ''))
  s.run(['zfs', 'rename', `${b}/tmp/u1`, `${b}/storage/H3`], E(0, ''))
  s.run([...LIST, b])
  s.run(['zfs', 'diff', '-H', '-F', `${b}/storage/H2@extracted`, `${b}/storage/H3@extracted`])
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name,used,referenced,readonly,mountpoint', '-r', b])
}
