import { MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_SIDE } from '@parley/sdk/contract'

// The small preview a sender's browser makes of an image before it is queued: decoded by the
// browser (createImageBitmap), drawn at most MAX_THUMBNAIL_SIDE px a side on a canvas and encoded
// as WebP (JPEG where the browser cannot write WebP), smaller quality until it fits the relay's
// limit. The relay never decodes an image itself; without a thumbnail a file shows as a chip.

/** Types whose first frame the browser can draw safely (SVG is left out: it shows as a chip). */
const DRAWABLE = /^image\/(png|jpeg|gif|webp)$/

/** A thumbnail of `image`, or undefined when it is not one the browser can draw. */
export async function makeThumbnail(image: Blob): Promise<Blob | undefined> {
  if (!DRAWABLE.test(image.type)) return undefined
  try {
    const bitmap = await createImageBitmap(image)
    const scale = Math.min(1, MAX_THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(bitmap.width * scale))
    canvas.height = Math.max(1, Math.round(bitmap.height * scale))
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    for (const [type, quality] of [['image/webp', 0.8], ['image/jpeg', 0.7], ['image/jpeg', 0.4]] as const) {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality))
      // A browser that cannot write WebP writes PNG instead: fine if it fits.
      if (blob && blob.size <= MAX_THUMBNAIL_BYTES) return blob
    }
  } catch {
    // Not decodable (corrupt, or a type the browser lacks): the file goes without a preview.
  }
  return undefined
}
