// The console's chime, made with WebAudio (no audio file to download): two short notes, quiet
// enough to hear over other work without startling.

type AudioContextCtor = new () => AudioContext

/** Plays the chime; does nothing where WebAudio is missing or the browser has not allowed sound yet. */
export function createChime(Ctor: AudioContextCtor | undefined = globalThis.AudioContext): () => void {
  let ctx: AudioContext | null = null
  return () => {
    if (!Ctor) return
    try {
      ctx ??= new Ctor()
      // A context made before the agent clicked anything starts suspended; the click that signed
      // them in usually lets it resume.
      if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined)
      const start = ctx.currentTime
      for (const [i, freq] of [880, 1320].entries()) {
        const osc = ctx.createOscillator()
        const gain = ctx.createGain()
        const at = start + i * 0.12
        osc.frequency.value = freq
        gain.gain.setValueAtTime(0.0001, at)
        gain.gain.exponentialRampToValueAtTime(0.12, at + 0.01)
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18)
        osc.connect(gain).connect(ctx.destination)
        osc.start(at)
        osc.stop(at + 0.2)
      }
    } catch { /* no sound is no harm */ }
  }
}
