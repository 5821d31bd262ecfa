/*
 * err.c - English descriptions of the NS_E* codes. Kept as a table indexed by
 * the negated code so that adding a code means adding one row, and so that the
 * command line and logs describe failures in the same words everywhere.
 */
#include "core/err.h"

#include <stddef.h>

static const char *const err_names[] = {
    [0] = "ok",
    [-NS_ENOTFOUND] = "not found",
    [-NS_EINVAL] = "invalid input",
    [-NS_EIO] = "input/output error",
    [-NS_EBUSY] = "resource busy",
    [-NS_ECORRUPT] = "corrupt data",
    [-NS_ETOOBIG] = "input too large",
    [-NS_EEXIST] = "already exists",
    [-NS_ESYNTAX] = "syntax error",
    [-NS_EINTERNAL] = "internal error",
    [-NS_EPERM] = "permission denied",
    [-NS_EMETHOD] = "method not allowed",
    [-NS_ETOOLARGE] = "request body too large",
    [-NS_EUNAVAIL] = "database unreachable",
};

const char *ns_strerror(int rc)
{
    size_t n = sizeof err_names / sizeof err_names[0];
    if (rc > 0 || (size_t)(-(long)rc) >= n || !err_names[-rc])
        return "unknown error";
    return err_names[-rc];
}
