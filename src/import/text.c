/*
 * text.c - an article from plain text copied off a news page. Nothing in
 * such text is marked up, so every part is told by its shape: the first
 * line is the headline, the next one the lead (with the dateline a news
 * site puts in front of it), a short line that does not end a sentence a
 * sub-heading. What the page showed after the article (related links,
 * comments, the comment form, follow links, latest news) begins with one
 * of a few stock lines; these are compared in a forgiving form (spelling
 * variants, marks, digits and punctuation left out) since every site
 * writes them a little differently.
 */
#include "import/text.h"

#include <stdbool.h>
#include <string.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "search/arabic.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define HEADING_MAX_WORDS 8
#define DATELINE_MAX 64          /* bytes of the SOURCE before its dash */
#define DATELINE_MAX_WORDS 5
#define FURNITURE_MAX 160        /* bytes: a longer line is article text */

/* Lines at which the page furniture begins, as written; compared by
 * furniture_key. "N تعليقات" lines match "تعليقات" as digits drop out. */
static const char *const text_furniture[] = {
    "قد يهمك أيضاً", "تعليقات", "تعليق", "تعليقاً", "لا توجد تعليقات", "لا تعليقات",
    "ترك الرد", "اترك تعليقاً", "اترك رداً", "أضف تعليقاً",
    "من فضلك ادخل تعليقك", "من فضلك ادخل اسمك هنا", "من فضلك ادخل بريدك الإلكتروني",
    "تابعنا", "تابعونا", "الأحدث", "الأكثر قراءة", "مقالات ذات صلة", "أخبار ذات صلة",
};

/* A headline's video marker: one of these words between the brackets, or
 * after the separator (close ""), at the end of the headline. */
static const char *const text_video_words[] = {
    "شاهد", "فيديو", "بالفيديو", "شاهد بالفيديو", "شاهد الفيديو",
};
static const struct { const char *open, *close; } text_video_marks[] = {
    { "(", ")" }, { "[", "]" }, { "-", "" }, { "–", "" }, { "—", "" }, { "|", "" }, { ":", "" },
};

/* What separates a dateline's SOURCE from the lead. */
static const char *const text_dateline_seps[] = { " – ", " - ", " — " };

/* A line ending with one of these is a sentence, not a heading. */
static const char *const text_final_punct[] = { ".", "!", "?", ":", "؟", "،", "؛", "…" };
/* Quotation marks: a line opening and closing with them is speech. */
static const char *const text_quote_open[] = { "«", "“", "”", "\"", "„" };
static const char *const text_quote_close[] = { "»", "”", "“", "\"" };
/* Looked through when finding how a line ends. */
static const char *const text_closers[] = { "»", "”", "“", "\"", ")", "]" };

/* Trimmed from both ends of a line: blanks, no-break and zero-width
 * spaces, direction marks and the byte order mark. */
static const char *const text_blanks[] = {
    " ", "\t", "\r", "\v", "\f", "\xc2\xa0", "\xe2\x80\x8b", "\xe2\x80\x8e", "\xe2\x80\x8f",
    "\xef\xbb\xbf",
};

typedef struct {
    const char *s;
    size_t n;
} span;

/* ---- spans ---- */

/* Length of the entry of set[0..count) s[0..n) starts with (at_end: ends
 * with), 0 if none. */
static size_t span_affix(span s, const char *const *set, size_t count, bool at_end)
{
    for (size_t i = 0; i < count; i++) {
        size_t k = strlen(set[i]);
        if (k && k <= s.n && memcmp(at_end ? s.s + s.n - k : s.s, set[i], k) == 0)
            return k;
    }
    return 0;
}

#define SPAN_STARTS(s, set) span_affix((s), (set), N_ELEMS(set), false)
#define SPAN_ENDS(s, set) span_affix((s), (set), N_ELEMS(set), true)

static span span_trim_start(span s)
{
    size_t k;
    while ((k = SPAN_STARTS(s, text_blanks)) != 0)
        s.s += k, s.n -= k;
    return s;
}

static span span_trim(span s)
{
    size_t k;
    s = span_trim_start(s);
    while ((k = SPAN_ENDS(s, text_blanks)) != 0)
        s.n -= k;
    return s;
}

/* s without the suffix `word` and the blanks before it; false if s does
 * not end with it. */
static bool span_cut_end(span *s, const char *word)
{
    const char *const set[] = { word };
    size_t k = span_affix(*s, set, 1, true);
    if (k == 0)
        return false;
    s->n -= k;
    *s = span_trim(*s);
    return true;
}

static size_t span_words(span s)
{
    size_t words = 0;
    for (size_t i = 0; i < s.n; i++)
        words += s.s[i] != ' ' && (i == 0 || s.s[i - 1] == ' ');
    return words;
}

/* Next line of [*p, end), trimmed; false at the end. A line ends at LF
 * or CR: CRLF then gives an empty line, and empty lines mean nothing. */
static bool next_line(const char **p, const char *end, span *line)
{
    if (*p >= end)
        return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *cr = memchr(*p, '\r', (size_t)((nl ? nl : end) - *p));
    nl = cr ? cr : nl;
    line->s = *p;
    line->n = (size_t)((nl ? nl : end) - *p);
    *p = nl ? nl + 1 : end;
    *line = span_trim(*line);
    return true;
}

/* Next non-blank line; false at the end. */
static bool next_text_line(const char **p, const char *end, span *line)
{
    while (next_line(p, end, line))
        if (line->n)
            return true;
    return false;
}

/* ---- Markdown ---- */

/* Leading blanks go: indentation would make a code block, and a byte
 * order mark, which CommonMark drops at the start of a document, would
 * hide the list marker after it from the escaping. */
static void md_escape(buf_t *b, const char *text, size_t len)
{
    span s = span_trim_start((span){ text, len });
    const char *line = s.s;
    size_t n = s.n;
    size_t digits = 0;
    while (digits < n && line[digits] >= '0' && line[digits] <= '9')
        digits++;
    for (size_t i = 0; i < n; i++) {
        char c = line[i];
        bool special = strchr("\\`*_[]<>#!|~&", c) != NULL ||
                       (i == 0 && strchr("-+=", c) != NULL) ||
                       (i > 0 && i == digits && (c == '.' || c == ')'));
        if (special && c)
            buf_putc(b, '\\');
        buf_putc(b, c);
    }
}

char *import_text_md_escape(arena_t *a, const char *line, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, n + 1);
    md_escape(&b, line, n);
    return (char *)buf_cstr(&b);
}

/* ---- what a line is ---- */

/* s with every code point that is not a letter dropped (digits,
 * punctuation, symbols become word breaks), words separated by one space:
 * furniture lines are compared in this form. */
static const char *furniture_key(arena_t *a, const char *s, size_t n)
{
    size_t len;
    char *norm = ar_normalize(a, s, n, &len);
    if (!norm)
        return "";
    char *out = arena_alloc(a, len + 1), *o = out;
    bool gap = false;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t k = text_next_cp(norm + i, len - i, &cp);
        utf8proc_category_t cat = cp < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(cp);
        bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
        if (letter && gap && o > out)
            *o++ = ' ';
        if (letter)
            memcpy(o, norm + i, k), o += k;
        gap = !letter;
        i += k;
    }
    *o = '\0';
    return out;
}

typedef struct {
    arena_t *a;                 /* what out points to */
    arena_t *scratch;           /* one line's key, reset per line */
    const char *furniture[N_ELEMS(text_furniture)]; /* their keys */
} text_ctx;

static bool is_furniture(text_ctx *c, span line)
{
    if (line.n > FURNITURE_MAX)
        return false;
    arena_reset(c->scratch);
    const char *key = furniture_key(c->scratch, line.s, line.n);
    for (size_t i = 0; *key && i < N_ELEMS(c->furniture); i++)
        if (strcmp(key, c->furniture[i]) == 0)
            return true;
    return false;
}

static bool is_quote(span line)
{
    return SPAN_STARTS(line, text_quote_open) && SPAN_ENDS(line, text_quote_close) &&
           line.n > SPAN_STARTS(line, text_quote_open);
}

static bool is_heading(span line)
{
    if (span_words(line) > HEADING_MAX_WORDS || is_quote(line))
        return false;
    size_t k;
    while ((k = SPAN_ENDS(line, text_closers)) != 0)
        line.n -= k;
    return line.n > 0 && SPAN_ENDS(line, text_final_punct) == 0;
}

/* ---- the parts ---- */

/* Headline without its video marker; *video set if it had one. */
static span headline(span line, bool *video)
{
    for (size_t m = 0; m < N_ELEMS(text_video_marks); m++)
        for (size_t w = 0; w < N_ELEMS(text_video_words); w++) {
            span t = line;
            if ((!*text_video_marks[m].close || span_cut_end(&t, text_video_marks[m].close)) &&
                span_cut_end(&t, text_video_words[w]) &&
                span_cut_end(&t, text_video_marks[m].open) && t.n > 0) {
                *video = true;
                return t;
            }
        }
    *video = false;
    return line;
}

/* The dateline's SOURCE at the start of lead, NULL if none; *lead then
 * starts after its separator. */
static char *dateline(arena_t *a, span *lead)
{
    const char *best = NULL;
    size_t sep_len = 0;
    for (size_t i = 0; i < N_ELEMS(text_dateline_seps); i++) {
        size_t k = strlen(text_dateline_seps[i]);
        size_t window = lead->n < DATELINE_MAX + k ? lead->n : DATELINE_MAX + k;
        const char *at = memmem(lead->s, window, text_dateline_seps[i], k);
        if (at && (!best || at < best))
            best = at, sep_len = k;
    }
    if (!best)
        return NULL;
    span source = span_trim((span){ lead->s, (size_t)(best - lead->s) });
    if (source.n == 0 || span_words(source) > DATELINE_MAX_WORDS)
        return NULL;
    lead->n -= (size_t)(best + sep_len - lead->s);
    lead->s = best + sep_len;
    *lead = span_trim(*lead);
    return arena_strndup(a, source.s, source.n);
}

/* Lines of [p, end) up to the furniture, as Markdown paragraphs and
 * "## " sub-headings, each ending in a newline, blank lines between. */
static char *body(text_ctx *c, const char *p, const char *end)
{
    buf_t b;
    buf_init(&b, c->a);
    span line;
    while (next_text_line(&p, end, &line) && !is_furniture(c, line)) {
        if (b.len)
            buf_putc(&b, '\n');
        if (is_heading(line))
            buf_puts(&b, "## ");
        md_escape(&b, line.s, line.n);
        buf_putc(&b, '\n');
    }
    return b.len ? (char *)buf_cstr(&b) : arena_strdup(c->a, "");
}

int import_text_parse(arena_t *a, const char *text, size_t len, store_article *out)
{
    if (!text || !text_valid_utf8(text, len))
        return NS_EINVAL;
    const char *p = text, *end = text + len;
    span line;
    if (!next_text_line(&p, end, &line))
        return NS_EINVAL;
    bool video;
    span title = headline(line, &video);
    text_ctx c = { .a = a, .scratch = arena_new(1024) };
    for (size_t i = 0; i < N_ELEMS(text_furniture); i++)
        c.furniture[i] = furniture_key(a, text_furniture[i], strlen(text_furniture[i]));
    out->title = arena_strndup(a, title.s, title.n);
    out->video = video;
    out->body_format = BODY_MARKDOWN;
    out->source = NULL;
    out->lead = "";
    out->body_md = "";
    if (next_text_line(&p, end, &line) && !is_furniture(&c, line)) {
        out->source = dateline(a, &line);
        out->lead = arena_strndup(a, line.s, line.n);
        out->body_md = body(&c, p, end);
    }
    arena_free(c.scratch);
    return NS_OK;
}
