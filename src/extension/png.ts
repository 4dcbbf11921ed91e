/**
 * The panel's boundary picture, checked before it becomes `boundary.png`: the data URL's base64 is decoded
 * strictly (Buffer.from silently skips characters it does not know and stops at bad padding, so text that is
 * not base64 would still give bytes), then the bytes are walked chunk by chunk as the PNG specification
 * lays them out. A file that passes is a PNG a viewer can open; anything else is refused with a reason, so
 * a run folder never holds a "PNG" that is really HTML or junk. No vscode: unit-tested in Node.
 */

const PREFIX = 'data:image/png;base64,';
/** Far more than a boundary canvas (a few hundred KiB): 8 MiB. */
export const MAX_PNG_BYTES = 8 * 1024 * 1024;
/** A boundary canvas is a few hundred pixels a side; 8192 is what browsers allow a canvas at most. */
export const MAX_PNG_SIDE = 8192;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bit depths allowed for each colour type (PNG specification, 11.2.2 IHDR). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export class PngError extends Error {}

/** Standard base64 (RFC 4648 section 4, with padding), decoded only if it re-encodes to the same text. */
export function decodeBase64Strict(text: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new PngError('it is not valid base64');
  const bytes = Buffer.from(text, 'base64');
  // Unused bits before the padding must be zero: only one text decodes to these bytes.
  if (bytes.toString('base64') !== text) throw new PngError('it is not valid base64 (non-zero padding bits)');
  return bytes;
}

let table: Uint32Array | undefined;
/** CRC-32 as PNG and zlib compute it (polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Checks that `bytes` are one whole PNG image; returns its size, throws PngError saying what is wrong. */
export function checkPng(bytes: Buffer): { width: number; height: number } {
  if (bytes.length > MAX_PNG_BYTES) throw new PngError(`it is ${bytes.length} bytes, more than the limit of ${MAX_PNG_BYTES}`);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw new PngError('it does not start with the PNG signature');
  let at = 8;
  let size: { width: number; height: number } | undefined;
  let colour = -1;
  let sawData = false;
  let sawPalette = false;
  for (let index = 0; ; index++) {
    if (at + 12 > bytes.length) throw new PngError(size ? 'it ends before its IEND chunk' : 'it has no IHDR chunk');
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`chunk ${index + 1} has a type that is not four letters`);
    if (length > bytes.length - at - 12) throw new PngError(`its ${type} chunk runs past the end of the file`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) throw new PngError(`its ${type} chunk fails its CRC-32 check`);
    at += 12 + length;
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) throw new PngError('its first chunk is not a 13-byte IHDR');
      const width = data.readUInt32BE(0);
      const height = data.readUInt32BE(4);
      const [depth, colourType, compression, filter, interlace] = data.subarray(8);
      colour = colourType;
      if (width < 1 || height < 1 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) throw new PngError(`it is ${width} x ${height} pixels; each side must be 1 to ${MAX_PNG_SIDE}`);
      if (!DEPTHS[colour]?.includes(depth) || compression !== 0 || filter !== 0 || interlace > 1) throw new PngError('its IHDR chunk has an impossible bit depth, colour type or method');
      size = { width, height };
      continue;
    }
    if (type === 'IHDR') throw new PngError('it has a second IHDR chunk');
    if (type === 'PLTE') sawPalette = true;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (length !== 0) throw new PngError('its IEND chunk is not empty');
      if (at !== bytes.length) throw new PngError(`${bytes.length - at} bytes follow its IEND chunk`);
      if (!sawData) throw new PngError('it has no image data (IDAT chunk)');
      if (colour === 3 && !sawPalette) throw new PngError('it is a palette image without a palette (PLTE chunk)');
      return size!;
    }
  }
}

/** The PNG bytes of a `data:image/png;base64,` URL from the panel; throws a plain message if it is not one. */
export function pngFromDataUrl(dataUrl: string): Buffer {
  try {
    if (!dataUrl.startsWith(PREFIX)) throw new PngError('it is not a data:image/png;base64 URL');
    const bytes = decodeBase64Strict(dataUrl.slice(PREFIX.length));
    checkPng(bytes);
    return bytes;
  } catch (e) {
    if (e instanceof PngError) throw new Error(`the panel sent a boundary image that is not a PNG: ${e.message}`);
    throw e;
  }
}
