/** Requests the studio leaves for a running training job in the settings table (the job polls them each step). */

/** The settings key through which the studio asks a running job for previews now (value: request time, ms). */
export function previewRequestKey(runId: string): string {
  return `training.previewRequest.${runId}`;
}
