// Scenarios: promote, rename (incl. a race), destroy.
import { spawn } from 'node:child_process'

const E = (code, err) => ({ code, err })
const LIST = ['zfs', 'list', '-H', '-p', '-o', 'name,type,origin', '-t', 'filesystem,snapshot', '-r']

export const promote = (s, P) => {
  const d = `${P}/promote`
  s.run(['zfs', 'create', d], E(0, ''))
  s.run(['zfs', 'create', `${d}/a`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@old`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@s`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@later`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/a@s`, `${d}/b`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/a@old`, `${d}/other`], E(0, ''))
  s.run(['zfs', 'promote', `${d}/a`], E(1, `cannot promote '${d}/a': not a cloned filesystem\n`))
  s.run(
    ['zfs', 'promote', `${d}/a@s`],
    E(1, `cannot open '${d}/a@s': operation not applicable to datasets of this type\n`),
  )
  s.run(['zfs', 'promote', `${d}/nosuch`], E(1, `cannot open '${d}/nosuch': dataset does not exist\n`))
  s.run(['zfs', 'promote'], { code: 2, errStart: 'missing clone filesystem argument\n' })
  s.run(['zfs', 'snapshot', `${d}/b@old`], E(0, ''))
  s.run(
    ['zfs', 'promote', `${d}/b`],
    E(1, `cannot promote '${d}/b': conflicting snapshot 'old' from parent '${d}/a@s'\n`),
  )
  s.run([...LIST, d])
  s.run(['zfs', 'destroy', `${d}/b@old`], E(0, ''))
  s.run(['zfs', 'promote', `${d}/b`], E(0, ''))
  s.run([...LIST, d])
  // The seed's defect: the origin snapshot moved to b, so snapshotting b@s again fails.
  s.run(['zfs', 'snapshot', `${d}/b@s`], E(1, `cannot create snapshot '${d}/b@s': dataset already exists\n`))
  s.run(['zfs', 'promote', `${d}/a`], E(0, ''))
  s.run([...LIST, d])
}

export const rename = async (s, P) => {
  const d = `${P}/rename`
  for (const n of ['', '/a', '/a/kid', '/b', '/t', '/r']) s.run(['zfs', 'create', `${d}${n}`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@s`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@u`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/b@s`], E(0, ''))
  s.run(['zfs', 'rename', `${d}/a`, `${d}/b`], E(1, `cannot rename '${d}/a': dataset already exists\n`))
  s.run(
    ['zfs', 'rename', `${d}/a`, 'otherpool/a'],
    E(1, `cannot rename to 'otherpool/a': datasets must be within same pool\n`),
  )
  s.run(
    ['zfs', 'rename', `${d}/a`, `${d}/a/kid/x`],
    E(1, `cannot rename to '${d}/a/kid/x': New dataset name cannot be a descendant of current dataset name\n`),
  )
  s.run(['zfs', 'rename', `${d}/a`, `${d}/nope/x`], E(1, `cannot create '${d}/nope/x': parent does not exist\n`))
  s.run(['zfs', 'rename', `${d}/nosuch`, `${d}/x`], E(1, `cannot open '${d}/nosuch': dataset does not exist\n`))
  s.run(['zfs', 'rename', `${d}/a`, `${d}/b$`], E(1, `cannot rename to '${d}/b$': invalid character '$' in name\n`))
  s.run(
    ['zfs', 'rename', `${d}/a`, `${d}/b@s`],
    E(1, `cannot rename to '${d}/b@s': snapshot delimiter '@' is not expected here\n`),
  )
  s.run(['zfs', 'rename', `${d}/a`, 'nosuchpool/a'], E(1, `cannot create 'nosuchpool/a': no such pool 'nosuchpool'\n`))
  s.run(['zfs', 'rename', `${d}/a`, `${d}/a`], E(0, ''))
  s.run(
    ['zfs', 'rename', `${d}/a@s`, `${d}/b@z`],
    E(1, `cannot rename to '${d}/b@z': snapshots must be part of same dataset\n`),
  )
  s.run(['zfs', 'rename', `${d}/a@s`, `${d}/a@u`], E(1, `cannot rename '${d}/a@s': dataset already exists\n`))
  s.run(['zfs', 'rename', `${d}/a@s`, 's2'], E(0, ''))
  s.run(['zfs', 'rename', `${d}/a@s2`, '@s3'], E(0, ''))
  s.run(['zfs', 'rename', `${d}/a@s3`, `${d}/a@s`], E(0, ''))
  s.run(['zfs', 'rename', '-p', `${d}/a`, `${d}/made/by/p/a`], E(0, ''))
  s.run([...LIST, d])
  s.run(['zfs', 'rename', `${d}/made/by/p/a`, `${d}/a`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a/kid@u`], E(0, ''))
  s.run(
    ['zfs', 'rename', '-r', `${d}/a@s`, `${d}/a@u`],
    E(1, `cannot rename '${d}/a@s': a child dataset already has a snapshot with the new name\n`),
  )
  s.run(['zfs', 'rename', '-r', `${d}/a@s`, `${d}/a@v`], E(0, ''))
  s.run(['zfs', 'rename', '-r', `${d}/a`, `${d}/q`], {
    code: 2,
    errStart: 'source dataset for recursive rename must be a snapshot\n',
  })
  // Origins follow renames of the origin snapshot and dataset.
  s.run(['zfs', 'clone', `${d}/a@v`, `${d}/cl`], E(0, ''))
  s.run(['zfs', 'rename', `${d}/a@v`, `${d}/a@w`], E(0, ''))
  s.run(['zfs', 'rename', `${d}/a`, `${d}/a2`], E(0, ''))
  s.run(['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'origin', `${d}/cl`])
  s.run([...LIST, d])
  // Atomic publish: two renames to one target at the same time; exactly one wins.
  s.run(['zfs', 'create', `${d}/tmp1`], E(0, ''))
  s.run(['zfs', 'create', `${d}/tmp2`], E(0, ''))
  const [r1, r2] = await s.race([
    ['zfs', 'rename', `${d}/tmp1`, `${d}/published`],
    ['zfs', 'rename', `${d}/tmp2`, `${d}/published`],
  ])
  console.log(`rename race: codes ${r1.code} ${r2.code}`)
  if (r1.code + r2.code !== 1) console.log('DOC-DIFF rename race: expected exactly one winner')
}

export const destroy = async (s, P) => {
  const d = `${P}/destroy`
  for (const n of ['', '/a', '/a/b', '/a/c', '/solo']) s.run(['zfs', 'create', `${d}${n}`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a/b@x`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@s`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/a@t`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/a@s`, `${d}/cl`], E(0, ''))
  s.run(['zfs', 'destroy', `${d}/nosuch`], E(1, `cannot open '${d}/nosuch': dataset does not exist\n`))
  s.run(['zfs', 'destroy', `${d}/a@nosuch`], E(1, 'could not find any snapshots to destroy; check snapshot names.\n'))
  s.run(['zfs', 'destroy', `${d}/nosuch@s`], E(1, `cannot open '${d}/nosuch': dataset does not exist\n`))
  s.run(['zfs', 'destroy', `${d}/a`], {
    code: 1,
    errStart: `cannot destroy '${d}/a': filesystem has children\nuse '-r' to destroy the following datasets:\n`,
  })
  s.run(['zfs', 'destroy', `${d}/a@s`], {
    code: 1,
    err: `cannot destroy '${d}/a@s': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n${d}/cl\n`,
  })
  s.run(['zfs', 'destroy', '-r', `${d}/a`], {
    code: 1,
    err: `cannot destroy '${d}/a': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\n${d}/cl\n`,
  })
  s.run(['zfs', 'destroy', '-d', `${d}/a@s`], E(0, ''))
  s.run([...LIST, d])
  s.run(['zfs', 'destroy', P.split('/')[0]], { code: 1 })
  s.run(['zfs', 'destroy', '-nvp', `${d}/a@t`])
  s.run(['zfs', 'destroy', '-nv', '-r', `${d}/a`])
  s.run(['zfs', 'destroy', '-nvp', '-R', `${d}/a`])
  s.run(['zfs', 'destroy'], { code: 2, errStart: 'missing dataset argument\n' })
  s.run(['zfs', 'destroy', `${d}/a`, `${d}/solo`], { code: 2, errStart: 'too many arguments\n' })
  // Busy: a process whose working directory is inside the mounted dataset.
  const holder = spawn('sleep', ['60'], { cwd: `/stratum-test/destroy/solo`, stdio: 'ignore' })
  await new Promise((r) => setTimeout(r, 300))
  s.run(['zfs', 'destroy', `${d}/solo`], { code: 1 })
  holder.kill('SIGKILL')
  await new Promise((r) => holder.on('exit', r))
  s.run(['zfs', 'destroy', `${d}/solo`], E(0, ''))
  s.run(['zfs', 'destroy', `${d}/cl`], E(0, ''))
  s.run([...LIST, d])
  s.run(['zfs', 'destroy', '-r', `${d}/a`], E(0, ''))
  s.run([...LIST, d])
}
