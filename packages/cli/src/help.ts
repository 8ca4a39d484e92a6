/**
 * The help every command shows besides commander's usage, arguments and options: examples
 * (each command's own) and the exit codes (one table for the whole CLI, also in the README).
 */

/** How `stratum` exits; main.ts and interrupt.ts produce these codes. */
export const EXIT_CODES: readonly { readonly code: number; readonly meaning: string }[] = [
  { code: 0, meaning: 'success' },
  {
    code: 1,
    meaning:
      'the command failed: one line on stderr says what failed, then a hint when one helps (with --json also on stdout)',
  },
  { code: 2, meaning: 'usage error: an unknown command or option, a missing argument' },
  { code: 130, meaning: 'cancelled by Ctrl-C (SIGINT), its work undone' },
  { code: 143, meaning: 'cancelled by SIGTERM, its work undone' },
]

/** The "Exit codes:" section, shown by every command's help. */
export const exitCodesHelp = (): string =>
  `\nExit codes:\n${EXIT_CODES.map((e) => `  ${String(e.code).padEnd(5)}${e.meaning}`).join('\n')}`

/** An "Examples:" section: each entry one command line. */
export const examplesHelp = (...lines: readonly string[]): string =>
  `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`
