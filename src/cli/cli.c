/*
 * cli.c - failure messages of the command line (cli.h): every failure an
 * operator can cause ends in one line that says what to do.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include "core/err.h"
#include "store/store.h"

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nashra: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

/* Messages for store_open failures (one %s: the database's location,
 * without its password). */
static const struct { int rc; const char *fmt; } cli_store_errors[] = {
    {NS_ENOTFOUND, "no site database at %s: run nashra init first"},
    {NS_ECORRUPT, "%s is not a nashra database or is damaged"},
    {NS_EBUSY, "%s is locked by another process"},
    {NS_EINVAL, "%s was created by a newer version of nashra (schema too new)"},
    {NS_EPERM, "%s: permission denied"},
    {NS_EUNAVAIL, "cannot connect to %s (is the server running, does the database exist, are the address and credentials right?)"},
};

int cli_store_fail(const char *location, int rc)
{
    char db[1024];
    store_location_safe(location, db, sizeof db);
    for (size_t i = 0; i < sizeof cli_store_errors / sizeof cli_store_errors[0]; i++)
        if (cli_store_errors[i].rc == rc) {
            fputs("nashra: ", stderr);
            fprintf(stderr, cli_store_errors[i].fmt, db);
            fputc('\n', stderr);
            return EXIT_FAIL;
        }
    return cli_fail(EXIT_FAIL, "cannot open %s: %s", db, ns_strerror(rc));
}
