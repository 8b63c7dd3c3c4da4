import { describe, expect, it } from 'vitest'
import type { BusinessHours, VisitorFacts } from '../../../../sdk/src/contract/rules.js'
import { deriveFacts } from '../../../../sdk/src/rules/rules.js'

// deriveFacts as (visitor, expected facts) tables: URL parts, referrer host, campaign, user agent,
// language, business hours. Junk never throws; it leaves the fact missing.

const NOW = Date.parse('2026-12-02T10:00:00Z') // a Wednesday
const facts = (v: Partial<VisitorFacts>) => deriveFacts({ url: 'https://shop.example/', ...v }, null, NOW)

describe('path and query from the url', () => {
  it.each([
    ['https://shop.example/pricing?plan=pro#faq', '/pricing', { plan: 'pro' }],
    ['https://shop.example', '/', {}],
    ['https://shop.example?x=1', '/', { x: '1' }],
    ['https://shop.example/a/b/?x=1&x=2&y', '/a/b/', { x: '1', y: '' }],
    ['HTTPS://Shop.Example/Caf%C3%A9?q=a+b%20c&bad=%E0%A4%A', '/Caf%C3%A9', { q: 'a b c', bad: '%E0%A4%A' }],
    ['https://user:pw@shop.example:8443/x?y=1', '/x', { y: '1' }],
    ['/pricing?plan=team', '/pricing', { plan: 'team' }],
    ['https://shop.example/#/spa-route?not=query', '/', {}],
    ['https://shop.example/p?a=1#x?b=2', '/p', { a: '1' }],
    ['https://shop.example/?__proto__=x&constructor=y', '/', JSON.parse('{"__proto__":"x","constructor":"y"}')],
  ])('%s', (url, path, query) => {
    const f = facts({ url })
    expect(f.url).toBe(url)
    expect(f.path).toBe(path)
    expect(Object.entries(f.query)).toEqual(Object.entries(query))
  })

  it.each(['not a url', '', 'shop.example/pricing', 'javascript:alert(1)', '://x', 'http//x/y'])('%j gives no path and no query, without throwing', (url) => {
    const f = facts({ url })
    expect(f.path).toBeUndefined()
    expect({ ...f.query }).toEqual({})
  })
})

describe('campaign from utm_* parameters', () => {
  it('reads each utm_* parameter into its fact', () => {
    const f = facts({ url: 'https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=Winter%2026&utm_term=chat&utm_content=top' })
    expect([f.utmSource, f.utmMedium, f.utmCampaign, f.utmTerm, f.utmContent]).toEqual(['news', 'email', 'Winter 26', 'chat', 'top'])
  })

  it('leaves them missing without the parameters, and reads UTM_SOURCE as a different name', () => {
    const f = facts({ url: 'https://shop.example/?UTM_SOURCE=x' })
    expect([f.utmSource, f.utmMedium, f.utmCampaign, f.utmTerm, f.utmContent]).toEqual([undefined, undefined, undefined, undefined, undefined])
  })
})

describe('referrerHost', () => {
  it.each([
    ['https://www.google.com/search?q=x', 'google.com'],
    ['https://WWW.Google.COM:443/', 'google.com'],
    ['http://news.example.org:8080/a', 'news.example.org'],
    ['https://user:pw@www.partner.example/', 'partner.example'],
    ['https://wwwx.example/', 'wwwx.example'],
    ['https://[2001:db8::1]:8443/x', '[2001:db8::1]'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm'],
    ['not a url', undefined],
    ['', undefined],
    ['https:///path-only', undefined],
  ])('%j → %j', (referrer, host) => {
    expect(facts({ referrer }).referrerHost).toBe(host)
  })
})

// Real user agents, one row per family; [device, browser, os].
const AGENTS: [string, string, [string, string, string]][] = [
  ['Chrome on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ['desktop', 'chrome', 'windows']],
  ['Edge on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', ['desktop', 'edge', 'windows']],
  ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', ['desktop', 'firefox', 'windows']],
  ['Opera on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0', ['desktop', 'opera', 'windows']],
  ['Safari on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', ['desktop', 'safari', 'macos']],
  ['Chrome on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ['desktop', 'chrome', 'macos']],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', ['desktop', 'firefox', 'linux']],
  ['Chrome on ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ['desktop', 'chrome', 'chromeos']],
  ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', ['mobile', 'safari', 'ios']],
  ['Chrome on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', ['mobile', 'chrome', 'ios']],
  ['Firefox on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15', ['mobile', 'firefox', 'ios']],
  ['Edge on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 EdgiOS/131.2903.68 Mobile/15E148 Safari/605.1.15', ['mobile', 'edge', 'ios']],
  ['Safari on iPad', 'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1', ['tablet', 'safari', 'ios']],
  ['Chrome on an Android phone', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', ['mobile', 'chrome', 'android']],
  ['Chrome on an Android tablet', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ['tablet', 'chrome', 'android']],
  ['Samsung Internet on a phone', 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', ['mobile', 'samsung', 'android']],
  ['Firefox on an Android phone', 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', ['mobile', 'firefox', 'android']],
  ['Firefox on an Android tablet', 'Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0', ['tablet', 'firefox', 'android']],
  ['Edge on Android', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0', ['mobile', 'edge', 'android']],
  ['Opera Mobile', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0', ['mobile', 'opera', 'android']],
  ['curl', 'curl/8.5.0', ['desktop', 'other', 'other']],
  ['a bot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', ['desktop', 'other', 'other']],
]

describe('device, browser and os from the user agent', () => {
  it.each(AGENTS)('%s', (_name, userAgent, expected) => {
    const f = facts({ userAgent })
    expect([f.device, f.browser, f.os]).toEqual(expected)
  })

  it('leaves all three missing without a user agent', () => {
    const f = facts({})
    expect([f.device, f.browser, f.os]).toEqual([undefined, undefined, undefined])
  })
})

describe('other facts', () => {
  it.each([['en-US', 'en-us'], ['fr', 'fr'], ['zh-Hant-TW', 'zh-hant-tw']])('language %s reads as %s', (language, expected) => {
    expect(facts({ language }).language).toBe(expected)
  })

  it('takes numbers, booleans, country, consent, values, visitor id and dismissals as given', () => {
    const v: Partial<VisitorFacts> = {
      title: 'Pricing', pagesViewed: 3, timeOnPageSec: 4.5, timeOnSiteSec: 90, visitCount: 2, returning: true, country: 'FR', consent: 'granted',
      agentsAvailable: 1, queueLength: 0, values: { plan: 'pro', items: 2, vip: false }, visitorId: 'v-1', dismissed: { offer: NOW - 1 },
    }
    const f = facts(v)
    expect({
      title: f.title, pagesViewed: f.pagesViewed, timeOnPageSec: f.timeOnPageSec, timeOnSiteSec: f.timeOnSiteSec, visitCount: f.visitCount, returning: f.returning,
      country: f.country, consent: f.consent, agentsAvailable: f.agentsAvailable, queueLength: f.queueLength, values: f.values, visitorId: f.visitorId, dismissed: f.dismissed,
    }).toEqual(v)
  })

  it('uses the visitor\'s own now over the caller\'s', () => {
    expect(deriveFacts({ url: '/', now: 5 }, null, NOW).now).toBe(5)
    expect(deriveFacts({ url: '/' }, null, NOW).now).toBe(NOW)
  })

  it('reads businessHours and holiday from the hours at that instant', () => {
    const hours: BusinessHours = { timeZone: 'Europe/Paris', weekly: { wed: [{ from: '09:00', to: '17:00' }] }, holidays: [{ from: '2026-12-03' }] }
    expect(pick(deriveFacts({ url: '/' }, hours, NOW))).toEqual([true, false])
    expect(pick(deriveFacts({ url: '/' }, hours, NOW + 8 * 3600_000))).toEqual([false, false])
    expect(pick(deriveFacts({ url: '/', now: NOW + 24 * 3600_000 }, hours, NOW))).toEqual([false, true])
    expect(pick(deriveFacts({ url: '/' }, null, NOW))).toEqual([true, false])
  })
})

const pick = (f: { businessHours?: boolean; holiday?: boolean }) => [f.businessHours, f.holiday]
