import type { Survey, SurveysConfig } from '@parley/sdk/contract'

// The demo brand's surveys (docs/surveys.md walks through them): a pre-chat form that routes the
// chat by topic and shows a field only for Billing, and a post-chat survey with CSAT, NPS, "resolved?"
// and a comment. English and French labels, so switching the browser's language shows the fallback.

const PRE: Survey = {
  id: 'demo-pre', kind: 'pre', name: 'Before a chat', defaultLanguage: 'en',
  title: { en: 'Before we start', fr: 'Avant de commencer' },
  intro: { en: 'Tell us who you are and what it is about, and we will find the right person.', fr: 'Dites-nous qui vous êtes et de quoi il s\'agit : nous trouverons la bonne personne.' },
  submitLabel: { en: 'Start chat', fr: 'Commencer' },
  fields: [
    { id: 'name', type: 'text', purpose: 'name', required: true, maxLength: 80, label: { en: 'Your name', fr: 'Votre nom' } },
    {
      id: 'topic', type: 'choice', required: true, label: { en: 'What is it about?', fr: 'De quoi s\'agit-il ?' },
      options: [
        { value: 'billing', label: { en: 'Billing', fr: 'Facturation' }, route: { topic: 'billing', skill: 'billing', priority: 'high' } },
        { value: 'orders', label: { en: 'Orders', fr: 'Commandes' }, route: { topic: 'orders', skill: 'orders' } },
        { value: 'other', label: { en: 'Other', fr: 'Autre' }, route: { topic: 'other', priority: 'low' } },
      ],
    },
    {
      id: 'invoice', type: 'text', format: 'digits', minLength: 6, maxLength: 12, when: { field: 'topic', is: 'billing' },
      label: { en: 'Invoice number', fr: 'Numéro de facture' },
      help: { en: 'The digits at the top of your invoice (optional).', fr: 'Les chiffres en haut de votre facture (facultatif).' },
    },
    {
      id: 'email', type: 'email', purpose: 'email', label: { en: 'E-mail', fr: 'E-mail' },
      help: { en: 'Only to send you a copy of the answer if you leave before it comes.', fr: 'Seulement pour vous envoyer la réponse si vous partez avant.' },
    },
    {
      id: 'consent', type: 'consent', required: true,
      label: {
        en: 'I agree that Parley Demo Shop keeps this chat and these answers to help me, and deletes them after 90 days.',
        fr: 'J\'accepte que Parley Demo Shop conserve cette discussion et ces réponses pour m\'aider, et les supprime après 90 jours.',
      },
    },
  ],
}

const POST: Survey = {
  id: 'demo-post', kind: 'post', name: 'After a chat', defaultLanguage: 'en',
  title: { en: 'How did we do?', fr: 'Comment était-ce ?' },
  fields: [
    { id: 'csat', type: 'csat', required: true, label: { en: 'How satisfied are you with this chat?', fr: 'Êtes-vous satisfait de cette discussion ?' } },
    { id: 'nps', type: 'nps', label: { en: 'How likely are you to recommend us to a friend?', fr: 'Nous recommanderiez-vous à un ami ?' } },
    { id: 'resolved', type: 'yesno', label: { en: 'Was your question answered?', fr: 'Avez-vous eu votre réponse ?' } },
    { id: 'comment', type: 'longtext', maxLength: 1000, label: { en: 'Anything else you would like to tell us?', fr: 'Autre chose à nous dire ?' } },
  ],
}

/** The demo's surveys document: `demo-pre` before every chat, `demo-post` after it; the built-in offline form. */
export function demoSurveys(): SurveysConfig {
  return { surveys: [structuredClone(PRE), structuredClone(POST)], pre: PRE.id, post: POST.id }
}
