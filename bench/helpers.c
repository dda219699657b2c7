/* bench/helpers.c: small tools for bench/speed.sh (built by it with cc).
 *
 *   helpers run CMD ARGS...   runs CMD with stdout and stderr on /dev/null and prints
 *                             "WALL_S USER_S SYS_S MAXRSS_KIB" of that one child
 *                             (clock_gettime around fork..wait4, rusage of wait4); the
 *                             child is killed by SIGALRM after $HELPERS_TIMEOUT s (300)
 *   helpers sockets N         opens N/2 listening TCP and N - N/2 bound UDP sockets on
 *                             127.0.0.1 (ports picked by the kernel), prints "ready", sleeps
 *   helpers fds N             raises RLIMIT_NOFILE, opens N descriptors (files of /etc, /dev/null,
 *                             pipes, sockets in turn), prints "ready", sleeps
 * Sleeping helpers end on SIGTERM (default action).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int run(char **argv) {
    struct timespec a, b;
    struct rusage ru;
    int status;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        /* Bound every timed command: a pending alarm survives execve and SIGALRM kills. */
        const char *t = getenv("HELPERS_TIMEOUT");
        alarm(t ? (unsigned)atoi(t) : 300);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) { perror("wait4"); return 1; }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double wall = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.6f %.6f %.6f %ld\n", wall, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        fprintf(stderr, "helpers run: %s failed (status %d)\n", argv[0], status);
        return 1;
    }
    return 0;
}

static void ready_and_sleep(void) {
    printf("ready\n");
    fflush(stdout);
    fclose(stdout);
    for (;;) pause();
}

static int sockets(long n) {
    struct rlimit rl = {n + 64, n + 64};
    setrlimit(RLIMIT_NOFILE, &rl);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (long i = 0; i < n; i++) {
        int tcp = i < n / 2;
        int s = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (s < 0) { perror("socket"); return 1; }
        if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
        if (tcp && listen(s, 1) < 0) { perror("listen"); return 1; }
    }
    ready_and_sleep();
    return 0;
}

static int fds(long n) {
    /* Without CAP_SYS_RESOURCE the hard limit caps what can be opened: stay below it. */
    struct rlimit rl = {n + 64, n + 64};
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if ((long)rl.rlim_max - 64 < n) n = (long)rl.rlim_max - 64;
        fprintf(stderr, "helpers fds: hard limit %ld, opening %ld\n", (long)rl.rlim_max, n);
    }
    const char *files[] = {"/etc/passwd", "/etc/group", "/etc/hostname", "/dev/null", "/"};
    long i = 0;
    while (i < n) {
        int fd;
        switch (i % 8) {
        case 5: {
            int p[2];
            if (pipe(p) < 0) { perror("pipe"); return 1; }
            i += 2;
            continue;
        }
        case 6: fd = socket(AF_UNIX, SOCK_STREAM, 0); break;
        case 7: fd = socket(AF_INET, SOCK_DGRAM, 0); break;
        default: fd = open(files[i % 8 % 5], O_RDONLY);
        }
        if (fd < 0) { perror("open"); return 1; }
        i++;
    }
    ready_and_sleep();
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "run")) return run(argv + 2);
    if (argc == 3 && !strcmp(argv[1], "sockets")) return sockets(atol(argv[2]));
    if (argc == 3 && !strcmp(argv[1], "fds")) return fds(atol(argv[2]));
    fprintf(stderr, "usage: helpers run CMD... | sockets N | fds N\n");
    return 2;
}
