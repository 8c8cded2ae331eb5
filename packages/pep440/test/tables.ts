import { readCaseTable } from '@pipette/test-support'

/** A case table from test/fixtures (see readCaseTable for the format). */
export function readTable(name: string): string[][] {
  return readCaseTable(new URL(`./fixtures/${name}`, import.meta.url))
}
