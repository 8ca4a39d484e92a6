import * as tar from 'tar-stream'
import { type DatasetName, type Driver, type FileTree, type SnapshotName, packageLayer } from '@stratum/core'
import { dsn, fsOf, readAll, snn } from '../checks/util.js'
import { applyBytes, dumpTree, type DumpNode } from './apply-tar.js'

import { unwrap as must } from '@stratum/core/testing'

export { must }

export interface LayerPair {
  readonly parent: SnapshotName
  readonly layer: SnapshotName
}

/** `name`@s built by `build`, and `name`-l@s: its clone changed by `change`. */
export const layerPair = async (
  driver: Driver,
  base: DatasetName,
  name: string,
  build: (t: FileTree) => Promise<void>,
  change: (t: FileTree) => Promise<void>,
): Promise<LayerPair> => {
  const p = dsn(base, name)
  const l = dsn(base, `${name}-l`)
  await must(driver.create(p), 'create parent')
  await build(await fsOf(driver, p))
  await must(driver.snapshot(snn(base, `${name}@s`)), 'snapshot parent')
  await must(driver.clone(snn(base, `${name}@s`), l), 'clone')
  await change(await fsOf(driver, l))
  await must(driver.snapshot(snn(base, `${name}-l@s`)), 'snapshot layer')
  return { parent: snn(base, `${name}@s`), layer: snn(base, `${name}-l@s`) }
}

export const packageBytes = async (driver: Driver, pair: LayerPair): Promise<Uint8Array> =>
  new Uint8Array(
    Buffer.concat([await readAll(await must(packageLayer(driver, pair.parent, pair.layer), 'packageLayer'))]),
  )

/** The tar's entries in order: `name` as written, a type letter, and the link target if any. */
export const entryList = async (bytes: Uint8Array): Promise<string[]> => {
  const ex = tar.extract()
  ex.end(Buffer.from(bytes))
  const out: string[] = []
  const letter: Record<string, string> = {
    file: 'F',
    directory: 'D',
    symlink: 'S',
    link: 'H',
    fifo: 'P',
    'character-device': 'C',
    'block-device': 'B',
  }
  for await (const e of ex) {
    for await (const _ of e) {
      /* drain */
    }
    out.push(`${letter[e.header.type] ?? '?'} ${e.header.name}${e.header.linkname ? ` -> ${e.header.linkname}` : ''}`)
  }
  return out
}

/** Both trees of a round trip, and the package's bytes. */
export interface RoundTrip {
  readonly got: Record<string, DumpNode>
  readonly want: Record<string, DumpNode>
  readonly bytes: Uint8Array
}

/** Applies the package of `pair` onto a fresh clone of its parent and dumps both trees. */
export const roundTrip = async (
  driver: Driver,
  base: DatasetName,
  pair: LayerPair,
  name: string,
): Promise<RoundTrip> => {
  const bytes = await packageBytes(driver, pair)
  const target = dsn(base, `${name}-rt`)
  await must(driver.clone(pair.parent, target), 'clone for round trip')
  const t = await fsOf(driver, target)
  await must(() => applyBytes(t, bytes, driver.capabilities), 'apply package')
  const xattrs = driver.capabilities.xattrs
  return { got: await dumpTree(t, { xattrs }), want: await dumpTree(await fsOf(driver, pair.layer), { xattrs }), bytes }
}
