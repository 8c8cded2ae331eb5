/**
 * pip's `format_size`: `999 bytes`, `1.2 kB`, `12 kB`, `1.2 MB` (decimal
 * units; one decimal rounded half to even, as Python's `%.1f`).
 */
export function formatSize(bytes: number): string {
  if (bytes > 1000 * 1000) return `${oneDecimal(bytes / 1000 / 1000)} MB`
  if (bytes > 10 * 1000) return `${Math.trunc(bytes / 1000)} kB`
  if (bytes > 1000) return `${oneDecimal(bytes / 1000)} kB`
  return `${Math.trunc(bytes)} bytes`
}

function oneDecimal(value: number): string {
  const quarter = value * 4 // exact: a multiplication by a power of two
  if (Number.isInteger(quarter) && quarter % 2 === 1) {
    // An exact tie (x.25 or x.75): Python rounds half to even, toFixed rounds up.
    const tenths = Math.floor(value * 10)
    return ((tenths % 2 === 0 ? tenths : tenths + 1) / 10).toFixed(1)
  }
  return value.toFixed(1)
}
