/** OCI and Docker media types Stratum reads, and what each says about compression. */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '../errors.js'

/** The `imageLayoutVersion` of the layouts Stratum writes. */
export const MEDIA_OCI_LAYOUT_VERSION = '1.0.0'

const OCI = 'application/vnd.oci.image'
/** OCI image index media type. */
export const MEDIA_INDEX = `${OCI}.index.v1+json`
/** OCI image manifest media type. */
export const MEDIA_MANIFEST = `${OCI}.manifest.v1+json`
/** OCI image config media type. */
export const MEDIA_CONFIG = `${OCI}.config.v1+json`
/** OCI uncompressed layer media type; with `+gzip` and `+zstd`, the compressed ones. */
export const MEDIA_LAYER_TAR = `${OCI}.layer.v1.tar`
/** OCI gzip layer media type. */
export const MEDIA_LAYER_GZIP = `${MEDIA_LAYER_TAR}+gzip`
/** OCI zstd layer media type. */
export const MEDIA_LAYER_ZSTD = `${MEDIA_LAYER_TAR}+zstd`

const docker = (type: string): string => `application/vnd.docker.${type}`
/** Docker image manifest (schema 2) media type. */
export const MEDIA_DOCKER_MANIFEST = docker('distribution.manifest.v2+json')
/** Docker manifest list (multi-platform) media type. */
export const MEDIA_DOCKER_MANIFEST_LIST = docker('distribution.manifest.list.v2+json')
/** Docker uncompressed layer media type. */
export const MEDIA_DOCKER_LAYER_TAR = docker('image.rootfs.diff.tar')
/** Docker gzip layer media type. */
export const MEDIA_DOCKER_LAYER_GZIP = `${MEDIA_DOCKER_LAYER_TAR}.gzip`
/** Docker zstd layer media type. */
export const MEDIA_DOCKER_LAYER_ZSTD = `${MEDIA_DOCKER_LAYER_TAR}.zstd`
/** the annotation naming a manifest in `index.json` */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name'

/** the compressions Stratum writes */
export type Compression = 'none' | 'gzip' | 'zstd'
/** the compressions a layer Stratum reads may have */
export type LayerCompression = Compression

const BY_TYPE: Readonly<Record<string, LayerCompression>> = {
  [MEDIA_LAYER_TAR]: 'none',
  [MEDIA_LAYER_GZIP]: 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  [MEDIA_LAYER_ZSTD]: 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  [MEDIA_DOCKER_LAYER_ZSTD]: 'zstd',
  [MEDIA_DOCKER_LAYER_GZIP]: 'gzip',
  [MEDIA_DOCKER_LAYER_TAR]: 'none',
}

/** The compression of a layer media type; anything else (encrypted, unknown) is Unsupported. */
export const layerCompression = (mediaType: string): E.Either<StorageError, LayerCompression> => {
  const c = BY_TYPE[mediaType]
  return c === undefined ? E.left(err('Unsupported', { what: `layer media type '${mediaType}'` })) : E.right(c)
}

/** True for the OCI and Docker image manifest media types. */
export const isManifestMediaType = (m: string): boolean => m === MEDIA_MANIFEST || m === MEDIA_DOCKER_MANIFEST

/** An image index (OCI) or a manifest list (Docker): a list of manifests, one per platform. */
export const isIndexMediaType = (m: string): boolean => m === MEDIA_INDEX || m === MEDIA_DOCKER_MANIFEST_LIST
