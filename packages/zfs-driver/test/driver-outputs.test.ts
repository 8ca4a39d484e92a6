// list / getProperty / diff parse recorded zfs output into the core's records, running exactly the recorded argv.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { nameToBytes } from '@stratum/core'
import { createZfsDriver, parseDiff, parseGet, parseList, sortZfsOrder, unescapePath } from '../src/index.js'
import { runCall, type Call } from './call.js'
import { fixture, replay, type Recording } from './fake-executor.js'

interface Scenario {
  readonly recordings: Recording[]
  readonly call: Call
  readonly expect: unknown
}
interface Outputs {
  list: Scenario
  getProperty: Scenario[]
  diff: Scenario[]
}

const out = fixture<Outputs>('openzfs-2.3.6-source-texts/outputs.json')

const play = async (s: Scenario) => {
  const fake = replay(s.recordings)
  const outcome = await runCall(createZfsDriver({ exec: fake.exec }), s.call)
  expect(fake.calls).toEqual(s.recordings.slice(0, fake.calls.length).map((r) => r.argv))
  return { outcome, fake }
}

describe('list', () => {
  it('sorts rows in zfs order, joins user properties (local and inherited, native ones dropped) and derives clones', async () => {
    const { outcome, fake } = await play(out.list)
    expect(outcome).toEqual(out.list.expect)
    expect(fake.unused()).toEqual([])
  })

  it('an unknown row is an Io error that shows the line', () => {
    const r = parseList('p', 'p/a\tvolume\t-\t5\t-\n')
    expect(E.isLeft(r) && r.left._tag === 'Io' && r.left.message).toContain('"p/a\\tvolume\\t-\\t5\\t-"')
  })

  it('a row whose type contradicts its name is an Io error', () => {
    expect(E.isLeft(parseList('p', 'p/a\tsnapshot\t-\t5\t\n'))).toBe(true)
  })

  it('a row with a bad origin or txg is an Io error', () => {
    expect(E.isLeft(parseList('p', 'p/a\tfilesystem\tnot a snapshot\t5\t-\n'))).toBe(true)
    expect(E.isLeft(parseList('p', 'p/a\tfilesystem\t-\t5x\t-\n'))).toBe(true)
    expect(E.isLeft(parseList('p', 'p/a\tfilesystem\t-\t5\n'))).toBe(true)
  })

  // property: whatever order zfs prints rows in, sorting gives byte order of the dataset part, a filesystem before its snapshots, snapshots by createtxg
  it('sortZfsOrder is independent of input order', () => {
    const comp = fc.constantFrom('a', 'a-b', 'ab', 'b', 'A', 'a.b', 'a:b', 'a b')
    const rowsArb = fc.uniqueArray(
      fc.tuple(
        fc.array(comp, { minLength: 1, maxLength: 3 }),
        fc.option(fc.constantFrom('s', 't', 'u'), { nil: undefined }),
        fc.nat(1000),
      ),
      { selector: ([c, s]) => `${c.join('/')}@${s ?? ''}`, maxLength: 12 },
    )
    fc.assert(
      fc.property(rowsArb, (spec) => {
        const lines = spec.map(
          ([c, s, txg]) =>
            `p/${c.join('/')}${s === undefined ? '' : `@${s}`}\t${s === undefined ? 'filesystem' : 'snapshot'}\t-\t${txg}\t-`,
        )
        const a = parseList('p', lines.join('\n'))
        const b = parseList('p', [...lines].reverse().join('\n'))
        if (E.isLeft(a) || E.isLeft(b)) return false
        const sa = sortZfsOrder(a.right).map((r) => r.name)
        expect(sortZfsOrder(b.right).map((r) => r.name)).toEqual(sa)
        const rows = sortZfsOrder(a.right)
        for (let i = 1; i < rows.length; i++) {
          const [x, y] = [rows[i - 1]!, rows[i]!]
          const dx = Buffer.from(x.name.split('@')[0]!),
            dy = Buffer.from(y.name.split('@')[0]!)
          const c = Buffer.compare(dx, dy)
          expect(c <= 0).toBe(true)
          if (c === 0) {
            expect(x.type === 'filesystem' || y.type === 'snapshot').toBe(true)
            if (x.type === 'snapshot') expect(x.createtxg <= y.createtxg).toBe(true)
          }
        }
        return true
      }),
      { numRuns: 60 },
    )
  })
})

describe('getProperty', () => {
  it.each(out.getProperty.map((s) => [JSON.stringify(s.recordings[0]!.stdout), s] as const))('%s', async (_t, s) => {
    const { outcome } = await play(s)
    expect(outcome).toEqual(s.expect)
  })

  // property: values with tabs and newlines survive the round trip through zfs get's TAB-separated lines
  it('parseGet reads back any value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('p/a', 'p/a@s', 'p/b'),
            fc.constantFrom('x:a', 'x:b', 'mountpoint'),
            fc.string({ unit: fc.constantFrom('a', '\t', '\n', ' ', '-', 'l') }),
            fc.constantFrom('local', '-', 'inherited from p', 'default'),
          ),
          { maxLength: 6 },
        ),
        (rows) => {
          // a value ending in "\t<source>" or with a line looking like a record start is ambiguous by construction; zfs users avoid them
          fc.pre(
            rows.every(
              ([, , v]) =>
                !/\t(local|-|default|received|temporary|inherited from .*)$|\n[^\t]+\t[a-z0-9_.:-]+\t|\t(local|-|default|received|temporary|inherited from [^\t\n]+)\n/.test(
                  v,
                ),
            ),
          )
          const text = rows.map((r) => `${r.join('\t')}\n`).join('')
          const r = parseGet('p', text)
          expect(E.isRight(r)).toBe(true)
          if (E.isRight(r)) expect(r.right.map((g) => g.value)).toEqual(rows.map(([, , v]) => v))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('an unknown source is an Io error showing the text', () => {
    const r = parseGet('p/a', 'p/a\tx:y\tv\tsomewhere\n')
    expect(E.isLeft(r) && r.left._tag === 'Io' && r.left.message).toContain('somewhere')
  })
})

describe('diff', () => {
  it.each(out.diff.map((s) => [`${JSON.stringify(s.call.args)}`, s] as const))('%s', async (_t, s) => {
    const { outcome, fake } = await play(s)
    expect(outcome).toEqual(s.expect)
    expect(fake.unused()).toEqual([])
  })

  const mnt = '/p/a'
  it.each([
    ['unknown change letter', 'X\tF\t/p/a/x'],
    ['door type (not a FileType)', '+\t>\t/p/a/door'],
    ['unknown type', '+\t?\t/p/a/q'],
    ['raw space (not escaped)', '+\tF\t/p/a/a b'],
    ['bad escape', '+\tF\t/p/a/a\\12'],
    ['outside the mountpoint', '+\tF\t/q/x'],
    ['mountpoint prefix without slash', '+\tF\t/p/ab'],
    ['rename with 3 fields', 'R\tF\t/p/a/x'],
    ['bad link delta', 'M\tF\t/p/a/x\t+1'],
  ])('rejects %s as Io showing the line', (_t, line) => {
    const r = parseDiff('p/a@s', mnt, Buffer.from(`${line}\n`, 'latin1'))
    expect(E.isLeft(r) && r.left._tag === 'Io' && r.left.message).toContain(JSON.stringify(line))
  })

  // property: libzfs's stream_bytes escaping (every byte not in 0x21..0x7e except '\', as \ooo0-padded octal) decodes back to the name
  it('unescapePath inverts stream_bytes', () => {
    const streamBytes = (s: string): string =>
      [...Buffer.from(s, 'utf8')]
        .map((c) =>
          c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString(8).padStart(4, '0')}`,
        )
        .join('')
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        expect(unescapePath(streamBytes(name))).toEqual(E.right(name))
      }),
      { numRuns: 300 },
    )
  })

  // property: any byte string, UTF-8 or not, comes back as the name nameFromBytes gives (names are bytes)
  it('unescapePath keeps names that are not UTF-8, byte for byte', () => {
    const streamBytes = (b: Uint8Array): string =>
      [...b]
        .map((c) =>
          c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString(8).padStart(4, '0')}`,
        )
        .join('')
    expect(unescapePath('caf\\0351')).toEqual(E.right('caf\udce9'))
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), (b) => {
        const r = unescapePath(streamBytes(b))
        expect(E.isRight(r) && nameToBytes(r.right)).toEqual(Buffer.from(b))
      }),
      { numRuns: 300 },
    )
    const r = parseDiff('p/a@s', mnt, Buffer.from('+\tF\t/p/a/caf\\0351\n+\tF\t/p/a/caf\\0350\n', 'latin1'))
    expect(r).toEqual(
      E.right([
        { change: '+', type: 'F', path: '/caf\udce9' },
        { change: '+', type: 'F', path: '/caf\udce8' },
      ]),
    )
  })
})
