/* bench_http_load.c — a small HTTP/1.1 load generator, for bench/bench_http.sh
 * on machines without wrk: keep-alive GETs on C connections spread over T
 * threads (epoll), each connection cycling through the paths from its own
 * start, one request in flight per connection, for S seconds.
 *
 *   bench_http_load HOST PORT [--connections C] [--threads T] [--seconds S] PATH...
 *
 * Prints, in wrk's words so that bench_http.sh reads both the same way:
 * "N requests in S s", "Requests/sec: R", the 50% and 99% latencies,
 * "Non-2xx or 3xx responses: N" and "Socket errors: connect C, read R,
 * write W, timeout 0". Answers must carry Content-Length (fow serve's and
 * nginx's do); a chunked answer counts as a read error.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.h"

#define MAX_PATHS 64
#define MAX_CONNECTIONS 1024
#define BUF_SIZE (256 * 1024)
#define MAX_SAMPLES 2000000

typedef struct conn {
    int fd;
    int next_path;
    char *buf;
    size_t len;
    long long sent_ns;
} conn;

typedef struct load {
    struct sockaddr_in addr;
    char *requests[MAX_PATHS];
    size_t request_len[MAX_PATHS];
    int n_paths;
    double seconds;
} load;

typedef struct worker {
    const load *l;
    int first, n_conns;
    long long done, non2xx, err_connect, err_read, err_write;
    double *latency_ms;
    size_t n_latency;
    pthread_t thread;
} worker;

static int open_conn(const load *l, conn *c) {
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0) return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (const struct sockaddr *)&l->addr, sizeof l->addr) != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    c->len = 0;
    return 0;
}

static int send_request(const load *l, conn *c) {
    const char *r = l->requests[c->next_path];
    size_t n = l->request_len[c->next_path], off = 0;
    c->sent_ns = bench_now_ns();
    while (off < n) {
        ssize_t w = write(c->fd, r + off, n - off);
        if (w <= 0) return -1;
        off += (size_t)w;
    }
    c->next_path = (c->next_path + 1) % l->n_paths;
    return 0;
}

/* Length of the complete answer at the start of c->buf (0: not complete
 * yet; -1: malformed), and its status. */
static long answer_length(const conn *c, int *status) {
    const char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) return c->len >= BUF_SIZE ? -1 : 0;
    size_t head = (size_t)(end - c->buf) + 4;
    if (c->len < 12 || memcmp(c->buf, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(c->buf + 9);
    long body = -1;
    for (const char *p = c->buf; p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
        if (*p == '\n') p++;
        if (strncasecmp(p, "content-length:", 15) == 0) body = atol(p + 15);
    }
    if (body < 0) return -1;
    if (head + (size_t)body > BUF_SIZE) return -1;
    return c->len >= head + (size_t)body ? (long)(head + (size_t)body) : 0;
}

static void *work(void *arg) {
    worker *w = arg;
    const load *l = w->l;
    int ep = epoll_create1(0);
    conn *conns = calloc((size_t)w->n_conns, sizeof *conns);
    if (ep < 0 || !conns) {
        fprintf(stderr, "bench_http_load: out of resources\n");
        exit(1);
    }
    for (int i = 0; i < w->n_conns; i++) {
        conn *c = &conns[i];
        c->buf = bench_xmalloc(BUF_SIZE);
        c->next_path = (w->first + i) % l->n_paths;
        if (open_conn(l, c) || send_request(l, c)) {
            w->err_connect++;
            continue;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    long long end = bench_now_ns() + (long long)(l->seconds * 1e9);
    struct epoll_event events[256];
    while (bench_now_ns() < end) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int e = 0; e < n; e++) {
            conn *c = events[e].data.ptr;
            ssize_t r = read(c->fd, c->buf + c->len, BUF_SIZE - c->len);
            if (r <= 0) {
                w->err_read++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                if (open_conn(l, c) || send_request(l, c)) {
                    w->err_connect++;
                    continue;
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                continue;
            }
            c->len += (size_t)r;
            int status = 0;
            long done = answer_length(c, &status);
            if (done == 0) continue;
            if (done < 0) {
                w->err_read++;
                c->len = 0;
                continue;
            }
            long long now = bench_now_ns();
            w->done++;
            if (status < 200 || status >= 400) w->non2xx++;
            if (w->n_latency < MAX_SAMPLES) w->latency_ms[w->n_latency++] = (double)(now - c->sent_ns) / 1e6;
            memmove(c->buf, c->buf + done, c->len - (size_t)done);
            c->len -= (size_t)done;
            if (send_request(l, c)) w->err_write++;
        }
    }
    for (int i = 0; i < w->n_conns; i++) {
        if (conns[i].fd >= 0) close(conns[i].fd);
        free(conns[i].buf);
    }
    free(conns);
    close(ep);
    return NULL;
}

int main(int argc, char **argv) {
    load l;
    memset(&l, 0, sizeof l);
    long connections = 64, threads = 2, seconds = 10, port = 0;
    const char *host = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--connections") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, MAX_CONNECTIONS, &connections)) goto usage;
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 64, &threads)) goto usage;
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 3600, &seconds)) goto usage;
        } else if (argv[i][0] == '-') {
            goto usage;
        } else if (!host) {
            host = argv[i];
        } else if (!port) {
            if (bench_parse_count(argv[i], 1, 65535, &port)) goto usage;
        } else if (l.n_paths < MAX_PATHS) {
            char req[2048];
            int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%ld\r\n\r\n", argv[i], host, port);
            if (n <= 0 || (size_t)n >= sizeof req) goto usage;
            l.requests[l.n_paths] = strdup(req);
            l.request_len[l.n_paths++] = (size_t)n;
        }
    }
    if (!host || !port || l.n_paths == 0) goto usage;
    l.addr.sin_family = AF_INET;
    l.addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &l.addr.sin_addr) != 1) goto usage;
    l.seconds = (double)seconds;
    if (threads > connections) threads = connections;
    worker *w = calloc((size_t)threads, sizeof *w);
    if (!w) return 1;
    long long t0 = bench_now_ns();
    for (long t = 0, first = 0; t < threads; t++) {
        w[t].l = &l;
        w[t].first = (int)first;
        w[t].n_conns = (int)(connections / threads + (t < connections % threads));
        first += w[t].n_conns;
        w[t].latency_ms = bench_xmalloc(MAX_SAMPLES * sizeof(double));
        pthread_create(&w[t].thread, NULL, work, &w[t]);
    }
    long long done = 0, non2xx = 0, ec = 0, er = 0, ew = 0;
    size_t n_lat = 0;
    for (long t = 0; t < threads; t++) {
        pthread_join(w[t].thread, NULL);
        done += w[t].done, non2xx += w[t].non2xx, ec += w[t].err_connect, er += w[t].err_read,
            ew += w[t].err_write, n_lat += w[t].n_latency;
    }
    double elapsed = (double)(bench_now_ns() - t0) / 1e9;
    double *lat = bench_xmalloc(n_lat * sizeof *lat);
    size_t k = 0;
    for (long t = 0; t < threads; t++) {
        memcpy(lat + k, w[t].latency_ms, w[t].n_latency * sizeof *lat);
        k += w[t].n_latency;
        free(w[t].latency_ms);
    }
    bench_sort(lat, n_lat);
    printf("bench_http_load: %ld threads, %ld connections, %d paths\n", threads, connections, l.n_paths);
    printf("  Latency Distribution\n");
    printf("     50%%    %.3fms\n", n_lat ? bench_percentile_sorted(lat, n_lat, 50) : -1.0);
    printf("     99%%    %.3fms\n", n_lat ? bench_percentile_sorted(lat, n_lat, 99) : -1.0);
    printf("  %lld requests in %.2fs\n", done, elapsed);
    if (ec || er || ew) printf("  Socket errors: connect %lld, read %lld, write %lld, timeout 0\n", ec, er, ew);
    if (non2xx) printf("  Non-2xx or 3xx responses: %lld\n", non2xx);
    printf("Requests/sec: %.2f\n", (double)done / elapsed);
    free(lat);
    free(w);
    for (int i = 0; i < l.n_paths; i++) free(l.requests[i]);
    return 0;
usage:
    fprintf(stderr, "usage: bench_http_load HOST PORT [--connections C] [--threads T] [--seconds S] PATH...\n");
    return 1;
}
