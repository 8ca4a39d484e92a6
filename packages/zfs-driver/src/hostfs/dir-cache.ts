/**
 * The pinned directories a host file tree works in, kept between calls: a tree of nodes, one
 * per directory reached under the root, each holding an O_PATH descriptor of that directory
 * and, once looked at, its Stat. A walk through cached nodes costs no system call.
 *
 * Kept right by the tree's own changes: an entry removed, renamed or replaced drops the node of
 * that name (with its subtree); an entry created or removed in a directory, and a change of a
 * directory's owner, mode, time or attributes, drop that directory's Stat. A change made by
 * another host file tree of this process over the same directory, or one above or below it,
 * drops the whole cache. The descriptors are closed when the process has made no call for IDLE_MS, before the zfs driver
 * runs a command (an open descriptor would keep a dataset from unmounting), and when more
 * than MAX_OPEN are open and unused in all the trees of the process together. Changes by other processes are not seen: a host file tree
 * is the only writer of its directory (datasets Stratum alone uses, snapshots that cannot change).
 */
import { closeSync, readFileSync, realpathSync } from 'node:fs'
import type { Stat } from '@stratum/core'
import { waitForWriter } from './writer-thread.js'

/** The soft limit on open descriptors (Linux's /proc/self/limits; 1024 where it cannot be read). */
const openFileLimit = (): number => {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = Number(line?.split(/\s+/)[3])
    return Number.isFinite(soft) && soft > 0 ? soft : 1024
  } catch {
    return 1024
  }
}

/** Descriptors kept, all trees together: at most a quarter of the process's limit (a host with 1024 keeps 256), at most 4096. */
export const MAX_OPEN = Math.min(4096, Math.floor(openFileLimit() / 4))
const IDLE_MS = 20

export interface DirNode {
  /** the O_PATH descriptor */
  readonly fd: number
  readonly name: string
  /** undefined for the root */
  readonly parent: DirNode | undefined
  readonly children: Map<string, DirNode>
  /** calls acting in this directory now: its descriptor stays open until they end */
  users: number
  /** dropped from the cache: closed when its last user ends */
  detached: boolean
  /** the directory's owner once a file created in it asked (new-owner.ts); forgotten at any change of the directory itself */
  owner: { readonly uid: number; readonly gid: number } | undefined
  stat: Stat | undefined
}

/** the caches holding descriptors, and how many nodes they hold together */
const caches = new Set<DirCache>()
let openTotal = 0
let lastCall = 0
let idleTimer: NodeJS.Timeout | undefined

/** `real` as the prefix of the paths inside it ('' while unknown) */
const under = (real: string): string => (real === '' || real === '/' ? real : `${real}/`)

/** Whether two roots share files: the same directory, or one inside the other (`aIn`, `bIn`: their `under`). */
const overlaps = (a: string, aIn: string, b: string, bIn: string): boolean =>
  a === '' || b === '' || a === b || a.startsWith(bIn) || b.startsWith(aIn)

const close = (n: DirNode): void => {
  try {
    closeSync(n.fd)
  } catch {
    /* already closed */
  }
}

/** Drops `n` and its subtree; nodes still in use are closed by their last `release`. */
const detachTree = (n: DirNode): number => {
  let count = 0
  const stack = [n]
  while (stack.length > 0) {
    const x = stack.pop()!
    x.detached = true
    for (const c of x.children.values()) stack.push(c)
    x.children.clear()
    if (x.users === 0) close(x)
    count++
  }
  return count
}

const armIdle = (): void => {
  lastCall = Date.now()
  if (idleTimer !== undefined) return
  const check = (): void => {
    const idle = Date.now() - lastCall
    if (idle >= IDLE_MS) {
      idleTimer = undefined
      releaseHostDescriptors()
    } else {
      idleTimer = setTimeout(check, IDLE_MS - idle).unref()
    }
  }
  idleTimer = setTimeout(check, IDLE_MS).unref()
}

export class DirCache {
  private root: DirNode | undefined
  private open = 0
  /** the root's real path, to tell which other trees see the same files, and `under` it (made once: every change asks) */
  private real = ''
  private realIn = ''

  constructor(
    private readonly rootPath: string,
    private readonly openRoot: () => number,
  ) {}

  /** The root node (the cache starts again when it grew past MAX_OPEN). */
  rootNode(): DirNode {
    armIdle()
    if (openTotal > MAX_OPEN) for (const c of caches) c.flush()
    if (this.root === undefined) {
      const fd = this.openRoot()
      this.real = realpathSync.native(this.rootPath)
      this.realIn = under(this.real)
      this.root = this.node(undefined, '', fd)
      caches.add(this)
    }
    return this.root
  }

  node(parent: DirNode | undefined, name: string, fd: number): DirNode {
    const n: DirNode = {
      fd,
      name,
      parent,
      children: new Map(),
      users: 0,
      detached: false,
      stat: undefined,
      owner: undefined,
    }
    this.open++
    openTotal++
    if (parent !== undefined) {
      const old = parent.children.get(name)
      if (old !== undefined) this.dropped(detachTree(old))
      parent.children.set(name, n)
    }
    return n
  }

  acquire(n: DirNode): void {
    n.users++
  }

  release(n: DirNode): void {
    if (--n.users === 0 && n.detached) close(n)
  }

  /** This tree changed something: the caches of other trees over the same files are stale. */
  changed(): void {
    for (const c of caches) if (c !== this && overlaps(c.real, c.realIn, this.real, this.realIn)) c.flush()
  }

  /** The entry `name` of `dir` was removed, renamed or replaced (also: `dir` itself changed). */
  dropEntry(dir: DirNode, name: string): void {
    dir.stat = undefined
    const n = dir.children.get(name)
    if (n === undefined) return
    dir.children.delete(name)
    this.dropped(detachTree(n))
  }

  /** `dir` itself changed (owner, mode, times, attributes, or an entry added): its Stat is stale. */
  dropStat(dir: DirNode): void {
    dir.stat = undefined
  }

  private dropped(n: number): void {
    this.open -= n
    openTotal -= n
  }

  /** `dir` itself changed (owner, mode, times, attributes): its Stat and owner are stale. */
  dropObject(dir: DirNode): void {
    dir.stat = undefined
    dir.owner = undefined
  }

  /** Closes every unused descriptor. */
  flush(): void {
    if (this.root !== undefined) detachTree(this.root)
    this.dropped(this.open)
    this.root = undefined
    caches.delete(this)
  }
}

/** Closes the unused descriptors of every host file tree of this process (the zfs driver calls it before each command). */
export const releaseHostDescriptors = (): void => {
  waitForWriter()
  for (const c of caches) c.flush()
}
