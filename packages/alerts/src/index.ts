export {
  filtersSchema,
  parseFilters,
  unknownTaxonomyIds,
  DEFAULT_CLUSTERS,
  type SubscriptionFilters,
  type SubscriptionFiltersInput,
  type TaxonomyIds,
  type UnknownId,
} from './filters.js';
export { parseKeywords, evaluate, requiredTerms, KeywordSyntaxError, type Expr, type Term } from './keywords.js';
export { prepareText, fold, type PreparedText } from './text.js';
export { SubscriptionIndex, type IndexedSubscription, type IndexOptions, type MatchableSignal } from './matcher.js';
export { nextDigestAt, dispositionFor, validTime, validTimezone, type DeliveryMode, type DigestSchedule } from './schedule.js';
export { messageLang, type AlertMessage, type AlertStory, type AlertLabel, type AlertEvidence, type AlertSubscriptionRef, type Lang } from './message.js';
export { DEFAULT_LABEL_NAMES, labelName, type LabelNames } from './i18n.js';
export { renderWebhook, webhookBody, signWebhook, verifyWebhook, WEBHOOK_HEADERS, type SignedWebhook, type VerifyOptions } from './channels/webhook.js';
export { renderSlack, type SlackBody } from './channels/slack.js';
export { renderEmail, type EmailContent } from './channels/email.js';
export { renderAtom, type AtomOptions } from './channels/atom.js';
export {
  subscriptionSchema,
  channelSchema,
  prepareSubscription,
  newFeedToken,
  type SubscriptionInput,
  type PreparedSubscription,
  type ChannelInput,
  type ChannelKind,
} from './subscription.js';
