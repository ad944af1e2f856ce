// What a paste into the TOTP import's paste target holds: the bytes of the first image in it, or
// a message saying why there is none. The editor side (src/commands/totp/pasteTarget.ts) turns
// VS Code's DataTransfer into these items; the QR decoder then reads the bytes.
import { UserError } from '../errors';

export interface PastedFile {
  name: string;
  data(): PromiseLike<Uint8Array>;
}

/** One entry of a paste: its MIME type and, for images and files, the file behind it. */
export interface PastedItem {
  mime: string;
  file?: PastedFile;
}

const IMAGE_NAME = /\.(png|jpe?g)$/i;

/** Why the paste cannot be imported, or undefined when it holds an image to decode. */
export function refusal(items: readonly PastedItem[]): string | undefined {
  if (imageItem(items)) return undefined;
  if (items.some((i) => i.file)) {
    return 'The pasted file is not an image: copy the QR code itself as an image (a screenshot, or "Copy Image" in a browser) and paste again.';
  }
  return 'The paste held no image, only text: copy the QR code as an image (a screenshot, or "Copy Image" in a browser) and paste again, '
    + 'or use "otpauth URI from the clipboard" for a copied otpauth:// link.';
}

function imageItem(items: readonly PastedItem[]): PastedItem | undefined {
  return items.find((i) => i.file && i.mime.toLowerCase().startsWith('image/'))
    ?? items.find((i) => i.file && IMAGE_NAME.test(i.file.name));
}

/** The bytes of the first image in the paste; the decoder (qr.ts) says what is wrong with them, size included. */
export async function pastedImageBytes(items: readonly PastedItem[]): Promise<Uint8Array> {
  const why = refusal(items);
  const item = imageItem(items);
  if (why || !item?.file) throw new UserError(why ?? 'The paste held no image.');
  return await item.file.data();
}
