/** Tests for the PDF helpers: reading pdftoppm's grey-scale pages and calling a page blank. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inkPixels, MIN_INK_PIXELS, parsePgm } from "./pdf";

function pgm(width: number, height: number, dark: Array<[number, number]>, header = `P5\n${width} ${height}\n255\n`): Buffer {
  const px = Buffer.alloc(width * height, 255);
  for (const [x, y] of dark) px[y * width + x] = 0;
  return Buffer.concat([Buffer.from(header, "latin1"), px]);
}

test("parsePgm reads width, height and pixels, with comments in the header", () => {
  const img = parsePgm(pgm(3, 2, [[1, 1]], "P5\n# made by a test\n3 2\n255\n"));
  assert.equal(img.width, 3);
  assert.equal(img.height, 2);
  assert.deepEqual(Array.from(img.pixels), [255, 255, 255, 255, 0, 255]);
});

test("parsePgm refuses what it cannot read, saying what it expected", () => {
  const cases: Array<[Buffer, RegExp]> = [
    [Buffer.from("P6\n1 1\n255\nabc"), /expected an 8-bit binary PGM.*P6 1 1 255/],
    [Buffer.from("P5\n2 2\n65535\n"), /expected an 8-bit binary PGM/],
    [Buffer.from("P5\n4 4\n255\nab"), /has 2 pixel bytes, expected 4x4/],
    [Buffer.from("P5\n4"), /header ends early/],
  ];
  for (const [buf, re] of cases) assert.throws(() => parsePgm(buf), re);
});

test("inkPixels counts dark pixels between the skipped bands only", () => {
  // 10x10 page, dark pixels in row 0 (top band), row 5 (content) and row 9 (footer band)
  const img = parsePgm(pgm(10, 10, [[0, 0], [1, 5], [2, 5], [3, 9]]));
  const cases: Array<[number, number, number]> = [
    [0, 0, 4],
    [1, 0, 3],
    [1, 1, 2],
    [6, 1, 0],
  ];
  for (const [top, bottom, want] of cases) assert.equal(inkPixels(img, top, bottom), want, `skip ${top}/${bottom}`);
  // one short word at 30 dpi is some tens of dark pixels; the threshold must sit below it and above zero
  assert.ok(MIN_INK_PIXELS > 0 && MIN_INK_PIXELS < 60);
});
