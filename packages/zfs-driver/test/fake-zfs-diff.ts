/** `zfs diff -H -F` of two host directories for the fake zfs: added, removed and modified entries under the to-mountpoint. */
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs'
import { join } from 'node:path'

const typeChar = (s: Stats): string =>
  s.isDirectory()
    ? '/'
    : s.isSymbolicLink()
      ? '@'
      : s.isFIFO()
        ? '|'
        : s.isSocket()
          ? '='
          : s.isBlockDevice()
            ? 'B'
            : s.isCharacterDevice()
              ? 'C'
              : 'F'

/** libzfs's stream_bytes: printable ASCII but space and backslash as is, every other byte as `\` and 4 octal digits. */
const escapePath = (p: string): string =>
  [...Buffer.from(p)]
    .map((b) => (b > 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(8).padStart(4, '0')}`))
    .join('')

/** Every entry below `dir` (`.zfs` at its root excluded) by relative path. */
const walk = (dir: string, rel = '', out = new Map<string, Stats>()): Map<string, Stats> => {
  for (const name of readdirSync(join(dir, rel))) {
    const r = rel === '' ? name : `${rel}/${name}`
    if (r === '.zfs') continue
    const st = lstatSync(join(dir, r))
    out.set(r, st)
    if (st.isDirectory()) walk(dir, r, out)
  }
  return out
}

const same = (a: string, b: string, sa: Stats, sb: Stats): boolean => {
  if (typeChar(sa) !== typeChar(sb) || sa.mode !== sb.mode || sa.uid !== sb.uid || sa.gid !== sb.gid) return false
  if (sa.isDirectory()) return true
  if (sa.mtimeMs !== sb.mtimeMs || sa.size !== sb.size) return false
  if (sa.isSymbolicLink()) return readlinkSync(a) === readlinkSync(b)
  return !sa.isFile() || readFileSync(a).equals(readFileSync(b))
}

export const diffText = (fromDir: string, toDir: string, mountpoint: string): string => {
  const before = walk(fromDir)
  const after = walk(toDir)
  const line = (c: string, s: Stats, rel: string): string =>
    `${c}\t${typeChar(s)}\t${escapePath(`${mountpoint}/${rel}`)}\n`
  const out: string[] = []
  for (const [rel, s] of before) if (!after.has(rel)) out.push(line('-', s, rel))
  for (const [rel, s] of after) {
    const old = before.get(rel)
    if (old === undefined) out.push(line('+', s, rel))
    else if (typeChar(old) !== typeChar(s)) out.push(line('-', old, rel), line('+', s, rel))
    else if (!same(join(fromDir, rel), join(toDir, rel), old, s)) out.push(line('M', s, rel))
  }
  return out.join('')
}
