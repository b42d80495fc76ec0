import { createContext } from 'svelte';
import type { Studio } from './studio.svelte';

/** The studio for the component tree below App (stores, client, navigation). */
export const [getStudio, setStudio] = createContext<Studio>();
