/*
 * pool: a parallel "for" over an index range, on a few threads.
 *
 * pool_for() runs job(arg, worker, i, err) once for every i in [0, n),
 * on up to `threads` threads: the calling thread is worker 0 and takes
 * part; workers take the indexes in small chunks from a shared counter,
 * in increasing order.  With one thread (or one index) no thread is
 * started and the indexes run in order in the caller, stopping at the
 * first failure.
 *
 * A job returns 0, or -1 with its reason in err (the worker's own
 * buffer).  When jobs fail, pool_for() reports the failure of the
 * lowest failing index, whatever the thread count and timing: indexes
 * above a failure may be skipped, never those below it.  So the error
 * message is the one a build on one thread gives.
 *
 * The job must not change what other indexes read; per-worker state
 * is indexed by `worker` (0 .. threads-1).
 */
#ifndef TRUSTDIR_POOL_H
#define TRUSTDIR_POOL_H

#include <stddef.h>

#include "buf.h"

/* More threads than this is a mistake in TRUSTDIR_THREADS. */
#define POOL_MAX_THREADS 256

typedef int (*pool_job)(void *arg, size_t worker, size_t i, buf *err);

/* The environment variable that sets the thread count. */
#define POOL_ENV "TRUSTDIR_THREADS"

/* The thread count a build uses: POOL_ENV when it is set, a number
 * from 1 to POOL_MAX_THREADS, else the number of online CPUs.  0, or
 * -1 with the reason in err when POOL_ENV is not such a number. */
int pool_threads(size_t *out, buf *err);

/* Runs job for every index in [0, n) on at most threads threads.  0,
 * or -1 with the error of the lowest failing index in err.  A thread
 * that cannot be started is no error: the others do its share. */
int pool_for(size_t threads, size_t n, pool_job job, void *arg, buf *err);

#endif
