/**
 * The boundary map's scene (span, points, colour scale) from what the worker sent, or, when there is no
 * worker (a reloaded panel, a past run), rebuilt on the page from the config: the data is deterministic
 * (seeded make_blobs and split), so the same config gives the same points. A past run's map is computed
 * here too, from its saved layers on a CPU engine: one forward pass over the grid, no training.
 */
import { BoundaryMapper, GRID_SIZE, plotOf } from '../src/core/boundary';
import type { NetworkConfig } from '../src/core/config';
import { buildDataset, Dataset, DataSources } from '../src/core/data/dataset';
import { LOSSES } from '../src/core/losses';
import { fromLayerParams, LayerParams, specFromConfig } from '../src/core/network';
import { Trainer } from '../src/core/trainer';
import type { BoundaryScene } from './boundaryPicture';
import type { GridBounds, GridValues, ReadyReply, ScenePoints } from './workerProtocol';

/** Why a dataset has no map, in words for the panel. */
export function noMapReason(features: number): string {
  return `No decision-boundary map: the data has ${features} input feature${features === 1 ? '' : 's'}, and a map needs exactly 2.`;
}

function scene(bounds: GridBounds, points: ScenePoints, classes: number, axes: [string, string] = ['x1', 'x2']): BoundaryScene {
  // Regression shades by value: the targets' range, fixed, so colours do not drift while training.
  let min = Infinity;
  let max = -Infinity;
  if (classes === 0) {
    for (const v of points.y) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { bounds, points, heat: { classes, min: classes === 0 ? min : 0, max: classes === 0 ? max : 1 }, axes };
}

export function sceneFromReady(r: ReadyReply): BoundaryScene | null {
  return r.bounds && r.points ? scene(r.bounds, r.points, r.classes, r.axes ?? undefined) : null;
}

/** The map over the data's two raw axes (extra features and standardisation are applied inside). */
export function mapperFor(config: NetworkConfig, ds: Dataset): BoundaryMapper {
  const outputs = LOSSES[config.training.loss].outputs(ds.classes);
  return BoundaryMapper.forDataset(ds, outputs, config.training.loss, GRID_SIZE);
}

/** The scene of a dataset whose map `m` spans (the worker's, or one rebuilt here). */
export function sceneOf(ds: Dataset, m: BoundaryMapper): BoundaryScene {
  const g = m.grid;
  const plot = plotOf(ds);
  const X = plot?.X ?? ds.X;
  return scene({ size: g.size, xMin: g.xMin, xMax: g.xMax, yMin: g.yMin, yMax: g.yMax }, { X, y: ds.y, trainIdx: ds.trainIdx, testIdx: ds.testIdx }, ds.classes, plot?.axes);
}

/** The scene of a config's data, rebuilt here; null (with the reason) when it has no map. */
export function sceneFromConfig(config: NetworkConfig, sources: DataSources = {}): { scene: BoundaryScene | null; why: string; classes: number } {
  let ds: Dataset;
  try {
    ds = buildDataset(config, sources);
  } catch (e) {
    // A CSV whose text this page no longer has (after a reload): no map until the next run.
    return { scene: null, why: `No map: ${(e as Error).message}`, classes: 0 };
  }
  if (!plotOf(ds)) return { scene: null, why: noMapReason(ds.features), classes: ds.classes };
  return { scene: sceneOf(ds, mapperFor(config, ds)), why: '', classes: ds.classes };
}

/** A past run's scene and final map, from its saved layers. Throws a plain message when the layers do not fit. */
export function pastRunBoundary(config: NetworkConfig, layers: LayerParams[], sources: DataSources = {}): { scene: BoundaryScene | null; grid: GridValues | null; why: string; classes: number } {
  let ds: Dataset;
  try {
    ds = buildDataset(config, sources);
  } catch (e) {
    return { scene: null, grid: null, why: `No map: ${(e as Error).message}`, classes: 0 };
  }
  if (!plotOf(ds)) return { scene: null, grid: null, why: noMapReason(ds.features), classes: ds.classes };
  const spec = specFromConfig(config, ds.features, ds.classes);
  const theta = fromLayerParams(spec, layers);
  // The trainer only sets up the engine with these weights; no epoch is run.
  const trainer = new Trainer(config, ds, { initialParams: theta });
  const m = mapperFor(config, ds);
  const g = m.update(trainer.engine);
  return { scene: sceneOf(ds, m), grid: { values: g.values.slice(), classes: g.classes ? g.classes.slice() : null }, why: '', classes: ds.classes };
}
