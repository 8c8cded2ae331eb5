import { fileURLToPath } from 'node:url'

/** The repository's `pipette` entry point. */
export const pipetteBin = fileURLToPath(new URL('../../cli/bin/run.js', import.meta.url))
/** The Python whose pip is the reference (`PIPETTE_BENCH_PYTHON`, else `python3` on PATH). */
export const python = process.env['PIPETTE_BENCH_PYTHON'] ?? 'python3'
/** Debian's Python, which has PyPA packaging installed. */
export const systemPython = process.env['PIPETTE_BENCH_SYSTEM_PYTHON'] ?? '/usr/bin/python3'
