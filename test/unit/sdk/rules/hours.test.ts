import { describe, expect, it } from 'vitest'
import type { BusinessHours } from '../../../../sdk/src/contract/rules.js'
import { checkBusinessHours, hoursState } from '../../../../sdk/src/rules/rules.js'

// Business hours in the brand's zone: plain (hours, instant, expected) tables. Instants are written in
// UTC; the comment beside each says the local time.

const at = (iso: string): number => Date.parse(iso)
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())
const weekdays = (from: string, to: string) => ({ mon: [{ from, to }], tue: [{ from, to }], wed: [{ from, to }], thu: [{ from, to }], fri: [{ from, to }] })

const paris: BusinessHours = { timeZone: 'Europe/Paris', weekly: weekdays('09:00', '17:00') }
const newYork: BusinessHours = { timeZone: 'America/New_York', weekly: { ...weekdays('09:00', '17:00'), sun: [{ from: '09:00', to: '17:00' }] } }
const tokyo: BusinessHours = { timeZone: 'Asia/Tokyo', weekly: weekdays('09:00', '18:00') }
const kathmandu: BusinessHours = { timeZone: 'Asia/Kathmandu', weekly: weekdays('09:00', '17:00') } // UTC+05:45
const overnight: BusinessHours = { timeZone: 'Europe/Paris', weekly: { fri: [{ from: '22:00', to: '02:00' }] } }
const lateShift: BusinessHours = { timeZone: 'UTC', weekly: { mon: [{ from: '20:00', to: '24:00' }], tue: [{ from: '00:00', to: '04:00' }] } }
const split: BusinessHours = { timeZone: 'UTC', weekly: { wed: [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }] } }
const allWeek: BusinessHours = { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])) }
const holidays: BusinessHours = {
  timeZone: 'Europe/Paris', weekly: weekdays('09:00', '17:00'),
  holidays: [{ from: '2026-12-25', name: 'Christmas' }, { from: '2026-12-31', to: '2027-01-01' }],
}
const closedAlways: BusinessHours = { timeZone: 'UTC', weekly: {} }
const overnightHoliday = (from: string): BusinessHours => ({ ...overnight, holidays: [{ from }] })

describe('hoursState', () => {
  it.each([
    // 2026-12-02 is a Wednesday.
    ['Paris, Wed 10:00 local (09:00Z): open until 17:00', paris, '2026-12-02T09:00:00Z', true, false, '2026-12-02T16:00:00.000Z'],
    ['Paris, Wed 08:59 local: closed until 09:00', paris, '2026-12-02T07:59:00Z', false, false, '2026-12-02T08:00:00.000Z'],
    ['Paris, Wed 17:00 local: closed (to is exclusive) until Thu 09:00', paris, '2026-12-02T16:00:00Z', false, false, '2026-12-03T08:00:00.000Z'],
    ['Paris, Fri 18:00 local: closed over the weekend until Mon 09:00', paris, '2026-12-04T17:00:00Z', false, false, '2026-12-07T08:00:00.000Z'],
    ['Paris in summer (UTC+2), Wed 09:00 local', paris, '2026-07-01T07:00:00Z', true, false, '2026-07-01T15:00:00.000Z'],
    ['Tokyo, Wed 09:00 local is Tue 24:00Z', tokyo, '2026-12-02T00:00:00Z', true, false, '2026-12-02T09:00:00.000Z'],
    ['Tokyo, Sat 08:00 local is Fri 23:00Z: closed', tokyo, '2026-12-04T23:00:00Z', false, false, '2026-12-07T00:00:00.000Z'],
    ['Kathmandu (UTC+05:45), Wed 09:00 local', kathmandu, '2026-12-02T03:15:00Z', true, false, '2026-12-02T11:15:00.000Z'],
    ['overnight, Fri 23:00 local: open until Sat 02:00', overnight, '2026-12-04T22:00:00Z', true, false, '2026-12-05T01:00:00.000Z'],
    ['overnight, Sat 01:59 local: still open', overnight, '2026-12-05T00:59:00Z', true, false, '2026-12-05T01:00:00.000Z'],
    ['overnight, Sat 02:00 local: closed until next Fri 22:00', overnight, '2026-12-05T01:00:00Z', false, false, '2026-12-11T21:00:00.000Z'],
    ['overnight, Fri 21:00 local: closed', overnight, '2026-12-04T20:00:00Z', false, false, '2026-12-04T21:00:00.000Z'],
    ['to 24:00 then 00:00 on the next day is one open stretch', lateShift, '2026-11-30T21:00:00Z', true, false, '2026-12-01T04:00:00.000Z'],
    ['a holiday closes the part of an overnight interval that runs into it', overnightHoliday('2026-12-05'), '2026-12-05T00:00:00Z', false, true, '2026-12-05T23:00:00.000Z'],
    ['a holiday\'s own overnight interval still opens the next day after midnight', overnightHoliday('2026-12-04'), '2026-12-04T23:30:00Z', true, false, '2026-12-05T01:00:00.000Z'],
    ['split day, between the two intervals', split, '2026-12-02T13:00:00Z', false, false, '2026-12-02T14:00:00.000Z'],
    ['split day, in the second interval', split, '2026-12-02T14:00:00Z', true, false, '2026-12-02T18:00:00.000Z'],
    ['open all week: never changes', allWeek, '2026-12-02T14:00:00Z', true, false, null],
    ['no day open and no holiday: never changes', closedAlways, '2026-12-02T14:00:00Z', false, false, null],
    ['Christmas (Friday) in Paris: a holiday, closed', holidays, '2026-12-25T10:00:00Z', false, true, '2026-12-25T23:00:00.000Z'],
    ['the day before Christmas: open until 17:00', holidays, '2026-12-24T10:00:00Z', true, false, '2026-12-24T16:00:00.000Z'],
    ['Christmas begins at local midnight (23:00Z)', holidays, '2026-12-24T22:59:59Z', false, false, '2026-12-24T23:00:00.000Z'],
    ['a range: Dec 31 to Jan 1 inclusive', holidays, '2027-01-01T12:00:00Z', false, true, '2027-01-01T23:00:00.000Z'],
    ['the day after the range (Saturday): no longer a holiday, closed', holidays, '2027-01-02T12:00:00Z', false, false, '2027-01-04T08:00:00.000Z'],
  ] as const)('%s', (_name, hours, now, open, holiday, next) => {
    const s = hoursState(hours, at(now))
    expect({ open: s.open, holiday: s.holiday, next: iso(s.nextChangeAt) }).toEqual({ open, holiday, next })
  })

  it('is always open with no hours, and never changes', () => {
    expect(hoursState(null, at('2026-12-02T03:00:00Z'))).toEqual({ open: true, holiday: false, nextChangeAt: null })
  })

  it('reads hours in an unknown zone as UTC instead of throwing', () => {
    expect(hoursState({ ...paris, timeZone: 'Mars/Olympus' }, at('2026-12-02T16:30:00Z')).open).toBe(true)
  })

  it('keeps milliseconds exact: the next change is on the boundary, not a rounded second', () => {
    expect(iso(hoursState(paris, at('2026-12-02T07:59:59.250Z')).nextChangeAt)).toBe('2026-12-02T08:00:00.000Z')
  })
})

describe('hoursState across DST changes', () => {
  // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
  // Europe/Paris: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
  it.each([
    ['New York, spring forward: Sunday 09:00-17:00 EDT is 8 hours', newYork, '2026-03-08T13:00:00Z', '2026-03-08T21:00:00.000Z'],
    ['New York, fall back: Sunday 09:00-17:00 EST is 8 hours', newYork, '2026-11-01T14:00:00Z', '2026-11-01T22:00:00.000Z'],
    ['New York, the Monday after spring forward: 09:00 EDT', newYork, '2026-03-09T13:00:00Z', '2026-03-09T21:00:00.000Z'],
  ] as const)('%s', (_name, hours, opensAt, closesAt) => {
    expect(hoursState(hours, at(opensAt) - 1).open).toBe(false)
    expect(iso(hoursState(hours, at(opensAt) - 1).nextChangeAt)).toBe(new Date(at(opensAt)).toISOString())
    const s = hoursState(hours, at(opensAt))
    expect({ open: s.open, next: iso(s.nextChangeAt) }).toEqual({ open: true, next: closesAt })
    expect(at(closesAt) - at(opensAt)).toBe(8 * 3600_000)
  })

  it('finds the opening across the Paris spring-forward weekend (Mon 09:00 CEST = 07:00Z)', () => {
    expect(iso(hoursState(paris, at('2026-03-27T17:00:00Z')).nextChangeAt)).toBe('2026-03-30T07:00:00.000Z')
  })

  it('finds the opening across the Paris fall-back weekend (Mon 09:00 CET = 08:00Z)', () => {
    expect(iso(hoursState(paris, at('2026-10-23T16:00:00Z')).nextChangeAt)).toBe('2026-10-26T08:00:00.000Z')
  })

  it('shortens an interval that the spring-forward jump falls inside: 00:00-12:00 lasts 11 hours', () => {
    const h: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '00:00', to: '12:00' }] } }
    const s = hoursState(h, at('2026-03-08T05:00:00Z')) // 00:00 EST
    expect({ open: s.open, next: iso(s.nextChangeAt) }).toEqual({ open: true, next: '2026-03-08T16:00:00.000Z' }) // 12:00 EDT
  })

  it('lengthens one the fall-back jump falls inside: 00:00-12:00 lasts 13 hours', () => {
    const h: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '00:00', to: '12:00' }] } }
    const s = hoursState(h, at('2026-11-01T04:00:00Z')) // 00:00 EDT
    expect({ open: s.open, next: iso(s.nextChangeAt) }).toEqual({ open: true, next: '2026-11-01T17:00:00.000Z' }) // 12:00 EST
  })

  it('opens at the jump itself when an interval starts in the skipped hour (02:30 on spring-forward day)', () => {
    const h: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '02:30', to: '12:00' }] } }
    const s = hoursState(h, at('2026-03-08T06:30:00Z')) // 01:30 EST
    expect({ open: s.open, next: iso(s.nextChangeAt) }).toEqual({ open: false, next: '2026-03-08T07:00:00.000Z' }) // 03:00 EDT
    expect(hoursState(h, at('2026-03-08T07:00:00Z')).open).toBe(true)
  })
})

describe('checkBusinessHours', () => {
  it.each([
    ['a known zone and plain intervals', paris, null],
    ['overnight and 24:00 intervals', { timeZone: 'UTC', weekly: { fri: [{ from: '22:00', to: '02:00' }], sat: [{ from: '00:00', to: '24:00' }] } }, null],
    ['holidays, single and ranges', holidays, null],
    ['an unknown zone', { ...paris, timeZone: 'Mars/Olympus' }, { path: 'timeZone', message: 'unknown time zone "Mars/Olympus"' }],
    ['an empty interval', { timeZone: 'UTC', weekly: { tue: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '13:00' }] } }, { path: 'weekly/tue/1/to', message: '13:00-13:00 is empty; a whole day is 00:00-24:00' }],
    ['from 24:00', { timeZone: 'UTC', weekly: { sun: [{ from: '24:00', to: '02:00' }] } }, { path: 'weekly/sun/0/from', message: '"24:00" is not a time from 00:00 to 23:59' }],
    ['a malformed clock', { timeZone: 'UTC', weekly: { sun: [{ from: '09:00', to: '9:30' }] } }, { path: 'weekly/sun/0/to', message: '"9:30" is not a time from 00:00 to 24:00' }],
    ['a day that does not exist', { ...paris, holidays: [{ from: '2026-02-30' }] }, { path: 'holidays/0/from', message: '"2026-02-30" is not a date' }],
    ['a range end that does not exist', { ...paris, holidays: [{ from: '2026-02-01', to: '2026-13-01' }] }, { path: 'holidays/0/to', message: '"2026-13-01" is not a date' }],
    ['a range that ends before it starts', { ...paris, holidays: [{ from: '2026-05-01' }, { from: '2026-05-08', to: '2026-05-07' }] }, { path: 'holidays/1/to', message: '2026-05-07 is before 2026-05-08' }],
    ['a leap day in a leap year', { ...paris, holidays: [{ from: '2028-02-29' }] }, null],
  ] as const)('%s', (_name, hours, problem) => {
    expect(checkBusinessHours(hours as BusinessHours)).toEqual(problem)
  })
})
