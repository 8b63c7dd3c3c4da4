// Every string the consumer widget shows, in one table per language. Brands override the ones in
// WIDGET_TEXT_KEYS through their config; `%s` takes one argument. A counted string has one form per
// plural category of its language (Intl.PluralRules: Arabic has six, English two), so "1 new
// message" is never "1 new messages".

import type { Counted } from './plural.js'

/** The English table is the reference: every language has exactly these keys. */
export const EN = {
  /** The language tag dates, times and plurals are formatted in (stringsFor narrows it to the visitor's region). */
  locale: 'en',
  launcher: 'Open chat',
  closeChat: 'Close chat',
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  placeholder: 'Write a message…',
  message: 'Message',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not delivered',
  retry: 'Try again',
  remove: 'Remove',
  you: 'You',
  agent: 'Agent',
  typing: '%s is typing…',
  someone: 'Someone',
  assigned: '%s joined the chat',
  closed: 'This chat has ended.',
  newChat: 'Start a new chat',
  offline: 'Connection lost. Your messages will be sent when it is back.',
  connecting: 'Connecting…',
  unread: { one: '%s new message', other: '%s new messages' } as Counted,
  newMessage: { one: 'New message', other: 'New messages' } as Counted,
  shareActivity: 'Share my pages viewed and time on site with the agent',
  messages: 'Messages',
  seen: 'Seen',
  chatEnded: 'Chat ended',
  earlier: 'Show earlier conversations',
  charsLeft: { one: '%s character left', other: '%s characters left' } as Counted,
  charsOver: { one: 'Too long by %s character: shorten it to send.', other: 'Too long by %s characters: shorten it to send.' } as Counted,
  maskedCard: 'A card number was hidden for your safety.',
  masked: 'Some private details were hidden for your safety.',
  invitation: 'Invitation',
  accept: 'Chat',
  dismiss: 'No thanks',
  offerLabel: 'Offer',
  copyCode: 'Copy code',
  copied: 'Copied',
  offlineTitle: 'Leave us a message',
  offlineIntro: 'Nobody can answer right now. Leave a message and we will reply by e-mail.',
  name: 'Name',
  email: 'E-mail',
  required: 'Please fill this in.',
  badEmail: 'Please enter an e-mail address like name@example.com.',
  sendFailed: 'Your message could not be sent. Please try again.',
  thanks: 'Thank you! We will reply by e-mail.',
  close: 'Close',
  startChat: 'Start chat',
  skip: 'Skip',
  sendAnswers: 'Send answers',
  tickRequired: 'Please tick this box to continue.',
  requiredNote: 'Fields marked * are required.',
  requiredWord: 'required',
  endChat: 'End chat',
  endChatAsk: 'End this chat?',
  surveyThanks: 'Thank you for your answers!',
  surveyWaiting: 'Your answers will be sent when the connection is back.',
  surveyFailed: 'Your answers could not be sent. Please check them and try again.',
  fixAnswers: 'Please check the highlighted answers.',
  yes: 'Yes',
  no: 'No',
  csatScale: 'Very dissatisfied|Dissatisfied|Neutral|Satisfied|Very satisfied',
  npsEnds: '0 = not at all likely, 10 = extremely likely',
  badPhone: 'Please enter a phone number like +44 20 7946 0000.',
  badAnswer: 'Please check this answer.',
  tooShort: 'Please write at least %s characters.',
  tooLong: 'Please write at most %s characters.',
  tooSmall: 'Please enter %s or more.',
  tooLarge: 'Please enter %s or less.',
  notInteger: 'Please enter a whole number.',
  badFormat: 'Please check the format of this answer.',
  badOption: 'Please pick one of the options.',
  tooFew: 'Please pick at least %s.',
  tooMany: 'Please pick at most %s.',
} as const

/** A key of the string table. */
export type StringKey = keyof typeof EN
/** A key of a counted string. */
export type CountedKey = { [K in StringKey]: (typeof EN)[K] extends string ? never : K }[StringKey]
/** A complete string table. */
export type Strings = { [K in StringKey]: K extends CountedKey ? Counted : string }
