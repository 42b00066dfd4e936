#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Indexes a worker takes at a time: enough that the shared counter is
 * rarely touched, few enough that the threads finish close together
 * although pages differ in size.  A short loop (a few large files, one
 * page per principle) goes one index at a time, or one worker would
 * take it all. */
#define POOL_CHUNK 4
#define POOL_SHORT 64

typedef struct {
	pool_job job;
	void *arg;
	size_t n, chunk;
	atomic_size_t next;   /* the first index no worker has taken */
	atomic_size_t failed; /* the lowest index that failed, or SIZE_MAX */
} pool_run;

typedef struct {
	pool_run *run;
	size_t worker;
	size_t failed; /* the index this worker saw fail, or SIZE_MAX */
	buf err;       /* the message of the job running, then of failed */
	pthread_t thread;
} pool_worker;

int pool_threads(size_t *out, buf *err)
{
	const char *value = getenv(POOL_ENV);
	char *end;
	long n;

	if (!value || !*value) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		*out = n < 1 ? 1 : n > POOL_MAX_THREADS ? POOL_MAX_THREADS
							: (size_t)n;
		return 0;
	}
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < 1 || n > POOL_MAX_THREADS) {
		buf_printf(err, "%s=%s: expected a number of threads from 1 "
			   "to %d", POOL_ENV, value, POOL_MAX_THREADS);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

static void pool_lower(atomic_size_t *failed, size_t i)
{
	size_t low = atomic_load(failed);

	while (i < low && !atomic_compare_exchange_weak(failed, &low, i))
		;
}

/* Takes chunks until none is left.  Indexes above a failure are not
 * run: they cannot change which error is reported.  A worker's indexes
 * only grow, so it fails at most once and keeps that message. */
static void *pool_work(void *p)
{
	pool_worker *w = p;
	pool_run *r = w->run;
	size_t i, end;

	for (;;) {
		i = atomic_fetch_add(&r->next, r->chunk);
		if (i >= r->n)
			break;
		end = r->n - i < r->chunk ? r->n : i + r->chunk;
		for (; i < end && i < atomic_load(&r->failed); i++) {
			buf_clear(&w->err);
			if (r->job(r->arg, w->worker, i, &w->err) < 0) {
				w->failed = i;
				pool_lower(&r->failed, i);
				return NULL;
			}
		}
	}
	return NULL;
}

/* One thread, or one index: the plain loop, in order. */
static int pool_serial(size_t n, pool_job job, void *arg, buf *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (job(arg, 0, i, err) < 0)
			return -1;
	return 0;
}

int pool_for(size_t threads, size_t n, pool_job job, void *arg, buf *err)
{
	pool_run run = { job, arg, n, n < POOL_SHORT ? 1 : POOL_CHUNK, 0,
			 SIZE_MAX };
	pool_worker *ws;
	size_t k, started, first = SIZE_MAX;

	if (threads > n)
		threads = n;
	if (threads <= 1)
		return pool_serial(n, job, arg, err);
	if (!(ws = calloc(threads, sizeof(*ws)))) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	for (k = 0; k < threads; k++) {
		ws[k].run = &run;
		ws[k].worker = k;
		ws[k].failed = SIZE_MAX;
		buf_init(&ws[k].err);
	}
	/* The caller is worker 0. */
	for (started = 1; started < threads; started++)
		if (pthread_create(&ws[started].thread, NULL, pool_work,
				   &ws[started]) != 0)
			break;
	pool_work(&ws[0]);
	for (k = 1; k < started; k++)
		pthread_join(ws[k].thread, NULL);
	for (k = 0; k < threads; k++) {
		if (ws[k].failed < SIZE_MAX &&
		    (first == SIZE_MAX || ws[k].failed < ws[first].failed))
			first = k;
	}
	if (first != SIZE_MAX)
		buf_put(err, ws[first].err.ptr, ws[first].err.len);
	for (k = 0; k < threads; k++)
		buf_dispose(&ws[k].err);
	free(ws);
	return first == SIZE_MAX ? 0 : -1;
}
