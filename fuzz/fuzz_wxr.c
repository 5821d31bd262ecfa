/*
 * fuzz_wxr.c - libFuzzer driver for the WXR reader (import/wxr.c), which
 * reads whatever file an operator is handed as a WordPress export. Besides
 * crashes and leaks it checks its promises: reading ends, at WXR_END or
 * with NS_EINVAL and a message; every string of every event is set (never
 * NULL); an item holds no more than WXR_MAX_CHILDREN comments, terms and
 * metadata together.
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_wxr -max_total_time=600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "import/wxr.h"

static void check_item(const wxr_item *it)
{
    const char *s[] = { it->title, it->link, it->guid, it->creator, it->content, it->excerpt,
                        it->post_date, it->post_date_gmt, it->post_type, it->status, it->post_name };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (!s[i])
            abort();
    if (it->nterms + it->nmeta + it->ncomments > WXR_MAX_CHILDREN)
        abort();
    for (size_t i = 0; i < it->ncomments; i++)
        if (!it->comments[i].content || !it->comments[i].approved || !it->comments[i].type)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wxr_reader *r;
    if (wxr_open_memory((const char *)data, size, &r) != 0)
        return 0;
    arena_t *a = arena_new(0);
    wxr_event ev;
    int rc;
    while ((rc = wxr_next(r, a, &ev)) == 0 && ev.kind != WXR_END) {
        if (ev.kind == WXR_ITEM)
            check_item(&ev.u.item);
        if (ev.kind == WXR_TERM && (!ev.u.term.slug || !ev.u.term.taxonomy))
            abort();
        arena_reset(a);
    }
    if (rc != 0 && (rc != NS_EINVAL || !*wxr_error(r, NULL)))
        abort();
    arena_free(a);
    wxr_close(r);
    return 0;
}
