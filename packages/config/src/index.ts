export { loadSettings, settingsTable, ConfigError, SETTINGS } from './settings.js';
export type { Settings, SettingName } from './settings.js';
