// Device, browser and OS from the user agent: a small table, first match wins, order matters (Edge
// and Opera say "Chrome", Chrome says "Safari", Android says "Linux"). An iPad that asks for the
// desktop site says "Macintosh" and reads as a desktop Mac; nothing in the string tells it apart.

/** `tablet`: iPad, or Android without "Mobile"; `mobile`: phones; else `desktop`. */
export function deviceOf(ua: string): 'desktop' | 'mobile' | 'tablet' {
  if (/iPad|Tablet/.test(ua) || (/Android/.test(ua) && !/Mobi/.test(ua))) return 'tablet'
  return /Mobi|iPhone|iPod|Android/.test(ua) ? 'mobile' : 'desktop'
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'edge'], [/OPR\/|Opera|OPT\//, 'opera'], [/SamsungBrowser/, 'samsung'], [/Firefox\/|FxiOS/, 'firefox'],
  [/Chrome\/|CriOS|Chromium/, 'chrome'], [/Safari\//, 'safari'],
]
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'windows'], [/CrOS/, 'chromeos'], [/Android/, 'android'], [/iPhone|iPad|iPod/, 'ios'], [/Mac OS X|Macintosh/, 'macos'], [/Linux/, 'linux'],
]

const first = (table: [RegExp, string][], ua: string): string => table.find(([re]) => re.test(ua))?.[1] ?? 'other'

/** One of edge, chrome, firefox, safari, opera, samsung, other. */
export const browserOf = (ua: string): string => first(BROWSERS, ua)

/** One of windows, macos, ios, android, linux, chromeos, other. */
export const osOf = (ua: string): string => first(SYSTEMS, ua)
