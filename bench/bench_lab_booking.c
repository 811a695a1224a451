/* bench_lab_booking.c — booking throughput of the labs under contention,
 * with the exactness check (issue 15's benchmark), against a peer in the
 * same run.
 *
 *   bench_lab_booking [--threads T] [--slots K] [--rounds R]
 *
 * A temporary database with a lab (Mon-Fri 09:00-18:00) and a machine of
 * 60-minute slots. Each round, one after the other:
 *   contended   T threads (default 8), each with its own connection as the
 *               server opens one per request, released together, each trying
 *               to book every one of K free slots (default 27: three days) in
 *               its own order: K x T attempts through fow_lab_book (BEGIN
 *               IMMEDIATE, the checks, the insert; the triggers as the last
 *               guard). Exactness: exactly K bookings, one per slot, every
 *               other attempt refused labs.slot_taken, nothing else.
 *   sequential  the peer: one thread books K other free slots one after the
 *               other (no contention, the same work per booking).
 * Prints per round the attempts per second and the bookings per second,
 * then the medians and the ratio. Exits 1 when an exactness check fails. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "bench_util.h"
#include "labs/fow_bookings.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_labs.h"

#define MAX_THREADS 64
#define MAX_SLOTS 270
#define MAX_ROUNDS 50
#define NOW 1796000000LL /* 2026-11-30 */

static char g_path[256];
static int g_slots, g_threads;
static pthread_barrier_t g_start;

typedef struct racer {
    int index;
    int64_t first_day; /* days since 1970 of the round's first slot day */
    int booked, taken, other;
    char other_code[64];
} racer;

/* Slot k of a round: weekday k / 9 from first_day (skipping weekends), hour 9 + k % 9. */
static void slot_start(int64_t first_day, int k, char *out, size_t n) {
    int64_t day = first_day;
    int need = k / 9;
    int y, m, d;
    for (;;) {
        fow_lab_date_from_days(day, &y, &m, &d);
        if (fow_lab_weekday(y, m, d) <= 5) {
            if (need == 0) break;
            need--;
        }
        day++;
    }
    snprintf(out, n, "%04d-%02d-%02dT%02d:00", y, m, d, 9 + k % 9);
}

static void *race(void *arg) {
    racer *r = arg;
    fow_db *db;
    fow_error err;
    if (fow_db_open(&db, g_path, false, &err)) {
        r->other = -1;
        return NULL;
    }
    char account[32];
    snprintf(account, sizeof account, "racer-%d", r->index);
    fow_lab_actor who = {.account = account, .role = FOW_ROLE_ADMIN, .person_id = "paaaaaaaaaaaaaaaaaaaaaaaaaa"};
    int order[MAX_SLOTS];
    uint64_t seed = (uint64_t)r->index * 7919 + 17;
    for (int k = 0; k < g_slots; k++) order[k] = k;
    for (int k = g_slots - 1; k > 0; k--) {
        int j = (int)(bench_splitmix64(&seed) % (uint64_t)(k + 1));
        int t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    pthread_barrier_wait(&g_start);
    for (int i = 0; i < g_slots; i++) {
        char start[24];
        slot_start(r->first_day, order[i], start, sizeof start);
        fow_lab_booking_in in = {.resource = "bench-laser", .start = start, .minutes = 60, .category = "school",
                                 .payment = "free"};
        fow_lab_booking b;
        fow_lab_refusal why;
        if (fow_lab_book(db, NULL, &who, &in, NOW, &b, NULL, &why, &err) == FOW_OK) r->booked++;
        else if (strcmp(why.code, "labs.slot_taken") == 0) r->taken++;
        else {
            r->other++;
            snprintf(r->other_code, sizeof r->other_code, "%.63s", why.code[0] ? why.code : err.message);
        }
    }
    fow_db_close(db);
    return NULL;
}

int main(int argc, char **argv) {
    long threads = 8, slots = 27, rounds = 5;
    for (int i = 1; i < argc; i++) {
        long *target = strcmp(argv[i], "--threads") == 0 ? &threads
                       : strcmp(argv[i], "--slots") == 0 ? &slots
                       : strcmp(argv[i], "--rounds") == 0 ? &rounds
                                                          : NULL;
        long hi = target == &threads ? MAX_THREADS : target == &slots ? MAX_SLOTS / 2 : MAX_ROUNDS;
        if (!target || i + 1 >= argc || bench_parse_count(argv[++i], 1, hi, target)) {
            fprintf(stderr, "usage: bench_lab_booking [--threads 1..%d] [--slots 1..%d] [--rounds 1..%d]\n",
                    MAX_THREADS, MAX_SLOTS / 2, MAX_ROUNDS);
            return 2;
        }
    }
    g_threads = (int)threads;
    g_slots = (int)slots;
    char dir[] = "/tmp/fow-bench-booking-XXXXXX";
    if (!mkdtemp(dir)) return 2;
    snprintf(g_path, sizeof g_path, "%s/bench.db", dir);
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, g_path, false, &err)) return 2;
    fow_lab_input lab = {.code = "bench-lab", .name_en = "Bench lab", .name_ro = "Laborator de test",
                         .cancel_deadline_hours = -1, .late_cancel_fee_percent = -1, .offer_hours = -1};
    fow_lab_resource_input laser = {.code = "bench-laser", .kind = "machine", .name_en = "Laser", .name_ro = "Laser",
                                    .capacity = 1, .slot_minutes = 60, .max_slots = 4, .active = 1};
    fow_lab_hours hours[5];
    for (int d = 1; d <= 5; d++) hours[d - 1] = (fow_lab_hours){d, 9 * 60, 18 * 60};
    fow_lab_price price = {FOW_LAB_SCHOOL, 0, "RON"};
    if (fow_lab_add(db, &lab, NOW, NULL, &err) || fow_lab_resource_add(db, "bench-lab", &laser, NOW, NULL, &err) ||
        fow_lab_hours_set(db, "bench-lab", hours, 5, &err) || fow_lab_prices_set(db, "bench-laser", &price, 1, &err)) {
        fprintf(stderr, "bench_lab_booking: %s\n", err.message);
        return 2;
    }
    fow_db_close(db);
    printf("bench_lab_booking: %d threads x %d slots a round, %ld rounds (each thread its own connection)\n",
           g_threads, g_slots, rounds);
    double contended[MAX_ROUNDS], sequential[MAX_ROUNDS], booked_rate[MAX_ROUNDS];
    int failures = 0;
    int64_t day = fow_lab_days_from_date(2027, 1, 4);
    for (long round = 0; round < rounds; round++) {
        /* contended */
        racer racers[MAX_THREADS];
        pthread_t tid[MAX_THREADS];
        pthread_barrier_init(&g_start, NULL, (unsigned)g_threads + 1);
        for (int t = 0; t < g_threads; t++) {
            racers[t] = (racer){.index = t, .first_day = day};
            pthread_create(&tid[t], NULL, race, &racers[t]);
        }
        pthread_barrier_wait(&g_start);
        double t0 = bench_now_ms();
        for (int t = 0; t < g_threads; t++) pthread_join(tid[t], NULL);
        double ms = bench_now_ms() - t0;
        pthread_barrier_destroy(&g_start);
        int booked = 0, taken = 0, other = 0;
        for (int t = 0; t < g_threads; t++) {
            booked += racers[t].booked;
            taken += racers[t].taken;
            other += racers[t].other;
            if (racers[t].other) fprintf(stderr, "  another refusal: %s\n", racers[t].other_code);
        }
        bool exact = booked == g_slots && taken == g_slots * (g_threads - 1) && other == 0;
        day += (g_slots + 8) / 9 + 4; /* past the round's days, weekends included */
        /* sequential peer on other slots */
        racer solo = {.index = 999, .first_day = day};
        int saved = g_threads;
        g_threads = 1;
        pthread_barrier_init(&g_start, NULL, 2);
        pthread_t one;
        pthread_create(&one, NULL, race, &solo);
        pthread_barrier_wait(&g_start);
        double s0 = bench_now_ms();
        pthread_join(one, NULL);
        double sms = bench_now_ms() - s0;
        pthread_barrier_destroy(&g_start);
        g_threads = saved;
        exact = exact && solo.booked == g_slots && solo.other == 0;
        day += (g_slots + 8) / 9 + 4;
        contended[round] = g_slots * g_threads / (ms / 1000.0);
        booked_rate[round] = g_slots / (ms / 1000.0);
        sequential[round] = g_slots / (sms / 1000.0);
        printf("round %ld: contended %d attempts in %.1f ms (%.0f attempts/s, %.0f bookings/s): %d booked, %d "
               "slot_taken, %d other — %s; sequential %d bookings in %.1f ms (%.0f/s)\n",
               round + 1, g_slots * g_threads, ms, contended[round], booked_rate[round], booked, taken, other,
               exact ? "exact" : "NOT EXACT", solo.booked, sms, sequential[round]);
        if (!exact) failures++;
    }
    double c = bench_median(contended, (size_t)rounds), b = bench_median(booked_rate, (size_t)rounds),
           s = bench_median(sequential, (size_t)rounds);
    printf("medians: contended %.0f attempts/s (%.0f bookings/s), sequential %.0f bookings/s; contended attempts / "
           "sequential bookings = %.2f\n",
           c, b, s, c / s);
    printf("exactness: %s (%d of %ld rounds failed)\n", failures ? "FAILED" : "every round exact", failures, rounds);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return failures ? 1 : 0;
}
