/* server.c - the review application over HTTP with libmicrohttpd: bytes
 * in and out, everything else in api.c. See review.h. */
#include "review_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum { BODY_MAX = 1 << 20 };

/* A request's body as it arrives. */
typedef struct upload {
    bt_buf body;
    int too_large;
} upload;

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void add_encoded(bt_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            bt_buf_addc(b, (char)*p);
        } else {
            bt_buf_addc(b, '%');
            bt_buf_addc(b, hex[*p >> 4]);
            bt_buf_addc(b, hex[*p & 15]);
        }
    }
}

/* libmicrohttpd has decoded the query; api.c reads it whole again. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    bt_buf *b = cls;
    if (b->len) bt_buf_addc(b, '&');
    add_encoded(b, key);
    bt_buf_addc(b, '=');
    add_encoded(b, value ? value : "");
    return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *c, bt_review_response *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    /* the page is whole: nothing is loaded from elsewhere */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; "
                            "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
                            "frame-ancestors 'none'");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *data, size_t *data_size, void **state)
{
    (void)version;
    bt_review *rv = cls;
    upload *u = *state;
    if (!u) {
        u = bt_xcalloc(1, sizeof *u);
        bt_buf_init(&u->body);
        *state = u;
        return MHD_YES;
    }
    if (*data_size) {
        if (u->body.len + *data_size > BODY_MAX) u->too_large = 1;
        else bt_buf_add(&u->body, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    bt_review_response resp;
    if (u->too_large) {
        resp.status = 413;
        resp.content_type = "application/json; charset=utf-8";
        resp.body = bt_xstrdup("{\"error\":\"the request is too large (1 MiB at most)\"}");
        resp.body_len = strlen(resp.body);
        return send_response(c, &resp);
    }
    bt_buf query;
    bt_buf_init(&query);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &query);
    bt_review_request req = { .method = method, .path = url,
                              .query = query.len ? query.ptr : NULL,
                              .origin = header(c, "Origin"), .host = header(c, "Host"),
                              .token = header(c, "X-Bitext-Token"),
                              .content_type = header(c, "Content-Type"),
                              .body = u->body.ptr, .body_len = u->body.len };
    bt_review_handle(rv, &req, &resp);
    bt_buf_free(&query);
    return send_response(c, &resp);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    upload *u = *state;
    if (!u) return;
    bt_buf_free(&u->body);
    free(u);
    *state = NULL;
}

int bt_review_serve(bt_review *rv, const char *addr, unsigned port, volatile int *stop,
                    void (*ready)(void *ud, unsigned port), void *ud, char **err)
{
    *err = NULL;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        if (asprintf(err, "'%s': not an IPv4 address", addr) < 0) *err = NULL;
        return -1;
    }
    int loopback = (ntohl(sa.sin_addr.s_addr) >> 24) == 127;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, rv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
        MHD_OPTION_END);
    if (!d) {
        if (asprintf(err, "cannot listen on %s:%u", addr, port) < 0) *err = NULL;
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : port;
    /* on loopback the names the browser may use; elsewhere any name, the
     * token guards */
    char h[3][64];
    const char *hosts[3];
    size_t nh = 0;
    if (loopback) {
        snprintf(h[0], sizeof h[0], "%s:%u", addr, bound);
        snprintf(h[1], sizeof h[1], "localhost:%u", bound);
        snprintf(h[2], sizeof h[2], "127.0.0.1:%u", bound);
        for (nh = 0; nh < 3; nh++) hosts[nh] = h[nh];
    }
    rv_allow_hosts(rv, hosts, nh);
    if (ready) ready(ud, bound);
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    while (!*stop) nanosleep(&ts, NULL);
    MHD_stop_daemon(d);
    return 0;
}
