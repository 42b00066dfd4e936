/*
 * tmpl: Mustache templates, parsed once and rendered many times.
 *
 * A tmpl_set is a named collection of templates.  Each template is
 * parsed into a tree when it is added; rendering only walks trees, so
 * one set may render pages from several threads at once, provided no
 * thread adds to or frees the set meanwhile.
 *
 * The language is Mustache as github.com/mustache/spec defines it:
 * variables, sections, inverted sections, comments, partials, set
 * delimiters, and the optional inheritance module (parents {{<name}}
 * and blocks {{$name}}).  Lambdas and dynamic names are not supported.
 *
 * Values come from cJSON:
 *   - false, null, a name that is not found, an empty string and an
 *     empty array are falsey; numbers (0 too) and objects are truthy;
 *   - a number prints in the shortest form that reads back as the same
 *     double (85, 1.21, 1e+21); true and false print as words; objects
 *     and arrays print as nothing;
 *   - {{name}} escapes & < > " ' for HTML; {{{name}}} and {{&name}} do
 *     not, and are meant for trusted values only.
 *
 * Functions that can fail return 0 or -1 and write one line,
 * "template:line:col: message", into err (errlen bytes, always
 * NUL-terminated when errlen > 0; err may be NULL).
 */
#ifndef TRUSTDIR_TMPL_H
#define TRUSTDIR_TMPL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/* Partials and parents may include one another this deep; past it a
 * render fails, so a template that includes itself is an error rather
 * than a stack overflow. */
#define TMPL_MAX_DEPTH 64
/* Sections, parents and blocks may nest this deep inside one template. */
#define TMPL_MAX_NEST 100

/* A render fails once it has written more than this many bytes or
 * rendered more than this many nodes (texts, tags, section passes):
 * sections over arrays and partials that include one another can make
 * a short template expand exponentially, and a theme must not be able
 * to hang a build.  A page of the largest directory the model allows
 * stays well inside both. */
#define TMPL_MAX_OUTPUT ((size_t)1 << 30)
#define TMPL_MAX_STEPS ((size_t)1 << 30)

typedef struct tmpl_set tmpl_set; /* a named collection of parsed templates */

/* A new, empty set; the caller frees it with tmpl_set_free().  Aborts
 * when memory runs out, like buf and arena. */
tmpl_set *tmpl_set_new(void);
/* Frees the set and every template in it; accepts NULL. */
void tmpl_set_free(tmpl_set *set);

/* Parses src (len bytes, need not be NUL-terminated) and stores it under
 * name, replacing an earlier template of that name.  The set keeps its
 * own copies of name and src.  0 on success; on a syntax error returns
 * -1, writes "name:line:col: message" into err and leaves the set as it
 * was (an earlier template of that name stays). */
int tmpl_set_add(tmpl_set *set, const char *name, const char *src,
		 size_t len, char *err, size_t errlen);
/* Sets the limits above for renders of this set (0 keeps the default):
 * a fuzzer or a test wants them small. */
void tmpl_set_limits(tmpl_set *set, size_t max_output, size_t max_steps);
/* 1 when the set holds a template of that name, else 0. */
int tmpl_set_has(const tmpl_set *set, const char *name);

/* Renders template `name` with `data` (may be NULL) as the root context,
 * appending to out.  Partials and parents are looked up by name in the
 * same set; a missing one renders as nothing, as the spec says.  0 on
 * success; -1 with a message in err when there is no template `name`,
 * expansions nest deeper than TMPL_MAX_DEPTH or the render goes past
 * the set's limits, and then out is as it was before the call. */
int tmpl_render(const tmpl_set *set, const char *name, const cJSON *data,
		buf *out, char *err, size_t errlen);

/*
 * A memo of section passes, for views that share objects: a directory
 * whose every filtered page lists the same members' rows.  A pass of a
 * section over an array item that is a cJSON reference (the object
 * cJSON_AddItemReferenceToArray shares, its members not copied) is
 * remembered with its output and with what each name it looked up
 * outside the item resolved to.  A later pass of the same section over
 * the same object, at the same indentation and nesting, copies that
 * output when every such name resolves to an equal value again ({{page.root}}
 * on a page as deep), and renders otherwise.  The output is the same as
 * without a memo, byte for byte.
 *
 * One memo serves one thread at a time.  It identifies an object by its
 * members, so it must be freed before the objects it has seen are.  It
 * stops remembering past TMPL_MEMO_BYTES of output.
 */
#define TMPL_MEMO_BYTES ((size_t)256 << 20)

typedef struct tmpl_memo tmpl_memo;

tmpl_memo *tmpl_memo_new(void);
void tmpl_memo_free(tmpl_memo *memo); /* accepts NULL */
/*
 * Keyed items: passes kept from one build to the next.  A caller whose
 * shared objects stand for things it can key (a member's row, keyed by
 * a hash of everything the row is made from, the templates included)
 * gives the memo a tmpl_keyed.  A pass over such an item is remembered
 * under its key and the section's place in its template instead of the
 * object's address; the caller may keep each pass rendered (keep: a
 * string of bytes, no NUL in it) and give the passes back to a memo of
 * a later build (stored), which copies them where their names resolve
 * to equal values again, without looking at the item.  So an item may
 * be a stand-in: value() gives the object to render in its place, and
 * is called only when a pass must be rendered.  A stand-in must only
 * ever be rendered with a memo that has the tmpl_keyed.  A stored pass
 * whose names depended on an array or object is not kept.
 */
#define TMPL_KEY_BYTES 20

typedef struct {
	/* 1 when item is one of the caller's (then *index is set, and
	 * *key, TMPL_KEY_BYTES, or NULL when it has none), else 0. */
	int (*item)(void *arg, const cJSON *item, size_t *index,
		    const unsigned char **key);
	/* The object to render for item index, always the same one. */
	const cJSON *(*value)(void *arg, size_t index);
	/* The passes kept for index by an earlier build: *len bytes, or 0. */
	void (*stored)(void *arg, size_t index, const char **bytes,
		       size_t *len);
	/* A pass over index rendered now, to keep (the caller copies it). */
	void (*keep)(void *arg, size_t index, const char *bytes, size_t len);
	void *arg;
} tmpl_keyed;

/* Gives memo keyed items (copied), before its first render. */
void tmpl_memo_keyed(tmpl_memo *memo, const tmpl_keyed *keyed);

/* tmpl_render, with memo (may be NULL: none). */
int tmpl_render_memo(const tmpl_set *set, const char *name,
		     const cJSON *data, tmpl_memo *memo, buf *out, char *err,
		     size_t errlen);

#endif
