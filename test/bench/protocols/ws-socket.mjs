import WebSocket from 'ws'

// Setup-phase helpers for the two JSON-over-WebSocket targets (raw ws baseline and Parley).
// Only setup waits on individual frames; the measured phase uses json-frames.mjs.

const SETUP_TIMEOUT_MS = 15_000

/** Opens a WebSocket and resolves once it is open; rejects on error, early close or timeout. */
export function openSocket(url, { origin } = {}) {
  return new Promise((resolve, reject) => {
    // No compression: a chat relay's small frames gain little from it, and the baselines run without.
    // The relays under test are trusted here; skipping UTF-8 validation is per-frame work saved.
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, ...(origin ? { origin } : {}) })
    const timer = setTimeout(() => fail(new Error(`no open within ${SETUP_TIMEOUT_MS} ms`)), SETUP_TIMEOUT_MS)
    const fail = (err) => {
      clearTimeout(timer)
      socket.terminate()
      reject(new Error(`connect ${redact(url)}: ${err.message}`))
    }
    socket.once('error', fail)
    socket.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode} on upgrade`)))
    socket.once('open', () => {
      clearTimeout(timer)
      socket.off('error', fail)
      resolve(socket)
    })
  })
}

/**
 * Resolves with the first frame for which `predicate` is true. Rejects on an error frame, a close
 * or a timeout, naming `what` was awaited; other frames (e.g. broadcasts to agents) are skipped.
 */
export function waitForFrame(socket, predicate, what) {
  return new Promise((resolve, reject) => {
    const finish = (fn, value) => {
      clearTimeout(timer)
      socket.off('message', onMessage)
      socket.off('close', onClose)
      fn(value)
    }
    const onMessage = (data) => {
      const frame = JSON.parse(data)
      if (frame.type === 'error') {
        finish(reject, new Error(`waiting for ${what}: error frame ${frame.code}: ${frame.message}`))
      } else if (predicate(frame)) {
        finish(resolve, frame)
      }
    }
    const onClose = (code, reason) => finish(reject, new Error(`waiting for ${what}: socket closed ${code} ${reason}`))
    const timer = setTimeout(() => finish(reject, new Error(`no ${what} within ${SETUP_TIMEOUT_MS} ms`)), SETUP_TIMEOUT_MS)
    socket.on('message', onMessage)
    socket.on('close', onClose)
  })
}

// Visitor URLs carry the site key; keep it out of error messages that end up in results.json.
function redact(url) {
  return url.replace(/([?&]site=)[^&]+/, '$1…')
}
