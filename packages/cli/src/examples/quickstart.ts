import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { datasetName, describeError, openLayerStore } from '@stratum/core'
import { createSimDriver } from '@stratum/sim-driver'

/** Extracts image `tag` from an OCI layout, runs a container on it, commits and packages its change. */
export const quickstart = (layoutDir: string, tag: string) => {
  const driver = createSimDriver({ pools: ['tank'] }) // or createZfsDriver() from @stratum/zfs-driver
  return pipe(
    openLayerStore(driver, datasetName('tank/stratum')),
    TE.bindTo('store'),
    TE.bind('image', ({ store }) => store.extractImage(layoutDir, tag)),
    TE.tap(({ store, image }) => store.start('web-1', image.top)),
    TE.tap(() =>
      pipe(
        driver.fs(datasetName('tank/stratum/runtime/web-1')),
        TE.flatMap((root) => root.writeFile('motd', Buffer.from('hello\n'), { flag: 'truncate' })),
      ),
    ),
    TE.bind('layer', ({ store }) => store.commit('web-1', { keep: false })),
    TE.bind('packaged', ({ store, layer }) => store.packageLayer(layer.chainId)),
    TE.mapLeft(describeError), // one line naming the error tag and the thing
  )
}
