import { ApiError } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';

/** What went wrong, in words an analyst can act on (a missing scope, no answer, the API's message). */
export function ErrorNote({ error, scope }: { error: unknown; scope?: string }) {
  const { t } = useI18n();
  let text: string;
  if (error instanceof ApiError && error.status === 403) text = t('forbidden', { scope: scope ?? '' });
  else if (error instanceof ApiError && error.status === 0) text = t('networkError');
  else text = t('error', { message: error instanceof Error ? error.message : String(error) });
  return (
    <p role="alert" class="error">
      {text}
    </p>
  );
}
