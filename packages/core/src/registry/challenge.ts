/**
 * A `WWW-Authenticate` challenge of the distribution API: `Basic realm="…"`, or
 * `Bearer realm="…",service="…",scope="…"` naming the token endpoint (the token spec).
 */
export interface Challenge {
  readonly scheme: 'basic' | 'bearer'
  readonly params: Readonly<Record<string, string>>
}

/** The challenge in a header value, undefined when it is neither Basic nor Bearer. */
export const parseChallenge = (header: string | null): Challenge | undefined => {
  if (header === null) return undefined
  const m = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(header)
  if (m === null) return undefined
  const params: Record<string, string> = {}
  for (const p of m[2]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1')
  return { scheme: m[1]!.toLowerCase() as Challenge['scheme'], params }
}
