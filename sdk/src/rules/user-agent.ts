// Device, browser and OS from the user agent: a small table, first match wins, order matters (Edge
// and Opera say "Chrome", Chrome says "Safari", Android says "Linux"). An iPad that asks for the
// desktop site says "Macintosh" and reads as a desktop Mac; nothing in the string tells it apart.

/** `tablet`: iPad, or Android without "Mobile"; `mobile`: phones; else `desktop`. */
export function deviceOf(ua: string): 'desktop' | 'mobile' | 'tablet' {
  return /iPad|Tablet|Android(?!.*Mobi)/.test(ua) ? 'tablet' : /Mobi|iP(hone|od)|Android/.test(ua) ? 'mobile' : 'desktop'
}

// Edge writes Edg/, EdgA/ or EdgiOS/; on iOS Chrome writes CriOS/ and Firefox FxiOS/; "Chrom" covers Chromium.
const BROWSERS: [RegExp, string][] = [
  [/Edg/, 'edge'], [/OPR\/|Opera/, 'opera'], [/SamsungBrowser/, 'samsung'], [/Firefox|FxiOS/, 'firefox'], [/Chrom|CriOS/, 'chrome'], [/Safari/, 'safari'],
]
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'windows'], [/CrOS/, 'chromeos'], [/Android/, 'android'], [/iP(hone|ad|od)/, 'ios'], [/Mac/, 'macos'], [/Linux/, 'linux'],
]

const first = (table: [RegExp, string][], ua: string): string => table.find(([re]) => re.test(ua))?.[1] ?? 'other'

/** One of edge, chrome, firefox, safari, opera, samsung, other. */
export const browserOf = (ua: string): string => first(BROWSERS, ua)

/** One of windows, macos, ios, android, linux, chromeos, other. */
export const osOf = (ua: string): string => first(SYSTEMS, ua)
