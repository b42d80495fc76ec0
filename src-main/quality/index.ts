/** Quality measures of audio a musician would hear: pitch content against a label, noisiness, nearness to training clips. */
export { chroma, checkLabel, strongestPitchClasses, type LabelCheck } from '../../src-shared/pitch/chroma';
export { spectralFlatness } from './flatness';
export { parseMusicalLabel, PITCH_NAMES, QUALITIES, type MusicalLabel } from '../../src-shared/pitch/labels';
export { fingerprint, fingerprintDistance, nearestClip, memorisationThreshold, type Fingerprint, type Nearest } from './nearest';
