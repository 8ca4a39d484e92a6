/**
 * zfs stderr -> StorageError. One table of patterns, matched against the exact texts of
 * OpenZFS 2.2/2.3 (libzfs's messages). Every libzfs failure prints
 * `<action>: <description>` on one line, e.g. `cannot create 'p/a': dataset already exists`;
 * some add lines (the dependents of a destroy, the usage text). The first line that matches
 * a rule decides; anything no rule knows is an `Io` error carrying the whole stderr.
 */
import { err, type StorageError } from '@stratum/core'

export interface ErrorContext {
  /** the dataset or snapshot the command was about; used when the message names none */
  readonly subject: string
  /** the whole stderr */
  readonly stderr: string
  /** the lines of stderr after the matching one */
  readonly rest: readonly string[]
}

export interface ErrorRule {
  readonly pattern: RegExp
  readonly tag: StorageError['_tag']
  readonly build: (name: string, m: RegExpMatchArray, ctx: ErrorContext) => StorageError
}

/** The dataset named by the action part: `cannot open 'p/x'`, `cannot destroy snapshot p/a@s`. */
const actionName = (line: string): string | undefined => {
  const colon = line.indexOf(': ')
  const action = colon < 0 ? line : line.slice(0, colon)
  const quoted = /'([^']*)'/.exec(action)
  if (quoted !== null) return quoted[1]
  const bare = /^cannot destroy snapshot (\S+)$/.exec(action)
  return bare?.[1]
}

/**
 * The names listed after `use '-r' ...` / `use '-R' to destroy the following datasets:`, up to
 * the next `cannot destroy` block (destroy -r of a snapshot name prints one per snapshot with clones).
 */
const listedAfter = (rest: readonly string[]): string[] => {
  const start = rest.findIndex((l) => /^use '-[rR]' to destroy the following datasets:$/.test(l))
  if (start < 0) return []
  const names: string[] = []
  for (const l of rest.slice(start + 1)) {
    if (l.trim() === '' || /^cannot destroy '[^']*': /.test(l)) break
    names.push(l.trim())
  }
  return names
}

/** namecheck and zfs_validate_name texts (zfs_namecheck.c, libzfs_dataset.c). */
const NAME_PROBLEMS = [
  'dataset name is too long',
  'name is too long',
  'leading slash in name',
  'trailing slash in name',
  'invalid character % in name',
  "self reference, '.' is found in name",
  "parent reference, '..' is found in name",
  "multiple '@' and/or '#' delimiters in name",
  "empty component or misplaced '@' or '#' delimiter in name",
  "snapshot delimiter '@' is not expected here",
  "missing '@' delimiter in snapshot name",
  "bookmark delimiter '#' is not expected here",
  "missing '#' delimiter in bookmark name",
  'maximum name nesting depth exceeded',
  'missing dataset name',
  'pool name must begin with a letter',
]
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const NAME_PROBLEM_RE = new RegExp(`: (${NAME_PROBLEMS.map(escapeRe).join('|')})$`)

const NOT_EARLIER = 'not an earlier snapshot from the same fs'

const invalid =
  (reason: string) =>
  (name: string): StorageError =>
    err('InvalidName', { name, reason })

/** Ordered: the first rule whose pattern matches a line wins. */
export const ERROR_RULES: readonly ErrorRule[] = [
  {
    pattern: /: conflicting snapshot '([^']*)' from parent '([^']*)'$/,
    tag: 'SnapshotNameConflict',
    build: (name, m) => err('SnapshotNameConflict', { name, snapshot: m[1]!, origin: m[2]! }),
  },
  {
    pattern: /: (filesystem|volume) has children$/,
    tag: 'HasChildren',
    build: (name, _m, ctx) => err('HasChildren', { name, dependents: listedAfter(ctx.rest) }),
  },
  {
    pattern: /: (snapshot|filesystem|volume) has dependent clones$/,
    tag: 'HasDependentClones',
    build: (name, _m, ctx) => err('HasDependentClones', { name, clones: listedAfter(ctx.rest) }),
  },
  {
    pattern: /: snapshot is cloned$/,
    tag: 'HasDependentClones',
    build: (name) => err('HasDependentClones', { name, clones: [] }),
  },
  // `zfs destroy -r`/`-R`: the walk of dependents met a dataset again (libzfs_iter.c, EZFS_RECURSIVE)
  {
    pattern: /: recursive dependency at '([^']*)'$/,
    tag: 'RecursiveDependency',
    build: (name, m) => err('RecursiveDependency', { name, at: m[1]! }),
  },
  { pattern: /: not a cloned filesystem$/, tag: 'NotAClone', build: (name) => err('NotAClone', { name }) },
  {
    pattern: /: (dataset already exists|pool or dataset exists)$/,
    tag: 'DatasetExists',
    build: (name) => err('DatasetExists', { name }),
  },
  {
    pattern: /: (parent does not exist|no such pool '[^']*')$/,
    tag: 'ParentNotFound',
    build: (name) => err('ParentNotFound', { name }),
  },
  // create/clone whose ioctl met ENOENT after libzfs had checked the parent: the parent vanished
  // meanwhile or, for a clone, the origin did. libzfs cannot tell; the driver asks (driver.ts)
  {
    pattern: /: no such parent '[^']*'$/,
    tag: 'Io',
    build: (name, m) => err('Io', { code: 'ENOENT', path: name, message: m.input!.trim() }),
  },
  {
    pattern: /: (dataset does not exist|no such pool or dataset)$/,
    tag: 'DatasetNotFound',
    build: (name) => err('DatasetNotFound', { name }),
  },
  {
    pattern: /^could not find any snapshots to destroy; check snapshot names\.$/,
    tag: 'DatasetNotFound',
    build: (_name, _m, ctx) => err('DatasetNotFound', { name: ctx.subject }),
  },
  {
    pattern: /^Unable to obtain diffs: No such file or directory$/,
    tag: 'DatasetNotFound',
    build: (_name, _m, ctx) => err('DatasetNotFound', { name: ctx.subject }),
  },
  // diff: `Unable to obtain diffs: ` + `   Not an earlier snapshot from the same fs` (kernel EXDEV),
  // or `Not an earlier snapshot from the same fs: invalid name` (libzfs origin walk)
  {
    pattern: /^\s*Not an earlier snapshot from the same fs/,
    tag: 'InvalidName',
    build: (_name, _m, ctx) => invalid(NOT_EARLIER)(ctx.subject),
  },
  {
    pattern: /^Unable to determine which snapshots to compare/,
    tag: 'InvalidName',
    build: (_name, _m, ctx) => invalid('unable to determine which snapshots to compare')(ctx.subject),
  },
  {
    pattern:
      /: (snapshots must be part of same dataset|datasets must be within same pool|source and target pools differ|New dataset name cannot be a descendant of current dataset name)$/,
    tag: 'InvalidName',
    build: (name, m) => invalid(m[1]!)(name),
  },
  { pattern: /: (operation does not apply to pools)$/, tag: 'InvalidName', build: (name, m) => invalid(m[1]!)(name) },
  { pattern: NAME_PROBLEM_RE, tag: 'InvalidName', build: (name, m) => invalid(m[1]!)(name) },
  { pattern: /: (invalid character '.' in name)$/u, tag: 'InvalidName', build: (name, m) => invalid(m[1]!)(name) },
  {
    pattern: /: (invalid property '[^']*'|property name '[^']*' is too long)$/,
    tag: 'InvalidName',
    build: (name, m) => invalid(m[1]!)(name),
  },
  {
    pattern: /: property value too long$/,
    tag: 'LimitExceeded',
    build: (name) => err('LimitExceeded', { what: `user property value of '${name}'`, limit: 8192 }),
  },
  // zfs mount/unmount of a filesystem it does not manage (zfs_main.c share_mount_one, unshare_unmount)
  {
    pattern:
      /^cannot (mount|unmount) '[^']*': ('canmount' property is set to 'off'|no mountpoint set|legacy mountpoint)$/,
    tag: 'Unsupported',
    build: (name, m) => err('Unsupported', { what: `${m[1]} of '${name}': ${m[2]}` }),
  },
  {
    pattern: /: (pool or dataset is busy|dataset is busy)$/,
    tag: 'Busy',
    build: (name, m) => err('Busy', { name, reason: m[1]! }),
  },
  {
    pattern: /^umount: .*: target is busy\.?$/,
    tag: 'Busy',
    build: (_name, _m, ctx) => err('Busy', { name: ctx.subject, reason: 'target is busy' }),
  },
  { pattern: /: (it's being held\. .*)$/, tag: 'Busy', build: (name, m) => err('Busy', { name, reason: m[1]! }) },
  { pattern: /: permission denied$/, tag: 'PermissionDenied', build: (name) => err('PermissionDenied', { name }) },
  {
    pattern: /The sys_mount privilege or diff delegated/,
    tag: 'PermissionDenied',
    build: (_name, _m, ctx) => err('PermissionDenied', { name: ctx.subject }),
  },
]

/** The StorageError for a failed zfs command. */
export const mapZfsError = (stderr: string, subject: string): StorageError => {
  const lines = stderr.split('\n').map((l) => l.replace(/\r$/, ''))
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    for (const rule of ERROR_RULES) {
      const m = line.match(rule.pattern)
      if (m === null) continue
      const named = actionName(line)
      // an unmount failure names a mountpoint, not a dataset
      const name = named !== undefined && named !== '' && !named.startsWith('/') ? named : subject
      return rule.build(name, m, { subject, stderr, rest: lines.slice(i + 1) })
    }
  }
  return err('Io', {
    code: 'EIO',
    path: subject,
    message: stderr.trim() === '' ? 'zfs failed without a message' : stderr.trim(),
  })
}
