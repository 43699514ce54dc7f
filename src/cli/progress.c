/* The fetch progress line: one line on stderr, redrawn in place. Only used
 * when stderr is a terminal (main() turns it off otherwise) and neither
 * -q, -v nor --no-progress asked for a quiet or a log-style stderr. */
#include <time.h>

#include "fetch.h"

double fetch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress *p, int enabled, size_t total)
{
    *p = (progress){.enabled = enabled, .total = total, .start = fetch_now()};
}

/* 1536 -> "1.5 KiB": short and stable in width. */
static void human(char *buf, size_t size, double v)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void progress_draw(progress *p, int force)
{
    double now = fetch_now();
    if (!p->enabled || (!force && now - p->last_draw < 0.1))
        return;
    p->last_draw = now;
    double elapsed = now - p->start;
    char bytes[32], rate[32];
    human(bytes, sizeof bytes, (double)p->bytes);
    human(rate, sizeof rate, elapsed > 0 ? (double)p->bytes / elapsed : 0);
    fprintf(stderr, "\r\033[K[%zu/%zu] %s  %s/s", p->done, p->total, bytes, rate);
    fflush(stderr);
    p->drawn = 1;
}

void progress_clear(progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}
