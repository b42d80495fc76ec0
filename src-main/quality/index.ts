/** Quality measures of audio a musician would hear: pitch content against a label, noisiness, nearness to training clips. */
export { chroma, checkLabel, strongestPitchClasses, type LabelCheck } from './chroma';
export { spectralFlatness } from './flatness';
export { parseMusicalLabel, PITCH_NAMES, QUALITIES, type MusicalLabel } from './labels';
export { fingerprint, fingerprintDistance, nearestClip, memorisationThreshold, type Fingerprint, type Nearest } from './nearest';
