/**
 * The boundary PNG the panel sends: strict base64 and a chunk-by-chunk walk. The real PNG is made here with
 * zlib (IHDR, a deflated IDAT, IEND, each with its CRC), and every tampered one is made from it.
 */
import * as assert from 'node:assert';
import { deflateSync } from 'node:zlib';
import { checkPng, crc32, decodeBase64Strict, MAX_PNG_BYTES, pngFromDataUrl } from '../../src/extension/png';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width: number, height: number, depth = 8, colour = 6): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = depth;
  d[9] = colour;
  return chunk('IHDR', d);
}

const SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A width x height RGBA image: each scanline is a filter byte (0) and its pixels. */
function png(width = 4, height = 3, extra: Buffer[] = []): Buffer {
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let i = 0; i < rows.length; i++) rows[i] = i % (1 + width * 4) === 0 ? 0 : (i * 37) & 0xff;
  return Buffer.concat([SIG, ihdr(width, height), ...extra, chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const url = (b: Buffer) => 'data:image/png;base64,' + b.toString('base64');
const refused = (b: Buffer, why: RegExp) => assert.throws(() => pngFromDataUrl(url(b)), (e: Error) => /the panel sent a boundary image that is not a PNG: /.test(e.message) && why.test(e.message));

describe('boundary.png from the panel', () => {
  it('computes CRC-32 as zlib does ("123456789" is 0xCBF43926)', () => {
    assert.strictEqual(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('takes a real PNG, byte for byte', () => {
    const good = png();
    assert.deepStrictEqual(checkPng(good), { width: 4, height: 3 });
    assert.ok(pngFromDataUrl(url(good)).equals(good));
    assert.deepStrictEqual(checkPng(png(8192, 1)), { width: 8192, height: 1 });
  });

  it('refuses the signature followed by 5 MB of HTML', () => {
    const html = Buffer.concat([SIG, Buffer.from('<html><script>alert(1)</script>' + ' '.repeat(5 * 1024 * 1024) + '</html>')]);
    refused(html, /chunk 1 has a type that is not four letters/);
  });

  it('refuses a damaged chunk (CRC-32), a missing or non-empty IEND, and bytes after IEND', () => {
    const good = png();
    const flipped = Buffer.from(good);
    flipped[good.length - 20] ^= 0x01; // inside the IDAT data
    refused(flipped, /IDAT chunk fails its CRC-32 check/);
    refused(good.subarray(0, good.length - 12), /ends before its IEND chunk/);
    refused(Buffer.concat([good, Buffer.from('<html>')]), /6 bytes follow its IEND chunk/);
    refused(Buffer.concat([good, chunk('tEXt', Buffer.from('k\0v'))]), /bytes follow its IEND chunk/);
    const fullEnd = Buffer.concat([good.subarray(0, good.length - 12), chunk('IEND', Buffer.from('x'))]);
    refused(fullEnd, /IEND chunk is not empty/);
  });

  it('refuses an IHDR that is not first, not 13 bytes, twice, or impossible', () => {
    const good = png();
    const body = good.subarray(8 + 25); // the chunks after IHDR
    refused(Buffer.concat([SIG, body]), /first chunk is not a 13-byte IHDR/);
    refused(Buffer.concat([SIG, chunk('IHDR', Buffer.alloc(12)), body]), /first chunk is not a 13-byte IHDR/);
    refused(Buffer.concat([SIG, ihdr(4, 3), ihdr(4, 3), body]), /second IHDR/);
    refused(Buffer.concat([SIG, ihdr(0, 3), body]), /0 x 3 pixels; each side must be 1 to 8192/);
    refused(Buffer.concat([SIG, ihdr(8193, 3), body]), /8193 x 3 pixels/);
    refused(Buffer.concat([SIG, ihdr(4, 3, 7, 6), body]), /impossible bit depth/);
    refused(Buffer.concat([SIG, ihdr(4, 3, 8, 5), body]), /impossible bit depth/);
    refused(Buffer.concat([SIG, ihdr(4, 3, 8, 3), body]), /palette image without a palette/);
    refused(Buffer.concat([SIG, ihdr(4, 3), chunk('IEND', Buffer.alloc(0))]), /no image data/);
  });

  it('refuses a chunk whose length runs past the end of the file', () => {
    const good = png();
    const long = Buffer.from(good);
    long.writeUInt32BE(0x7fffffff, 8 + 25); // the IDAT's length
    refused(long, /IDAT chunk runs past the end of the file/);
  });

  it('refuses more than 8 MiB', () => {
    const big = png(4, 3, [chunk('zzzz', Buffer.alloc(MAX_PNG_BYTES))]);
    refused(big, /more than the limit of 8388608/);
  });

  it('decodes base64 strictly: other characters, URL-safe ones, missing padding or padding bits set are refused', () => {
    assert.deepStrictEqual([...decodeBase64Strict('iVBORw==')], [0x89, 0x50, 0x4e, 0x47]);
    for (const bad of ['iVBO Rw==', 'iVBORw', 'iVBORw=', 'iVBORx==', 'iV-_Rw==', 'iVBORw==\n', 'iVBO*w==', '=iVBORw=']) {
      assert.throws(() => decodeBase64Strict(bad), /not valid base64/, JSON.stringify(bad));
    }
    // Buffer.from would make bytes of all of these: a PNG's base64 with junk in it is refused whole.
    const text = url(png());
    assert.throws(() => pngFromDataUrl(text.slice(0, 40) + '<script>' + text.slice(40)), /not valid base64/);
    assert.throws(() => pngFromDataUrl('data:image/png,' + text.slice(22)), /not a data:image\/png;base64 URL/);
  });
});
