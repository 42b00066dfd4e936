#include "export_int.h"

#include <string.h>

#include "buf.h"

/*
 * The API, object by object.  The order of the fields is the order of
 * the keys in the files.  Descriptions are shown on the documentation
 * page as they are written here: plain sentences, for a reader who has
 * not seen the site.
 */

const char *const export_kinds[] = {
	"policy", "certification", "audit-report", "attestation",
	"transparency-report", "contract-clause", "other", NULL
};

#define END { NULL, EXPORT_STRING, NULL, NULL, 0, NULL }
#define HEAD_OF(what, commit)                                                 \
	{ "$schema", EXPORT_STRING, NULL, "url", 0,                           \
	  "The address of the JSON Schema that describes " what "." },        \
	{ "api_version", EXPORT_INTEGER, NULL, "version", 0,                  \
	  "Always 1 under api/v1/. A change that removes or renames a field " \
	  "gets a new version and a new folder." },                          \
	{ "commit", EXPORT_OBJECT, "commit", NULL, 0, commit }
#define HEAD(what)                                                            \
	HEAD_OF(what, "The commit of the directory's repository the data was " \
		      "built from. Expiry and staleness are measured at its " \
		      "date.")

static const export_field export_commit[] = {
	{ "id", EXPORT_STRING, NULL, "commit", 0, "The commit's full id." },
	{ "date", EXPORT_STRING, NULL, "date", 0, "The commit's date (UTC)." },
	{ "url", EXPORT_STRING, NULL, "url", 1,
	  "The commit in the repository's web view; null when the site names "
	  "no repository." },
	END
};

static const export_field export_principle[] = {
	{ "id", EXPORT_STRING, NULL, "name", 0, "The principle's id." },
	{ "index", EXPORT_INTEGER, NULL, NULL, 0,
	  "Its position, from 1, in the order used everywhere on the site." },
	{ "title", EXPORT_STRING, NULL, NULL, 0, "Its title." },
	{ "summary", EXPORT_STRING, NULL, NULL, 0, "Its one-line summary." },
	{ "url", EXPORT_STRING, NULL, "url", 0, "Its page on the site." },
	END
};

static const export_field export_layer[] = {
	{ "id", EXPORT_STRING, NULL, "name", 0, "The layer's id." },
	{ "label", EXPORT_STRING, NULL, NULL, 0, "Its name as the site shows it." },
	END
};

static const export_field export_status[] = {
	{ "id", EXPORT_STRING, NULL, NULL, 0,
	  "A status: meets, partially-meets, does-not-meet, not-assessed, or "
	  "none (used only by directory.csv, for \"no assessment of this "
	  "kind\")." },
	{ "label", EXPORT_STRING, NULL, NULL, 0, "Its words on the site." },
	{ "symbol", EXPORT_STRING, NULL, NULL, 0,
	  "The symbol the site shows beside the words." },
	END
};

static const export_field export_kind[] = {
	{ "id", EXPORT_STRING, NULL, "kind", 0, "An evidence kind." },
	{ "label", EXPORT_STRING, NULL, NULL, 0, "Its words on the site." },
	END
};

static const export_field export_links[] = {
	{ "docs", EXPORT_STRING, NULL, "url", 0,
	  "The page that documents this API." },
	{ "vendors", EXPORT_STRING, NULL, "url", 0, "api/v1/vendors.json." },
	{ "vendor", EXPORT_STRING, NULL, "url", 0,
	  "The address of one vendor's file, with {slug} to be replaced by "
	  "the vendor's slug." },
	{ "csv", EXPORT_STRING, NULL, "url", 0,
	  "directory.csv: one row per vendor and principle." },
	END
};

static const export_field export_site[] = {
	HEAD("this file"),
	{ "title", EXPORT_STRING, NULL, NULL, 0, "The directory's title." },
	{ "base_url", EXPORT_STRING, NULL, "url", 0,
	  "Where the site is published; every address in the API starts "
	  "with it." },
	{ "repo_url", EXPORT_STRING, NULL, "url", 1,
	  "The repository the directory is maintained in, or null." },
	{ "evidence_max_age_days", EXPORT_INTEGER, NULL, NULL, 0,
	  "Evidence dated more than this many days before the commit date "
	  "is stale." },
	{ "vendor_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many vendors the directory lists." },
	{ "principles", EXPORT_ARRAY, "principle", NULL, 0,
	  "The principles, in the directory's order." },
	{ "layers", EXPORT_ARRAY, "layer", NULL, 0,
	  "The technology layers a vendor can work in." },
	{ "statuses", EXPORT_ARRAY, "status", NULL, 0,
	  "Every status, best first, with the words the site uses." },
	{ "evidence_kinds", EXPORT_ARRAY, "kind", NULL, 0,
	  "Every kind of evidence, with the words the site uses." },
	{ "links", EXPORT_OBJECT, "links", NULL, 0, "The other files of the API." },
	END
};

static const export_field export_standing_side[] = {
	{ "assessment", EXPORT_STRING, NULL, "name", 0,
	  "The id of the assessment this comes from: the latest one of its "
	  "kind. It is an entry of the vendor file's assessments." },
	{ "assessor", EXPORT_STRING, NULL, NULL, 1,
	  "Who assessed; null for a self-attestation." },
	{ "date", EXPORT_STRING, NULL, "date", 0, "The assessment's date." },
	{ "valid_until", EXPORT_STRING, NULL, "date", 1,
	  "The end of its validity, or null." },
	{ "expired", EXPORT_BOOLEAN, NULL, NULL, 0,
	  "true when valid_until lies before the commit date." },
	{ "status", EXPORT_STRING, NULL, "status", 0,
	  "The finding on this principle; a principle the assessment leaves "
	  "out is not-assessed." },
	{ "evidence_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many pieces of evidence it cites for this principle." },
	{ "stale_evidence_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many of them are stale (dated more than "
	  "evidence_max_age_days before the commit date)." },
	END
};

static const export_field export_standing[] = {
	{ "principle", EXPORT_STRING, NULL, "name", 0, "The principle's id." },
	{ "self_attestation", EXPORT_OBJECT, "standing_side", NULL, 1,
	  "What the vendor attests itself, or null when it has made no "
	  "self-attestation." },
	{ "independent", EXPORT_OBJECT, "standing_side", NULL, 1,
	  "What an independent assessor found, or null when no independent "
	  "assessment is on record. Never merged with the self-attestation." },
	END
};

#define VENDOR_ID                                                              \
	{ "slug", EXPORT_STRING, NULL, "name", 0,                              \
	  "The vendor's id: its folder in the repository and its address on "  \
	  "the site." },                                                       \
	{ "name", EXPORT_STRING, NULL, NULL, 0, "The vendor's name." },        \
	{ "legal_name", EXPORT_STRING, NULL, NULL, 1,                          \
	  "Its legal name, or null." },                                        \
	{ "country", EXPORT_STRING, NULL, "country", 0,                        \
	  "Its country, as an ISO 3166-1 alpha-2 code." },                     \
	{ "country_name", EXPORT_STRING, NULL, NULL, 0,                        \
	  "The country's English short name." },                               \
	{ "layers", EXPORT_ARRAY, NULL, "name", 0,                             \
	  "The ids of the layers it works in (see site.json)." },             \
	{ "member_since", EXPORT_STRING, NULL, "date", 0,                      \
	  "When it joined." },                                                 \
	{ "website", EXPORT_STRING, NULL, "url", 0, "Its website." }

static const export_field export_vendor_brief[] = {
	VENDOR_ID,
	{ "independently_assessed", EXPORT_BOOLEAN, NULL, NULL, 0,
	  "true when at least one independent assessment is on record." },
	{ "profile_url", EXPORT_STRING, NULL, "url", 0,
	  "Its profile page on the site." },
	{ "api_url", EXPORT_STRING, NULL, "url", 0,
	  "Its file in this API, with everything the profile shows." },
	{ "standings", EXPORT_ARRAY, "standing", NULL, 0,
	  "Its standing on every principle, in the order of principles." },
	END
};

static const export_field export_vendors[] = {
	HEAD("this file"),
	{ "principles", EXPORT_ARRAY, NULL, "name", 0,
	  "The ids of the principles, in the order of every standings list." },
	{ "vendors", EXPORT_ARRAY, "vendor_brief", NULL, 0,
	  "Every vendor, in the directory's order (by name)." },
	END
};

static const export_field export_evidence[] = {
	{ "title", EXPORT_STRING, NULL, NULL, 0, "The document's title." },
	{ "kind", EXPORT_STRING, NULL, "kind", 0, "What kind of document it is." },
	{ "url", EXPORT_STRING, NULL, "url", 1,
	  "Where it is published, or null: evidence can be shared under NDA." },
	{ "date", EXPORT_STRING, NULL, "date", 1, "Its date, or null." },
	{ "sha256", EXPORT_STRING, NULL, "sha256", 1,
	  "The SHA-256 digest of the document as published, or null." },
	{ "stale", EXPORT_BOOLEAN, NULL, NULL, 0,
	  "true when it is dated more than evidence_max_age_days before the "
	  "commit date." },
	END
};

static const export_field export_side[] = {
	{ "assessment", EXPORT_STRING, NULL, "name", 0,
	  "The id of the assessment this comes from (see assessments)." },
	{ "assessor", EXPORT_STRING, NULL, NULL, 1,
	  "Who assessed; null for a self-attestation." },
	{ "date", EXPORT_STRING, NULL, "date", 0, "The assessment's date." },
	{ "valid_until", EXPORT_STRING, NULL, "date", 1,
	  "The end of its validity, or null." },
	{ "expired", EXPORT_BOOLEAN, NULL, NULL, 0,
	  "true when valid_until lies before the commit date." },
	{ "status", EXPORT_STRING, NULL, "status", 0, "The finding." },
	{ "evidence_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "The length of evidence." },
	{ "stale_evidence_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many pieces of evidence are stale." },
	{ "report_url", EXPORT_STRING, NULL, "url", 1,
	  "The assessment's published report, or null." },
	{ "summary", EXPORT_STRING, NULL, NULL, 1,
	  "The finding in a few sentences, as CommonMark from the repository, "
	  "or null. It is not escaped: render it as untrusted text." },
	{ "summary_html", EXPORT_STRING, NULL, NULL, 1,
	  "The same, as the HTML the profile shows: raw HTML removed, links "
	  "other than https:, http:, mailto: and relative ones dropped." },
	{ "evidence", EXPORT_ARRAY, "evidence", NULL, 0,
	  "The evidence cited for this principle." },
	END
};

static const export_field export_principle_standing[] = {
	{ "id", EXPORT_STRING, NULL, "name", 0, "The principle's id." },
	{ "title", EXPORT_STRING, NULL, NULL, 0, "Its title." },
	{ "url", EXPORT_STRING, NULL, "url", 0, "Its page on the site." },
	{ "self_attestation", EXPORT_OBJECT, "side", NULL, 1,
	  "The latest self-attestation's finding, or null when there is none." },
	{ "independent", EXPORT_OBJECT, "side", NULL, 1,
	  "The latest independent assessment's finding, or null when there is "
	  "none. Never merged with the self-attestation." },
	END
};

static const export_field export_assessment[] = {
	{ "id", EXPORT_STRING, NULL, "name", 0,
	  "The assessment's id: its file name without .json." },
	{ "type", EXPORT_STRING, NULL, "type", 0,
	  "self-attestation or independent." },
	{ "assessor", EXPORT_STRING, NULL, NULL, 1,
	  "Who assessed; null for a self-attestation." },
	{ "date", EXPORT_STRING, NULL, "date", 0, "Its date." },
	{ "valid_until", EXPORT_STRING, NULL, "date", 1,
	  "The end of its validity, or null." },
	{ "expired", EXPORT_BOOLEAN, NULL, NULL, 0,
	  "true when valid_until lies before the commit date." },
	{ "scope", EXPORT_STRING, NULL, NULL, 1,
	  "What was assessed, as CommonMark from the repository (untrusted), "
	  "or null." },
	{ "scope_html", EXPORT_STRING, NULL, NULL, 1,
	  "The same, as the safe HTML the profile shows, or null." },
	{ "report_url", EXPORT_STRING, NULL, "url", 1,
	  "Its published report, or null." },
	{ "principle_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many principles the file names." },
	{ "path", EXPORT_STRING, NULL, NULL, 0,
	  "Its file in the repository." },
	{ "edit_url", EXPORT_STRING, NULL, "url", 1,
	  "Where to propose a change to it, or null when the site names no "
	  "repository." },
	END
};

static const export_field export_history[] = {
	{ "listed_since", EXPORT_STRING, NULL, "date", 0,
	  "The date of the first change that listed the vendor." },
	{ "last_changed", EXPORT_STRING, NULL, "date", 0,
	  "The date of the latest change to its records." },
	{ "change_count", EXPORT_INTEGER, NULL, NULL, 0,
	  "How many changes to the directory (commits on the first-parent "
	  "line) touched its records." },
	{ "url", EXPORT_STRING, NULL, "url", 0,
	  "Its history page, every change in words." },
	{ "feed_url", EXPORT_STRING, NULL, "url", 0,
	  "The Atom feed of its history." },
	END
};

static const export_field export_vendor[] = {
	HEAD_OF("this file",
		"The newest commit that changed this vendor's files (the one "
		"history.last_changed dates), or the commit the data was built "
		"from when the build has no history. The file is rebuilt with "
		"api/v1/site.json: expiry and staleness are measured at the "
		"date of the commit that file names."),
	VENDOR_ID,
	{ "security_contact", EXPORT_STRING, NULL, "url", 1,
	  "Where to report a vulnerability, or null." },
	{ "summary", EXPORT_STRING, NULL, NULL, 1,
	  "The vendor's own description, as CommonMark from the repository "
	  "(untrusted), or null." },
	{ "summary_html", EXPORT_STRING, NULL, NULL, 1,
	  "The same, as the safe HTML the profile shows, or null." },
	{ "notice", EXPORT_STRING, NULL, NULL, 1,
	  "The note the profile shows when a vendor has no public evidence or "
	  "no independent assessment, or null." },
	{ "profile_url", EXPORT_STRING, NULL, "url", 0,
	  "Its profile page on the site." },
	{ "edit_url", EXPORT_STRING, NULL, "url", 1,
	  "Where to propose a change to its profile, or null." },
	{ "principles", EXPORT_ARRAY, "principle_standing", NULL, 0,
	  "Per principle, in the directory's order, the latest self-attested "
	  "and independent findings side by side, with their evidence." },
	{ "assessments", EXPORT_ARRAY, "assessment", NULL, 0,
	  "Every assessment on record, newest first." },
	{ "history", EXPORT_OBJECT, "history", NULL, 1,
	  "A summary of the vendor's history in the repository, or null when "
	  "the build has none." },
	END
};

static const export_object export_objects[] = {
	{ "site", "The directory, its principles and the words it uses.",
	  export_site },
	{ "vendors", "Every vendor and its standing on every principle.",
	  export_vendors },
	{ "vendor", "Everything a vendor's profile shows.", export_vendor },
	{ "commit", "A commit.", export_commit },
	{ "principle", "A principle.", export_principle },
	{ "layer", "A technology layer.", export_layer },
	{ "status", "A status.", export_status },
	{ "kind", "A kind of evidence.", export_kind },
	{ "links", "Addresses of the API's files.", export_links },
	{ "vendor_brief", "A vendor in the list.", export_vendor_brief },
	{ "standing", "A vendor's standing on one principle.", export_standing },
	{ "standing_side", "One side of a standing.", export_standing_side },
	{ "principle_standing", "A vendor's findings on one principle.",
	  export_principle_standing },
	{ "side", "One side of a finding, with its evidence.", export_side },
	{ "evidence", "A piece of evidence.", export_evidence },
	{ "assessment", "An assessment summary.", export_assessment },
	{ "history", "A summary of a vendor's history.", export_history },
	{ NULL, NULL, NULL }
};

const export_column export_csv_columns[] = {
	{ "vendor", "The vendor's name." },
	{ "vendor_slug", "Its id, as in the API and its address." },
	{ "country", "ISO 3166-1 alpha-2 code." },
	{ "layers", "The ids of its layers, separated by \"; \"." },
	{ "principle", "The principle's id." },
	{ "principle_title", "The principle's title." },
	{ "self_attested_status", "The latest self-attestation's finding: "
	  "meets, partially-meets, does-not-meet, not-assessed, or none when "
	  "there is no self-attestation." },
	{ "self_attested_date", "Its date (YYYY-MM-DD), or empty." },
	{ "self_attested_expired", "yes when it is past its valid_until date, "
	  "no when not, empty without one." },
	{ "self_attested_evidence_count", "How many pieces of evidence it "
	  "cites for the principle, or empty." },
	{ "self_attested_stale_evidence_count", "How many of them are stale, "
	  "or empty." },
	{ "independent_status", "The latest independent assessment's "
	  "finding, or none when there is no independent assessment." },
	{ "independent_assessor", "Who assessed, or empty." },
	{ "independent_date", "Its date, or empty." },
	{ "independent_valid_until", "The end of its validity, or empty." },
	{ "independent_expired", "yes, no, or empty, as above." },
	{ "independent_evidence_count", "How many pieces of evidence it cites "
	  "for the principle, or empty." },
	{ "independent_stale_evidence_count", "How many of them are stale, or "
	  "empty." },
	{ "profile_url", "The vendor's profile page." },
	{ NULL, NULL }
};

const export_object *export_object_find(const char *name)
{
	const export_object *o;

	for (o = export_objects; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* ---- JSON Schema -------------------------------------------------------- */

static void export_schema_string(cJSON *s, const char *format)
{
	static const char *const statuses[] = {
		"meets", "partially-meets", "does-not-meet", "not-assessed", NULL
	};
	static const char *const types[] = { "self-attestation", "independent",
					     NULL };
	const char *const *list = NULL;
	const char *pattern = NULL;

	cJSON_AddStringToObject(s, "type", "string");
	if (!format)
		return;
	if (!strcmp(format, "date"))
		pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
	else if (!strcmp(format, "name"))
		pattern = "^[a-z0-9][a-z0-9-]{0,62}$";
	else if (!strcmp(format, "country"))
		pattern = "^[A-Z]{2}$";
	else if (!strcmp(format, "commit"))
		pattern = "^[0-9a-f]{40}([0-9a-f]{24})?$";
	else if (!strcmp(format, "sha256"))
		pattern = "^[0-9a-fA-F]{64}$";
	else if (!strcmp(format, "url"))
		cJSON_AddStringToObject(s, "format", "uri-reference");
	else if (!strcmp(format, "status"))
		list = statuses;
	else if (!strcmp(format, "type"))
		list = types;
	else if (!strcmp(format, "kind"))
		list = export_kinds;
	if (pattern)
		cJSON_AddStringToObject(s, "pattern", pattern);
	if (list) {
		cJSON *e = cJSON_AddArrayToObject(s, "enum");

		for (; *list; list++)
			cJSON_AddItemToArray(e, cJSON_CreateString(*list));
	}
}

static cJSON *export_schema_ref(const char *of)
{
	cJSON *s = cJSON_CreateObject();
	buf ref = BUF_INIT;

	buf_printf(&ref, "#/$defs/%s", of);
	cJSON_AddStringToObject(s, "$ref", ref.ptr);
	buf_dispose(&ref);
	return s;
}

static cJSON *export_schema_field(const export_field *f)
{
	cJSON *s = cJSON_CreateObject(), *items;

	switch (f->type) {
	case EXPORT_STRING:
		export_schema_string(s, f->format);
		break;
	case EXPORT_INTEGER:
		cJSON_AddStringToObject(s, "type", "integer");
		if (f->format && !strcmp(f->format, "version"))
			cJSON_AddNumberToObject(s, "const", 1);
		else
			cJSON_AddNumberToObject(s, "minimum", 0);
		break;
	case EXPORT_BOOLEAN:
		cJSON_AddStringToObject(s, "type", "boolean");
		break;
	case EXPORT_OBJECT:
		cJSON_Delete(s);
		s = export_schema_ref(f->of);
		break;
	case EXPORT_ARRAY:
		cJSON_AddStringToObject(s, "type", "array");
		if (f->of) {
			items = export_schema_ref(f->of);
		} else {
			items = cJSON_CreateObject();
			export_schema_string(items, f->format);
		}
		cJSON_AddItemToObject(s, "items", items);
		break;
	}
	if (f->nullable) {
		cJSON *wrap = cJSON_CreateObject();
		cJSON *any = cJSON_AddArrayToObject(wrap, "anyOf");
		cJSON *null = cJSON_CreateObject();

		cJSON_AddStringToObject(null, "type", "null");
		cJSON_AddItemToArray(any, s);
		cJSON_AddItemToArray(any, null);
		s = wrap;
	}
	cJSON_AddStringToObject(s, "description", f->desc);
	return s;
}

/* The schema of one object, without $schema, $id or $defs.  Every key
 * is required (an absent value is null) and no other key is allowed:
 * the file holds exactly what is documented. */
static void export_schema_object(cJSON *s, const export_object *o)
{
	cJSON *req, *props;
	const export_field *f;

	cJSON_AddStringToObject(s, "description", o->desc);
	cJSON_AddStringToObject(s, "type", "object");
	req = cJSON_AddArrayToObject(s, "required");
	props = cJSON_AddObjectToObject(s, "properties");
	for (f = o->fields; f->name; f++) {
		cJSON_AddItemToArray(req, cJSON_CreateString(f->name));
		cJSON_AddItemToObject(props, f->name, export_schema_field(f));
	}
	cJSON_AddBoolToObject(s, "additionalProperties", 0);
}

/* Adds to defs every object reachable from o, depth first, each once. */
static void export_schema_defs(cJSON *defs, const export_object *o)
{
	const export_field *f;

	for (f = o->fields; f->name; f++) {
		const export_object *sub;
		cJSON *d;

		if (!f->of || cJSON_GetObjectItemCaseSensitive(defs, f->of))
			continue;
		sub = export_object_find(f->of);
		d = cJSON_AddObjectToObject(defs, f->of);
		export_schema_object(d, sub);
		export_schema_defs(defs, sub);
	}
}

cJSON *export_schema(const char *name, const char *base_url)
{
	const export_object *o = export_object_find(name);
	cJSON *s = cJSON_CreateObject(), *defs = cJSON_CreateObject();
	buf id = BUF_INIT;

	buf_printf(&id, "%sapi/v1/schema/%s.json", base_url, name);
	cJSON_AddStringToObject(s, "$schema",
				"https://json-schema.org/draft/2020-12/schema");
	cJSON_AddStringToObject(s, "$id", id.ptr);
	cJSON_AddStringToObject(s, "title", name);
	export_schema_object(s, o);
	export_schema_defs(defs, o);
	cJSON_AddItemToObject(s, "$defs", defs);
	buf_dispose(&id);
	return s;
}

/* ---- the documentation page's field lists --------------------------- */

static void export_type_words(buf *b, const export_field *f)
{
	const char *fmt = f->format;

	if (f->type == EXPORT_INTEGER)
		buf_puts(b, "integer");
	else if (f->type == EXPORT_BOOLEAN)
		buf_puts(b, "boolean");
	else if (f->type == EXPORT_OBJECT)
		buf_puts(b, "object");
	else if (f->type == EXPORT_ARRAY)
		buf_puts(b, f->of ? "array of objects" : "array of strings");
	else if (fmt && !strcmp(fmt, "date"))
		buf_puts(b, "string (YYYY-MM-DD)");
	else if (fmt && !strcmp(fmt, "url"))
		buf_puts(b, "string (URL)");
	else if (fmt && (!strcmp(fmt, "status") || !strcmp(fmt, "kind") ||
			 !strcmp(fmt, "type")))
		buf_puts(b, "string (one of a fixed list)");
	else
		buf_puts(b, "string");
	if (f->nullable)
		buf_puts(b, " or null");
}

static void export_fields_of(cJSON *rows, const export_object *o,
			     const char *prefix)
{
	const export_field *f;

	for (f = o->fields; f->name; f++) {
		cJSON *row = cJSON_CreateObject();
		buf path = BUF_INIT, type = BUF_INIT;

		buf_printf(&path, "%s%s", prefix, f->name);
		export_type_words(&type, f);
		cJSON_AddStringToObject(row, "path", path.ptr);
		cJSON_AddStringToObject(row, "type", type.ptr);
		cJSON_AddStringToObject(row, "description", f->desc);
		cJSON_AddItemToArray(rows, row);
		if (f->of) {
			buf_puts(&path, f->type == EXPORT_ARRAY ? "[]." : ".");
			export_fields_of(rows, export_object_find(f->of),
					 path.ptr);
		}
		buf_dispose(&path);
		buf_dispose(&type);
	}
}

cJSON *export_schema_fields(const char *name)
{
	cJSON *rows = cJSON_CreateArray();

	export_fields_of(rows, export_object_find(name), "");
	return rows;
}
