import { getLanguage, LANGUAGES, type Language, setLanguage, t } from '../lib/i18n';

/** 中文 / English, remembered on this device. */
export function LanguageSwitch() {
  const current = getLanguage();
  return (
    <fieldset class="language-switch">
      <legend>{t('settings.language')}</legend>
      {LANGUAGES.map(({ code, label }) => (
        <button
          key={code}
          type="button"
          class="button"
          lang={code}
          aria-pressed={code === current}
          onClick={() => setLanguage(code as Language)}
        >
          {label}
        </button>
      ))}
    </fieldset>
  );
}
