/*
 * date.c - dates for Arabic readers, feeds and HTTP caches. Month and weekday
 * names come from tables, never from the C locale, so output does not depend
 * on how the server was started. Civil-date arithmetic is done here (days
 * from 1970-01-01) rather than with mktime/timegm so that parsing is exact,
 * independent of TZ, and rejects every malformed field. The Hijri date is the
 * tabular Islamic calendar (30-year cycle, the "Kuwaiti algorithm"), which
 * can differ by a day or two from the announced calendar.
 */
#include "core/date.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"

#define DATE_DAY 86400
#define DATE_UNIX_JDN 2440588 /* Julian Day Number of 1970-01-01 */

static const char *const date_ar_months[12] = {
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
};
static const char *const date_ar_weekdays[7] = {
    "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
};
static const char *const date_hijri_months[12] = {
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
};
static const char *const date_en_months[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const date_en_weekdays[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const date_en_weekdays_long[7] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static void date_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

/* Days since 1970-01-01 of the day holding Unix time t (floor division). */
static int64_t date_floor_days(int64_t t)
{
    return (t >= 0 ? t : t - DATE_DAY + 1) / DATE_DAY;
}

/* Weekday (0 = Sunday) of the day `days` after 1970-01-01, a Thursday. */
static int date_weekday(int64_t days)
{
    return (int)(((days % 7) + 11) % 7);
}

/* Broken-down local time of t shifted by tz_offset; false if out of range.
 * Pure arithmetic: glibc's gmtime_r takes a process-wide lock, and pages
 * format dozens of dates on every worker thread. Only the fields used here
 * (year, month, day, weekday, hour, minute, second) are set. */
static bool date_split(int64_t t, int tz_offset, struct tm *tm)
{
    const int64_t limit = (int64_t)1 << 40; /* far beyond any real date */
    if (t > limit || t < -limit)
        return false;
    int64_t local = t + tz_offset;
    int64_t days = date_floor_days(local);
    int64_t secs = local - days * DATE_DAY;
    int64_t y;
    int m, d;
    date_civil_from_days(days, &y, &m, &d);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_wday = date_weekday(days);
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    return true;
}

/* Dates are formatted by hand into a small stack buffer: pages format
 * dozens of them per render and printf's generality costs ten times more.
 * Each writer returns the advanced pointer; 64 bytes fit every format. */
static char *date_put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* v in decimal, at least `width` digits, zero-padded (years before 1 AD
 * come out with a minus sign). */
static char *date_put_num(char *p, int64_t v, int width)
{
    if (v < 0) {
        *p++ = '-';
        v = -v;
    }
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < (int)sizeof tmp);
    while (n < width)
        tmp[n++] = '0';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

static char *date_done(arena_t *a, const char *start, const char *end)
{
    return arena_strndup(a, start, (size_t)(end - start));
}

char *date_ar_long(arena_t *a, int64_t t, int tz_offset)
{
    struct tm tm;
    if (!date_split(t, tz_offset, &tm))
        return arena_strdup(a, "");
    char b[96], *p = date_put_str(b, date_ar_weekdays[tm.tm_wday]);
    *p++ = ' ';
    p = date_put_num(p, tm.tm_mday, 1);
    *p++ = ' ';
    p = date_put_str(p, date_ar_months[tm.tm_mon]);
    *p++ = ' ';
    p = date_put_num(p, tm.tm_year + 1900, 1);
    return date_done(a, b, p);
}

char *date_ar_short(arena_t *a, int64_t t, int tz_offset)
{
    struct tm tm;
    if (!date_split(t, tz_offset, &tm))
        return arena_strdup(a, "");
    char b[64], *p = date_put_num(b, tm.tm_mday, 1);
    *p++ = ' ';
    p = date_put_str(p, date_ar_months[tm.tm_mon]);
    *p++ = ' ';
    p = date_put_num(p, tm.tm_year + 1900, 1);
    return date_done(a, b, p);
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d. */
static int64_t date_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of date_days_from_civil (H. Hinnant's civil_from_days). */
static void date_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* The Kuwaiti arithmetic: leap years 2 5 7 10 13 15 18 21 24 26 29 of each
 * 30-year cycle, counted from JDN 1948439 (1 Muharram 1 AH as the evening
 * of 15 July 622 Julian starts it). This is what common software calls the
 * Kuwaiti algorithm; it agrees with the announced calendar most days. */
#define DATE_HIJRI_EPOCH 1948439
#define DATE_HIJRI_CYCLE 10631 /* days in 30 tabular years */

static bool date_hijri_leap(int64_t hy)
{
    return ((15 + 11 * hy) % 30 + 30) % 30 < 11; /* hy may be <= 0 */
}

void date_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd)
{
    int64_t z = date_days_from_civil(y, m, d) + DATE_UNIX_JDN - DATE_HIJRI_EPOCH;
    int64_t cyc = (z >= 0 ? z : z - DATE_HIJRI_CYCLE + 1) / DATE_HIJRI_CYCLE;
    z -= cyc * DATE_HIJRI_CYCLE;
    int64_t year = cyc * 30 + 1;
    for (int len; z >= (len = 354 + date_hijri_leap(year)); year++)
        z -= len;
    int month = 1;
    for (int len; month < 12 && z >= (len = 30 - (month + 1) % 2); month++)
        z -= len;
    *hy = (int)year;
    *hm = month;
    *hd = (int)z + 1;
}

char *date_hijri(arena_t *a, int64_t t, int tz_offset)
{
    struct tm tm;
    if (!date_split(t, tz_offset, &tm) || tm.tm_year + 1900 < 623)
        return arena_strdup(a, "");
    int hy, hm, hd;
    date_to_hijri(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &hy, &hm, &hd);
    char b[96], *p = date_put_num(b, hd, 1);
    *p++ = ' ';
    p = date_put_str(p, date_hijri_months[hm - 1]);
    *p++ = ' ';
    p = date_put_num(p, hy, 1);
    p = date_put_str(p, " هـ");
    return date_done(a, b, p);
}

char *date_iso8601(arena_t *a, int64_t t, int tz_offset)
{
    struct tm tm;
    if (!date_split(t, tz_offset, &tm))
        return arena_strdup(a, "");
    int off = tz_offset < 0 ? -tz_offset : tz_offset;
    const int64_t f[] = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                          tm.tm_min, tm.tm_sec, off / 3600, off / 60 % 60 };
    const char sep[] = { '-', '-', 'T', ':', ':', tz_offset < 0 ? '-' : '+', ':', 0 };
    char b[64], *p = b;
    for (int i = 0; i < 8; i++) {
        p = date_put_num(p, f[i], i ? 2 : 4);
        if (sep[i])
            *p++ = sep[i];
    }
    return date_done(a, b, p);
}

char *date_http(arena_t *a, int64_t t)
{
    struct tm tm;
    if (!date_split(t, 0, &tm))
        return arena_strdup(a, "");
    return arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d GMT", date_en_weekdays[tm.tm_wday],
                        tm.tm_mday, date_en_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                        tm.tm_min, tm.tm_sec);
}

/* Exactly `width` ASCII digits at s into *out. */
static bool date_digits(const char *s, int width, int *out)
{
    int v = 0;
    for (int i = 0; i < width; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Index of the name at *s in names[count], advancing *s past it, or -1. */
static int date_name(const char **s, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(*s, names[i], n) == 0) {
            *s += n;
            return i;
        }
    }
    return -1;
}

static int date_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

struct date_fields {
    int y, mon, d, h, min, s;
};

/* Range-check the fields and convert them to Unix seconds. */
static int date_fields_to_unix(const struct date_fields *f, int64_t *out)
{
    if (f->y < 1 || f->mon < 1 || f->mon > 12 || f->d < 1 ||
        f->d > date_month_days(f->y, f->mon) || f->h > 23 || f->min > 59 || f->s > 59)
        return NS_EINVAL;
    *out = date_days_from_civil(f->y, f->mon, f->d) * DATE_DAY + f->h * 3600 + f->min * 60 + f->s;
    return NS_OK;
}

/* "HH:MM:SS" at s. */
static bool date_clock(const char *s, struct date_fields *f)
{
    return date_digits(s, 2, &f->h) && s[2] == ':' && date_digits(s + 3, 2, &f->min) &&
           s[5] == ':' && date_digits(s + 6, 2, &f->s);
}

/* The three HTTP-date forms of RFC 9110 §5.6.7 as patterns: %a short and
 * %A long weekday name, %b month name, %d day as two digits, %e day as two
 * digits or a space and one digit, %Y four- and %y two-digit year, %T
 * "HH:MM:SS"; any other byte stands for itself. Names are case-sensitive,
 * as the grammar has them. */
static const char *const date_http_forms[] = {
    "%a, %d %b %Y %T GMT", /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
    "%A, %d-%b-%y %T GMT", /* obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
    "%a %b %e %T %Y",      /* obsolete asctime: "Sun Nov  6 08:49:37 1994" */
};

struct date_http_match {
    struct date_fields f;
    int wday;      /* 0 = Sunday */
    bool yy;       /* the year had two digits */
};

/* Match all of s against all of form; fields into *m. Reads s only up to
 * its first mismatch, so never past its NUL. */
static bool date_http_match(const char *s, const char *form, struct date_http_match *m)
{
    for (; *form; form++) {
        if (*form != '%') {
            if (*s++ != *form)
                return false;
            continue;
        }
        bool ok;
        int width = 0; /* bytes of a numeric field; a name advances s itself */
        switch (*++form) {
        case 'a': ok = (m->wday = date_name(&s, date_en_weekdays, 7)) >= 0; break;
        case 'A': ok = (m->wday = date_name(&s, date_en_weekdays_long, 7)) >= 0; break;
        case 'b': ok = (m->f.mon = date_name(&s, date_en_months, 12) + 1) > 0; break;
        case 'd': width = 2; ok = date_digits(s, 2, &m->f.d); break;
        case 'e': width = 2; ok = date_digits(s + (*s == ' '), 2 - (*s == ' '), &m->f.d); break;
        case 'Y': width = 4; ok = date_digits(s, 4, &m->f.y); break;
        case 'y': width = 2; ok = m->yy = date_digits(s, 2, &m->f.y); break;
        case 'T': width = 8; ok = date_clock(s, &m->f); break;
        default: ok = false; break;
        }
        if (!ok)
            return false;
        s += width;
    }
    return *s == '\0';
}

/* The year in [now's year - 49, now's year + 50] ending in the two digits yy
 * (RFC 9110: a year more than 50 years ahead is the last century's). */
static bool date_full_year(int yy, int64_t now, int *y)
{
    struct tm tm;
    if (!date_split(now, 0, &tm))
        return false;
    int cur = tm.tm_year + 1900;
    *y = cur - cur % 100 + yy;
    if (*y > cur + 50)
        *y -= 100;
    else if (*y <= cur - 50)
        *y += 100;
    return true;
}

int date_parse_http_at(const char *s, int64_t now, int64_t *out)
{
    if (!s)
        return NS_EINVAL;
    for (size_t i = 0; i < sizeof date_http_forms / sizeof *date_http_forms; i++) {
        struct date_http_match m = { .wday = -1 };
        if (!date_http_match(s, date_http_forms[i], &m))
            continue;
        /* The forms differ in their fourth byte, so no other can match; a
         * weekday that is not the date's is refused like any bad field. */
        int64_t t;
        if ((m.yy && !date_full_year(m.f.y, now, &m.f.y)) || date_fields_to_unix(&m.f, &t) != NS_OK ||
            date_weekday(date_floor_days(t)) != m.wday)
            return NS_EINVAL;
        *out = t;
        return NS_OK;
    }
    return NS_EINVAL;
}

int date_parse_http(const char *s, int64_t *out)
{
    return date_parse_http_at(s, (int64_t)time(NULL), out);
}

int date_parse_iso(const char *s, int64_t *out)
{
    /* "2022-03-31 10:00:00" (19 bytes) or "2022-03-31T10:00:00Z" (20). */
    struct date_fields f;
    size_t n = s ? strlen(s) : 0;
    bool spaced = n == 19 && s[10] == ' ';
    bool zulu = n == 20 && s[10] == 'T' && s[19] == 'Z';
    if (!(spaced || zulu) || !date_digits(s, 4, &f.y) || s[4] != '-' ||
        !date_digits(s + 5, 2, &f.mon) || s[7] != '-' || !date_digits(s + 8, 2, &f.d) ||
        !date_clock(s + 11, &f))
        return NS_EINVAL;
    return date_fields_to_unix(&f, out);
}

int64_t date_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
