/**
 * The LayerStore: image layers and container roots on one driver, under one base dataset.
 * Every operation is a lazy TaskEither; see docs/DESIGN.md "The algorithms, as fixed from the seed".
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { FileTree } from '../fs.js'
import type { AnyName, ContainerId, SnapshotName } from '../names.js'
import type { ChainId, DiffId, Digest } from '../oci/digest.js'
import type { Compression } from '../oci/media.js'
import type { WrittenImage } from '../oci/write.js'
import type { LayerExpectation } from '../oci/verified-layer.js'
import type { RegistryOptions } from '../registry/client.js'
import type { TaskControl } from './control.js'
import type { ApplyResult } from './layer-ops.js'
import type { ImageRecord } from './images.js'
import type { LabelChange, Labels } from './labels.js'
import type { LayerRef, StoreLayout } from './layout.js'
import type { PruneReport, RecoveryReport, StoreUsage } from './reports.js'

/** What the caller knows of a layer blob (its descriptor): each given field is verified. */
export type LayerMeta = LayerExpectation

/** One layer an extract stored or found. */
export interface ExtractedLayer {
  readonly chainId: ChainId
  readonly diffId: DiffId
  /** true when the layer existed already (nothing was applied) */
  readonly reused: boolean
}

/** How extractImage records the image. */
export interface ExtractImageOptions {
  /** the name to record the image under (OCI/Docker reference grammar); default: see image-name.ts */
  readonly name?: string
  /**
   * `os/arch[/variant]` to take from a multi-platform index (OCI's matching: arm64/v8 is arm64,
   * arm is arm/v7); default: this host's
   */
  readonly platform?: string
  /** labels recorded with the image, over the config's `Labels` */
  readonly labels?: Labels
}

/** How `pull` reaches the registry and records the image. */
export interface PullOptions extends ExtractImageOptions, RegistryOptions {
  /**
   * registry hosts (`host[:port]`) asked first, in order, as containerd's and containers'
   * mirrors are: the first that serves the manifest serves the whole image; when none does, the
   * reference's own registry. The image is recorded under the reference either way.
   */
  readonly mirrors?: readonly string[]
}

/** How `push` reaches the registry and compresses the layers. */
export interface PushOptions extends RegistryOptions {
  /** the layer blobs' compression (default gzip) */
  readonly compression?: Compression
  /** upload each blob in PATCHes of this many bytes (a registry or proxy that limits request sizes); default: one PUT */
  readonly chunkSize?: number
}

/** What `push` uploaded: the image as saveImage writes it, where it went, and which blobs the registry had already. */
export interface PushedImage extends SavedImage {
  /** `registry/repository:tag` */
  readonly reference: string
  readonly uploaded: readonly Digest[]
  readonly present: readonly Digest[]
  /** blobs the registry linked from the base image's repository (the same registry) instead of receiving them */
  readonly mounted: readonly Digest[]
}

/** What `extractImage`/`extractArchive` stored. */
export interface ExtractedImage {
  /** the name the image is recorded under */
  readonly name: string
  /** bottom first */
  readonly layers: readonly ExtractedLayer[]
  /** the top layer ('empty' for an image without layers) */
  readonly top: LayerRef
}

/** How saveImage writes the image. */
export interface SaveImageOptions {
  /** the layer blobs' compression (default gzip; zstd: frames of 4 MiB of tar, level 3) */
  readonly compression?: Compression
}

/** An image saveImage wrote: the layout's digests and the chainIDs a reader of it gets. */
export interface SavedImage extends WrittenImage {
  /** bottom first: the diffIDs of the packaged tars, as the config states them */
  readonly diffIds: readonly DiffId[]
  /**
   * the stored layer the image was written from; the image's top chainID differs from it where
   * a layer was extracted from a tar Stratum packages differently
   */
  readonly source: LayerRef
  /** the image reference the chain was built on, whose platform and labels the config carries */
  readonly base?: string
}

/** The layer `commit` made of a container's changes. */
export interface CommitResult {
  readonly chainId: ChainId
  readonly diffId: DiffId
  /** true when a layer with this chainID existed already */
  readonly deduped: boolean
  /**
   * Snapshots others made on the container (zfs-auto-snapshot, an admin), never destroyed, by
   * where they are now: on the new layer when the commit published it, else still on the
   * container. Absent when there were none.
   */
  readonly foreign?: readonly SnapshotName[]
  /** true when a commit not asked to keep the container kept it, because removing it would destroy `foreign` */
  readonly containerKept?: boolean
}

/** A layer packaged as a tar against its parent (`packageLayer`). */
export interface PackagedLayer {
  /** deterministic uncompressed tar of the layer's changes against its parent */
  readonly tar: AsyncIterable<Uint8Array>
  /** sha256 of exactly that tar */
  readonly diffId: DiffId
}

export type {
  ContainerUsage,
  LayerUsage,
  PruneReport,
  RecoveryReport,
  SkippedItem,
  SpaceUsage,
  StoreUsage,
} from './reports.js'

/** One stored layer as `listLayers` reports it. */
export interface LayerInfo {
  readonly chainId: ChainId
  readonly parent: LayerRef
  /** as recorded at extract or commit (the diffID of the tar it was made from) */
  readonly diffId: DiffId | undefined
  readonly state: string | undefined
  readonly created: string | undefined
  /** bytes the layer alone holds (zfs `used`: what it adds over its parent), settled; undefined unless listed with `sizes` */
  readonly size: number | undefined
  /** bytes its files refer to, shared or not (zfs `referenced`), settled; undefined unless listed with `sizes` */
  readonly referenced: number | undefined
}

/** Options of `listLayers` and `listContainers`. */
export interface ListOptions {
  /** read each one's settled size and referenced bytes (usage.ts; on ZFS 2 zfs commands more, a pool sync among them) */
  readonly sizes?: boolean
}

/** What `exportTree` copied from: a container's root, or a layer's tree. */
export type ExportSource =
  | { readonly kind: 'container'; readonly id: ContainerId }
  | { readonly kind: 'layer'; readonly layer: LayerRef }

/** Options of `exportTree`. */
export interface ExportOptions {
  /** chown every entry to its owner in the source (a host target needs root) */
  readonly owners?: boolean
  /** copy the extended attributes whose names pass this filter, where the driver has them (the target must take them) */
  readonly xattrs?: (name: string) => boolean
}

/** What `exportTree` copied. */
export interface ExportedTree {
  readonly source: ExportSource
  /** the snapshot or dataset read */
  readonly dataset: AnyName
  readonly entries: number
  /** bytes of regular files */
  readonly bytes: number
}

/** Options of `removeContainer`. */
export interface RemoveContainerOptions {
  /** also destroy snapshots Stratum did not make (zfs-auto-snapshot, sanoid, an admin) */
  readonly force?: boolean
}

/** Options of `start`: a container root's limits, set by its clone (no extra zfs command); bytes, null for none. */
export interface StartOptions {
  /** bytes the root itself may reference (a write past it fails with EDQUOT on ZFS) */
  readonly refquota?: number | null
  /** bytes the root and its snapshots may use */
  readonly quota?: number | null
  /** every write to the root fails with EROFS */
  readonly readonly?: boolean
  /** the container's labels (labels.ts: keys of letters, digits and `._-/`, values up to 1 KiB) */
  readonly labels?: Labels
}

/** One container root as `listContainers` reports it. */
export interface ContainerInfo {
  readonly id: ContainerId
  /** the layer the container's root is a clone of */
  readonly parent: LayerRef
  readonly created: string | undefined
  /** its labels, when it has any */
  readonly labels?: Labels
  /** true when it is a read-only view of `parent` (`view`), absent for a container */
  readonly view?: true
  /** bytes the root alone holds (zfs `used`: its own writes), settled; undefined unless listed with `sizes` */
  readonly size: number | undefined
  /** bytes its files refer to, shared or not (zfs `referenced`), settled; undefined unless listed with `sizes` */
  readonly referenced: number | undefined
}

/**
 * `containerId` arguments are parsed here, once, into a ContainerId (InvalidName unless the id is
 * one dataset name component); `listContainers` gives them back.
 */
export interface LayerStore {
  readonly layout: StoreLayout
  /**
   * Extracts image `ref` of the OCI layout at `layoutDir` (a tag or a manifest digest; undefined:
   * `latest`, else the layout's only image) and records its reference (moved when the name exists).
   */
  extractImage(
    layoutDir: string,
    ref: string | undefined,
    control?: TaskControl,
    options?: ExtractImageOptions,
  ): TaskEither<StorageError, ExtractedImage>
  /**
   * Extracts image `ref` (a repo tag; undefined: the only image) of the `docker save` archive
   * file at `archivePath` and records its reference, as extractImage does.
   */
  extractArchive(
    archivePath: string,
    ref: string | undefined,
    control?: TaskControl,
    options?: ExtractImageOptions,
  ): TaskEither<StorageError, ExtractedImage>
  /**
   * Pulls image `reference` (`[host[:port]/]path[:tag|@digest]`; no host: Docker Hub) from its
   * registry, streaming each layer into the store as extractImage does, and records it under
   * the reference (or `options.name`). Registry failures are `Registry` errors naming the
   * registry, repository and manifest or blob.
   */
  pull(reference: string, control?: TaskControl, options?: PullOptions): TaskEither<StorageError, ExtractedImage>
  /**
   * Writes the chain under `layer` (see resolveLayer) as saveImage does and uploads it to a
   * registry as `reference` (a tag; none: `latest`): the blobs it lacks, then the manifest.
   */
  push(layer: string, reference: string, options?: PushOptions): TaskEither<StorageError, PushedImage>
  /**
   * The layer `ref` names: `empty`, a chainID, an image name, or a unique chainID prefix of at
   * least 12 hex digits (ReferenceNotFound, AmbiguousReference listing the candidates).
   */
  resolveLayer(ref: string): TaskEither<StorageError, LayerRef>
  /** One layer over `parent` (any layer reference, see resolveLayer). */
  extractLayer(
    parent: string,
    blob: AsyncIterable<Uint8Array>,
    meta: LayerMeta,
    control?: TaskControl,
  ): TaskEither<StorageError, ExtractedLayer>
  /** A container root cloned from `layer` (any layer reference, see resolveLayer). */
  start(containerId: string, layer: string, options?: StartOptions): TaskEither<StorageError, void>
  /**
   * A read-only root of the layer `layer` names (see resolveLayer) for inspection, named `name`
   * (default `view-<12 hex digits of the chainID>`, `view-empty`): a clone of the layer's
   * snapshot with readonly=on, so every write fails with Io EROFS. It is listed by
   * listContainers (`view: true`), mounted by `mount`, removed by `removeContainer`, and keeps
   * its layer from prune; commit refuses it. Gives its id (one zfs command: the clone).
   */
  view(layer: string, name?: string): TaskEither<StorageError, ContainerId>
  /** Applies a layer tar to the container's root (whiteouts honoured): DatasetNotFound, CorruptLayer, LimitExceeded. */
  apply(containerId: string, tar: AsyncIterable<Uint8Array>): TaskEither<StorageError, ApplyResult>
  /** Makes a layer of the container's changes over its parent (deduplicated by chainID); `keep: false` removes the container. */
  commit(containerId: string, opts: { readonly keep: boolean }): TaskEither<StorageError, CommitResult>
  /**
   * Writes the chain under `layer` (see resolveLayer) as image `ref` of the OCI layout at
   * `layoutDir` (made if missing; an entry with the same ref name is replaced).
   */
  saveImage(
    layer: string,
    layoutDir: string,
    ref: string,
    options?: SaveImageOptions,
  ): TaskEither<StorageError, SavedImage>
  /** The layer `layer` names (see resolveLayer) packaged against its parent. */
  packageLayer(layer: string, control?: TaskControl): TaskEither<StorageError, PackagedLayer>
  /**
   * Copies a container's root (when `source` names one) or a layer's tree (see resolveLayer)
   * into `target`, which must be empty (Io ENOTEMPTY); a failure or an abort (`Cancelled`)
   * empties it again. A TaskEither target is opened only once the source is found, so a bad
   * source leaves no trace (the CLI creates its directory there). Progress counts entries and file bytes as one layer labelled with the dataset.
   */
  exportTree(
    source: string,
    target: FileTree | TaskEither<StorageError, FileTree>,
    options?: ExportOptions,
    control?: TaskControl,
  ): TaskEither<StorageError, ExportedTree>
  /** Every stored layer, with its parent; with `sizes`, also its size and referenced bytes. */
  listLayers(options?: ListOptions): TaskEither<StorageError, readonly LayerInfo[]>
  /** The image references, sorted by name. */
  listImages(): TaskEither<StorageError, readonly ImageRecord[]>
  /** Every container root, with the layer it was cloned from; with `sizes`, also its size and referenced bytes. */
  listContainers(options?: ListOptions): TaskEither<StorageError, readonly ContainerInfo[]>
  /** Sets and drops labels of container `containerId` (one property read, one write); its labels after. */
  labelContainer(containerId: string, change: LabelChange): TaskEither<StorageError, Labels>
  /**
   * Sets and drops labels of image `name` (`:latest` implied; one listing, one write):
   * ReferenceNotFound when there is none. Its labels after.
   */
  labelImage(name: string, change: LabelChange): TaskEither<StorageError, Labels>
  /** Destroys the container; HasChildren naming snapshots others made on it, unless `force` (container.ts). */
  removeContainer(containerId: string, options?: RemoveContainerOptions): TaskEither<StorageError, void>
  /**
   * Holds the container's root mounted and gives its host path (idempotent per holder). The
   * holder defaults to this process, whose hold recover() releases once it is gone; a named
   * holder (the CLI's `cli`) keeps its hold until `unmount` (mounts.ts).
   */
  mount(containerId: string, holder?: string): TaskEither<StorageError, string>
  /** Releases `holder`'s hold (idempotent); the last release unmounts the root. */
  unmount(containerId: string, holder?: string): TaskEither<StorageError, void>
  /**
   * Settled space of every layer and container: unique and referenced bytes, what is available,
   * and each container's quotas (usage.ts; on ZFS 4 zfs commands and 1 per container).
   */
  usage(): TaskEither<StorageError, StoreUsage>
  /** Destroys the layer `layer` names (see resolveLayer): HasDependentClones while anything is cloned from it. */
  removeLayer(layer: string): TaskEither<StorageError, void>
  /** What opening the store recovered: it runs recover() once before handing the store out. */
  readonly recovered: RecoveryReport
  /** Rolls back or completes what crashed processes left (tmp datasets, half commits, stale mount holds); work of a live owner is skipped. */
  recover(): TaskEither<StorageError, RecoveryReport>
  /** Drops the image reference `name` (the layers stay until prune); ReferenceNotFound when there is none. */
  removeImage(name: string): TaskEither<StorageError, ImageRecord>
  /**
   * Destroys every layer no image, container, lease or layer above reaches (dryRun: lists
   * them); never aborts on one missing or odd dataset (reported in `skipped`).
   */
  prune(opts?: { readonly dryRun?: boolean }): TaskEither<StorageError, PruneReport>
}
