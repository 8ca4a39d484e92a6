/**
 * A file tree as comparable lines, `<path> <type> <content>`, sorted: what the process checks
 * compare across runs, drivers and processes. The same lines come from a driver's tree
 * (`treeOf`) or from a list of layer entries (`specTree`).
 */
import type { AnyName, Driver } from '@stratum/core'
import type { EntrySpec } from './fixtures.js'
import { ok } from './ok.js'

export const treeOf = async (d: Driver, name: AnyName): Promise<string[]> => {
  const t = await ok(d.fs(name), `fs(${name})`)
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const n of await ok(t.readdir(dir), `readdir(${name}: ${dir})`)) {
      const p = dir === '' ? n : `${dir}/${n}`
      const st = await ok(t.lstat(p), `lstat(${name}: ${p})`)
      let content = ''
      if (st.type === 'F')
        for await (const c of await ok(t.read(p), `read(${name}: ${p})`)) content += Buffer.from(c).toString()
      out.push(`${p} ${st.type} ${content}`)
      if (st.type === '/') await walk(p)
    }
  }
  await walk('')
  return out.sort()
}

/** The tree these layers (entries applied in order, whiteouts hiding what is below) make. */
export const specTree = (layers: readonly (readonly EntrySpec[])[]): string[] => {
  const tree = new Map<string, string>()
  for (const layer of layers) {
    for (const e of layer) {
      if (e.whiteout) {
        for (const p of [...tree.keys()]) if (p === e.path || p.startsWith(`${e.path}/`)) tree.delete(p)
      } else tree.set(e.path, e.dir ? '/ ' : `F ${e.content ?? ''}`)
    }
  }
  return [...tree].map(([p, rest]) => `${p} ${rest}`).sort()
}
