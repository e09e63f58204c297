// Progress of a migration run, kept in a small JSON file after every page: where each scan segment stopped. A run
// given the same file goes on from there; a run that finishes removes it, so the next run scans everything again.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Phase } from './tasks';

export interface Checkpoint {
  table: string;
  phase: Phase;
  segments: { done: boolean; startKey?: Record<string, unknown> }[];
}

/** The saved progress of this (table, phase, segments), if any; progress of another run is an error, not ignored. */
export const loadCheckpoint = (file: string, expected: { table: string; phase: Phase; segments: number }): Checkpoint | undefined => {
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  if (saved.table !== expected.table || saved.phase !== expected.phase || saved.segments.length !== expected.segments) {
    throw new Error(
      `${file} holds the progress of another run (table ${saved.table}, phase ${saved.phase}, ${saved.segments.length} segments): ` +
        'resume with the same options, or remove the file to start over.',
    );
  }
  return saved;
};

export const saveCheckpoint = (file: string, checkpoint: Checkpoint): void => {
  if (checkpoint.segments.every((s) => s.done)) {
    rmSync(file, { force: true });
    return;
  }
  // Written aside and renamed, so an interruption never leaves half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${file}.tmp`, file);
};
