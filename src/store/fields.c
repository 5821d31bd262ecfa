/*
 * fields.c - the field tables of fields.h, the stored names of statuses,
 * and the validation every write makes before either backend sees it:
 * input reaching a write may come from a comment form.
 */
#include "store/fields.h"

#include <stdbool.h>
#include <string.h>
#include "core/err.h"
#include "core/text.h"

static const char *const article_status_names[] = {
    [ARTICLE_DRAFT] = "draft", [ARTICLE_PENDING] = "pending",
    [ARTICLE_SCHEDULED] = "scheduled", [ARTICLE_PUBLISHED] = "published",
};
static const char *const comment_status_names[] = {
    [COMMENT_PENDING] = "pending", [COMMENT_APPROVED] = "approved",
    [COMMENT_SPAM] = "spam", [COMMENT_TRASH] = "trash",
};

static const char *const user_role_names[] = {
    [ROLE_NONE] = "", [ROLE_CONTRIBUTOR] = "contributor", [ROLE_AUTHOR] = "author",
    [ROLE_EDITOR] = "editor", [ROLE_ADMIN] = "admin",
};

static const char *const body_format_names[] = {
    [BODY_MARKDOWN] = "markdown", [BODY_HTML] = "html",
};

static int status_index(const char *const *names, int n, const char *t)
{
    for (int i = 0; t && i < n; i++)
        if (strcmp(names[i], t) == 0)
            return i;
    return 0;
}

const char *store_article_status_name(article_status st)
{
    return (unsigned)st <= ARTICLE_PUBLISHED ? article_status_names[st] : NULL;
}

const char *store_comment_status_name(comment_status st)
{
    return (unsigned)st <= COMMENT_TRASH ? comment_status_names[st] : NULL;
}

article_status store_article_status_parse(const char *name)
{
    return (article_status)status_index(article_status_names, 4, name);
}

comment_status store_comment_status_parse(const char *name)
{
    return (comment_status)status_index(comment_status_names, 4, name);
}

const char *store_user_role_name(user_role r)
{
    return r > ROLE_NONE && r <= ROLE_ADMIN ? user_role_names[r] : NULL;
}

user_role store_user_role_parse(const char *name)
{
    return name && *name ? (user_role)status_index(user_role_names, 5, name) : ROLE_NONE;
}

const char *store_body_format_name(body_format f)
{
    return (unsigned)f <= BODY_HTML ? body_format_names[f] : NULL;
}

body_format store_body_format_parse(const char *name)
{
    return (body_format)status_index(body_format_names, 2, name);
}

/* NS_EINVAL unless s is well-formed UTF-8 (and non-empty when required). */
static int check_text(const char *s, bool required)
{
    if (!s)
        return required ? NS_EINVAL : 0;
    if (required && !*s)
        return NS_EINVAL;
    return text_valid_utf8(s, strlen(s)) ? 0 : NS_EINVAL;
}

/* check_text over the text members of row, required as its table says;
 * a body format must have a name. */
int store_check_row(const store_fields *fs, const void *row)
{
    for (size_t i = 0; i < fs->n; i++) {
        const store_field *f = &fs->f[i];
        if (f->kind == STORE_F_BODY_FORMAT &&
            !store_body_format_name(*(const body_format *)((const char *)row + f->off)))
            return NS_EINVAL;
        if (f->kind == STORE_F_USER_ROLE &&
            !store_user_role_name(*(const user_role *)((const char *)row + f->off)))
            return NS_EINVAL;
        if (f->kind != STORE_F_TEXT && f->kind != STORE_F_TEXT_REQ)
            continue;
        const char *t = *(const char *const *)((const char *)row + f->off);
        int rc = check_text(t, f->kind == STORE_F_TEXT_REQ);
        if (rc)
            return rc;
    }
    return 0;
}

/* An image_url goes into <img src> and og:image: empty (no image) or a
 * URL text_url_is_safe_link accepts, never javascript: and the like. */
int store_check_article(const store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    if (!store_article_status_name(ar->status) || (ntags && !tag_ids))
        return NS_EINVAL;
    if (ar->image_url && *ar->image_url && !text_url_is_safe_link(ar->image_url))
        return NS_EINVAL;
    return store_check_row(&store_article_fields, ar);
}

/* ---- field tables: entry i is column i of the struct's SELECTs ---- */

#define FIELD(type, member, kind, param) { (param), (kind), offsetof(type, member) }
#define FIELDS(type, table) { (table), sizeof(table) / sizeof((table)[0]), sizeof(type) }

static const store_field author_fields[] = {      /* SQL_AUTHOR_COLS */
    FIELD(store_author, id, STORE_F_I64, ":id"),
    FIELD(store_author, slug, STORE_F_TEXT_REQ, ":slug"),
    FIELD(store_author, name, STORE_F_TEXT_REQ, ":name"),
    FIELD(store_author, bio, STORE_F_TEXT, ":bio"),
    FIELD(store_author, email, STORE_F_TEXT, ":email"),
    FIELD(store_author, avatar_url, STORE_F_TEXT, ":avatar"),
};
const store_fields store_author_fields = FIELDS(store_author, author_fields);

static const store_field category_fields[] = {    /* SQL_CAT_COLS */
    FIELD(store_category, id, STORE_F_I64, ":id"),
    FIELD(store_category, parent_id, STORE_F_REF, ":parent"),
    FIELD(store_category, slug, STORE_F_TEXT_REQ, ":slug"),
    FIELD(store_category, name, STORE_F_TEXT_REQ, ":name"),
    FIELD(store_category, description, STORE_F_TEXT, ":description"),
    FIELD(store_category, position, STORE_F_INT, ":position"),
};
const store_fields store_category_fields = FIELDS(store_category, category_fields);

/* A tag's slug may be left for store_tag_ensure to derive from its name. */
static const store_field tag_fields[] = {
    FIELD(store_tag, id, STORE_F_I64, ":id"),
    FIELD(store_tag, slug, STORE_F_TEXT, ":slug"),
    FIELD(store_tag, name, STORE_F_TEXT_REQ, ":name"),
};
const store_fields store_tag_fields = FIELDS(store_tag, tag_fields);

/* The own columns of SQL_ART_COLS; the joined ones after them are read by
 * article_row() in sqlite_read.c. */
static const store_field article_fields[] = {
    FIELD(store_article, id, STORE_F_I64, ":id"),
    FIELD(store_article, slug, STORE_F_TEXT_REQ, ":slug"),
    FIELD(store_article, title, STORE_F_TEXT_REQ, ":title"),
    FIELD(store_article, kicker, STORE_F_TEXT, ":kicker"),
    FIELD(store_article, lead, STORE_F_TEXT, ":lead"),
    FIELD(store_article, body_md, STORE_F_TEXT, ":body"),
    FIELD(store_article, source, STORE_F_TEXT, ":source"),
    FIELD(store_article, video_url, STORE_F_TEXT, ":video"),
    FIELD(store_article, image_url, STORE_F_TEXT, ":image"),
    FIELD(store_article, image_alt, STORE_F_TEXT, ":image_alt"),
    FIELD(store_article, image_caption, STORE_F_TEXT, ":image_caption"),
    FIELD(store_article, status, STORE_F_ARTICLE_STATUS, ":status"),
    FIELD(store_article, comments_open, STORE_F_BOOL, ":comments_open"),
    FIELD(store_article, created_at, STORE_F_I64, ":created"),
    FIELD(store_article, published_at, STORE_F_I64, ":published"),
    FIELD(store_article, updated_at, STORE_F_I64, ":updated"),
    FIELD(store_article, author_id, STORE_F_REF, ":author"),
    FIELD(store_article, category_id, STORE_F_REF, ":category"),
    FIELD(store_article, body_html, STORE_F_TEXT, ":body_html"),
    FIELD(store_article, sticky, STORE_F_BOOL, ":sticky"),
    FIELD(store_article, video, STORE_F_BOOL, ":is_video"),
    FIELD(store_article, body_format, STORE_F_BODY_FORMAT, ":format"),
    FIELD(store_article, breaking, STORE_F_BOOL, ":breaking"),
    FIELD(store_article, trashed_at, STORE_F_I64, ":trashed"),
    FIELD(store_article, revision, STORE_F_I64, ":revision"),
    FIELD(store_article, image_id, STORE_F_REF, ":image_id"),
};
const store_fields store_article_fields = FIELDS(store_article, article_fields);

static const store_field comment_fields[] = {     /* ST_COMMENT_LIST */
    FIELD(store_comment, id, STORE_F_I64, ":id"),
    FIELD(store_comment, article_id, STORE_F_I64, ":article"),
    FIELD(store_comment, parent_id, STORE_F_REF, ":parent"),
    FIELD(store_comment, author_name, STORE_F_TEXT_REQ, ":name"),
    FIELD(store_comment, author_email, STORE_F_TEXT, ":email"),
    FIELD(store_comment, author_url, STORE_F_TEXT, ":url"),
    FIELD(store_comment, body, STORE_F_TEXT_REQ, ":body"),
    FIELD(store_comment, ip, STORE_F_TEXT, ":ip"),
    FIELD(store_comment, user_agent, STORE_F_TEXT, ":ua"),
    FIELD(store_comment, status, STORE_F_COMMENT_STATUS, ":status"),
    FIELD(store_comment, created_at, STORE_F_I64, ":created"),
    FIELD(store_comment, fingerprint, STORE_F_TEXT, ":fp"),
    FIELD(store_comment, thread_no, STORE_F_I64, ":thread"),
};
const store_fields store_comment_fields = FIELDS(store_comment, comment_fields);

static const store_field page_fields[] = {        /* SQL_PAGE_COLS */
    FIELD(store_page, id, STORE_F_I64, ":id"),
    FIELD(store_page, slug, STORE_F_TEXT_REQ, ":slug"),
    FIELD(store_page, title, STORE_F_TEXT_REQ, ":title"),
    FIELD(store_page, body_md, STORE_F_TEXT, ":body"),
    FIELD(store_page, published, STORE_F_BOOL, ":published"),
    FIELD(store_page, published_at, STORE_F_I64, ":published_at"),
    FIELD(store_page, updated_at, STORE_F_I64, ":updated"),
    FIELD(store_page, parent_id, STORE_F_REF, ":parent"),
    FIELD(store_page, body_format, STORE_F_BODY_FORMAT, ":format"),
    FIELD(store_page, menu_order, STORE_F_INT, ":menu_order"),
};
const store_fields store_page_fields = FIELDS(store_page, page_fields);

static const store_field redirect_fields[] = {
    FIELD(store_redirect, from_path, STORE_F_TEXT_REQ, ":from"),
    FIELD(store_redirect, to_path, STORE_F_TEXT_REQ, ":to"),
    FIELD(store_redirect, status, STORE_F_INT, ":status"),
};
const store_fields store_redirect_fields = FIELDS(store_redirect, redirect_fields);

static const store_field media_fields[] = {       /* SQL_MEDIA_COLS */
    FIELD(store_media, id, STORE_F_I64, ":id"),
    FIELD(store_media, url, STORE_F_TEXT_REQ, ":url"),
    FIELD(store_media, title, STORE_F_TEXT, ":title"),
    FIELD(store_media, alt, STORE_F_TEXT, ":alt"),
    FIELD(store_media, caption, STORE_F_TEXT, ":caption"),
    FIELD(store_media, description, STORE_F_TEXT, ":description"),
    FIELD(store_media, mime, STORE_F_TEXT, ":mime"),
    FIELD(store_media, article_id, STORE_F_REF, ":article"),
    FIELD(store_media, created_at, STORE_F_I64, ":created"),
    FIELD(store_media, width, STORE_F_INT, ":width"),
    FIELD(store_media, height, STORE_F_INT, ":height"),
    FIELD(store_media, bytes, STORE_F_I64, ":bytes"),
    FIELD(store_media, variants, STORE_F_TEXT, ":variants"),
    FIELD(store_media, user_id, STORE_F_REF, ":user"),
};
const store_fields store_media_fields = FIELDS(store_media, media_fields);

/* kind is an import_kind, read and bound as the int it is */
_Static_assert(sizeof(import_kind) == sizeof(int), "import_kind is bound as an int");
static const store_field import_fields[] = {      /* SQL_IMPORT_COLS */
    FIELD(store_import_item, source, STORE_F_TEXT_REQ, ":source"),
    FIELD(store_import_item, kind, STORE_F_INT, ":kind"),
    FIELD(store_import_item, wp_id, STORE_F_I64, ":wp_id"),
    FIELD(store_import_item, guid, STORE_F_TEXT, ":guid"),
    FIELD(store_import_item, local_id, STORE_F_I64, ":local"),
    FIELD(store_import_item, hash, STORE_F_TEXT, ":hash"),
    FIELD(store_import_item, ref, STORE_F_I64, ":ref"),
};
const store_fields store_import_fields = FIELDS(store_import_item, import_fields);

/* An empty value is a setting deliberately cleared (a hidden follow link). */
static const store_field setting_fields[] = {
    FIELD(store_setting, key, STORE_F_TEXT_REQ, ":key"),
    FIELD(store_setting, value, STORE_F_TEXT, ":value"),
};
const store_fields store_setting_fields = FIELDS(store_setting, setting_fields);

static const store_field user_fields[] = {        /* SQL_USER_COLS */
    FIELD(store_user, id, STORE_F_I64, ":id"),
    FIELD(store_user, login, STORE_F_TEXT_REQ, ":login"),
    FIELD(store_user, pass_hash, STORE_F_TEXT, ":pass"),
    FIELD(store_user, role, STORE_F_USER_ROLE, ":role"),
    FIELD(store_user, disabled, STORE_F_BOOL, ":disabled"),
    FIELD(store_user, created_at, STORE_F_I64, ":created"),
    /* read only: the author it is */
    FIELD(store_user, author.id, STORE_F_I64, ":author_id"),
    FIELD(store_user, author.slug, STORE_F_TEXT, ":author_slug"),
    FIELD(store_user, author.name, STORE_F_TEXT, ":author_name"),
    FIELD(store_user, author.bio, STORE_F_TEXT, ":author_bio"),
    FIELD(store_user, author.email, STORE_F_TEXT, ":author_email"),
    FIELD(store_user, author.avatar_url, STORE_F_TEXT, ":author_avatar"),
};
const store_fields store_user_fields = FIELDS(store_user, user_fields);

static const store_field session_fields[] = {     /* SQL_SESSION_COLS */
    FIELD(store_session, id_hash, STORE_F_TEXT_REQ, ":id_hash"),
    FIELD(store_session, user_id, STORE_F_I64, ":user"),
    FIELD(store_session, created_at, STORE_F_I64, ":created"),
    FIELD(store_session, seen_at, STORE_F_I64, ":seen"),
    FIELD(store_session, user_agent, STORE_F_TEXT, ":ua"),
};
const store_fields store_session_fields = FIELDS(store_session, session_fields);

static const store_field revision_fields[] = {    /* SQL_REVISION_COLS */
    FIELD(store_revision, id, STORE_F_I64, ":id"),
    FIELD(store_revision, article_id, STORE_F_I64, ":article"),
    FIELD(store_revision, user_id, STORE_F_REF, ":user"),
    FIELD(store_revision, created_at, STORE_F_I64, ":created"),
    FIELD(store_revision, revision, STORE_F_I64, ":revision"),
    FIELD(store_revision, title, STORE_F_TEXT, ":title"),
    FIELD(store_revision, slug, STORE_F_TEXT, ":slug"),
    FIELD(store_revision, kicker, STORE_F_TEXT, ":kicker"),
    FIELD(store_revision, lead, STORE_F_TEXT, ":lead"),
    FIELD(store_revision, body_md, STORE_F_TEXT, ":body"),
    FIELD(store_revision, source, STORE_F_TEXT, ":source"),
    FIELD(store_revision, video_url, STORE_F_TEXT, ":video"),
    FIELD(store_revision, body_format, STORE_F_BODY_FORMAT, ":format"),
};
const store_fields store_revision_fields = FIELDS(store_revision, revision_fields);
