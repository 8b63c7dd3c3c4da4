import { Type, type Static } from '@sinclair/typebox'
import { PROTOCOL_VERSION } from './version.js'
import { LOGO_URL_PATTERN } from './logo-url.js'
import { MaskingConfig } from './masking.js'
import { BusinessHours, Rule } from './rules.js'
import { LanguageTag } from './language-tag.js'
import { SurveysConfig } from './surveys.js'
import { AttachmentSettings } from './attachments.js'

// A brand's public widget configuration: what its widget looks like and may do. It is served to
// any page by site key (`GET /v1/sites/:siteKey/config`, cacheable), so it must never hold a
// secret. Later issues add deployment rules and surveys here, by addition.

const strict = { additionalProperties: false } as const

export { LanguageTag }

/** The strings a brand may override, by key; the widget's own table fills in the rest. */
export const WIDGET_TEXT_KEYS = ['title', 'greeting', 'launcher', 'placeholder', 'offline', 'away'] as const

/**
 * Whether the widget may collect behavioural context (pages viewed, time on site, visit count):
 * `on`: yes, unless the browser sends Do Not Track or Global Privacy Control (then only if the
 * visitor opts in); `opt-in`: only once the visitor (or the brand's consent banner, through
 * `Parley('consent', true)`) agrees; `off`: never.
 */
export const TrackingSetting = Type.Union([Type.Literal('on'), Type.Literal('opt-in'), Type.Literal('off')])
export type TrackingSetting = Static<typeof TrackingSetting>

/** The brand's widget settings; every field has a default, so `{}` is a valid configuration. */
export const WidgetConfig = Type.Object({
  /** Accent colour as #rrggbb. The widget picks black or white text on it for WCAG AA contrast. */
  color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
  position: Type.Optional(Type.Union([Type.Literal('right'), Type.Literal('left')])),
  /**
   * An https image URL shown in the chat header; plain http only on this machine (localhost or
   * 127.0.0.1, any port) for development. The host must end where the pattern says, so
   * `http://localhost:80@elsewhere/` or `http://localhost.elsewhere/` are refused.
   */
  logoUrl: Type.Optional(Type.String({ maxLength: 2048, pattern: LOGO_URL_PATTERN })),
  /**
   * The brand's default language (a BCP 47 tag): used when the visitor's browser asks for no
   * language the widget has, and the first fallback for a string missing in the visitor's language.
   */
  locale: Type.Optional(LanguageTag),
  /**
   * The widget's strings in any language, by BCP 47 tag: `{ fr: { title: 'Parlez-nous' } }`. A
   * language the widget doesn't ship is used as it is; a string left out falls back to the brand's
   * default language, then to English. Tags are stored in canonical case (`fr-ca` → `fr-CA`).
   */
  texts: Type.Optional(Type.Record(
    LanguageTag,
    Type.Object(Object.fromEntries(WIDGET_TEXT_KEYS.map((k) => [k, Type.Optional(Type.String({ maxLength: 280 }))])), strict),
    // The key pattern alone leaves a key that is no language tag unchecked, to pass and then vanish
    // from what is stored; additionalProperties: false refuses it instead.
    { maxProperties: 50, additionalProperties: false },
  )),
  tracking: Type.Optional(TrackingSetting),
  /** Which files may be sent in chats, and how large (absent: images and PDF up to 10 MiB, visitors too). */
  attachments: Type.Optional(AttachmentSettings),
}, strict)
export type WidgetConfig = Static<typeof WidgetConfig>

/** GET /v1/sites/:siteKey/config: what a widget needs to start. Public and cacheable. */
export const PublicSiteConfig = Type.Object({
  siteKey: Type.String(),
  brandName: Type.String(),
  protocol: Type.Integer(),
  widget: WidgetConfig,
  /** The brand's masking configuration, so the widget masks before anything leaves the page. */
  masking: Type.Optional(MaskingConfig),
  /** The brand's deployment rules, evaluated by the widget on every page (absent: none, the chat button). */
  rules: Type.Optional(Type.Array(Rule)),
  /** The brand's business hours (absent: always open). */
  businessHours: Type.Optional(BusinessHours),
  /** The surveys the widget may show (those in use: pre, post, offline and any a rule names), with their versions. */
  surveys: Type.Optional(SurveysConfig),
}, strict)
export type PublicSiteConfig = Static<typeof PublicSiteConfig>

/** What a brand has saved beyond its widget settings, for its public config. */
export interface PublicSiteExtras {
  masking?: MaskingConfig
  rules?: Rule[]
  businessHours?: BusinessHours
  surveys?: SurveysConfig
}

/** The public config of a brand, with `protocol` filled in; an extra left out stays out. */
export function publicSiteConfig(siteKey: string, brandName: string, widget: WidgetConfig, extras: PublicSiteExtras = {}): PublicSiteConfig {
  const { masking, rules, businessHours, surveys } = extras
  return {
    siteKey, brandName, protocol: PROTOCOL_VERSION, widget,
    ...(masking ? { masking } : {}), ...(rules && rules.length > 0 ? { rules } : {}), ...(businessHours ? { businessHours } : {}),
    ...(surveys && surveys.surveys.length > 0 ? { surveys } : {}),
  }
}
