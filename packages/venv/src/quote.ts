/** Python's `shlex.quote`: leaves safe strings alone, else single-quotes them. */
export function shlexQuote(text: string): string {
  if (text === '') return "''"
  if (!/[^\w@%+=:,./-]/.test(text)) return text
  return `'${text.replaceAll("'", `'"'"'`)}'`
}

/** PowerShell single-quoted string, as CPython's venv quotes values for `Activate.ps1`. */
export function powershellQuote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

/** Python's `repr()` of a `str` (the quote choice and escapes of CPython's `unicode_repr`). */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (code < 0x7f || ch === ' ' || !NOT_PRINTABLE.test(ch)) out += ch
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += `\\U${code.toString(16).padStart(8, '0')}`
  }
  return out + quote
}
