/** Small helpers shared by the named checks. */
import {
  type AnyName,
  type DatasetInfo,
  type DatasetName,
  type Driver,
  type FileTree,
  type PropertyName,
  type SnapshotName,
  datasetName,
  propertyName,
  snapshotName,
} from '@stratum/core'
import { unwrap as must } from '@stratum/core/testing'

/** `base`, 'a/b' -> `base/a/b` */
export const dsn = (base: DatasetName, rel: string): DatasetName => datasetName(rel === '' ? base : `${base}/${rel}`)
/** `base`, 'a@s' -> `base/a@s`; '@s' -> `base@s` */
export const snn = (base: DatasetName, rel: string): SnapshotName =>
  snapshotName(rel.startsWith('@') ? `${base}${rel}` : `${base}/${rel}`)
export const prop = (s: string): PropertyName => propertyName(s)

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
export const text = (b: Uint8Array): string => new TextDecoder().decode(b)

export const readAll = async (chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = []
  for await (const c of chunks) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

export const fsOf = (d: Driver, n: AnyName): Promise<FileTree> => must(d.fs(n), `fs(${n})`)
export const listOf = (d: Driver, root: DatasetName): Promise<readonly DatasetInfo[]> =>
  must(d.list(root), `list(${root})`)
export const namesOf = async (d: Driver, root: DatasetName): Promise<string[]> =>
  (await listOf(d, root)).map((i) => i.name.slice(root.length) || '.')
export const infoOf = async (d: Driver, root: DatasetName, name: AnyName): Promise<DatasetInfo | undefined> =>
  (await listOf(d, root)).find((i) => i.name === name)
export const existsIn = (d: Driver, n: AnyName): Promise<boolean> => must(d.exists(n), `exists(${n})`)
export const readText = async (d: Driver, n: AnyName, path: string): Promise<string> => {
  const t = await fsOf(d, n)
  return text(await readAll(await must(t.read(path), `read(${n}:${path})`)))
}
export const writeText = async (
  d: Driver,
  n: AnyName,
  path: string,
  s: string,
  flag: 'create' | 'truncate' | 'append' = 'create',
): Promise<void> => {
  const t = await fsOf(d, n)
  await must(t.writeFile(path, utf8(s), { flag }), `writeFile(${n}:${path})`)
}
export const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort()
