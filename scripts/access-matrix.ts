/**
 * Writes docs/access-matrix.md from the access matrix (scripts/lib/access-matrix.ts): `npm run access-matrix`.
 * test/access/matrix.test.ts fails when the committed file differs from what this writes.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { renderAccessMatrix } from "./lib/access-matrix";

export const ACCESS_MATRIX_DOC = join(__dirname, "..", "docs", "access-matrix.md");

if (require.main === module) {
  writeFileSync(ACCESS_MATRIX_DOC, renderAccessMatrix());
  console.log(`wrote ${ACCESS_MATRIX_DOC}`);
}
