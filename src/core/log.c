/*
 * log.c - operator-facing log lines on stderr. Each record is formatted into
 * one stack buffer and written with a single write(2), so lines from worker
 * threads never interleave. The level is a process-wide setting chosen once
 * at start, read without locking.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile enum log_level log_level = LOG_INFO;

static const char *const log_names[] = {
    [LOG_DEBUG] = "debug", [LOG_INFO] = "info",
    [LOG_WARN] = "warn",   [LOG_ERROR] = "error",
};

void log_set_level(enum log_level lvl)
{
    log_level = lvl;
}

/* "2026-01-31T10:00:00Z " into p; returns bytes written. */
static size_t log_stamp(char *p, size_t cap)
{
    struct tm tm;
    time_t now = time(NULL);
    gmtime_r(&now, &tm);
    return strftime(p, cap, "%Y-%m-%dT%H:%M:%SZ ", &tm);
}

/* Control characters (from hostile paths or headers quoted in a message)
 * become spaces, so one record is always exactly one line. */
static void log_flatten(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            p[i] = ' ';
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_level || lvl >= LOG_SILENT)
        return;
    char line[2048];
    size_t len = log_stamp(line, sizeof line);
    int k = snprintf(line + len, sizeof line - len, "%s: ", log_names[lvl]);
    len += (size_t)k;
    va_list ap;
    va_start(ap, fmt);
    k = vsnprintf(line + len, sizeof line - len, fmt, ap);
    va_end(ap);
    if (k < 0)
        k = 0;
    len += (size_t)k;
    if (len > sizeof line - 2)
        len = sizeof line - 2; /* truncated: keep the newline */
    log_flatten(line, len);
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
