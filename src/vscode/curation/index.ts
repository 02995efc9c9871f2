import type { Feature } from '../services.ts';
import { registerCurationPanel } from './panel.ts';

/**
 * Curation: the "MAPD Curation" panel (panel.ts) and the keys relayed to it.
 *   mapd.openCuration(problemId?)                  opens the panel, at that problem when given
 *   mapd.curation.*                                the panel's keys, relayed from keybindings
 */
export const curationFeature: Feature = (services) => registerCurationPanel(services);
