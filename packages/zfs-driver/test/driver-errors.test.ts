// Every driver call in the fixtures runs exactly the recorded argv and maps zfs's stderr to the recorded StorageError.
import { describe, expect, it } from 'vitest'
import { datasetName, propertyName, snapshotName } from '@stratum/core'
import { createZfsDriver, ERROR_RULES, mapZfsError } from '../src/index.js'
import { runCall, type Call } from './call.js'
import { fixture, replay, type Recording } from './fake-executor.js'

interface DriverCase extends Recording {
  readonly call: Call
  readonly expect: unknown
}
interface MappingCase {
  readonly stderr: string
  readonly subject: string
  readonly expect: unknown
}

const DIR = 'openzfs-2.3.6-source-texts'
const { recordings } = fixture<{ recordings: DriverCase[] }>(`${DIR}/driver-errors.json`)
const { cases } = fixture<{ cases: MappingCase[] }>(`${DIR}/stderr-mapping.json`)

describe('driver calls against recorded zfs failures (texts from the 2.3.6 source)', () => {
  it.each(
    recordings.map(
      (r) =>
        [`${r.call.method}(${JSON.stringify(r.call.args)}) <- ${JSON.stringify(r.stderr.split('\n')[0])}`, r] as const,
    ),
  )('%s', async (_title, rec) => {
    const fake = replay([rec])
    const outcome = await runCall(createZfsDriver({ exec: fake.exec }), rec.call)
    expect(fake.calls).toEqual([rec.argv])
    expect(outcome).toEqual(rec.expect)
  })
})

describe('stderr -> StorageError for texts a branded name cannot provoke', () => {
  it.each(cases.map((c) => [JSON.stringify(c.stderr), c] as const))('%s', (_t, c) => {
    const { cause: _c, ...e } = mapZfsError(c.stderr, c.subject) as unknown as Record<string, unknown>
    expect(e).toEqual(c.expect)
  })
})

describe('driver-side rules', () => {
  it('renameSnapshot across datasets is InvalidName without running zfs', async () => {
    const fake = replay([])
    const r = await createZfsDriver({ exec: fake.exec }).renameSnapshot(snapshotName('p/a@s'), snapshotName('p/b@s'))()
    expect(r).toEqual({
      _tag: 'Left',
      left: { _tag: 'InvalidName', name: 'p/b@s', reason: 'snapshots must be part of same dataset' },
    })
    expect(fake.calls).toEqual([])
  })

  it('prefixes every argv with the sudo prefix', async () => {
    const fake = replay([{ argv: ['sudo', '-n', 'zfs', 'promote', 'p/c'], code: 0, stdout: '', stderr: '' }])
    const r = await createZfsDriver({ exec: fake.exec, sudo: ['sudo', '-n'] }).promote(datasetName('p/c'))()
    expect(r._tag).toBe('Right')
  })

  it('passes createProperties, then user properties, as -o options to create', async () => {
    const fake = replay([
      {
        argv: ['zfs', 'create', '-p', '-o', 'atime=off', '-o', 'stratum:state=new', 'p/a/b'],
        code: 0,
        stdout: '',
        stderr: '',
      },
    ])
    const d = createZfsDriver({ exec: fake.exec, createProperties: { atime: 'off' } })
    const r = await d.create(datasetName('p/a/b'), {
      parents: true,
      properties: { [propertyName('stratum:state')]: 'new' },
    })()
    expect(r._tag).toBe('Right')
  })

  it('a dataset created with noFiles gets canmount=off', async () => {
    const fake = replay([
      { argv: ['zfs', 'create', '-o', 'canmount=off', 'p/images'], code: 0, stdout: '', stderr: '' },
    ])
    const r = await createZfsDriver({ exec: fake.exec }).create(datasetName('p/images'), { noFiles: true })()
    expect(r._tag).toBe('Right')
  })

  it('snapshot and clone pass user properties as -o options; clone gets no createProperties', async () => {
    const fake = replay([
      { argv: ['zfs', 'snapshot', '-r', '-o', 'stratum:x=1', 'p/a@s'], code: 0, stdout: '', stderr: '' },
      { argv: ['zfs', 'clone', '-o', 'stratum:x=2', 'p/a@s', 'p/c'], code: 0, stdout: '', stderr: '' },
    ])
    const d = createZfsDriver({ exec: fake.exec, createProperties: { atime: 'off' } })
    expect(
      (await d.snapshot(snapshotName('p/a@s'), { recursive: true, properties: { [propertyName('stratum:x')]: '1' } })())
        ._tag,
    ).toBe('Right')
    expect(
      (await d.clone(snapshotName('p/a@s'), datasetName('p/c'), { properties: { [propertyName('stratum:x')]: '2' } })())
        ._tag,
    ).toBe('Right')
    expect(fake.unused()).toEqual([])
  })

  // seen in the guest: a removeLayer destroying the origin while a start clones it
  it('a clone whose ioctl met ENOENT ("no such parent") is DatasetNotFound naming the origin when the origin is gone, else ParentNotFound', async () => {
    const noParent = {
      argv: ['zfs', 'clone', 'p/l@x', 'p/r/c0'],
      code: 1,
      stdout: '',
      stderr: "cannot create 'p/r/c0': no such parent 'p/r'\n",
    }
    const gone = replay([
      noParent,
      {
        argv: ['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'filesystem,snapshot', 'p/l@x'],
        code: 1,
        stdout: '',
        stderr: "cannot open 'p/l@x': dataset does not exist\n",
      },
    ])
    expect(
      await createZfsDriver({ exec: gone.exec }).clone(snapshotName('p/l@x'), datasetName('p/r/c0'))(),
    ).toMatchObject({ _tag: 'Left', left: { _tag: 'DatasetNotFound', name: 'p/l@x' } })
    const listOf = (n: string, ok: boolean) => ({
      argv: ['zfs', 'list', '-H', '-p', '-o', 'name', '-t', 'filesystem,snapshot', n],
      code: ok ? 0 : 1,
      stdout: ok ? `${n}\n` : '',
      stderr: ok ? '' : `cannot open '${n}': dataset does not exist\n`,
    })
    const noParentDir = replay([noParent, listOf('p/l@x', true), listOf('p/r', false)])
    expect(
      await createZfsDriver({ exec: noParentDir.exec }).clone(snapshotName('p/l@x'), datasetName('p/r/c0'))(),
    ).toMatchObject({ _tag: 'Left', left: { _tag: 'ParentNotFound', name: 'p/r/c0' } })
    // both still there (seen in the guest: a destroy of the origin under way, then refused): clone again
    const both = replay([noParent, listOf('p/l@x', true), listOf('p/r', true), { ...noParent, code: 0, stderr: '' }])
    expect(
      (await createZfsDriver({ exec: both.exec }).clone(snapshotName('p/l@x'), datasetName('p/r/c0'))())._tag,
    ).toBe('Right')
    const again = replay([noParent, listOf('p/l@x', true), listOf('p/r', true), noParent])
    expect(
      await createZfsDriver({ exec: again.exec }).clone(snapshotName('p/l@x'), datasetName('p/r/c0'))(),
    ).toMatchObject({ _tag: 'Left', left: { _tag: 'DatasetNotFound', name: 'p/l@x' } })
  })

  it('a create whose ioctl met ENOENT ("no such parent": the parent vanished after the check) is ParentNotFound', async () => {
    const fake = replay([
      {
        argv: ['zfs', 'create', 'p/r/c0'],
        code: 1,
        stdout: '',
        stderr: "cannot create 'p/r/c0': no such parent 'p/r'\n",
      },
    ])
    expect(await createZfsDriver({ exec: fake.exec }).create(datasetName('p/r/c0'))()).toEqual({
      _tag: 'Left',
      left: { _tag: 'ParentNotFound', name: 'p/r/c0' },
    })
  })

  it('a value with tabs, newlines and "=" reaches zfs set as one argument', async () => {
    const v = 'a=b\tc\nd'
    const fake = replay([{ argv: ['zfs', 'set', `stratum:v=${v}`, 'p/a'], code: 0, stdout: '', stderr: '' }])
    expect(
      (await createZfsDriver({ exec: fake.exec }).setProperty(datasetName('p/a'), propertyName('stratum:v'), v)())._tag,
    ).toBe('Right')
  })

  it('an executor that cannot start zfs gives Io naming the command', async () => {
    const r = await createZfsDriver({
      exec: async () => {
        throw Object.assign(new Error('spawn zfs ENOENT'), { code: 'ENOENT' })
      },
    }).destroy(datasetName('p/a'))()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left._tag).toBe('Io')
      expect(r.left._tag === 'Io' && r.left.message).toContain("could not run 'zfs destroy p/a': spawn zfs ENOENT")
    }
  })
})

describe('the error table', () => {
  it('every rule is exercised by at least one recorded or documented stderr', () => {
    const texts = [...recordings.map((r) => r.stderr), ...cases.map((c) => c.stderr)].flatMap((s) => s.split('\n'))
    const unused = ERROR_RULES.filter((rule) => !texts.some((l) => rule.pattern.test(l))).map((r) => String(r.pattern))
    expect(unused).toEqual([])
  })
})
