// The pydock library (`require('pydock/api')`): py(), pool() and gather() over the session engine, and the value types.
import { createApi } from './api';

const api = createApi();

/** A session builder: `await py().define('a', 100).exec('def f(x): return x * 2').eval('f(a)')` (see PyApi.py). */
export const py = api.py;
/** The persistent session of a name, created on first use (see PyApi.session). */
export const session = api.session;
/** `size` supervised sessions for map() (see PyApi.pool). */
export const pool = api.pool;
/** Runs a workspace file or module:function as a detached job (see PyApi.job). */
export const job = api.job;
/** Closes every persistent session and pool; call it before the process should exit. */
export const closeAll = api.closeAll;

export { createApi, type ApiConfig, type PyApi } from './api';
export { PyBuilder } from './builder';
export { PoolItemError, PythonError } from './errors';
export { gather } from './gather';
export { Handle } from './handle';
export type { Job, JobOptions, JobRunner } from './jobs';
export type { JobRecord, JobStatus, CollectedOutput } from '../engine/jobs/jobTypes';
export type { LogEntry } from '../engine/jobs/jobs';
export { DEFAULT_IMAGE, type PyOptions } from './options';
export { Pool, type MapOptions, type PoolOptions } from './pool';
export { PySession, type CallOptions, type InitFn, type RunBody } from './pySession';
export type { Trace } from './trace';
export type { Backend, KubernetesPlacement, Mount } from '../engine/launch/backend';
export { PydockError, type ErrorCode } from '../engine/errors';
export type { Logger } from '../engine/log';
export type { PythonErrorInfo } from '../../shared/agentProtocol';
export {
  DateTime, Grid, LocalDate, LocalTime, Marker, Matrix, NA, ObjectRef, PyObject, Ref, Remove, Uri,
  type GridColumn, type MatrixData, type Value,
} from '../../shared/values';
