/** Extracting an image from a `docker save` archive file: the docker reader's source, then extract's loop. */
import { basename, dirname, join } from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { readDockerArchive } from '../docker/archive.js'
import type { StorageError } from '../errors.js'
import type { StoreContext } from './context.js'
import { extractSource } from './extract-image.js'
import { imageNameFor } from './image-name.js'
import { must, steps } from './steps.js'
import type { TaskControl } from './control.js'
import type { ExtractedImage, ExtractImageOptions } from './types.js'

/** `web.tar` names images after `web` (when the archive gives no repo tag). */
const stem = (path: string): string => join(dirname(path), basename(path).replace(/\.(tar|tar\.gz|tgz)$/, ''))

/**
 * Image `ref` (a repo tag; none: the only image) of the archive at `path`, recorded under the
 * given name, else its repo tag, else `<file name>:latest`.
 */
export const extractArchive = (
  ctx: StoreContext,
  path: string,
  ref: string | undefined,
  control: TaskControl = {},
  options: ExtractImageOptions = {},
): TE.TaskEither<StorageError, ExtractedImage> =>
  steps(async () => {
    const { source, tag } = await must(readDockerArchive(path, ref))
    const name = await must(TE.fromEither(imageNameFor(stem(path), tag ?? ref ?? 'latest', options.name)))
    return must(extractSource(ctx, name, source, control, options.labels))
  })
