import type { BusinessHours, Rule } from '@parley/sdk/contract'

// The demo brand's deployment rules and business hours (docs/rules.md walks through them): one
// rule per action, so a first `npm start` shows each. Order matters: the first rule that holds
// decides, so the quiet checkout comes before the offline form, and both before the offers.

const DAY_MS = 86_400_000

/**
 * The demo's rules. `siteOrigin` is the demo site's address (the offer links to its checkout);
 * `now` dates the offer's expiry a year ahead.
 */
export function demoRules(siteOrigin: string, now: number): Rule[] {
  return [
    {
      id: 'checkout-quiet', name: 'Nothing on the checkout',
      when: { fact: 'path', op: 'prefix', value: '/checkout' },
      action: { type: 'hide' },
    },
    {
      id: 'offline-form', name: 'Offline form when nobody can answer',
      when: { any: [{ fact: 'businessHours', op: 'is', value: false }, { fact: 'agentsAvailable', op: 'lt', value: 1 }] },
      action: { type: 'offline-form' },
    },
    {
      id: 'pricing-offer', name: 'Coupon for returning visitors on pricing',
      when: { all: [{ fact: 'path', op: 'is', value: '/pricing' }, { fact: 'returning', op: 'is', value: true }, { fact: 'timeOnPageSec', op: 'gte', value: 5 }] },
      action: {
        type: 'offer', text: 'Welcome back! 10 % off your next order.', code: 'WELCOME10',
        link: { url: `${siteOrigin}/checkout`, label: 'Go to checkout' },
        expiresAt: new Date(now + 365 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      cap: { days: 7 },
    },
    {
      id: 'home-invite', name: 'Invitation on the home page',
      when: { fact: 'path', op: 'is', value: '/' },
      action: { type: 'invite', message: 'Hi! Looking for a tea? Ask me anything.', agentName: 'Dana', delaySec: 10 },
      cap: { days: 1 },
    },
    { id: 'everywhere-else', name: 'The chat button everywhere else', action: { type: 'button' } },
  ]
}

/**
 * The demo's business hours: 08:00-20:00 on weekdays and 10:00-16:00 at weekends, in the relay
 * machine's own time zone (so "open" means the demo user's daytime), closed on 25-26 December and
 * 1 January of this year and the next.
 */
export function demoBusinessHours(now: number, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'): BusinessHours {
  const year = new Date(now).getUTCFullYear()
  const weekday = [{ from: '08:00', to: '20:00' }]
  const weekend = [{ from: '10:00', to: '16:00' }]
  return {
    timeZone,
    weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: weekend, sun: weekend },
    holidays: [year, year + 1].flatMap((y) => [
      { from: `${y}-12-25`, to: `${y}-12-26`, name: 'Christmas' },
      { from: `${y}-01-01`, name: 'New Year' },
    ]),
  }
}
