// Browser, operating system and device type from a User-Agent string, for the agent's view of the
// visitor. Pure and deliberately small: the common browsers and systems, "Other" for the rest.

/** What the console shows about the visitor's device. */
export interface DeviceInfo {
  browser: string
  os: string
  device: 'phone' | 'tablet' | 'desktop'
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/(?:\b|Headless)(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
]

const SYSTEMS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/\b(?:iPhone|iPad|iPod).*? OS (\d+)/, (m) => `iOS ${m[1]}`],
  [/\bAndroid (\d+(?:\.\d+)?)/, (m) => `Android ${m[1]}`],
  [/\bWindows NT 10\.0/, () => 'Windows 10/11'],
  [/\bWindows NT (\d+\.\d+)/, (m) => `Windows NT ${m[1]}`],
  [/\bMac OS X (\d+)[._](\d+)/, (m) => `macOS ${m[1]}.${m[2]}`],
  [/\bCrOS\b/, () => 'ChromeOS'],
  [/\bLinux\b/, () => 'Linux'],
]

/** Parses a User-Agent string. */
export function parseUserAgent(ua: string): DeviceInfo {
  let browser = 'Other'
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua)
    if (m) { browser = `${name} ${m[1]}`; break }
  }
  let os = 'Other'
  for (const [re, name] of SYSTEMS) {
    const m = re.exec(ua)
    if (m) { os = name(m); break }
  }
  const tablet = /\biPad\b|\bTablet\b/.test(ua) || (/\bAndroid\b/.test(ua) && !/\bMobile\b/.test(ua))
  const phone = !tablet && /\bMobile\b|\biPhone\b|\biPod\b/.test(ua)
  return { browser, os, device: tablet ? 'tablet' : phone ? 'phone' : 'desktop' }
}

/** The visitor's local time ("14:05"), from their UTC offset in minutes, at `now`. */
export function localTime(utcOffsetMin: number, now: number): string {
  const d = new Date(now + utcOffsetMin * 60_000)
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}

/** "3 min 20 s" for a number of seconds. */
export function duration(sec: number): string {
  const m = Math.floor(sec / 60)
  const s = sec % 60
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m > 0 ? `${m} min ${s} s` : `${s} s`
}
