#include "report.h"

#include <string.h>

#include "esc.h"

/* Backslash-escapes what Markdown would read as markup, so that a
 * vendor's name cannot format (or link) a pull-request comment. */
static void report_md_escape(buf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|~&", *s))
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

static int report_same_vendor(const change *a, const change *b)
{
	if (!a->vendor || !b->vendor)
		return a->vendor == b->vendor;
	return !strcmp(a->vendor, b->vendor);
}

static void report_text(buf *out, const change_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		const change *c = &l->items[i];

		if (i == 0 || !report_same_vendor(c, &l->items[i - 1])) {
			if (c->vendor)
				buf_printf(out, "%s (%s)\n", c->vendor_name,
					   c->vendor);
			else
				buf_puts(out, "site\n");
		}
		if (!change_is_listed(c))
			continue;
		buf_puts(out, "  - ");
		change_text(out, c);
		buf_putc(out, '\n');
	}
}

static void report_markdown_group(buf *out, const change_list *l,
				  size_t from, size_t to)
{
	const change *first = &l->items[from];
	size_t i, standings = 0;

	buf_puts(out, "\n### ");
	if (first->vendor) {
		report_md_escape(out, first->vendor_name);
		buf_printf(out, " (`%s`)\n\n", first->vendor);
	} else {
		buf_puts(out, "Site settings and pages\n\n");
	}
	for (i = from; i < to; i++)
		standings += l->items[i].kind == CHANGE_STANDING;
	if (standings) {
		buf_puts(out, "**Status changes** (what the profile shows):\n\n");
		for (i = from; i < to; i++) {
			const change *c = &l->items[i];

			if (c->kind != CHANGE_STANDING)
				continue;
			buf_puts(out, "- **");
			report_md_escape(out, c->principle_title);
			buf_printf(out, "** (%s): %s → **%s**\n",
				   c->independent ? "independent"
						  : "self-attested",
				   c->old, c->new);
		}
		buf_puts(out, "\n**All changes:**\n\n");
	}
	for (i = from; i < to; i++) {
		buf text = BUF_INIT;

		if (!change_is_listed(&l->items[i]))
			continue;
		change_text(&text, &l->items[i]);
		buf_puts(out, "- ");
		report_md_escape(out, text.ptr);
		buf_putc(out, '\n');
		buf_dispose(&text);
	}
}

static void report_markdown(buf *out, const change_list *l)
{
	size_t i, from = 0;

	buf_puts(out, "## What this change does to the directory\n");
	for (i = 1; i <= l->len; i++)
		if (i == l->len ||
		    !report_same_vendor(&l->items[i], &l->items[from])) {
			report_markdown_group(out, l, from, i);
			from = i;
		}
}

static void report_json_str(buf *out, const char *key, const char *s,
			    int comma)
{
	buf_printf(out, "%s\"%s\":", comma ? "," : "", key);
	if (s)
		esc_json(out, s, strlen(s));
	else
		buf_puts(out, "null");
}

static void report_json(buf *out, const change_list *l, const char *base_id,
			const char *head_id)
{
	size_t i;

	buf_putc(out, '{');
	report_json_str(out, "base", base_id, 0);
	report_json_str(out, "head", head_id, 1);
	buf_puts(out, ",\"changes\":[");
	for (i = 0; i < l->len; i++) {
		const change *c = &l->items[i];
		buf text = BUF_INIT;

		change_text(&text, c);
		buf_puts(out, i ? ",\n{" : "\n{");
		report_json_str(out, "kind", change_kind_id(c->kind), 0);
		report_json_str(out, "vendor", c->vendor, 1);
		report_json_str(out, "vendor_name", c->vendor_name, 1);
		report_json_str(out, "assessment", c->assessment, 1);
		report_json_str(out, "assessment_type",
				c->assessment || c->kind == CHANGE_STANDING
					? (c->independent ? "independent"
							  : "self-attestation")
					: NULL,
				1);
		report_json_str(out, "principle", c->principle, 1);
		report_json_str(out, "principle_title", c->principle_title, 1);
		report_json_str(out, "field", c->field, 1);
		report_json_str(out, "old", c->old, 1);
		report_json_str(out, "new", c->new, 1);
		report_json_str(out, "text", text.ptr, 1);
		buf_putc(out, '}');
		buf_dispose(&text);
	}
	buf_puts(out, "]}\n");
}

void report_changes(buf *out, const change_list *l, report_format fmt,
		    const char *base_id, const char *head_id)
{
	if (fmt == REPORT_JSON) {
		report_json(out, l, base_id, head_id);
	} else if (!l->len) {
		buf_puts(out, "no change to the directory\n");
	} else if (fmt == REPORT_MARKDOWN) {
		report_markdown(out, l);
	} else {
		report_text(out, l);
	}
}
