/** PassDesk's settings: the stored shape with its migrations, and the renderer's view. */
export * from './settings.ts';
