/**
 * The one table of numeric limits of the learn settings: the CLI's option parsers, the extension's
 * settings check, its quick picks and the manifest's `minimum` / `maximum` all read (or are tested
 * against) these, so a range is changed in one place.
 */
export interface IntegerLimit {
  min: number;
  max: number;
}

export const SETTING_LIMITS = {
  layers: { min: 1, max: 64 },
  hidden: { min: 1, max: 4096 },
  order: { min: 0, max: 12 },
  maxSteps: { min: 1, max: 100_000_000 },
  epochs: { min: 1, max: 100_000_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  steps: { min: 1, max: 100_000_000 },
  patience: { min: 1, max: 100_000_000 },
  restarts: { min: 1, max: 64 },
  ensemble: { min: 1, max: 64 },
  modelSamples: { min: 100, max: 10_000_000 },
  batch: { min: 1, max: 1_000_000 },
} as const satisfies Record<string, IntegerLimit>;

export type IntegerSetting = keyof typeof SETTING_LIMITS;
