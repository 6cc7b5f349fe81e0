/**
 * UTF-16 files (Excel's "Unicode text" export) are decoded to UTF-8 before parsing: csv-parse can
 * read UTF-16LE itself, but its raw record text, which the true line numbers are counted from,
 * comes out garbled there. UTF-8 (with or without BOM) passes through untouched.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function detectEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** The head as UTF-8 for sniffing (a character cut at its end does not matter there). */
export function headAsUtf8(head: Buffer, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return head;
  return Buffer.from(new TextDecoder(encoding).decode(head, { stream: true }), 'utf8');
}

/** The file's chunks as UTF-8; the decoder drops the BOM and carries characters split across chunks. */
export async function* asUtf8(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf-8') {
    yield* chunks;
    return;
  }
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}
