/*
 * mustache.c - compiles Mustache templates into instruction trees and renders
 * them against a mu_value tree.
 *
 * Themes are compiled once at start and rendered for every request, so all
 * the subtle whitespace rules of the spec (standalone lines, block and
 * partial indentation) are settled at compile time, and rendering is a plain
 * walk that allocates nothing: the context stack, the block-override chain
 * and the indentation stack are linked frames on the C stack, so one compiled
 * set can serve many threads at once without locks.
 *
 * Compilation runs in three passes over the source: a lexer cuts it into
 * text pieces (one per line) and tags, honouring delimiter changes; a line
 * pass decides which lines are standalone (only whitespace and non-output
 * tags) and drops their whitespace; a builder nests the tokens into a tree,
 * removing the intrinsic indentation of block content so that it can be
 * re-indented wherever the block is expanded.
 *
 * Partial indentation is applied while rendering: text emitted by a
 * standalone partial starts each of its lines with the partial's indentation
 * (and that of every enclosing one); interpolated values are not re-indented.
 */
#include "render/mustache_impl.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define MU_MAX_NEST 100   /* section nesting inside one template */
#define MU_MAX_DEPTH 200  /* render recursion: sections, partials, blocks */
#define MU_MAX_SEGS 32    /* parts of a dotted name */
#define MU_MAX_STEPS 1000000 /* node lists rendered per call: bounds blow-ups
                                 such as {{>p}}{{>p}} inside p or deep nested lists */

/* ---- compiled form ------------------------------------------------------ */

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_PARTIAL, N_PARENT, N_BLOCK };

struct seg {
    const char *s;
    size_t n;
    uint32_t hash;
};

struct path {
    struct seg *segs; /* nsegs == 0: the implicit iterator "." */
    size_t nsegs;
};

struct node {
    enum node_kind kind;
    bool escape;      /* N_VAR: HTML-escape */
    bool inverted;    /* N_SECTION: {{^x}} */
    bool dynamic;     /* N_PARTIAL/N_PARENT: name is looked up in the context */
    const char *s;    /* N_TEXT bytes; name of partial, parent or block */
    size_t n;
    uint32_t hash;    /* of the static name */
    struct path path; /* N_VAR, N_SECTION, dynamic names */
    const char *ind;  /* N_PARTIAL/N_PARENT/N_BLOCK: indentation of its lines */
    size_t indn;
    struct node *kids; /* section body, parent's blocks, block default */
    size_t nkids;
};

struct tmpl {
    const char *name;
    size_t n;
    uint32_t hash;
    struct node *kids;
    size_t nkids;
};

struct mu_templates {
    arena_t *a;
    struct tmpl **slots; /* open addressing, power-of-two size */
    size_t cap, count;
};

/* ---- lexer -------------------------------------------------------------- */

enum tok_kind {
    T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_COMMENT,
    T_PARTIAL, T_DELIM, T_PARENT, T_BLOCK
};

/* Tags that produce no output where they stand may make a line standalone. */
static const bool tok_standalone_ok[] = {
    [T_SECTION] = true, [T_INVERTED] = true, [T_CLOSE] = true, [T_COMMENT] = true,
    [T_PARTIAL] = true, [T_DELIM] = true, [T_PARENT] = true, [T_BLOCK] = true,
};

/* Sigil after the opening delimiter -> tag kind (0: none, plain variable). */
static const unsigned char tok_sigil[256] = {
    ['{'] = T_RAW, ['&'] = T_RAW, ['#'] = T_SECTION, ['^'] = T_INVERTED,
    ['/'] = T_CLOSE, ['!'] = T_COMMENT, ['>'] = T_PARTIAL, ['='] = T_DELIM,
    ['<'] = T_PARENT, ['$'] = T_BLOCK,
};

struct tok {
    enum tok_kind kind;
    const char *s; /* text, or trimmed tag content (without a dynamic '*') */
    size_t n;
    int line;
    bool dynamic;
    bool bol;        /* text: starts a line */
    bool drop;       /* text: whitespace of a standalone line */
    bool standalone; /* tag: on a standalone line */
    bool lead;       /* tag: only whitespace before it on its line */
    const char *ws;  /* tag: that whitespace; standalone block: next line's */
    size_t wsn;
};

struct comp {
    const char *src, *end, *p;
    const char *otag, *ctag;
    size_t olen, clen;
    int line;
    struct tok *v;
    size_t n, cap;
    arena_t *a;
    int err_line;
    const char *err;
    int rc;
};

static int comp_fail(struct comp *c, int line, const char *msg, int rc)
{
    c->err_line = line;
    c->err = msg;
    c->rc = rc;
    return rc;
}

static struct tok *tok_push(struct comp *c, enum tok_kind k, const char *s, size_t n)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) {
            fprintf(stderr, "nashra: out of memory compiling a template\n");
            abort();
        }
    }
    struct tok *t = &c->v[c->n++];
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->s = s;
    t->n = n;
    t->line = c->line;
    return t;
}

static bool is_ws(char ch) { return ch == ' ' || ch == '\t'; }
static bool is_space(char ch) { return is_ws(ch) || ch == '\n' || ch == '\r'; }

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s))
        (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static int count_nl(const char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* Text s[0..n) as one token per line. */
static void lex_text(struct comp *c, const char *s, size_t n)
{
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) + 1 : n;
        struct tok *t = tok_push(c, T_TEXT, s, len);
        t->bol = s == c->src || s[-1] == '\n';
        c->line += nl != NULL;
        s += len;
        n -= len;
    }
}

/* {{=<% %>=}}: two whitespace-separated delimiters, neither with '='. */
static int lex_delims(struct comp *c, const char *s, size_t n)
{
    trim(&s, &n);
    size_t a = 0;
    while (a < n && !is_space(s[a]))
        a++;
    const char *o = s;
    size_t on = a;
    s += a, n -= a;
    trim(&s, &n);
    for (size_t i = 0; i < n; i++)
        if (is_space(s[i]))
            return comp_fail(c, c->line, "bad delimiters", NS_ESYNTAX);
    if (!on || !n || memchr(o, '=', on) || memchr(s, '=', n))
        return comp_fail(c, c->line, "bad delimiters", NS_ESYNTAX);
    c->otag = o, c->olen = on, c->ctag = s, c->clen = n;
    return 0;
}

/* End of the tag whose content starts at p: the closing delimiter, preceded
 * by `before` when that is not 0. NULL if the tag is never closed. */
static const char *lex_find_close(const struct comp *c, const char *p, char before)
{
    for (const char *from = p; from < c->end;) {
        const char *q = memmem(from, (size_t)(c->end - from), c->ctag, c->clen);
        if (!q)
            return NULL;
        if (!before || (q > p && q[-1] == before))
            return q;
        from = q + 1;
    }
    return NULL;
}

static bool name_ok(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (is_space(s[i]))
            return false;
    return true;
}

/* One tag starting at c->p (which points at the opening delimiter). */
static int lex_tag(struct comp *c)
{
    int line = c->line;
    const char *p = c->p + c->olen;
    unsigned char sigil = p < c->end ? tok_sigil[(unsigned char)*p] : 0;
    enum tok_kind k = sigil ? (enum tok_kind)sigil : T_VAR;
    char before = 0; /* {{{x}}} and {{=a b=}} end with a character of their own */
    if (sigil)
        before = *p == '{' ? '}' : *p == '=' ? '=' : 0, p++;
    const char *q = lex_find_close(c, p, before);
    if (!q)
        return comp_fail(c, line, "unclosed tag", NS_ESYNTAX);
    const char *s = p;
    size_t n = (size_t)(q - p) - (before != 0);
    c->line += count_nl(c->p, (size_t)(q - c->p));
    c->p = q + c->clen;
    if (k == T_DELIM) {
        tok_push(c, T_DELIM, s, n)->line = line;
        return lex_delims(c, s, n);
    }
    trim(&s, &n);
    bool dyn = false;
    if ((k == T_PARTIAL || k == T_PARENT) && n && *s == '*') {
        dyn = true;
        s++, n--;
        trim(&s, &n);
    }
    if (k != T_COMMENT && !name_ok(s, n))
        return comp_fail(c, line, "empty or malformed tag name", NS_ESYNTAX);
    struct tok *t = tok_push(c, k, s, n);
    t->line = line;
    t->dynamic = dyn;
    return 0;
}

static int lex(struct comp *c)
{
    while (c->p < c->end) {
        const char *o = memmem(c->p, (size_t)(c->end - c->p), c->otag, c->olen);
        const char *stop = o ? o : c->end;
        lex_text(c, c->p, (size_t)(stop - c->p));
        c->p = stop;
        if (o && lex_tag(c) < 0)
            return c->rc;
    }
    return 0;
}

/* ---- standalone lines --------------------------------------------------- */

static bool text_blank(const struct tok *t)
{
    size_t n = t->n;
    if (n && t->s[n - 1] == '\n')
        n -= n >= 2 && t->s[n - 2] == '\r' ? 2 : 1;
    for (size_t i = 0; i < n; i++)
        if (!is_ws(t->s[i]))
            return false;
    return true;
}

static size_t lead_ws(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

/* An empty block {{$b}}{{/b}} is an insertion point, like a variable. */
static bool empty_block_at(const struct comp *c, size_t k, size_t end)
{
    const struct tok *t = &c->v[k];
    return t->kind == T_BLOCK && k + 1 < end && c->v[k + 1].kind == T_CLOSE &&
           c->v[k + 1].n == t->n && memcmp(c->v[k + 1].s, t->s, t->n) == 0;
}

static bool line_standalone(const struct comp *c, size_t i, size_t j)
{
    bool tag = false;
    for (size_t k = i; k < j; k++) {
        const struct tok *t = &c->v[k];
        if (t->kind == T_TEXT ? !text_blank(t) : !tok_standalone_ok[t->kind] || empty_block_at(c, k, j))
            return false;
        tag |= t->kind != T_TEXT;
    }
    return tag;
}

/* Mark tokens [i, j), one line, and drop its whitespace if standalone. */
static void mark_line(struct comp *c, size_t i, size_t j)
{
    const struct tok *first = &c->v[i];
    bool ws_first = first->kind == T_TEXT && text_blank(first) && first->s[first->n - 1] != '\n';
    const char *ws = ws_first ? first->s : "";
    size_t wsn = ws_first ? first->n : 0;
    bool alone = line_standalone(c, i, j);
    for (size_t k = i; k < j; k++) {
        struct tok *t = &c->v[k];
        if (t->kind == T_TEXT) {
            t->drop = alone;
            continue;
        }
        t->lead = k == i || (k == i + 1 && ws_first);
        t->ws = t->lead ? ws : "";
        t->wsn = t->lead ? wsn : 0;
        t->standalone = alone;
        if (alone && t->kind == T_BLOCK) {
            if (j < c->n && c->v[j].kind == T_TEXT)
                t->ws = c->v[j].s, t->wsn = lead_ws(c->v[j].s, c->v[j].n);
            else if (j < c->n)
                t->ws = "", t->wsn = 0;
        }
    }
}

static void mark_lines(struct comp *c)
{
    size_t i = 0;
    while (i < c->n) {
        size_t j = i;
        while (j < c->n) {
            const struct tok *t = &c->v[j++];
            if (t->kind == T_TEXT && t->s[t->n - 1] == '\n')
                break;
        }
        mark_line(c, i, j);
        i = j;
    }
}

/* ---- tree builder ------------------------------------------------------- */

struct nodevec {
    struct node *v;
    size_t n, cap;
};

static struct node *nodevec_push(struct nodevec *nv)
{
    if (nv->n == nv->cap) {
        nv->cap = nv->cap ? nv->cap * 2 : 16;
        nv->v = realloc(nv->v, nv->cap * sizeof *nv->v);
        if (!nv->v) {
            fprintf(stderr, "nashra: out of memory compiling a template\n");
            abort();
        }
    }
    struct node *nd = &nv->v[nv->n++];
    memset(nd, 0, sizeof *nd);
    return nd;
}

/* Length of the prefix of s[0..n) that matches the whitespace ded[0..dn). */
static size_t common_ws(const char *s, size_t n, const char *ded, size_t dn)
{
    size_t i = 0;
    while (i < n && i < dn && s[i] == ded[i] && is_ws(s[i]))
        i++;
    return i;
}

static int parse_path(struct comp *c, const struct tok *t, struct path *out)
{
    if (t->n == 1 && t->s[0] == '.') {
        out->nsegs = 0;
        return 0;
    }
    struct seg segs[MU_MAX_SEGS];
    size_t ns = 0;
    const char *s = t->s, *end = t->s + t->n;
    while (s <= end) {
        const char *dot = memchr(s, '.', (size_t)(end - s));
        const char *e = dot ? dot : end;
        if (e == s || ns == MU_MAX_SEGS)
            return comp_fail(c, t->line, "malformed dotted name", NS_ESYNTAX);
        segs[ns++] = (struct seg){ s, (size_t)(e - s), mu_hash(s, (size_t)(e - s)) };
        s = e + 1;
    }
    out->segs = arena_alloc(c->a, ns * sizeof *segs);
    memcpy(out->segs, segs, ns * sizeof *segs);
    out->nsegs = ns;
    return 0;
}

static bool close_matches(const struct tok *open, const struct tok *close)
{
    if (close->n == open->n && memcmp(close->s, open->s, open->n) == 0)
        return true;
    return open->dynamic && close->n == open->n + 1 && close->s[0] == '*' &&
           memcmp(close->s + 1, open->s, open->n) == 0;
}

static int build(struct comp *c, size_t *i, const struct tok *open, const char *ded,
                 size_t dedn, int depth, struct node **kids, size_t *nkids);

/* Body of the section-like tag at c->v[*i - 1] into nd->kids. */
static int build_body(struct comp *c, size_t *i, struct node *nd, const char *ded,
                      size_t dedn, int depth)
{
    const struct tok *t = &c->v[*i - 1];
    if (depth >= MU_MAX_NEST)
        return comp_fail(c, t->line, "sections nested too deeply", NS_ETOOBIG);
    if (t->kind == T_BLOCK && t->standalone)
        ded = t->ws, dedn = t->wsn;
    int rc = build(c, i, t, ded, dedn, depth + 1, &nd->kids, &nd->nkids);
    if (rc < 0 || t->kind != T_PARENT)
        return rc;
    size_t k = 0; /* a parent keeps only its block arguments */
    for (size_t j = 0; j < nd->nkids; j++)
        if (nd->kids[j].kind == N_BLOCK)
            nd->kids[k++] = nd->kids[j];
    nd->nkids = k;
    return 0;
}

/* One tag token into nd; advances *i past everything it consumed. */
static int build_tag(struct comp *c, size_t *i, struct node *nd, const char *ded,
                     size_t dedn, int depth)
{
    const struct tok *t = &c->v[(*i)++];
    size_t skip = common_ws(t->ws, t->wsn, ded, dedn);
    nd->s = t->s;
    nd->n = t->n;
    nd->hash = mu_hash(t->s, t->n);
    nd->dynamic = t->dynamic;
    switch (t->kind) {
    case T_VAR:
    case T_RAW:
        nd->kind = N_VAR;
        nd->escape = t->kind == T_VAR;
        return parse_path(c, t, &nd->path);
    case T_SECTION:
    case T_INVERTED:
        nd->kind = N_SECTION;
        nd->inverted = t->kind == T_INVERTED;
        return parse_path(c, t, &nd->path) < 0 ? c->rc : build_body(c, i, nd, ded, dedn, depth);
    case T_PARTIAL:
    case T_PARENT:
        nd->kind = t->kind == T_PARTIAL ? N_PARTIAL : N_PARENT;
        if (t->standalone)
            nd->ind = t->ws + skip, nd->indn = t->wsn - skip;
        if (t->dynamic && parse_path(c, t, &nd->path) < 0)
            return c->rc;
        return t->kind == T_PARTIAL ? 0 : build_body(c, i, nd, ded, dedn, depth);
    case T_BLOCK:
        nd->kind = N_BLOCK;
        nd->ind = t->ws + skip, nd->indn = t->wsn - skip;
        return build_body(c, i, nd, ded, dedn, depth);
    default:
        return comp_fail(c, t->line, "internal: unexpected token", NS_EINTERNAL);
    }
}

static void build_text(const struct tok *t, struct nodevec *nv, const char *ded, size_t dedn)
{
    size_t skip = t->bol ? common_ws(t->s, t->n, ded, dedn) : 0;
    if (t->n == skip)
        return;
    struct node *nd = nodevec_push(nv);
    nd->kind = N_TEXT;
    nd->s = t->s + skip;
    nd->n = t->n - skip;
}

/* Nodes from c->v[*i] up to the close of `open` (or the end if open is NULL),
 * copied to the arena as *kids. `ded` is the indentation removed from the
 * start of every line (the intrinsic indentation of the enclosing block). */
static int build(struct comp *c, size_t *i, const struct tok *open, const char *ded,
                 size_t dedn, int depth, struct node **kids, size_t *nkids)
{
    struct nodevec nv = { 0 };
    int rc = 0;
    bool closed = false;
    while (*i < c->n && !closed && rc == 0) {
        const struct tok *t = &c->v[*i];
        if (t->kind == T_TEXT) {
            if (!t->drop)
                build_text(t, &nv, ded, dedn);
            (*i)++;
        } else if (t->kind == T_COMMENT || t->kind == T_DELIM) {
            (*i)++;
        } else if (t->kind == T_CLOSE) {
            if (!open)
                rc = comp_fail(c, t->line, "closing tag without an opening one", NS_ESYNTAX);
            else if (!close_matches(open, t))
                rc = comp_fail(c, t->line, "closing tag does not match the open section", NS_ESYNTAX);
            (*i)++;
            closed = true;
        } else {
            rc = build_tag(c, i, nodevec_push(&nv), ded, dedn, depth);
        }
    }
    if (rc == 0 && open && !closed)
        rc = comp_fail(c, open->line, "section is never closed", NS_ESYNTAX);
    if (rc == 0) {
        *nkids = nv.n;
        *kids = arena_alloc(c->a, (nv.n ? nv.n : 1) * sizeof *nv.v);
        if (nv.n)
            memcpy(*kids, nv.v, nv.n * sizeof *nv.v);
    }
    free(nv.v);
    return rc;
}

/* ---- the template set --------------------------------------------------- */

mu_templates *mu_templates_new(arena_t *a)
{
    mu_templates *t = arena_zalloc(a, sizeof *t);
    t->a = a;
    return t;
}

static struct tmpl **set_slot(const mu_templates *t, const char *s, size_t n, uint32_t h)
{
    size_t mask = t->cap - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
        struct tmpl *e = t->slots[k];
        if (!e || (e->hash == h && e->n == n && memcmp(e->name, s, n) == 0))
            return &t->slots[k];
    }
}

static const struct tmpl *set_find(const mu_templates *t, const char *s, size_t n)
{
    if (!t || !t->cap)
        return NULL;
    return *set_slot(t, s, n, mu_hash(s, n));
}

static void set_put(mu_templates *t, struct tmpl *tp)
{
    if ((t->count + 1) * 2 > t->cap) {
        struct tmpl **old = t->slots;
        size_t ocap = t->cap;
        t->cap = ocap ? ocap * 2 : 16;
        t->slots = arena_zalloc(t->a, t->cap * sizeof *t->slots);
        for (size_t k = 0; k < ocap; k++)
            if (old[k])
                *set_slot(t, old[k]->name, old[k]->n, old[k]->hash) = old[k];
    }
    struct tmpl **slot = set_slot(t, tp->name, tp->n, tp->hash);
    t->count += *slot == NULL;
    *slot = tp;
}

int mu_templates_add(mu_templates *t, const char *name, const char *src, size_t n, char **err)
{
    if (!t || !name || (!src && n))
        return NS_EINVAL;
    struct comp c = { .src = src ? src : "", .p = src ? src : "", .end = (src ? src : "") + n,
                      .otag = "{{", .ctag = "}}", .olen = 2, .clen = 2, .line = 1, .a = t->a };
    struct tmpl *tp = arena_zalloc(t->a, sizeof *tp);
    int rc = lex(&c);
    if (rc == 0) {
        mark_lines(&c);
        size_t i = 0;
        rc = build(&c, &i, NULL, "", 0, 0, &tp->kids, &tp->nkids);
    }
    free(c.v);
    if (rc < 0) {
        if (err)
            *err = arena_printf(t->a, "line %d: %s", c.err_line, c.err);
        return rc;
    }
    tp->name = arena_strdup(t->a, name);
    tp->n = strlen(name);
    tp->hash = mu_hash(tp->name, tp->n);
    set_put(t, tp);
    return 0;
}

bool mu_templates_has(const mu_templates *t, const char *name)
{
    return name && set_find(t, name, strlen(name)) != NULL;
}

/* ---- rendering ---------------------------------------------------------- */

struct ctx {
    const mu_value *v;
    const struct ctx *up;
};

struct ovr {                 /* a parent call whose blocks override */
    const struct node *call;
    const struct ovr *up;
};

struct ind {
    const char *s;
    size_t n;
    const struct ind *up;
};

struct rs {
    const mu_templates *t;
    buf_t *out;
    const struct ind *ind;
    bool pending;            /* at the start of a template line: indent first */
    int depth;
    long steps;
};

static void put_indent(buf_t *out, const struct ind *in)
{
    if (!in)
        return;
    put_indent(out, in->up);
    buf_append(out, in->s, in->n);
}

static void flush_indent(struct rs *r)
{
    if (r->pending) {
        put_indent(r->out, r->ind);
        r->pending = false;
    }
}

/* Template text: every line it starts gets the current indentation. */
static void emit_text(struct rs *r, const char *s, size_t n)
{
    while (n) {
        flush_indent(r);
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) + 1 : n;
        buf_append(r->out, s, len);
        r->pending = nl != NULL;
        s += len;
        n -= len;
    }
}

static size_t fmt_number(const mu_value *v, char *b, size_t cap)
{
    double d = v->u.d;
    int k;
    if (v->is_int)
        k = snprintf(b, cap, "%" PRId64, v->u.i);
    else if (d == 0)
        k = snprintf(b, cap, "0");
    else if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
        k = snprintf(b, cap, "%.0f", d);
    else {
        k = snprintf(b, cap, "%.15g", d);
        if (isfinite(d) && strtod(b, NULL) != d)
            k = snprintf(b, cap, "%.17g", d);
    }
    return k < 0 ? 0 : (size_t)k;
}

static void emit_value(struct rs *r, const mu_value *v, bool escape)
{
    char num[40];
    const char *s = NULL;
    size_t n = 0;
    switch (mu_typeof(v)) {
    case MU_BOOL: s = v->u.b ? "true" : "false"; n = strlen(s); break;
    case MU_NUMBER: n = fmt_number(v, num, sizeof num); s = num; break;
    case MU_STRING: s = v->u.str.s; n = v->u.str.n; break;
    default: return;
    }
    if (!n)
        return;
    flush_indent(r);
    if (escape)
        buf_html_escape(r->out, s, n);
    else
        buf_append(r->out, s, n);
}

static bool truthy(const mu_value *v)
{
    switch (mu_typeof(v)) {
    case MU_BOOL: return v->u.b;
    case MU_NUMBER: return true;
    case MU_STRING: return v->u.str.n > 0;
    case MU_LIST: return v->u.list.n > 0;
    case MU_OBJECT: return true;
    default: return false;
    }
}

/* Dotted-name lookup: the first part through the context stack, the rest
 * inside what it found. NULL if absent. */
static const mu_value *lookup(const struct ctx *cx, const struct path *p)
{
    if (!p->nsegs)
        return cx ? cx->v : NULL;
    const mu_value *v = NULL;
    for (; cx && !v; cx = cx->up)
        v = mu_get_n(cx->v, p->segs[0].s, p->segs[0].n, p->segs[0].hash);
    for (size_t i = 1; v && i < p->nsegs; i++)
        v = mu_get_n(v, p->segs[i].s, p->segs[i].n, p->segs[i].hash);
    return v;
}

static const struct tmpl *target(const struct rs *r, const struct node *nd, const struct ctx *cx)
{
    if (!nd->dynamic)
        return set_find(r->t, nd->s, nd->n);
    const mu_value *v = lookup(cx, &nd->path);
    if (mu_typeof(v) != MU_STRING)
        return NULL;
    return set_find(r->t, v->u.str.s, v->u.str.n);
}

static int render_nodes(struct rs *r, const struct node *kids, size_t n,
                        const struct ctx *cx, const struct ovr *ov);

/* Render kids with extra indentation (if any) pushed for their lines. */
static int render_indented(struct rs *r, const struct node *nd, const struct node *kids,
                           size_t n, const struct ctx *cx, const struct ovr *ov)
{
    const struct ind *saved = r->ind;
    struct ind in = { nd->ind, nd->indn, saved };
    if (nd->indn)
        r->ind = &in;
    int rc = render_nodes(r, kids, n, cx, ov);
    r->ind = saved;
    return rc;
}

static int render_section(struct rs *r, const struct node *nd, const struct ctx *cx,
                          const struct ovr *ov)
{
    const mu_value *v = lookup(cx, &nd->path);
    if (nd->inverted || !truthy(v))
        return nd->inverted && !truthy(v) ? render_nodes(r, nd->kids, nd->nkids, cx, ov) : 0;
    if (v->type != MU_LIST) {
        struct ctx in = { v, cx };
        return render_nodes(r, nd->kids, nd->nkids, &in, ov);
    }
    for (size_t i = 0; i < v->u.list.n; i++) {
        struct ctx in = { v->u.list.items[i], cx };
        int rc = render_nodes(r, nd->kids, nd->nkids, &in, ov);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The outermost override of block nd, or nd itself. */
static const struct node *block_content(const struct node *nd, const struct ovr *ov)
{
    const struct node *found = nd;
    for (; ov; ov = ov->up)
        for (size_t i = 0; i < ov->call->nkids; i++) {
            const struct node *b = &ov->call->kids[i];
            if (b->hash == nd->hash && b->n == nd->n && memcmp(b->s, nd->s, nd->n) == 0)
                found = b;
        }
    return found;
}

static int render_node(struct rs *r, const struct node *nd, const struct ctx *cx,
                       const struct ovr *ov)
{
    const struct tmpl *tp;
    switch (nd->kind) {
    case N_TEXT:
        emit_text(r, nd->s, nd->n);
        return 0;
    case N_VAR:
        emit_value(r, lookup(cx, &nd->path), nd->escape);
        return 0;
    case N_SECTION:
        return render_section(r, nd, cx, ov);
    case N_PARTIAL:
        tp = target(r, nd, cx);
        return tp ? render_indented(r, nd, tp->kids, tp->nkids, cx, ov) : 0;
    case N_PARENT: {
        struct ovr call = { nd, ov };
        tp = target(r, nd, cx);
        return tp ? render_indented(r, nd, tp->kids, tp->nkids, cx, &call) : 0;
    }
    case N_BLOCK: {
        const struct node *b = block_content(nd, ov);
        return render_indented(r, nd, b->kids, b->nkids, cx, ov);
    }
    }
    return NS_EINTERNAL;
}

static int render_nodes(struct rs *r, const struct node *kids, size_t n,
                        const struct ctx *cx, const struct ovr *ov)
{
    if (++r->depth > MU_MAX_DEPTH || ++r->steps > MU_MAX_STEPS)
        return NS_ETOOBIG;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = render_node(r, &kids[i], cx, ov);
    r->depth--;
    return rc;
}

int mu_render(const mu_templates *t, const char *name, const mu_value *ctx, buf_t *out)
{
    if (!t || !name || !out)
        return NS_EINVAL;
    const struct tmpl *tp = set_find(t, name, strlen(name));
    if (!tp)
        return NS_ENOTFOUND;
    struct rs r = { .t = t, .out = out, .pending = true };
    struct ctx root = { ctx, NULL };
    return render_nodes(&r, tp->kids, tp->nkids, ctx ? &root : NULL, NULL);
}
