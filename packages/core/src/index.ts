/**
 * `@stratum/core`: what a container runtime uses (the store, names, errors, OCI references and
 * platforms) and what a storage backend implements (the Driver algebra and its types). Stratum's
 * own packages also use `@stratum/core/internal`, which carries no compatibility promise.
 */
export * from './algebra.js'
export { fsCodeOf } from './host/errno.js'
export type * from './oci/index.js'
export {
  ANNOTATION_REF_NAME,
  blobPath,
  ChainId,
  chainIdOf,
  chainIds,
  DEFAULT_DECOMPRESS_LIMITS,
  Descriptor,
  DescriptorPlatform,
  DiffId,
  Digest,
  digestHex,
  formatImageReference,
  formatPlatform,
  hostPlatform,
  ImageConfig,
  ImageIndex,
  ImageManifest,
  layerBlob,
  layerCompression,
  layerMediaType,
  MAX_ZSTD_WINDOW,
  MEDIA_CONFIG,
  MEDIA_DOCKER_LAYER_GZIP,
  MEDIA_DOCKER_LAYER_TAR,
  MEDIA_DOCKER_LAYER_ZSTD,
  MEDIA_DOCKER_MANIFEST,
  MEDIA_DOCKER_MANIFEST_LIST,
  MEDIA_INDEX,
  MEDIA_LAYER_GZIP,
  MEDIA_LAYER_TAR,
  MEDIA_LAYER_ZSTD,
  MEDIA_MANIFEST,
  MEDIA_OCI_LAYOUT_VERSION,
  normalizePlatform,
  OciLayout,
  parseChainId,
  parseDiffId,
  parseDigest,
  parseImageReference,
  parsePlatform,
  readImage,
  sha256,
  writeImageLayout,
} from './oci/index.js'
export type * from './layer/index.js'
export { applyLayer, DEFAULT_APPLY_LIMITS, OPAQUE_MARKER, packageLayer, WHITEOUT_PREFIX } from './layer/index.js'
export type * from './store/index.js'
export {
  DEFAULT_STALE_AFTER_MS,
  defaultOwnerPolicy,
  EXTRACTED,
  MIN_PREFIX,
  openLayerStore,
  openStore,
  PROP,
  promiseStore,
  runTask,
  storeLayout,
} from './store/index.js'
