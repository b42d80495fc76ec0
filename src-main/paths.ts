import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const APP_NAME = 'Wavehouse';

/**
 * The platform's user-data dir for Wavehouse, the same folder Electron's app.getPath('userData')
 * gives, so the CLI, `serve` and the desktop app share one studio.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WAVEHOUSE_DATA_DIR) return env.WAVEHOUSE_DATA_DIR;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/** The studio database inside a data dir. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'wavehouse.sqlite');
}

/** Where a project's files (checkpoints, takes, exports) live. */
export function projectDir(dataDir: string, projectId: string): string {
  return join(dataDir, 'projects', projectId);
}

/** The installed package's root folder (holds package.json, out/, resources/), found from this file. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'wavehouse') return dir;
      } catch {
        /* keep looking */
      }
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

/** The built renderer served by `serve`. */
export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}

/** Bundled resources (demo library, icons). */
export function resourcesDir(): string {
  const electronResources = (process as unknown as { resourcesPath?: string }).resourcesPath;
  if (electronResources && existsSync(join(electronResources, 'demo'))) return electronResources;
  return join(packageRoot(), 'resources');
}
