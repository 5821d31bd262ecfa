/*
 * test_date.c - Arabic Gregorian and Hijri dates, ISO 8601 and HTTP dates.
 * The Hijri calendar is the tabular (Kuwaiti) one: where it differs from the
 * dates announced by moon sighting, the test says so and checks that the
 * difference is at most one day rather than hiding it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <time.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "test_util.h"

#define T_2022_03_31_0700Z INT64_C(1648710000)
#define DAY 86400
#define AST (3 * 3600) /* Arabia Standard Time, +03:00 */

#define A test_util_arena /* the group's scratch arena */

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(date_parse_iso(iso, &t), NS_OK);
    return t;
}

static void test_ar_long_and_short(void **state)
{
    (void)state;
    assert_string_equal(date_ar_long(A, T_2022_03_31_0700Z, AST), "الخميس 31 مارس 2022");
    assert_string_equal(date_ar_short(A, T_2022_03_31_0700Z, AST), "31 مارس 2022");
    /* 22:30 UTC is already the next day in Damascus/Riyadh (+3). */
    int64_t late = utc("2022-03-31 22:30:00");
    assert_string_equal(date_ar_long(A, late, 0), "الخميس 31 مارس 2022");
    assert_string_equal(date_ar_long(A, late, AST), "الجمعة 1 أبريل 2022");
    /* and a negative offset goes back a day */
    assert_string_equal(date_ar_short(A, utc("2022-04-01 02:00:00"), -5 * 3600), "31 مارس 2022");
}

static void test_all_month_and_weekday_names(void **state)
{
    (void)state;
    static const char *const months[12] = {
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    };
    for (int m = 0; m < 12; m++) {
        char iso[32], expect[64];
        snprintf(iso, sizeof iso, "2023-%02d-15 12:00:00", m + 1);
        snprintf(expect, sizeof expect, "15 %s 2023", months[m]);
        assert_string_equal(date_ar_short(A, utc(iso), 0), expect);
    }
    /* 2023-01-01 was a Sunday. */
    static const char *const days[7] = {
        "الأحد 1", "الاثنين 2", "الثلاثاء 3", "الأربعاء 4", "الخميس 5", "الجمعة 6", "السبت 7",
    };
    for (int d = 0; d < 7; d++) {
        char expect[64];
        snprintf(expect, sizeof expect, "%s يناير 2023", days[d]);
        assert_string_equal(date_ar_long(A, utc("2023-01-01 12:00:00") + d * DAY, 0), expect);
    }
}

/* Dates announced in Saudi Arabia (Umm al-Qura / moon sighting) and how far
 * the tabular calendar is from them on that day: 0 or one day ahead. */
static const struct {
    int y, m, d;       /* Gregorian */
    int hy, hm, hd;    /* announced Hijri */
    int tabular_ahead; /* days the tabular date is ahead */
} hijri_known[] = {
    {2022, 4, 2, 1443, 9, 1, 0},    /* 1 Ramadan 1443 */
    {2023, 3, 23, 1444, 9, 1, 1},   /* 1 Ramadan 1444 */
    {2023, 4, 21, 1444, 10, 1, 0},  /* Eid al-Fitr 1444 */
    {2023, 6, 28, 1444, 12, 10, 0}, /* Eid al-Adha 1444 */
    {2023, 7, 19, 1445, 1, 1, 1},   /* 1 Muharram 1445 */
    {2024, 4, 10, 1445, 10, 1, 1},  /* Eid al-Fitr 1445 */
    {2021, 7, 20, 1442, 12, 10, 1}, /* Eid al-Adha 1442 */
    {2019, 8, 11, 1440, 12, 10, 0}, /* Eid al-Adha 1440 */
};

static void test_hijri_known_dates(void **state)
{
    (void)state;
    assert_string_equal(date_hijri(A, T_2022_03_31_0700Z, AST), "28 شعبان 1443 هـ");
    assert_string_equal(date_hijri(A, utc("2023-06-28 12:00:00"), 0), "10 ذو الحجة 1444 هـ");
    assert_string_equal(date_hijri(A, utc("2023-03-23 12:00:00"), 0), "2 رمضان 1444 هـ"); /* announced: 1 */
    for (size_t i = 0; i < sizeof hijri_known / sizeof hijri_known[0]; i++) {
        int y, m, d;
        date_to_hijri(hijri_known[i].y, hijri_known[i].m, hijri_known[i].d, &y, &m, &d);
        assert_int_equal(y, hijri_known[i].hy);
        assert_int_equal(m, hijri_known[i].hm);
        assert_int_equal(d, hijri_known[i].hd + hijri_known[i].tabular_ahead);
    }
}

/* Day after day the Hijri date must advance by exactly one, with months of 29
 * or 30 days, Dhu al-Hijjah of 30 only in the 11 leap years of each cycle. */
static void test_hijri_is_continuous(void **state)
{
    (void)state;
    int py, pm, pd;
    date_to_hijri(1900, 1, 1, &py, &pm, &pd);
    int64_t t = utc("1900-01-02 12:00:00");
    int leap_years = 0, year_start_y = 0;
    for (int i = 0; i < 200 * 366; i++, t += DAY) {
        struct tm tm;
        time_t tt = (time_t)t;
        gmtime_r(&tt, &tm);
        int y, m, d;
        date_to_hijri(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &y, &m, &d);
        if (d != pd + 1) {
            assert_int_equal(d, 1);
            assert_true(pd == 29 || pd == 30);
            if (pm == 12) {
                assert_int_equal(y, py + 1);
                assert_int_equal(m, 1);
                if (pd == 30 && year_start_y)
                    leap_years++;
                year_start_y = y;
            } else {
                assert_int_equal(m, pm + 1);
                assert_int_equal(y, py);
                assert_int_equal(pd, pm % 2 ? 30 : 29);
            }
        }
        py = y, pm = m, pd = d;
    }
    /* about 206 Hijri years: 11 leap years per 30 */
    assert_true(leap_years >= 74 && leap_years <= 77);
}

static void test_iso8601(void **state)
{
    (void)state;
    assert_string_equal(date_iso8601(A, T_2022_03_31_0700Z, AST), "2022-03-31T10:00:00+03:00");
    assert_string_equal(date_iso8601(A, T_2022_03_31_0700Z, 0), "2022-03-31T07:00:00+00:00");
    assert_string_equal(date_iso8601(A, T_2022_03_31_0700Z, -(4 * 3600 + 1800)), "2022-03-31T02:30:00-04:30");
    assert_string_equal(date_iso8601(A, 0, 0), "1970-01-01T00:00:00+00:00");
}

static void test_http_format_and_parse(void **state)
{
    (void)state;
    assert_string_equal(date_http(A, T_2022_03_31_0700Z), "Thu, 31 Mar 2022 07:00:00 GMT");
    int64_t t = 0;
    assert_int_equal(date_parse_http("Thu, 31 Mar 2022 07:00:00 GMT", &t), NS_OK);
    assert_int_equal(t, T_2022_03_31_0700Z);
    assert_int_equal(date_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &t), NS_OK);
    assert_int_equal(t, 784111777);
    assert_int_equal(date_parse_http("Thu, 29 Feb 2024 00:00:00 GMT", &t), NS_OK);
    for (int64_t x = -DAY * 400; x < INT64_C(4102444800); x += 7777777) {
        assert_int_equal(date_parse_http(date_http(A, x), &t), NS_OK);
        assert_int_equal(t, x);
    }
}

static void test_http_parse_rejects_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "garbage", "Thu, 31 Mar 2022 07:00:00 UTC", "Fri, 31 Mar 2022 07:00:00 GMT",
        "Thu, 32 Mar 2022 07:00:00 GMT", "Thu, 31 Foo 2022 07:00:00 GMT",
        "Thu, 31 Mar 2022 24:00:00 GMT", "Thu, 31 Mar 2022 07:60:00 GMT",
        "Wed, 29 Feb 2023 07:00:00 GMT", "Thu, 31 Mar 2022 07:00:00 GMT ",
        "Thu, 31 Mar 2022 07:00:00 GMTX", "Thu, 31 Mar 22 07:00:00 GMT",
        "Thu, 31-Mar-2022 07:00:00 GMT", "Thu, +1 Mar 2022 07:00:00 GMT",
        "Thu, 31 mar 2022 07:00:00 GMT", "Thu,31 Mar 2022 07:00:00 GMT ",
        "Thu, 31 Mar 2022 07:00:0x GMT", "Thu, 00 Mar 2022 07:00:00 GMT", NULL,
    };
    for (int i = 0; bad[i]; i++) {
        int64_t t = 42;
        assert_int_equal(date_parse_http(bad[i], &t), NS_EINVAL);
        assert_int_equal(t, 42);
    }
    int64_t t;
    assert_int_equal(date_parse_http(NULL, &t), NS_EINVAL);
}

/* 2026-06-01 00:00 UTC: the "current time" that resolves two-digit years. */
#define T_2026_06_01 INT64_C(1780272000)

/* t formatted by the C library's strftime (tests run in the C locale), so
 * that the parser is checked against an independent writer. */
static const char *c_date(int64_t t, const char *fmt)
{
    time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(gmtime_r(&tt, &tm));
    char b[64];
    assert_true(strftime(b, sizeof b, fmt, &tm) > 0);
    return arena_strdup(A, b);
}

/* The obsolete forms; %e is the space-padded day of asctime. */
#define RFC850_FMT "%A, %d-%b-%y %H:%M:%S GMT"
#define ASCTIME_FMT "%a %b %e %H:%M:%S %Y"

/* RFC 9110 §5.6.7: the obsolete RFC 850 and asctime forms are accepted too. */
static void test_http_parse_obsolete_forms(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(date_parse_http_at("Sunday, 06-Nov-94 08:49:37 GMT", T_2026_06_01, &t), NS_OK);
    assert_int_equal(t, 784111777);
    t = 0;
    assert_int_equal(date_parse_http("Sun Nov  6 08:49:37 1994", &t), NS_OK);
    assert_int_equal(t, 784111777);
    t = 0;
    assert_int_equal(date_parse_http("Sun Nov 06 08:49:37 1994", &t), NS_OK); /* 2DIGIT day */
    assert_int_equal(t, 784111777);
    assert_int_equal(date_parse_http("Thu Mar 31 07:00:00 2022", &t), NS_OK);
    assert_int_equal(t, T_2022_03_31_0700Z);
    assert_int_equal(date_parse_http_at("Thursday, 31-Mar-22 07:00:00 GMT", T_2026_06_01, &t), NS_OK);
    assert_int_equal(t, T_2022_03_31_0700Z);
    assert_int_equal(date_parse_http_at("Thursday, 29-Feb-24 23:59:59 GMT", T_2026_06_01, &t), NS_OK);
    assert_int_equal(t, utc("2024-02-29 23:59:59"));
    /* date_parse_http resolves the two-digit year with the clock */
    int64_t now = (int64_t)time(NULL), t2 = 0;
    assert_int_equal(date_parse_http_at("Sunday, 06-Nov-94 08:49:37 GMT", now, &t), NS_OK);
    assert_int_equal(date_parse_http("Sunday, 06-Nov-94 08:49:37 GMT", &t2), NS_OK);
    assert_int_equal(t2, t);
}

/* A two-digit year more than 50 years ahead of the current year is in the
 * past century; up to 50 years ahead it is not. */
static void test_http_parse_two_digit_year(void **state)
{
    (void)state;
    static const struct { const char *now, *date; } cases[] = {
        { "2026-06-01 00:00:00", "2026-06-01 00:00:00" },
        { "2026-06-01 00:00:00", "2000-01-01 00:00:00" },
        { "2026-06-01 00:00:00", "1999-12-31 23:59:59" },
        { "2026-06-01 00:00:00", "2076-12-31 23:59:59" }, /* 50 years ahead: future */
        { "2026-06-01 00:00:00", "1977-01-01 00:00:00" }, /* "77" would be 51 ahead */
        { "2026-06-01 00:00:00", "1994-11-06 08:49:37" },
        { "2070-01-01 00:00:00", "2110-03-01 00:00:00" }, /* "10": 2010 is 60 back */
        { "2070-01-01 00:00:00", "2021-03-01 00:00:00" },
        { "2099-12-31 23:59:59", "2100-01-01 00:00:00" }, /* across a century */
        { "2101-01-01 00:00:00", "2099-12-31 00:00:00" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t want = utc(cases[i].date), t = 0;
        const char *s = c_date(want, RFC850_FMT);
        assert_int_equal(date_parse_http_at(s, utc(cases[i].now), &t), NS_OK);
        assert_int_equal(t, want);
    }
}

/* Every time, written in each form (by date_http, and by the C library for
 * the obsolete ones), parses back to itself and so to the same date_http. */
static void test_http_parse_round_trip_all_forms(void **state)
{
    (void)state;
    int i = 0;
    for (int64_t x = -DAY * 400; x < INT64_C(4102444800); x += 7777777, i++) {
        /* the clock for two-digit years: up to 40 years either side of x */
        int64_t now = x + (int64_t)(i % 3 - 1) * 40 * 365 * DAY;
        const char *forms[] = { date_http(A, x), c_date(x, RFC850_FMT), c_date(x, ASCTIME_FMT) };
        for (int k = 0; k < 3; k++) {
            int64_t t = 0;
            if (date_parse_http_at(forms[k], now, &t) != NS_OK)
                fail_msg("refused: \"%s\"", forms[k]);
            assert_int_equal(t, x);
            assert_string_equal(date_http(A, t), forms[0]);
        }
    }
}

static void test_http_parse_rejects_obsolete_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* RFC 850 */
        "Sunday, 06-Nov-94 08:49:37 GMT ", " Sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMTX", "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sunday, 06-Nov-94 08:49:37", "Sun, 06-Nov-94 08:49:37 GMT", "Sunda, 06-Nov-94 08:49:37 GMT",
        "sunday, 06-Nov-94 08:49:37 GMT", "Sunday, 06-nov-94 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT", "Sunday,  6-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06-Nov-9 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT", "Sunday 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 24:00:00 GMT", "Sunday, 06-Nov-94 08:60:37 GMT",
        "Sunday, 06-Nov-94 08:49:60 GMT", "Sunday, 06-Nov-94 8:49:37 GMT",
        "Sunday, 00-Nov-94 08:49:37 GMT", "Sunday, 31-Nov-94 08:49:37 GMT",
        "Friday, 30-Feb-24 08:49:37 GMT", "Monday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-+4 08:49:37 GMT",
        /* asctime */
        "Sun Nov  6 08:49:37 1994 ", "Sun Nov  6 08:49:37 1994\n", "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 6 08:49:37 1994", "Sun Nov   6 08:49:37 1994", "Sun Nov 6  08:49:37 1994",
        "Sun Nov  6 08:49:37 94", "Sun Nov  6 08:49:37 19940", "Sun Nov  6 08:49:37  1994",
        "Sun, Nov  6 08:49:37 1994", "Sunday Nov  6 08:49:37 1994", "sun Nov  6 08:49:37 1994",
        "Sun Nov  6 24:49:37 1994", "Sun Nov  0 08:49:37 1994", "Sun Nov 00 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994", "Thu Feb 30 08:49:37 2023", "Mon Nov  6 08:49:37 1994",
        "Sun Nov  x 08:49:37 1994", "Sun Nov  6 08:49:37", "Sun Nov  6", "Sun", "Sunday", NULL,
    };
    for (int i = 0; bad[i]; i++) {
        int64_t t = 42;
        if (date_parse_http_at(bad[i], T_2026_06_01, &t) != NS_EINVAL)
            fail_msg("accepted: \"%s\"", bad[i]);
        assert_int_equal(t, 42);
    }
    int64_t t = 42;
    assert_int_equal(date_parse_http_at(NULL, T_2026_06_01, &t), NS_EINVAL);
    assert_int_equal(t, 42);
}

static void test_iso_parse(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(date_parse_iso("2022-03-31 07:00:00", &t), NS_OK);
    assert_int_equal(t, T_2022_03_31_0700Z);
    assert_int_equal(date_parse_iso("2022-03-31T07:00:00Z", &t), NS_OK);
    assert_int_equal(t, T_2022_03_31_0700Z);
    assert_int_equal(date_parse_iso("1969-12-31 23:59:59", &t), NS_OK);
    assert_int_equal(t, -1);
    static const char *const bad[] = {
        "2022-03-31T07:00:00", "2022-03-31 07:00:00Z", "2022-13-01 00:00:00",
        "2022-02-30 00:00:00", "2022-03-31 07:00", "2022-3-31 07:00:00 ",
        "2022/03/31 07:00:00", "2022-03-31x07:00:00", "0000-01-01 00:00:00",
        "2022-03-31 07:00:00+03:00", "", NULL,
    };
    for (int i = 0; bad[i]; i++)
        assert_int_equal(date_parse_iso(bad[i], &t), NS_EINVAL);
}

/* The arithmetic calendar must agree with the C library's, second by
 * second, across leap years, centuries and negative times. */
static void test_matches_gmtime(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int64_t t = (int64_t)(x % 16000000000ull) - 4000000000ll; /* 1843..2477 */
        time_t tt = (time_t)t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[64];
        strftime(want, sizeof want, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        assert_string_equal(date_http(a, t), want);
        arena_reset(a);
    }
    arena_free(a);
}

static void test_out_of_range_times(void **state)
{
    (void)state;
    assert_string_equal(date_ar_long(A, INT64_MAX, 0), "");
    assert_string_equal(date_http(A, INT64_MIN), "");
    assert_string_equal(date_hijri(A, INT64_MAX, AST), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ar_long_and_short),
        cmocka_unit_test(test_all_month_and_weekday_names),
        cmocka_unit_test(test_hijri_known_dates),
        cmocka_unit_test(test_hijri_is_continuous),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_http_format_and_parse),
        cmocka_unit_test(test_http_parse_rejects_garbage),
        cmocka_unit_test(test_http_parse_obsolete_forms),
        cmocka_unit_test(test_http_parse_two_digit_year),
        cmocka_unit_test(test_http_parse_round_trip_all_forms),
        cmocka_unit_test(test_http_parse_rejects_obsolete_garbage),
        cmocka_unit_test(test_iso_parse),
        cmocka_unit_test(test_matches_gmtime),
        cmocka_unit_test(test_out_of_range_times),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
