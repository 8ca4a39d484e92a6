// Scenarios: create, snapshot, clone (successes and the error texts of docs/ZFS-STRINGS.md).
const E = (code, err) => ({ code, err })

export const create = (s, P) => {
  const c = `${P}/create`
  s.run(['zfs', 'create', c], E(0, ''))
  s.run(['zfs', 'create', c], E(1, `cannot create '${c}': dataset already exists\n`))
  s.run(['zfs', 'create', `${c}/x/y`], E(1, `cannot create '${c}/x/y': parent does not exist\n`))
  s.run(['zfs', 'create', '-p', `${c}/x/y`], E(0, ''))
  s.run(['zfs', 'create', '-p', `${c}/x/y`], E(0, ''))
  s.run(['zfs', 'create', `${c}/a$b`], E(1, `cannot create '${c}/a$b': invalid character '$' in name\n`))
  s.run(['zfs', 'create', `${c}/a@s`], E(1, `cannot create '${c}/a@s': snapshot delimiter '@' is not expected here\n`))
  s.run(['zfs', 'create', `${c}/a#b`], E(1, `cannot create '${c}/a#b': bookmark delimiter '#' is not expected here\n`))
  s.run(['zfs', 'create', `${c}/a%b`], E(1, `cannot create '${c}/a%b': invalid character % in name\n`))
  s.run(
    ['zfs', 'create', `${c}//a`],
    E(1, `cannot create '${c}//a': empty component or misplaced '@' or '#' delimiter in name\n`),
  )
  s.run(['zfs', 'create', `${c}/a/`], E(1, `cannot create '${c}/a/': trailing slash in name\n`))
  s.run(['zfs', 'create', `/${c}`], E(1, `cannot create '/${c}': leading slash in name\n`))
  s.run(['zfs', 'create', `${c}/.`], E(1, `cannot create '${c}/.': self reference, '.' is found in name\n`))
  s.run(['zfs', 'create', `${c}/..`], E(1, `cannot create '${c}/..': parent reference, '..' is found in name\n`))
  s.run(['zfs', 'create', P.split('/')[0]], E(1, `cannot create '${P.split('/')[0]}': missing dataset name\n`))
  s.run(['zfs', 'create', 'nosuchpool/a'], E(1, `cannot create 'nosuchpool/a': no such pool 'nosuchpool'\n`))
  s.run(['zfs', 'create', `${c}/with space`], E(0, ''))
  s.run(['zfs', 'create', `${c}/ok-_.:9`], E(0, ''))
  s.run(['zfs', 'create', `${c}/ü`])
  s.run(['zfs', 'create', `${c}/tab\there`])
  const long = `${c}/${'a'.repeat(256 - c.length - 1)}`
  s.run(['zfs', 'create', long], E(1, `cannot create '${long}': name is too long\n`))
  const longest = `${c}/${'a'.repeat(255 - c.length - 1)}`
  s.run(['zfs', 'create', longest], E(0, ''))
  const depth = (n) => `${c}/${Array.from({ length: n }, () => 'd').join('/')}`
  const deep = depth(52 - c.split('/').length)
  s.run(['zfs', 'create', '-p', deep], E(1, `cannot create '${deep}': maximum name nesting depth exceeded\n`))
  s.run(['zfs', 'create', '-p', depth(50 - c.split('/').length)])
  s.run(['zfs', 'create', '-p', depth(51 - c.split('/').length)])
  s.run(['zfs', 'create'], { code: 2 })
}

export const snapshot = (s, P) => {
  const d = `${P}/snap`
  s.run(['zfs', 'create', d], E(0, ''))
  s.run(['zfs', 'create', `${d}/kid`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}@a`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}@a`], E(1, `cannot create snapshot '${d}@a': dataset already exists\n`))
  s.run(['zfs', 'snapshot', `${P}/nosuch@a`], {
    code: 2,
    errStart: `cannot open '${P}/nosuch': dataset does not exist\nusage:\n`,
  })
  s.run(['zfs', 'snapshot', d], { code: 2, errStart: 'usage:\n' })
  s.run(['zfs', 'snapshot', `${d}@b$d`], E(1, `cannot create snapshot '${d}@b$d': invalid character '$' in name\n`))
  s.run(['zfs', 'snapshot', `${d}@`], { code: 1 })
  s.run(['zfs', 'snapshot', `${d}@a@b`], { code: 1 })
  s.run(['zfs', 'snapshot', '-r', `${d}@a`], {
    code: 1,
    err: `cannot create snapshot '${d}@a': dataset already exists\nno snapshots were created\n`,
  })
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'snapshot', '-r', d], { code: 0, out: `${d}@a\n` })
  s.run(['zfs', 'snapshot', `${d}@x`, `${d}@y`], {
    code: 1,
    err: `cannot create snapshots : multiple snapshots of same fs not allowed\n`,
  })
  s.run(['zfs', 'snapshot', `${d}@x`, `${d}/kid@x`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}@x2`, `${d}/kid@x`], { code: 1 })
  s.run(['zfs', 'snapshot', '-r', `${d}@r`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}@with space`], E(0, ''))
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'snapshot', '-r', d])
}

export const clone = (s, P) => {
  const d = `${P}/clone`
  s.run(['zfs', 'create', d], E(0, ''))
  s.run(['zfs', 'create', `${d}/src`], E(0, ''))
  s.run(['zfs', 'snapshot', `${d}/src@s`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/src@s`, `${d}/c1`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/src@s`, `${d}/c1`], E(1, `cannot create '${d}/c1': dataset already exists\n`))
  s.run(['zfs', 'clone', '-p', `${d}/src@s`, `${d}/c1`], E(0, ''))
  s.run(['zfs', 'clone', `${d}/src@s`, `${d}/nope/c`], E(1, `cannot create '${d}/nope/c': parent does not exist\n`))
  s.run(['zfs', 'clone', `${d}/src@x`, `${d}/c2`], E(1, `cannot open '${d}/src@x': dataset does not exist\n`))
  s.run(
    ['zfs', 'clone', `${d}/src`, `${d}/c2`],
    E(1, `cannot open '${d}/src': missing '@' delimiter in snapshot name\n`),
  )
  s.run(
    ['zfs', 'clone', `${d}/src@s`, `${d}/c2@x`],
    E(1, `cannot create '${d}/c2@x': snapshot delimiter '@' is not expected here\n`),
  )
  s.run(
    ['zfs', 'clone', `${d}/src@s`, 'otherpool/c'],
    E(1, `cannot create 'otherpool/c': source and target pools differ\n`),
  )
  s.run(
    ['zfs', 'clone', `${d}/src@s`, 'nosuchpool/c'],
    E(1, `cannot create 'nosuchpool/c': no such pool 'nosuchpool'\n`),
  )
  s.run(['zfs', 'clone', `${d}/src@s`], { code: 2, errStart: 'missing target dataset argument\n' })
  s.run(['zfs', 'clone'], { code: 2, errStart: 'missing source dataset argument\n' })
  s.run(['zfs', 'clone', '-p', `${d}/src@s`, `${d}/deep/er/c3`], E(0, ''))
  s.run(['zfs', 'list', '-H', '-p', '-o', 'name,type,origin', '-t', 'filesystem,snapshot', '-r', d])
  s.run(['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'origin,clones', `${d}/c1`, `${d}/src@s`])
}
