/**
 * Image platforms (`os/architecture[/variant]`) as OCI image indexes name them, with Go's
 * GOOS/GOARCH spellings, and the matching rules containerd's platforms package follows: names
 * normalised (x86_64 is amd64, aarch64 is arm64, arm64/v8 is arm64, arm alone is arm/v7), then
 * os, architecture and variant equal; an arm host also runs lower arm variants.
 */
import { endianness } from 'node:os'
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '../errors.js'

/** A platform in OCI terms; `variant` is absent where the normalised name has none. */
export interface PlatformSpec {
  readonly os: string
  readonly architecture: string
  readonly variant?: string
}

const OS_ALIAS: Readonly<Record<string, string>> = { macos: 'darwin', win32: 'windows' }
const ARCH_ALIAS: Readonly<Record<string, string>> = {
  i386: '386',
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
}
const ARM_VARIANTS = ['v5', 'v6', 'v7', 'v8']

const normalVariant = (arch: string, raw: string | undefined, alias: string): string | undefined => {
  const v = raw === undefined || raw === '' ? undefined : /^\d+$/.test(raw) ? `v${raw}` : raw
  if (arch === 'amd64') return v === 'v1' ? undefined : v
  if (arch === 'arm64') return v === 'v8' ? undefined : v
  if (arch === 'arm') return v ?? (alias === 'armel' ? 'v6' : 'v7')
  return v
}

/** The platform with containerd's normal names (`normalize` in its platforms package). */
export const normalizePlatform = (p: PlatformSpec): PlatformSpec => {
  const rawArch = p.architecture.toLowerCase()
  const os = p.os.toLowerCase()
  const architecture = ARCH_ALIAS[rawArch] ?? rawArch
  const variant = normalVariant(architecture, p.variant?.toLowerCase(), rawArch)
  return { os: OS_ALIAS[os] ?? os, architecture, ...(variant === undefined ? {} : { variant }) }
}

/** A platform as `os/arch[/variant]`. */
export const formatPlatform = (p: PlatformSpec): string =>
  `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`

const COMPONENT = /^[A-Za-z0-9_.-]+$/

/** `os/arch[/variant]` (the CLI's `--platform`, the library's `platform` option), normalised. */
export const parsePlatform = (s: string): E.Either<StorageError, PlatformSpec> => {
  const parts = s.split('/')
  if (parts.length < 2 || parts.length > 3 || !parts.every((c) => COMPONENT.test(c)))
    return E.left(err('InvalidName', { name: s, reason: 'platform: expected os/arch[/variant], e.g. linux/arm64' }))
  const [os, architecture, variant] = parts as [string, string, string | undefined]
  return E.right(normalizePlatform({ os, architecture, ...(variant === undefined ? {} : { variant }) }))
}

const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  ppc64: endianness() === 'LE' ? 'ppc64le' : 'ppc64',
  mipsel: 'mipsle',
}

/** This host's platform in OCI terms (Node's `process.platform`/`process.arch` spelled as GOOS/GOARCH). */
export const hostPlatform = (): PlatformSpec => {
  const architecture = NODE_ARCH[process.arch] ?? process.arch
  const armVersion = (process.config.variables as { arm_version?: unknown }).arm_version
  const variant = architecture === 'arm' && typeof armVersion === 'string' ? `v${armVersion}` : undefined
  return normalizePlatform({ os: process.platform, architecture, ...(variant === undefined ? {} : { variant }) })
}

/**
 * How well an image for `have` runs where `want` is asked: 0 for the same platform, a higher
 * number for a lower arm variant, undefined when it does not run there.
 */
export const platformRank = (want: PlatformSpec, have: PlatformSpec): number | undefined => {
  const w = normalizePlatform(want)
  const h = normalizePlatform(have)
  if (w.os !== h.os || w.architecture !== h.architecture) return undefined
  if (w.variant === h.variant) return 0
  if (w.architecture !== 'arm') return undefined
  const below = ARM_VARIANTS.indexOf(w.variant ?? '') - ARM_VARIANTS.indexOf(h.variant ?? '')
  return ARM_VARIANTS.includes(h.variant ?? '') && below > 0 ? below : undefined
}
