/*
 * vsockprobe: a tiny AF_VSOCK client for VsockShimTest. It makes one RPCI
 * exchange the way transports.md 1.2 and 1.4 describe (socket, optional bind,
 * connect to CID:port, one DataMap request, one reply) and prints what each
 * call returned, one line each. It exits at once, before any socket call, when
 * vsockshim is not preloaded: it must never reach this machine's real vsock.
 *
 * usage: vsockprobe CID PORT BIND REQUEST [short]
 *   BIND: a source port, "any" (VMADDR_PORT_ANY) or "none" (no bind call)
 *   short: pass a 15-byte address to connect (the kernel wants exactly 16)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct probe_sockaddr_vm {
    uint16_t family;
    uint16_t reserved1;
    uint32_t port;
    uint32_t cid;
    uint8_t flags;
    uint8_t zero[3];
};

static void result(const char *call, int rc) {
    if (rc == 0) {
        printf("%s ok\n", call);
    } else {
        printf("%s %s\n", call, strerrorname_np(errno));
    }
}

static void put32(unsigned char *at, uint32_t value) {
    at[0] = (unsigned char)(value >> 24);
    at[1] = (unsigned char)(value >> 16);
    at[2] = (unsigned char)(value >> 8);
    at[3] = (unsigned char)value;
}

static uint32_t get32(const unsigned char *at) {
    return (uint32_t)at[0] << 24 | (uint32_t)at[1] << 16 | (uint32_t)at[2] << 8 | at[3];
}

static int read_fully(int fd, unsigned char *buffer, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t n = read(fd, buffer + done, length - done);
        if (n <= 0) {
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: vsockprobe CID PORT BIND REQUEST [short]\n");
        return 2;
    }
    if (dlsym(RTLD_DEFAULT, "vmwguest_vsockshim_loaded") == NULL) {
        fprintf(stderr, "vsockprobe: vsockshim is not preloaded; refusing to touch real vsock\n");
        return 3;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int probe = socket(40, SOCK_DGRAM, 0);
    result("family-probe", probe < 0 ? -1 : 0);
    if (probe >= 0) {
        close(probe);
    }

    int fd = socket(40, SOCK_STREAM, 0);
    result("socket", fd < 0 ? -1 : 0);
    if (fd < 0) {
        return 1;
    }
    if (strcmp(argv[3], "none") != 0) {
        struct probe_sockaddr_vm local = {.family = 40, .cid = 0xFFFFFFFFu};
        local.port = strcmp(argv[3], "any") == 0 ? 0xFFFFFFFFu : (uint32_t)strtoul(argv[3], NULL, 10);
        result("bind", bind(fd, (struct sockaddr *)&local, sizeof local));
    }
    struct probe_sockaddr_vm remote = {.family = 40};
    remote.cid = (uint32_t)strtoul(argv[1], NULL, 10);
    remote.port = (uint32_t)strtoul(argv[2], NULL, 10);
    socklen_t length = argc > 5 && strcmp(argv[5], "short") == 0 ? sizeof remote - 1 : sizeof remote;
    int rc = connect(fd, (struct sockaddr *)&remote, length);
    result("connect", rc);
    if (rc != 0) {
        return 1;
    }
    struct probe_sockaddr_vm name;
    socklen_t name_length = sizeof name;
    if (getsockname(fd, (struct sockaddr *)&name, &name_length) == 0) {
        printf("sockname family=%u cid=%u port=%u\n", name.family, name.cid, name.port);
    }
    name_length = sizeof name;
    if (getpeername(fd, (struct sockaddr *)&name, &name_length) == 0) {
        printf("peername family=%u cid=%u port=%u\n", name.family, name.cid, name.port);
    }

    /* TYPE = DATA (INT64, low word first), then PAYLOAD (STRING): transports.md 1.3. */
    size_t n = strlen(argv[4]);
    size_t total = 4 + 16 + 12 + n;
    unsigned char *packet = calloc(1, total);
    if (packet == NULL) {
        return 1;
    }
    put32(packet, (uint32_t)(total - 4));
    put32(packet + 4, 1);
    put32(packet + 8, 1);
    put32(packet + 12, 1);
    put32(packet + 20, 2);
    put32(packet + 24, 2);
    put32(packet + 28, (uint32_t)n);
    memcpy(packet + 32, argv[4], n);
    result("send", write(fd, packet, total) == (ssize_t)total ? 0 : -1);
    free(packet);

    unsigned char header[4];
    if (read_fully(fd, header, sizeof header) != 0) {
        printf("reply none\n");
        return 1;
    }
    uint32_t body_length = get32(header);
    if (body_length > 65536 || body_length < 12) {
        printf("reply bad length %u\n", body_length);
        return 1;
    }
    unsigned char *body = malloc(body_length + 1);
    if (body == NULL || read_fully(fd, body, body_length) != 0) {
        printf("reply truncated\n");
        return 1;
    }
    /* The stand-in's reply holds PAYLOAD only: one STRING entry. */
    uint32_t text_length = get32(body + 8);
    if (get32(body) != 2 || get32(body + 4) != 2 || text_length > body_length - 12) {
        printf("reply unexpected layout\n");
        return 1;
    }
    body[12 + text_length] = '\0';
    printf("reply %s\n", (char *)body + 12);
    free(body);
    close(fd);
    return 0;
}
