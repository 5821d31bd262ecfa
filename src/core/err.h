/*
 * err.h - the one error convention of nashra.
 *
 * Every function that can fail returns an int: 0 (NS_OK) on success, one of
 * the negative NS_E* codes below on failure. Errors are returned upwards, not
 * printed where they happen. A code becomes an HTTP status in one place,
 * the table of handlers/error.c (handler_error: NS_ENOTFOUND 404,
 * NS_EINVAL 400, NS_EPERM 403, NS_EMETHOD 405, NS_ETOOLARGE 413,
 * NS_ETOOBIG 414, NS_ECONFLICT 409, NS_EBUSY and NS_EUNAVAIL 503, any other code 500), with the themed error
 * page. http/request.c calls it for every code a handler or the store
 * returns and for the requests it refuses itself, and logs the codes that
 * are not the client's doing. The exceptions: a worker whose database
 * cannot be opened answers 503, and the request-head checks
 * (http/reqcheck.c) 400 or 414, before any code exists. The command line
 * (cli/) turns codes into messages.
 * Out-of-memory is not a code: allocation failure aborts (see arena.h), as a
 * news server that cannot allocate cannot do anything useful anyway.
 */
#ifndef NS_CORE_ERR_H
#define NS_CORE_ERR_H

enum {
    NS_OK = 0,
    NS_ENOTFOUND = -1,  /* no such row / file / route */
    NS_EINVAL = -2,     /* malformed input (bad UTF-8, bad number, bad option) */
    NS_EIO = -3,        /* read/write failure of a file or socket */
    NS_EBUSY = -4,      /* database locked, port in use */
    NS_ECORRUPT = -5,   /* database or file is not what it should be */
    NS_ETOOBIG = -6,    /* input exceeds a limit */
    NS_EEXIST = -7,     /* unique constraint, directory already initialised */
    NS_ESYNTAX = -8,    /* template syntax error */
    NS_EINTERNAL = -9,  /* a bug or an unexpected library failure */
    NS_EPERM = -10,     /* permission denied */
    NS_EMETHOD = -11,   /* request method not supported by this resource */
    NS_ETOOLARGE = -12, /* request body larger than its route accepts */
    NS_EUNAVAIL = -13,  /* a database server that cannot be reached (down, restarting) */
    NS_ECONFLICT = -14, /* changed by someone else since it was read (409) */
};

/* Short English description of rc for logs and the command line. Returns a
 * static string; never NULL. */
const char *ns_strerror(int rc);

#endif
