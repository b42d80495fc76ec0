/**
 * The sample list's columns, shared by the header and the rows so they always line up.
 * Widths are CSS grid tracks; `sort` names the backend's sort key when the column sorts.
 */
import type { SortKey } from '../../lib/samples.svelte';

export interface Column {
  id: string;
  title: string;
  width: string;
  sort?: SortKey;
  numeric?: boolean;
}

export const COLUMNS: Column[] = [
  { id: 'play', title: '', width: '34px' },
  { id: 'name', title: 'Name', width: 'minmax(160px, 2fr)', sort: 'name' },
  { id: 'wave', title: 'Waveform', width: 'minmax(96px, 1.1fr)' },
  { id: 'label', title: 'Label', width: 'minmax(96px, 0.9fr)', sort: 'label' },
  { id: 'duration', title: 'Length', width: '62px', sort: 'duration', numeric: true },
  { id: 'rate', title: 'Rate', width: '64px', sort: 'rate', numeric: true },
  { id: 'channels', title: 'Ch', width: '38px', sort: 'channels', numeric: true },
  { id: 'bits', title: 'Bits', width: '44px', numeric: true },
  { id: 'codec', title: 'Codec', width: '64px' },
];

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ');

/** Fixed row height in px: the virtual list's arithmetic depends on every row being exactly this tall. */
export const ROW_HEIGHT = 36;
