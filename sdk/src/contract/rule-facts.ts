// The rule facts and operators by kind. Kept apart from rules.ts, and free of TypeBox, so the rule
// evaluator the widget bundles can use the lists without pulling in the schema library.

/** Facts with a string value. `path` and `referrerHost` are derived from `url` and `referrer`. */
export const STRING_FACTS = [
  'url', 'path', 'title', 'referrerHost', 'language', 'country', 'device', 'browser', 'os',
  'utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'consent',
] as const
/** Facts with a number value. */
export const NUMBER_FACTS = ['pagesViewed', 'timeOnPageSec', 'timeOnSiteSec', 'visitCount', 'agentsAvailable', 'queueLength'] as const
/** Facts with a boolean value. `businessHours`: inside the brand's hours and not a holiday. */
export const BOOLEAN_FACTS = ['returning', 'businessHours', 'holiday'] as const
/** Facts that take a `name`: one query parameter of the page URL, or one value the page set with `Parley('set')`. */
export const NAMED_FACTS = ['query', 'value'] as const
/** Operators on strings: exact, prefix, glob (`*` any run, `?` one character; no regex), substring, one of a list, present. */
export const STRING_OPS = ['is', 'prefix', 'glob', 'contains', 'in', 'exists'] as const
/** Operators on numbers. */
export const NUMBER_OPS = ['eq', 'gt', 'gte', 'lt', 'lte'] as const
