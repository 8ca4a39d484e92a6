/**
 * pull: an image from an OCI registry extracted as extractImage extracts a layout's, each layer
 * streamed from the registry through verification into the store (no temporary layout; a layer
 * already stored is not downloaded), then its reference recorded under the name pulled.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import { parsePlatform } from '../oci/platform.js'
import { formatImageReference, parseImageReference } from '../oci/reference.js'
import { registrySource } from '../registry/source.js'
import type { StoreContext } from './context.js'
import type { TaskControl } from './control.js'
import { extractSource } from './extract-image.js'
import { imageNameFor } from './image-name.js'
import { must, steps } from './steps.js'
import type { ExtractedImage, PullOptions } from './types.js'

export const pull = (
  ctx: StoreContext,
  reference: string,
  control: TaskControl,
  options: PullOptions,
): TE.TaskEither<StorageError, ExtractedImage> =>
  steps(async () => {
    const ref = await must(TE.fromEither(parseImageReference(reference)))
    const platform =
      options.platform === undefined ? undefined : await must(TE.fromEither(parsePlatform(options.platform)))
    const source = await must(
      registrySource(ref, {
        ...(options.insecure === undefined ? {} : { insecure: options.insecure }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        ...(options.mirrors === undefined ? {} : { mirrors: options.mirrors }),
        ...(platform === undefined ? {} : { platform }),
      }),
    )
    const name = await must(TE.fromEither(imageNameFor('', reference, options.name ?? formatImageReference(ref))))
    return must(extractSource(ctx, name, source, control, options.labels))
  })
