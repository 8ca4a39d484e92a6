/**
 * Device numbers: tar headers carry major and minor; `Stat.rdev` carries one number in
 * the Linux/glibc `makedev` encoding (major bits 8-19 and 32+, minor bits 0-7 and 20+).
 */
export const makedev = (major: number, minor: number): number =>
  (minor & 0xff) +
  (major & 0xfff) * 0x100 +
  Math.floor(minor / 0x100) * 0x100000 +
  Math.floor(major / 0x1000) * 0x100000000

/** The major number of a Linux device number. */
export const devMajor = (rdev: number): number =>
  (Math.floor(rdev / 0x100) % 0x1000) + Math.floor(rdev / 0x100000000) * 0x1000

/** The minor number of a Linux device number. */
export const devMinor = (rdev: number): number => (rdev % 0x100) + (Math.floor(rdev / 0x100000) % 0x1000) * 0x100
