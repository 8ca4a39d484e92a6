// A synthetic tree shaped like the benches' real data, for when that cannot be built and for CI:
//   node synthetic-tree.mjs rootfs  <dir> <scale>   like a Debian minbase rootfs (at scale 1:
//     ~1,130 directories, ~6,950 files, 160 MiB, ~650 symlinks, a few hard links; mean depth ~6.8)
//   node synthetic-tree.mjs modules <dir> <scale>   like an npm node_modules (at scale 1: ~21,900
//     entries, mostly small files, packages nested 2-3 deep)
// Deterministic: the same arguments give the same tree.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [kind, root, scaleArg] = process.argv.slice(2)
const scale = Number(scaleArg ?? 1)
if ((kind !== 'rootfs' && kind !== 'modules') || root === undefined || !(scale > 0)) {
  console.error('usage: synthetic-tree.mjs rootfs|modules <dir> <scale>')
  process.exit(2)
}

let seed = kind === 'rootfs' ? 1 : 2
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const n = (x) => Math.max(1, Math.round(x * scale))
/** file sizes: mostly a few KiB, a long tail up to a few MiB (mean ~24 KiB for rootfs) */
const size = (meanKiB) =>
  Math.floor(Math.min(4 << 20, -Math.log(1 - rand()) * meanKiB * 1024 * (rand() < 0.02 ? 20 : 0.6)))
/** half pseudo-random words, half text-like runs (compresses about 2:1, as binaries do) */
const content = (bytes) => {
  const b = Buffer.alloc(bytes, 0x61)
  for (let i = 0; i + 4 <= bytes; i += 8) b.writeUInt32LE((rand() * 2 ** 32) >>> 0, i)
  return b
}

const dirs = ['']
const files = []
mkdirSync(root, { recursive: true })
const mkdir = (parent, name) => {
  const d = parent === '' ? name : `${parent}/${name}`
  mkdirSync(join(root, d))
  dirs.push(d)
  return d
}
const file = (dir, name, bytes) => {
  const f = dir === '' ? name : `${dir}/${name}`
  writeFileSync(join(root, f), content(bytes), { mode: rand() < 0.1 ? 0o755 : 0o644 })
  files.push(f)
}

if (kind === 'rootfs') {
  for (const top of ['bin', 'etc', 'lib', 'usr', 'var', 'opt', 'root', 'tmp']) mkdir('', top)
  for (let i = 0; i < n(1120); i++) {
    // grow under an existing directory, uniformly: a random recursive tree, mean depth near 6.8
    const parent = pick(dirs)
    mkdir(parent, `d${i}`)
  }
  for (let i = 0; i < n(6945); i++) file(pick(dirs.slice(1)), `f${i}.so`, size(24))
  for (let i = 0; i < n(655); i++)
    symlinkSync(`../${pick(files).split('/').pop()}`, join(root, pick(dirs.slice(1)), `l${i}`))
  for (let i = 0; i < n(2); i++) linkSync(join(root, pick(files)), join(root, pick(dirs.slice(1)), `h${i}`))
} else {
  const pkgs = []
  const nestedIn = new Set()
  for (let p = 0; p < n(450); p++) {
    // a third of the packages nest in another's node_modules
    let parent = ''
    if (rand() < 0.3 && pkgs.length > 0) {
      const owner = pick(pkgs)
      parent = `${owner}/node_modules`
      if (!nestedIn.has(owner)) mkdir(owner, 'node_modules'), nestedIn.add(owner)
    }
    const pkg = mkdir(parent, `pkg${p}`)
    pkgs.push(pkg)
    file(pkg, 'package.json', 600 + Math.floor(rand() * 1200))
    const sub = [pkg]
    for (let d = 0; d < 4; d++) sub.push(mkdir(pick(sub), `dir${d}`))
    for (let f = 0; f < 40; f++) file(pick(sub), `m${f}.js`, size(3))
  }
}

console.error(`synthetic ${kind} at ${root}: ${dirs.length} directories, ${files.length} files`)
