/* fow_login_throttle.c — delays for repeated failed sign-ins (fow_login_throttle.h). */
#include "accounts/fow_login_throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 8 /* records looked at for one key */

typedef struct throttle_record {
    uint64_t key;        /* 0: free */
    long long failures;
    long long last_failure;
} throttle_record;

struct fow_login_throttle {
    pthread_mutex_t lock;
    unsigned char secret[crypto_shorthash_KEYBYTES];
    throttle_record records[FOW_THROTTLE_SLOTS];
};

fow_code fow_login_throttle_new(fow_login_throttle **out, fow_error *err) {
    *out = NULL;
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    fow_login_throttle *t = calloc(1, sizeof *t);
    if (!t) return fow_error_set(err, FOW_ENOMEM, "out of memory making the sign-in throttle");
    pthread_mutex_init(&t->lock, NULL);
    crypto_shorthash_keygen(t->secret);
    *out = t;
    return FOW_OK;
}

void fow_login_throttle_free(fow_login_throttle *t) {
    if (!t) return;
    pthread_mutex_destroy(&t->lock);
    sodium_memzero(t->secret, sizeof t->secret);
    free(t);
}

/* The key of the pair (name folded to lower case, address), or of the
 * address alone when name is NULL. Never 0. */
static uint64_t key_of(const fow_login_throttle *t, const char *name, const char *address) {
    unsigned char buf[512];
    size_t n = 0;
    buf[n++] = name ? 'p' : 'a';
    if (name) {
        for (const char *p = name; *p && n < 300; p++) {
            unsigned char ch = (unsigned char)*p;
            buf[n++] = ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
        }
        buf[n++] = '\0';
    }
    for (const char *p = address ? address : ""; *p && n < sizeof buf; p++) buf[n++] = (unsigned char)*p;
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, buf, n, t->secret);
    uint64_t key;
    memcpy(&key, h, sizeof key);
    return key ? key : 1;
}

/* The record of key, or NULL; a record older than FOW_THROTTLE_FORGET is
 * freed on the way. */
static throttle_record *find(fow_login_throttle *t, uint64_t key, long long now) {
    for (size_t i = 0; i < PROBE; i++) {
        throttle_record *r = &t->records[(key + i) % FOW_THROTTLE_SLOTS];
        if (r->key && now - r->last_failure >= FOW_THROTTLE_FORGET) memset(r, 0, sizeof *r);
        if (r->key == key) return r;
    }
    return NULL;
}

/* The record of key, made when missing: a free slot nearby, else the one
 * whose last failure is the oldest. */
static throttle_record *find_or_make(fow_login_throttle *t, uint64_t key, long long now) {
    throttle_record *r = find(t, key, now);
    if (r) return r;
    throttle_record *best = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        throttle_record *c = &t->records[(key + i) % FOW_THROTTLE_SLOTS];
        if (!c->key) {
            best = c;
            break;
        }
        if (!best || c->last_failure < best->last_failure) best = c;
    }
    *best = (throttle_record){key, 0, now};
    return best;
}

/* Seconds still to wait at now after failures, the last at last_failure,
 * when free of them are allowed without delay. */
static long long delay_left(long long failures, long long last_failure, long long free_failures, long long now) {
    if (failures < free_failures) return 0;
    long long over = failures - free_failures, delay = FOW_THROTTLE_FIRST_DELAY;
    while (over-- > 0 && delay < FOW_THROTTLE_MAX_DELAY) delay *= 2;
    if (delay > FOW_THROTTLE_MAX_DELAY) delay = FOW_THROTTLE_MAX_DELAY;
    long long left = last_failure + delay - now;
    return left > 0 ? left : 0;
}

long long fow_login_throttle_wait(fow_login_throttle *t, const char *name, const char *address, long long now) {
    uint64_t pair = key_of(t, name ? name : "", address), addr = key_of(t, NULL, address);
    pthread_mutex_lock(&t->lock);
    long long wait = 0;
    const throttle_record *r = find(t, pair, now);
    if (r) wait = delay_left(r->failures, r->last_failure, FOW_THROTTLE_PAIR_FREE, now);
    r = find(t, addr, now);
    if (r) {
        long long w = delay_left(r->failures, r->last_failure, FOW_THROTTLE_ADDRESS_FREE, now);
        if (w > wait) wait = w;
    }
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void fow_login_throttle_failed(fow_login_throttle *t, const char *name, const char *address, long long now) {
    uint64_t pair = key_of(t, name ? name : "", address), addr = key_of(t, NULL, address);
    pthread_mutex_lock(&t->lock);
    throttle_record *r = find_or_make(t, pair, now);
    r->failures++;
    r->last_failure = now;
    r = find_or_make(t, addr, now);
    r->failures++;
    r->last_failure = now;
    pthread_mutex_unlock(&t->lock);
}

void fow_login_throttle_succeeded(fow_login_throttle *t, const char *name, const char *address, long long now) {
    uint64_t pair = key_of(t, name ? name : "", address);
    pthread_mutex_lock(&t->lock);
    throttle_record *r = find(t, pair, now);
    if (r) memset(r, 0, sizeof *r);
    pthread_mutex_unlock(&t->lock);
}
