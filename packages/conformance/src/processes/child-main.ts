/**
 * The child side of the process checks: a driver's child script calls
 *
 *   storeChildMain((spec) => openMyDriver(spec))
 *
 * and runs a LayerStore the way a separate runtime process would, on the driver that `spec`
 * names (a state file, a pool: whatever the driver's options gave the checks):
 *   extract <spec> <base> <layoutDir> <ref>      extract one image, print {"top": ...}, exit 0
 *   churn   <spec> <base> <layoutDir> <ref>...   extract, start, apply, commit (kept or not) or
 *                                                remove, in a loop until killed; after the
 *                                                first full cycle prints 'ready <ms of that cycle>'
 *   mount   <spec> <base> <layoutDir> <id>       hold container <id> mounted (this process the
 *                                                holder), print 'ready <path>', wait to be killed
 * Any failure is printed on stderr and exits 1.
 */
import { datasetName, type Driver, openLayerStore, type StorageError } from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { CHURN_TAR, once } from './fixtures.js'
import { ok } from './ok.js'

const run = async (
  openDriver: (spec: string) => TaskEither<StorageError, Driver>,
  argv: readonly string[],
): Promise<void> => {
  const [cmd, spec, base, dir, ...refs] = argv
  if (
    (cmd !== 'extract' && cmd !== 'churn' && cmd !== 'mount') ||
    spec === undefined ||
    base === undefined ||
    dir === undefined ||
    refs.length === 0
  ) {
    throw new Error(`usage: extract|churn|mount <spec> <base> <layoutDir> <ref>... (got ${argv.join(' ')})`)
  }
  const driver = await ok(openDriver(spec), `open driver ${spec}`)
  const store = await ok(openLayerStore(driver, datasetName(base)), `open store ${base}`)
  if (cmd === 'mount') {
    process.stdout.write(`ready ${await ok(store.mount(refs[0]!), `mount ${refs[0]}`)}\n`)
    // held until killed: a timer keeps the process alive without work
    setInterval(() => undefined, 2 ** 30)
    return
  }
  if (cmd === 'extract') {
    const img = await ok(store.extractImage(dir, refs[0]!), `extract ${refs[0]}`)
    process.stdout.write(`${JSON.stringify({ top: img.top, reused: img.layers.map((l) => l.reused) })}\n`)
    return
  }
  for (let i = 0; ; i++) {
    const started = Date.now()
    const ref = refs[i % refs.length]!
    const img = await ok(store.extractImage(dir, ref), `extract ${ref}`)
    const id = `c${process.pid}-${i}`
    await ok(store.start(id, img.top), `start ${id}`)
    await ok(store.apply(id, once(CHURN_TAR)), `apply ${id}`)
    if (i % 3 === 2) await ok(store.removeContainer(id), `remove ${id}`)
    else await ok(store.commit(id, { keep: i % 3 === 1 }), `commit ${id}`)
    if (i === 0) process.stdout.write(`ready ${Date.now() - started}\n`)
  }
}

/** The main of a driver's child script for the process checks: opens the driver with `openDriver` and runs the store operations the parent asks for. */
export const storeChildMain = (
  openDriver: (spec: string) => TaskEither<StorageError, Driver>,
  argv: readonly string[] = process.argv.slice(2),
): void => {
  run(openDriver, argv).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  })
}
