// The frames one connection holds back while its socket drains, oldest first. Taking from the front
// moves a read position instead of shifting the array (Array#shift is O(n) on a long queue); the
// array is compacted once the read position passes its middle, so a connection that always has
// something waiting does not keep every frame it ever held.

/** A FIFO of serialised frames with their byte sizes. */
export class HeldFrames {
  #frames: (string | undefined)[] = []
  #sizes: number[] = []
  #head = 0
  #bytes = 0

  /** Bytes of the frames waiting. */
  get bytes(): number {
    return this.#bytes
  }

  /** Whether no frame is waiting. */
  get isEmpty(): boolean {
    return this.#head === this.#frames.length
  }

  /** Array slots in use, taken frames not yet compacted away included: at most about twice the frames waiting. */
  get slots(): number {
    return this.#frames.length
  }

  /** Adds a frame of `size` bytes at the back. */
  push(json: string, size: number): void {
    this.#frames.push(json)
    this.#sizes.push(size)
    this.#bytes += size
  }

  /** Takes the oldest frame, or undefined when none waits. */
  take(): string | undefined {
    if (this.isEmpty) return undefined
    const json = this.#frames[this.#head]
    this.#frames[this.#head] = undefined
    this.#bytes -= this.#sizes[this.#head++]!
    if (this.isEmpty) this.clear()
    else if (this.#head * 2 > this.#frames.length) {
      // Each compaction copies fewer frames than were taken since the last: O(1) per frame overall.
      this.#frames = this.#frames.slice(this.#head)
      this.#sizes = this.#sizes.slice(this.#head)
      this.#head = 0
    }
    return json
  }

  /** Forgets every waiting frame. */
  clear(): void {
    this.#frames = []
    this.#sizes = []
    this.#head = 0
    this.#bytes = 0
  }
}
