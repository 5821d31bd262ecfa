/*
 * date.h - dates as Arabic readers, feeds and HTTP caches want them.
 *
 * All times are Unix seconds (UTC). `tz_offset` is the site's offset from UTC
 * in seconds (site setting), applied before formatting human dates.
 * The Hijri date uses the tabular (arithmetical) Islamic calendar, which may
 * differ by a day from the announced moon-sighting calendar; the site shows
 * it only when the setting asks for it.
 */
#ifndef NS_CORE_DATE_H
#define NS_CORE_DATE_H

#include <stdint.h>
#include <time.h>
#include "core/arena.h"

/* «الخميس 31 مارس 2022» (weekday, day, Arabic month name, year; Latin digits). */
char *date_ar_long(arena_t *a, int64_t t, int tz_offset);
/* «31 مارس 2022» */
char *date_ar_short(arena_t *a, int64_t t, int tz_offset);
/* «28 شعبان 1443 هـ» */
char *date_hijri(arena_t *a, int64_t t, int tz_offset);
/* Gregorian (y, m 1..12, d) -> Hijri (hy, hm 1..12, hd), tabular calendar. */
void date_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd);

/* "2022-03-31T10:00:00+03:00" (ISO 8601 / RFC 3339, with the site offset). */
char *date_iso8601(arena_t *a, int64_t t, int tz_offset);
/* "Thu, 31 Mar 2022 07:00:00 GMT" (RFC 7231 IMF-fixdate; also fine for RSS). */
char *date_http(arena_t *a, int64_t t);
/* Parse an HTTP-date (If-Modified-Since) into *out, in any of the three
 * forms RFC 9110 §5.6.7 makes a recipient accept:
 *   IMF-fixdate      "Sun, 06 Nov 1994 08:49:37 GMT"
 *   RFC 850 (obs.)   "Sunday, 06-Nov-94 08:49:37 GMT"
 *   asctime (obs.)   "Sun Nov  6 08:49:37 1994" (day may be " 6" or "06")
 * The RFC 850 two-digit year is read as the year ending in those digits
 * that is at most 50 years after the current year, and otherwise in the
 * past century (whole years are compared: in 2026, "76" is 2076 and "77"
 * is 1977). Parsing is strict and needs no locale: names are
 * case-sensitive, single spaces only, the whole string must match (nothing
 * before or after), every field must be in range (hour 0-23, no leap
 * second, no Feb 30, year 1 or later), and a weekday that is not the date's
 * is refused rather than tolerated (an If-Modified-Since that is refused
 * only costs a full response instead of a 304). NS_EINVAL if malformed or
 * s is NULL; *out is left untouched then. */
int date_parse_http(const char *s, int64_t *out);
/* date_parse_http with `now` (Unix seconds) as the current time that
 * resolves an RFC 850 two-digit year; the other forms do not use it. */
int date_parse_http_at(const char *s, int64_t now, int64_t *out);
/* Milliseconds of a clock that only moves forward (CLOCK_MONOTONIC), for
 * "not again before" deadlines that a change of the wall clock must not
 * move. */
int64_t date_monotonic_ms(void);
/* Parse "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" as UTC. NS_EINVAL if malformed. */
int date_parse_iso(const char *s, int64_t *out);

#endif
