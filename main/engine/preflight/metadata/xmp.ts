// Reads and edits XMP packets (the XML metadata JPEG, PNG and WebP files carry beside EXIF) just
// enough for preflight: whether one holds GPS coordinates, and setting its orientation to upright
// once the pixels have been turned, one digit for another so nothing else moves.

/** True when an XMP packet carries GPS coordinates (exif:GPSLatitude and friends). */
export function xmpHasGps(xmp: Uint8Array): boolean {
  return /GPS(Latitude|Longitude|Altitude|Position)/i.test(Buffer.from(xmp).toString('latin1'));
}

/** Sets every tiff:Orientation in an XMP packet to 1, in place (one digit for another). */
export function uprightXmpInPlace(xmp: Uint8Array): void {
  const text = Buffer.from(xmp.buffer, xmp.byteOffset, xmp.byteLength).toString('latin1');
  for (const match of text.matchAll(/tiff:Orientation(?:>|=["'])\d/g)) {
    xmp[match.index + match[0].length - 1] = 0x31; // '1'
  }
}
